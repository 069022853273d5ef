import { type Kysely, sql } from "kysely";
import type { DB } from "../../src/platform/db/schema.js";

/**
 * What changes as a side effect of merely using the site: session renewal, counted login failures, and an API
 * token's last_used_at.
 */
const bookkeeping = new Set(["session", "login_attempt", "schema_migration"]);

/** Every row of every table as text, to prove that a rejected request wrote nothing at all. */
export async function snapshotData(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const snapshot: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    if (bookkeeping.has(table_name)) continue;
    const rows = await sql<{ data: string | null }>`
      select string_agg(r, E'\n' order by r) as data
      from (select (to_jsonb(t) - 'last_used_at')::text as r from ${sql.table(table_name)} t) rows`.execute(db);
    snapshot[table_name] = rows.rows[0]?.data ?? "";
  }
  return snapshot;
}
