import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "./schema.js";

/** The non-superuser role that every request runs as, so that row-level security applies. */
export const APPLICATION_ROLE = "samordna_app";

export type Tx = Transaction<DB>;

/**
 * Runs fn in a transaction as the application role with the association as tenant. Row-level security then hides
 * every other association's rows, whatever the query says. The settings are transaction-local (SET LOCAL), so they
 * cannot leak to the next user of a pooled (or PGlite's single) connection.
 */
export function inAssociation<T>(db: Kysely<DB>, associationId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope(db, associationId, fn);
}

/** As inAssociation, but without a tenant: for login, sessions and other tables that belong to no association. */
export function outsideAssociation<T>(db: Kysely<DB>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope(db, "", fn);
}

function inScope<T>(db: Kysely<DB>, associationId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', ${APPLICATION_ROLE}, true), set_config('app.association_id', ${associationId}, true)`.execute(
      tx,
    );
    return fn(tx);
  });
}

/** Switches a running transaction to a new association: only for creating one, whose first rows follow at once. */
export async function enterAssociation(tx: Tx, associationId: string) {
  await sql`select set_config('app.association_id', ${associationId}, true)`.execute(tx);
}
