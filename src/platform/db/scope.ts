import { type Kysely, sql } from "kysely";
import type { DB } from "./schema.js";

/** The non-superuser role that every request runs as, so that row-level security applies. */
export const APPLICATION_ROLE = "samordna_app";

/** A connection inside a scoped transaction: everything a repository function needs. */
export type Tx = Kysely<DB>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs fn in a transaction as the application role with the association as tenant. Row-level security then hides
 * every other association's rows, whatever the query says. The settings are transaction-local, so they cannot leak
 * to the next user of a pooled (or PGlite's single) connection.
 */
export function inAssociation<T>(db: Kysely<DB>, associationId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!uuidPattern.test(associationId)) throw new Error("inAssociation needs an association id");
  return inScope(db, associationId, fn);
}

/** As inAssociation, but without a tenant: for login, sessions and other tables that belong to no association. */
export function outsideAssociation<T>(db: Kysely<DB>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope(db, "", fn);
}

/**
 * BEGIN and both settings travel in one round trip (the values are a constant and a checked uuid, so they are
 * written into the statement): on PGlite every statement costs, and every request pays this.
 */
async function inScope<T>(db: Kysely<DB>, associationId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql
      .raw(
        `begin; select set_config('role', '${APPLICATION_ROLE}', true), ` +
          `set_config('app.association_id', '${associationId}', true)`,
      )
      .execute(connection);
    let result: T;
    try {
      result = await fn(connection);
    } catch (error) {
      await sql.raw("rollback").execute(connection);
      throw error;
    }
    await sql.raw("commit").execute(connection);
    return result;
  });
}

/** Switches a running transaction to a new association: only for creating one, whose first rows follow at once. */
export async function enterAssociation(tx: Tx, associationId: string) {
  await sql`select set_config('app.association_id', ${associationId}, true)`.execute(tx);
}
