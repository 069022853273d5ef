import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { copyPGlite, type Database, openPGlite, openPostgres } from "../../src/platform/db/database.js";
import { migrate } from "../../src/platform/db/migrate.js";

export type DatabaseTarget = "pglite" | "postgres";

/** Every database test runs on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set (as in CI). */
export function databaseTargets(): DatabaseTarget[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

async function adminQuery(statement: string) {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database: in-memory PGlite, or a new database on the PostgreSQL server that close() drops. */
export async function openEmptyDatabase(target: DatabaseTarget): Promise<Database & { url?: string }> {
  if (target === "pglite") return openPGlite(undefined);
  const name = `samordna_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString());
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

let migratedPGliteFiles: Promise<File | Blob> | undefined;

/** A fresh, migrated database. PGlite ones are copies of one migrated template per test worker: much faster. */
export async function openTestDatabase(target: DatabaseTarget): Promise<Database> {
  if (target === "pglite") {
    migratedPGliteFiles ??= (async () => {
      const template = await openPGlite(undefined);
      await migrate(template.db);
      const files = await template.pglite.dumpDataDir("none");
      await template.close();
      return files;
    })();
    return copyPGlite(await migratedPGliteFiles);
  }
  const database = await openEmptyDatabase(target);
  await migrate(database.db);
  return database;
}

/**
 * Declares the suite once per database target. The database is migrated once per file and shared by its tests;
 * tests create their own associations through the factories, so they do not see each other's data.
 */
export function describeEachDatabase(name: string, suite: (database: () => Database, target: DatabaseTarget) => void) {
  for (const target of databaseTargets()) {
    describe(`${name} [${target}]`, () => {
      let database: Database | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(target);
      });
      afterAll(async () => {
        await database?.close();
      });
      suite(() => {
        if (!database) throw new Error("database not open yet");
        return database;
      }, target);
    });
  }
}
