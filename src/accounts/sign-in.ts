import type { Kysely } from "kysely";
import { insertAuditEntry } from "../audit/repository.js";
import { verifyPassword } from "../platform/auth/password.js";
import type { DB } from "../platform/db/schema.js";
import { outsideAssociation } from "../platform/db/scope.js";
import { countFailedLogins, findUserByEmail, insertLoginAttempt } from "./repository.js";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 50;

export type SignInOptions = { email: string; password: string; ip: string; requestId?: string };
export type SignInResult = { kind: "ok"; userId: string } | { kind: "failed" } | { kind: "throttled" };

/**
 * Checks e-mail and password. Unknown e-mail and wrong password look the same from outside (same answer, same
 * time). Too many failures for one e-mail or from one address in 15 minutes block further attempts for a while.
 */
export async function signIn(db: Kysely<DB>, options: SignInOptions): Promise<SignInResult> {
  const email = options.email.trim().toLowerCase();
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const { user, failures } = await outsideAssociation(db, async (tx) => ({
    user: await findUserByEmail(tx, email),
    failures: await countFailedLogins(tx, { email, ip: options.ip, since }),
  }));
  if (failures.byEmail >= MAX_FAILURES_PER_EMAIL || failures.byIp >= MAX_FAILURES_PER_IP) return { kind: "throttled" };
  const valid = await verifyPassword(user?.password_hash, options.password);
  await outsideAssociation(db, async (tx) => {
    await insertLoginAttempt(tx, { email, ip: options.ip, succeeded: valid });
    await insertAuditEntry(tx, {
      associationId: null,
      actor: user ? { id: user.id, label: user.email } : null,
      action: valid ? "user.sign_in" : "user.sign_in_failed",
      ...(user ? { entityType: "user", entityId: user.id } : {}),
      ...(options.requestId ? { requestId: options.requestId } : {}),
    });
  });
  return valid && user ? { kind: "ok", userId: user.id } : { kind: "failed" };
}
