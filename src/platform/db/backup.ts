import { createHash } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { type Kysely, sql } from "kysely";
import type { DB } from "./schema.js";

/**
 * A backup is plain SQL, one statement per line, that embedded PGlite and a PostgreSQL server both run: rows travel
 * as JSON through json_populate_recordset, so no pg_dump of a matching version is needed. The file lists the
 * migrations it was taken at, because its rows fit only that schema, and ends with a checksum of all lines before,
 * so that a truncated or altered file is refused before a single row is written.
 *
 * Known limit: json_populate_recordset reads a JSON null as SQL NULL, so a json/jsonb column holding the JSON value
 * null comes back as SQL NULL.
 */
export type BackupSummary = { tables: number; rows: number };

export class BackupError extends Error {
  override name = "BackupError";
}

const HEADER = "-- samordna-backup 1";
const END = "-- end sha256 ";
// Bounds one statement, so that restoring never needs one huge query in memory.
const ROWS_PER_STATEMENT = 1000;
const CHARS_PER_STATEMENT = 4_000_000;

type Migration = { name: string; checksum: string };
type Table = { name: string; columns: string[]; key: string[] };

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const qualified = (name: string) => `"public".${ident(name)}`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

export async function backupDatabase(db: Kysely<DB>, file: string): Promise<BackupSummary> {
  const temp = `${file}.${process.pid}.tmp`;
  const out = await open(temp, "w");
  const hash = createHash("sha256");
  const write = async (line: string) => {
    hash.update(`${line}\n`);
    await out.write(`${line}\n`);
  };
  try {
    // One repeatable-read snapshot for every table, so the file is consistent even while the server keeps writing.
    const summary = await db
      .transaction()
      .setIsolationLevel("repeatable read")
      .execute(async (tx) => {
        await sql`set transaction read only`.execute(tx);
        await write(HEADER);
        await write(`-- created ${new Date().toISOString()}`);
        for (const m of await appliedMigrations(tx)) await write(`-- migration ${m.name} ${m.checksum}`);
        const tables = await describeTables(tx);
        let rows = 0;
        for (const table of tables) rows += await dumpTable(tx, table, write);
        // Sequences are not transactional; their current value is at least every id in the snapshot, which suffices.
        const sequences = await sql<{ name: string }>`select relname as name from pg_class
          where relkind = 'S' and relnamespace = 'public'::regnamespace order by relname`.execute(tx);
        for (const { name } of sequences.rows) {
          const state = await sql
            .raw<{ last_value: string; is_called: boolean }>(
              `select last_value::text, is_called from ${qualified(name)}`,
            )
            .execute(tx);
          const { last_value, is_called } = state.rows[0]!;
          await write(`SELECT setval(${literal(qualified(name))}, ${last_value}, ${is_called});`);
        }
        return { tables: tables.length, rows };
      });
    await out.write(`${END}${hash.digest("hex")}\n`);
    await out.sync();
    await out.close();
    // Whoever reads FILE sees the old backup or the complete new one, never a half-written file.
    await rename(temp, file);
    return summary;
  } catch (error) {
    await out.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

async function dumpTable(tx: Kysely<DB>, table: Table, write: (line: string) => Promise<void>): Promise<number> {
  const name = qualified(table.name);
  const columns = table.columns.map(ident).join(", ");
  const order = table.key.length > 0 ? ` order by ${table.key.map(ident).join(", ")}` : "";
  // Generated columns are left out (the target computes them); OVERRIDING SYSTEM VALUE keeps GENERATED ALWAYS ids.
  const insert = `INSERT INTO ${name} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM json_populate_recordset(NULL::${name}, `;
  let chunk: string[] = [];
  let chars = 0;
  let count = 0;
  const flush = async () => {
    if (chunk.length > 0) await write(`${insert}${literal(`[${chunk.join(",")}]`)});`);
    chunk = [];
    chars = 0;
  };
  // A cursor (plain SQL, so it works on PGlite as on a server) keeps memory flat however large the table.
  await sql
    .raw(`declare backup_rows no scroll cursor for select to_json(t.*)::text as data from ${name} t${order}`)
    .execute(tx);
  for (;;) {
    const { rows } = await sql.raw<{ data: string }>(`fetch ${ROWS_PER_STATEMENT} from backup_rows`).execute(tx);
    if (rows.length === 0) break;
    for (const { data } of rows) {
      // A json column keeps its input's line breaks, which can only be whitespace between tokens: a space means the
      // same and keeps the statement on one line.
      chunk.push(data.replace(/[\r\n]/g, " "));
      chars += data.length;
      count++;
      if (chunk.length === ROWS_PER_STATEMENT || chars > CHARS_PER_STATEMENT) await flush();
    }
  }
  await flush();
  await sql`close backup_rows`.execute(tx);
  await write(`-- table ${table.name} ${count} rows`);
  return count;
}

export async function restoreDatabase(db: Kysely<DB>, file: string): Promise<BackupSummary> {
  const backup = await readBackup(file);
  return db.transaction().execute(async (tx) => {
    const applied = await appliedMigrations(tx);
    const key = (m: Migration) => `${m.name} ${m.checksum}`;
    const onlyInFile = backup.migrations.filter((m) => !applied.some((a) => key(a) === key(m)));
    const onlyInDatabase = applied.filter((a) => !backup.migrations.some((m) => key(a) === key(m)));
    if (onlyInFile.length > 0 || onlyInDatabase.length > 0) {
      const names = (list: Migration[]) => list.map((m) => m.name).join(", ") || "none";
      throw new BackupError(
        `${file} was taken at other migrations than this database has (only in the backup: ${names(onlyInFile)}; ` +
          `only in the database: ${names(onlyInDatabase)}). Restore it with the Samordna version that took it.`,
      );
    }
    const nonEmpty: string[] = [];
    for (const table of await describeTables(tx)) {
      const found = await sql
        .raw<{ found: boolean }>(`select exists (select from ${qualified(table.name)}) as found`)
        .execute(tx);
      if (found.rows[0]?.found) nonEmpty.push(table.name);
    }
    if (nonEmpty.length > 0) {
      throw new BackupError(
        `The database already holds data (in ${nonEmpty.join(", ")}); restore only into a new, empty database.`,
      );
    }
    // Everything in one transaction: a failing statement leaves the database as empty as it was. The sequences go
    // last, as setval is not undone by a rollback.
    const setvals: string[] = [];
    for await (const line of readLines(file)) {
      if (line.startsWith("INSERT INTO ")) await sql.raw(line).execute(tx);
      else if (line.startsWith("SELECT setval(")) setvals.push(line);
    }
    let rows = 0;
    for (const [table, expected] of backup.tables) {
      const counted = await sql
        .raw<{ count: number }>(`select count(*)::int as count from ${qualified(table)}`)
        .execute(tx);
      if (counted.rows[0]?.count !== expected) {
        throw new BackupError(
          `Table ${table} has ${counted.rows[0]?.count} rows after the restore, ${expected} in ${file}.`,
        );
      }
      rows += expected;
    }
    for (const line of setvals) await sql.raw(line).execute(tx);
    return { tables: backup.tables.size, rows };
  });
}

/** Checks the whole file before the database is touched: its format, that it is complete and unaltered. */
export async function readBackup(file: string) {
  const migrations: Migration[] = [];
  const tables = new Map<string, number>();
  const hash = createHash("sha256");
  let checksum: string | undefined;
  let lineNumber = 0;
  for await (const line of readLines(file)) {
    lineNumber++;
    if (lineNumber === 1 && line !== HEADER) throw new BackupError(`${file} is not a Samordna backup.`);
    if (checksum !== undefined) {
      if (line.trim() !== "") throw new BackupError(`${file} has text after its end marker (line ${lineNumber}).`);
      continue;
    }
    if (line.startsWith(END)) {
      checksum = line.slice(END.length);
      continue;
    }
    hash.update(`${line}\n`);
    const migration = /^-- migration (\S+) ([0-9a-f]{64})$/.exec(line);
    const table = /^-- table (\S+) (\d+) rows$/.exec(line);
    if (migration) migrations.push({ name: migration[1]!, checksum: migration[2]! });
    else if (table) tables.set(table[1]!, Number(table[2]));
  }
  if (checksum === undefined) throw new BackupError(`${file} is incomplete: it has no end marker (truncated?).`);
  if (checksum !== hash.digest("hex")) throw new BackupError(`${file} is damaged: its checksum does not match.`);
  return { migrations, tables };
}

async function* readLines(file: string): AsyncGenerator<string> {
  const handle = await open(file);
  try {
    // Refuses an unrelated (perhaps binary, newline-free) file without reading all of it as one line.
    const start = Buffer.alloc(HEADER.length);
    await handle.read(start, 0, start.length, 0);
    if (start.toString("utf8") !== HEADER) throw new BackupError(`${file} is not a Samordna backup.`);
    yield* createInterface({ input: handle.createReadStream({ encoding: "utf8", start: 0 }), crlfDelay: Infinity });
  } finally {
    await handle.close();
  }
}

async function appliedMigrations(tx: Kysely<DB>): Promise<Migration[]> {
  const result = await sql<Migration>`select name, checksum from schema_migration order by name`.execute(tx);
  return result.rows;
}

/** The data tables (not schema_migration, which migrate() owns) in foreign-key order: referenced tables first. */
async function describeTables(tx: Kysely<DB>): Promise<Table[]> {
  const columns = await sql<{ table: string; column: string; key_position: number | null }>`
    select c.relname as table, a.attname as column, array_position(k.conkey, a.attnum) as key_position
    from pg_class c
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    left join pg_constraint k on k.conrelid = c.oid and k.contype = 'p'
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
      and c.relname <> 'schema_migration'
    order by c.relname, a.attnum`.execute(tx);
  const references = await sql<{ table: string; references: string }>`
    select c.relname as table, r.relname as references
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
    where k.contype = 'f' and c.relnamespace = 'public'::regnamespace`.execute(tx);
  const tables = new Map<string, Table & { needs: Set<string> }>();
  for (const row of columns.rows) {
    const table = tables.get(row.table) ?? { name: row.table, columns: [], key: [], needs: new Set<string>() };
    tables.set(row.table, table);
    table.columns.push(row.column);
    if (row.key_position !== null) table.key[row.key_position - 1] = row.column;
  }
  // A self-reference is left out: rows of one statement may refer to each other, as the check runs at its end.
  for (const row of references.rows) if (row.table !== row.references) tables.get(row.table)?.needs.add(row.references);
  const ordered: Table[] = [];
  while (tables.size > 0) {
    const ready = [...tables.values()].filter((table) => [...table.needs].every((name) => !tables.has(name)));
    if (ready.length === 0)
      throw new BackupError(`Tables ${[...tables.keys()].join(", ")} reference each other in a cycle.`);
    for (const { needs: _, ...table } of ready) {
      tables.delete(table.name);
      ordered.push(table);
    }
  }
  return ordered;
}
