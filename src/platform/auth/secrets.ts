import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random token for a cookie, a link or an API client; only its sha256 is stored. */
export function newSecret(prefix = ""): string {
  return prefix + randomBytes(24).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
