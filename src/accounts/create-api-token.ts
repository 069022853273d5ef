import type { Kysely } from "kysely";
import { insertAuditEntry } from "../audit/repository.js";
import { hashSecret, newSecret } from "../platform/auth/secrets.js";
import type { DB, TokenScope } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { inAssociation } from "../platform/db/scope.js";
import { notFound } from "../platform/http/errors.js";
import { findRole, insertApiToken } from "./repository.js";

export const MAX_TOKEN_DAYS = 365;

export type CreateApiTokenOptions = {
  tx: Tx;
  associationId: string;
  user: { id: string; email: string };
  name: string;
  scope: TokenScope;
  expiresInDays: number;
};

/** Creates a personal API token; the secret is returned once and only its hash is kept. */
export async function createApiToken(options: CreateApiTokenOptions) {
  if (!(await findRole(options.tx, options.associationId, options.user.id))) throw notFound();
  const secret = newSecret("sam_");
  const token = await insertApiToken(options.tx, {
    associationId: options.associationId,
    userId: options.user.id,
    name: options.name,
    tokenHash: hashSecret(secret),
    scope: options.scope,
    expiresAt: new Date(Date.now() + options.expiresInDays * 24 * 60 * 60 * 1000),
  });
  await insertAuditEntry(options.tx, {
    associationId: options.associationId,
    actor: { id: options.user.id, label: options.user.email },
    action: "api_token.create",
    entityType: "api_token",
    entityId: token.id,
    summary: { name: options.name, scope: options.scope, expiresAt: token.expires_at.toISOString() },
  });
  return { ...token, secret };
}

/** The CLI's way in: a token for a user of an association, created outside any request. */
export function createApiTokenForCli(db: Kysely<DB>, options: Omit<CreateApiTokenOptions, "tx">) {
  return inAssociation(db, options.associationId, (tx) => createApiToken({ ...options, tx }));
}
