import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Kysely, sql } from "kysely";
import type { DB } from "./schema.js";

/** Each domain module owns `src/<module>/migrations/*.sql`; the timestamp prefix orders them across modules. */
const sourceRoot = fileURLToPath(new URL("../..", import.meta.url));
const namePattern = /^\d{12}_[a-z0-9_]+\.sql$/;

export type Migration = { name: string; checksum: string; sql: string };

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function discoverMigrations(root = sourceRoot): Migration[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (basename(dir) === "migrations" && entry.endsWith(".sql")) files.push(path);
    }
  };
  walk(root);
  const migrations = files.map((path) => {
    const name = basename(path);
    if (!namePattern.test(name)) {
      throw new MigrationError(`Migration file ${path} must be named YYYYMMDDhhmm_snake_case.sql`);
    }
    const text = readFileSync(path, "utf8");
    return { name, checksum: createHash("sha256").update(text).digest("hex"), sql: text };
  });
  migrations.sort((a, b) => a.name.localeCompare(b.name));
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.name === migrations[i - 1]?.name) {
      throw new MigrationError(`Two migrations are named ${migrations[i]?.name}`);
    }
  }
  return migrations;
}

type AppliedMigration = { name: string; checksum: string };

async function appliedMigrations(db: Kysely<DB>): Promise<AppliedMigration[]> {
  await sql`create table if not exists schema_migration (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(db);
  const result = await sql<AppliedMigration>`select name, checksum from schema_migration order by name`.execute(db);
  return result.rows;
}

/** Refuses a database whose applied migrations differ from the code's, so that history is never rewritten. */
export function verifyHistory(applied: AppliedMigration[], known: Migration[]) {
  const byName = new Map(known.map((migration) => [migration.name, migration]));
  for (const row of applied) {
    const migration = byName.get(row.name);
    if (!migration) {
      throw new MigrationError(
        `The database has migration ${row.name}, which this version of Samordna does not know. ` +
          "It was migrated by a newer version; run that version or restore a backup.",
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.name} has changed since it was applied (checksum ${row.checksum.slice(0, 12)} in the ` +
          `database, ${migration.checksum.slice(0, 12)} in the code). Migrations are forward-only: ` +
          "restore the file and add a new migration for the change.",
      );
    }
  }
}

/** Applies all pending migrations in one transaction (all or nothing) under an advisory lock, so two servers never race. */
export async function migrate(db: Kysely<DB>, known = discoverMigrations()): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('samordna.migrate'))`.execute(trx);
    const applied = await appliedMigrations(trx);
    verifyHistory(applied, known);
    const done = new Set(applied.map((row) => row.name));
    const pending = known.filter((migration) => !done.has(migration.name));
    for (const migration of pending) {
      try {
        await sql.raw(migration.sql).execute(trx);
      } catch (error) {
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      await sql`insert into schema_migration (name, checksum) values (${migration.name}, ${migration.checksum})`.execute(
        trx,
      );
    }
    return pending.map((migration) => migration.name);
  });
}

/** For /readyz: true when every migration the code knows is applied with the same checksum. */
export async function migrationsUpToDate(db: Kysely<DB>, known = discoverMigrations()): Promise<boolean> {
  const table = await sql<{ exists: boolean }>`select to_regclass('schema_migration') is not null as exists`.execute(
    db,
  );
  if (!table.rows[0]?.exists) return false;
  const result = await sql<AppliedMigration>`select name, checksum from schema_migration`.execute(db);
  const applied = new Map(result.rows.map((row) => [row.name, row.checksum]));
  return known.every((migration) => applied.get(migration.name) === migration.checksum);
}
