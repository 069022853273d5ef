import type { Kysely } from "kysely";
import { hashSecret, newSecret } from "../platform/auth/secrets.js";
import type { DB } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { outsideAssociation } from "../platform/db/scope.js";
import { findUsableOneTimeToken, insertOneTimeToken } from "./repository.js";

export type LinkPurpose = "password_reset" | "invitation";

const validity: Record<LinkPurpose, number> = {
  password_reset: 60 * 60 * 1000,
  invitation: 7 * 24 * 60 * 60 * 1000,
};

const paths: Record<LinkPurpose, string> = { password_reset: "/password-reset", invitation: "/invitation" };

/** Creates a single-use link; only the hash of its secret is stored. */
export async function createOneTimeLink(tx: Tx, publicUrl: string, userId: string, purpose: LinkPurpose) {
  const secret = newSecret();
  await insertOneTimeToken(tx, {
    id: hashSecret(secret),
    userId,
    purpose,
    expiresAt: new Date(Date.now() + validity[purpose]),
  });
  return `${publicUrl}${paths[purpose]}/${secret}`;
}

export function findOneTimeLink(db: Kysely<DB>, secret: string, purpose: LinkPurpose) {
  return outsideAssociation(db, (tx) => findUsableOneTimeToken(tx, hashSecret(secret), purpose));
}
