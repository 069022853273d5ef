import { sql } from "kysely";
import type { Role, TokenScope } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";

/** All SQL of the accounts module: users, sessions, one-time tokens, login attempts, roles and API tokens. */

export function findUserByEmail(tx: Tx, email: string) {
  return tx.selectFrom("user_account").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
}

export function findUserById(tx: Tx, id: string) {
  return tx.selectFrom("user_account").selectAll().where("id", "=", id).executeTakeFirst();
}

export function insertUser(
  tx: Tx,
  user: { email: string; name: string; passwordHash: string | null; isSuperadmin?: boolean },
) {
  return tx
    .insertInto("user_account")
    .values({
      email: user.email.toLowerCase(),
      name: user.name,
      password_hash: user.passwordHash,
      is_superadmin: user.isSuperadmin ?? false,
      password_changed_at: user.passwordHash ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePassword(tx: Tx, userId: string, passwordHash: string) {
  await tx
    .updateTable("user_account")
    .set({ password_hash: passwordHash, password_changed_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

export async function updateUserName(tx: Tx, userId: string, name: string) {
  await tx.updateTable("user_account").set({ name }).where("id", "=", userId).execute();
}

// Sessions

export async function insertSession(
  tx: Tx,
  session: { id: string; userId: string; csrfToken: string; expiresAt: Date },
) {
  await tx
    .insertInto("session")
    .values({ id: session.id, user_id: session.userId, csrf_token: session.csrfToken, expires_at: session.expiresAt })
    .execute();
}

/**
 * One statement, before any transaction: the session behind a cookie and its user, if not expired, and for a page
 * of an association (slug) the user's role there; the association columns are null without one.
 */
export async function findSessionWithUser(db: Tx, sessionId: string, slug: string | null) {
  const result = await sql<{
    session_id: string;
    csrf_token: string;
    expires_at: Date;
    user_id: string;
    email: string;
    name: string;
    is_superadmin: boolean;
    association_id: string | null;
    association_slug: string | null;
    association_name: string | null;
    association_organisation_number: string | null;
    association_created_at: Date | null;
    role: Role | null;
  }>`select * from find_session(${sessionId}, ${slug})`.execute(db);
  return result.rows[0];
}

/** The association named by a URL and the user's role in it; undefined when either does not exist. */
export async function findMembership(db: Tx, slug: string, userId: string) {
  const result = await sql<{
    id: string;
    slug: string;
    name: string;
    organisation_number: string | null;
    created_at: Date;
    role: Role;
  }>`select * from find_membership(${slug}, ${userId})`.execute(db);
  return result.rows[0];
}

export async function extendSession(tx: Tx, sessionId: string, expiresAt: Date) {
  await tx.updateTable("session").set({ expires_at: expiresAt }).where("id", "=", sessionId).execute();
}

export async function deleteSession(tx: Tx, sessionId: string) {
  await tx.deleteFrom("session").where("id", "=", sessionId).execute();
}

export async function deleteSessionsOfUser(tx: Tx, userId: string, exceptSessionId?: string) {
  let query = tx.deleteFrom("session").where("user_id", "=", userId);
  if (exceptSessionId) query = query.where("id", "!=", exceptSessionId);
  await query.execute();
}

// One-time tokens (password reset, invitation)

export async function insertOneTimeToken(
  tx: Tx,
  token: { id: string; userId: string; purpose: "password_reset" | "invitation"; expiresAt: Date },
) {
  await tx
    .insertInto("one_time_token")
    .values({ id: token.id, user_id: token.userId, purpose: token.purpose, expires_at: token.expiresAt })
    .execute();
}

export async function countRecentOneTimeTokens(
  tx: Tx,
  userId: string,
  purpose: "password_reset" | "invitation",
  since: Date,
) {
  const row = await tx
    .selectFrom("one_time_token")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return row.count;
}

export function findUsableOneTimeToken(tx: Tx, id: string, purpose: "password_reset" | "invitation") {
  return tx
    .selectFrom("one_time_token")
    .innerJoin("user_account", "user_account.id", "one_time_token.user_id")
    .select(["one_time_token.id", "user_account.id as userId", "user_account.email", "user_account.name"])
    .where("one_time_token.id", "=", id)
    .where("one_time_token.purpose", "=", purpose)
    .where("one_time_token.used_at", "is", null)
    .where("one_time_token.expires_at", ">", new Date())
    .executeTakeFirst();
}

/** Marks the token used; false when it was already used, so a link works exactly once even under a race. */
export async function markOneTimeTokenUsed(tx: Tx, id: string): Promise<boolean> {
  const result = await tx
    .updateTable("one_time_token")
    .set({ used_at: new Date() })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

// Login attempts

export async function insertLoginAttempt(tx: Tx, attempt: { email: string; ip: string; succeeded: boolean }) {
  await tx.insertInto("login_attempt").values(attempt).execute();
}

export async function countFailedLogins(tx: Tx, by: { email: string; ip: string; since: Date }) {
  const row = await tx
    .selectFrom("login_attempt")
    .select([
      sql<number>`count(*) filter (where email = ${by.email})::int`.as("byEmail"),
      sql<number>`count(*) filter (where ip = ${by.ip})::int`.as("byIp"),
    ])
    .where("succeeded", "=", false)
    .where("attempted_at", ">", by.since)
    .where((eb) => eb.or([eb("email", "=", by.email), eb("ip", "=", by.ip)]))
    .executeTakeFirstOrThrow();
  return row;
}

// Roles within an association

export async function findRole(tx: Tx, associationId: string, userId: string): Promise<Role | undefined> {
  const row = await tx
    .selectFrom("association_user")
    .select("role")
    .where("association_id", "=", associationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.role;
}

export async function associationsOfUser(tx: Tx, userId: string) {
  const result = await sql<{ association_id: string; slug: string; name: string; role: Role }>`
    select * from associations_of_user(${userId})`.execute(tx);
  return result.rows;
}

export function listAssociationUsers(tx: Tx, associationId: string) {
  return tx
    .selectFrom("association_user")
    .innerJoin("user_account", "user_account.id", "association_user.user_id")
    .select([
      "user_account.id",
      "user_account.email",
      "user_account.name",
      "association_user.role",
      sql<boolean>`user_account.password_hash is not null`.as("active"),
      "association_user.created_at as createdAt",
    ])
    .where("association_user.association_id", "=", associationId)
    .orderBy("user_account.name")
    .execute();
}

export async function upsertRole(tx: Tx, associationId: string, userId: string, role: Role) {
  await tx
    .insertInto("association_user")
    .values({ association_id: associationId, user_id: userId, role })
    .onConflict((oc) => oc.columns(["association_id", "user_id"]).doUpdateSet({ role }))
    .execute();
}

export async function deleteRole(tx: Tx, associationId: string, userId: string): Promise<boolean> {
  const result = await tx
    .deleteFrom("association_user")
    .where("association_id", "=", associationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

export async function countAdmins(tx: Tx, associationId: string): Promise<number> {
  const row = await tx
    .selectFrom("association_user")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("association_id", "=", associationId)
    .where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  return row.count;
}

// API tokens

export async function insertApiToken(
  tx: Tx,
  token: {
    associationId: string;
    userId: string;
    name: string;
    tokenHash: string;
    scope: TokenScope;
    expiresAt: Date;
  },
) {
  return tx
    .insertInto("api_token")
    .values({
      association_id: token.associationId,
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      scope: token.scope,
      expires_at: token.expiresAt,
    })
    .returning(["id", "name", "scope", "expires_at"])
    .executeTakeFirstOrThrow();
}

export async function findApiTokenByHash(tx: Tx, tokenHash: string) {
  const result = await sql<{
    id: string;
    association_id: string;
    user_id: string;
    email: string;
    name: string;
    scope: TokenScope;
    expires_at: Date;
    revoked_at: Date | null;
  }>`select * from find_api_token(${tokenHash})`.execute(tx);
  return result.rows[0];
}

export async function touchApiToken(tx: Tx, associationId: string, tokenId: string) {
  await tx
    .updateTable("api_token")
    .set({ last_used_at: new Date() })
    .where("association_id", "=", associationId)
    .where("id", "=", tokenId)
    .execute();
}

export function listApiTokens(tx: Tx, associationId: string, options: { userId?: string }) {
  let query = tx
    .selectFrom("api_token")
    .innerJoin("user_account", "user_account.id", "api_token.user_id")
    .select([
      "api_token.id",
      "api_token.name",
      "api_token.scope",
      "api_token.created_at as createdAt",
      "api_token.expires_at as expiresAt",
      "api_token.revoked_at as revokedAt",
      "api_token.last_used_at as lastUsedAt",
      "user_account.id as userId",
      "user_account.name as userName",
    ])
    .where("api_token.association_id", "=", associationId)
    .orderBy("api_token.created_at", "desc");
  if (options.userId) query = query.where("api_token.user_id", "=", options.userId);
  return query.execute();
}

export function findApiToken(tx: Tx, associationId: string, tokenId: string) {
  return tx
    .selectFrom("api_token")
    .select(["id", "user_id", "name", "revoked_at"])
    .where("association_id", "=", associationId)
    .where("id", "=", tokenId)
    .executeTakeFirst();
}

export async function revokeApiToken(tx: Tx, associationId: string, tokenId: string) {
  await tx
    .updateTable("api_token")
    .set({ revoked_at: new Date() })
    .where("association_id", "=", associationId)
    .where("id", "=", tokenId)
    .where("revoked_at", "is", null)
    .execute();
}

// Housekeeping

/** Removes what can no longer be used: expired sessions, spent or expired links, login attempts older than a day. */
export async function deleteExpired(tx: Tx, now = new Date()) {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const sessions = await tx.deleteFrom("session").where("expires_at", "<=", now).executeTakeFirst();
  const links = await tx
    .deleteFrom("one_time_token")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("used_at", "is not", null)]))
    .executeTakeFirst();
  const attempts = await tx.deleteFrom("login_attempt").where("attempted_at", "<", dayAgo).executeTakeFirst();
  return {
    sessions: Number(sessions.numDeletedRows),
    links: Number(links.numDeletedRows),
    loginAttempts: Number(attempts.numDeletedRows),
  };
}
