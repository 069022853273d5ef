import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Config } from "../../config.js";
import { PGliteDialect } from "./pglite-dialect.js";
import type { DB } from "./schema.js";
import { typeParsers } from "./type-parsers.js";

export type Database = {
  kind: "pglite" | "postgres";
  db: Kysely<DB>;
  close(): Promise<void>;
};

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
}

export async function openDatabase(
  settings: Config["database"],
  onConnectionError?: (error: Error) => void,
): Promise<Database> {
  if (settings.kind === "postgres") return openPostgres(settings.url, onConnectionError);
  return openPGlite(settings.dataDir);
}

export function openPostgres(url: string, onConnectionError: (error: Error) => void = () => {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        typeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that the server disconnects (restart, idle timeout) must not take the process down; the pool
  // replaces it on the next query.
  pool.on("error", onConnectionError);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { kind: "postgres", db, close: () => db.destroy() };
}

/**
 * Opens the embedded database. A data directory (dataDir) is held by one process only: a second process on the same
 * files corrupts them, so a lock file with our pid guards it, and close() must run on shutdown.
 * Without dataDir the database lives in memory (tests).
 */
export async function openPGlite(dataDir: string | undefined): Promise<Database & { pglite: PGlite }> {
  let unlock = () => {};
  let pgliteDir: string | undefined;
  if (dataDir) {
    const root = resolve(dataDir);
    mkdirSync(root, { recursive: true });
    unlock = acquireLock(join(root, "samordna.lock"));
    pgliteDir = join(root, "pglite");
  }
  try {
    return wrapPGlite(await PGlite.create(pgliteDir, { parsers: typeParsers }), unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

/** An in-memory copy of another PGlite's files: tests start from one migrated database instead of migrating each. */
export async function copyPGlite(files: File | Blob): Promise<Database> {
  return wrapPGlite(await PGlite.create({ loadDataDir: files, parsers: typeParsers }), () => {});
}

function wrapPGlite(pglite: PGlite, release: () => void): Database & { pglite: PGlite } {
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: "pglite",
    db,
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
      release();
    },
  };
}

function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(path, "utf8"));
      if (isRunning(holder)) {
        throw new DatabaseLockedError(
          `The embedded database at ${path.replace(/samordna\.lock$/, "")} is in use by process ${holder}. ` +
            "Stop that process first; two processes on one embedded database corrupt it.",
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DatabaseLockedError(`Could not lock ${path}`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
