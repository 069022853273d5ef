import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { insertLoginAttempt, insertOneTimeToken, insertSession } from "../../src/accounts/repository.js";
import { insertMember } from "../../src/associations/repository.js";
import { insertAuditEntry } from "../../src/audit/repository.js";
import { loadDemo } from "../../src/demo/demo.js";
import { backupDatabase, restoreDatabase } from "../../src/platform/db/backup.js";
import { discoverMigrations, migrate } from "../../src/platform/db/migrate.js";
import type { DB } from "../../src/platform/db/schema.js";
import { databaseTargets, describeEachDatabase, openEmptyDatabase, openTestDatabase } from "../support/database.js";
import { buildPopulatedAssociation } from "../support/factories.js";
import { testKeyring } from "../support/http.js";

const dir = mkdtempSync(join(tmpdir(), "samordna-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every data table's rows as JSON text, in an order and time zone that do not depend on the server. */
async function snapshot(db: Kysely<DB>): Promise<Record<string, string>> {
  return db.transaction().execute(async (tx) => {
    await sql`set local timezone to 'UTC'`.execute(tx);
    const tables = await sql<{ name: string }>`select relname as name from pg_class
      where relkind = 'r' and relnamespace = 'public'::regnamespace and relname <> 'schema_migration'
      order by relname`.execute(tx);
    const rows: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const result = await sql<{ rows: string }>`
        select coalesce(json_agg(t order by (t::text) collate "C"), '[]')::text as rows from ${sql.table(name)} t`.execute(
        tx,
      );
      rows[name] = result.rows[0]!.rows;
    }
    return rows;
  });
}

async function populate(db: Kysely<DB>) {
  const { association, users } = await buildPopulatedAssociation(db);
  await buildPopulatedAssociation(db);
  await loadDemo(db, { env: "test", password: "demo-password-123", keyring: testKeyring() });
  // Text that SQL literals, JSON and line-based reading could each get wrong.
  await db.transaction().execute(async (tx) => {
    await insertMember(tx, association.id, {
      name: `O'Hara "citat" \\ back\\slash – åäö 🎉`,
      type: "other",
      fundingShareBasisPoints: 0,
    });
    await insertAuditEntry(tx, {
      associationId: association.id,
      actor: { id: users.admin.id, label: "Ann-'Marie'" },
      action: "test.tricky",
      summary: { note: "rad ett\nrad två\r\n'; drop table member; --", nested: { n: 1.5, big: "9007199254740993" } },
    });
    await insertSession(tx, { id: "s1", userId: users.admin.id, csrfToken: "c", expiresAt: new Date() });
    await insertOneTimeToken(tx, { id: "o1", userId: users.admin.id, purpose: "invitation", expiresAt: new Date() });
    await insertLoginAttempt(tx, { email: users.admin.email, ip: "127.0.0.1", succeeded: true });
  });
}

/** A backup without the lines that differ between two backups of the same data. */
const comparable = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("-- created ") && !line.startsWith("-- end "));

async function expectRefused(db: Kysely<DB>, file: string, message: RegExp | string) {
  const before = await snapshot(db);
  await expect(restoreDatabase(db, file)).rejects.toThrow(message);
  expect(await snapshot(db)).toEqual(before);
}

describeEachDatabase("backup and restore", (database, target) => {
  const full = join(dir, `full-${target}.sql`);

  it("restores every row into a new database of either kind, and ids continue after them", async () => {
    const { db } = database();
    await populate(db);
    const summary = await backupDatabase(db, full);
    const before = await snapshot(db);
    expect(summary.tables).toBe(Object.keys(before).length);
    expect(summary.rows).toBeGreaterThan(30);
    const lines = readFileSync(full, "utf8").split("\n");
    expect(lines[0]).toBe("-- samordna-backup 1");
    expect(lines.at(-2)).toMatch(/^-- end sha256 [0-9a-f]{64}$/);

    for (const kind of databaseTargets()) {
      const restored = await openTestDatabase(kind);
      try {
        expect(await restoreDatabase(restored.db, full)).toEqual(summary);
        expect(await snapshot(restored.db)).toEqual(before);
        // Sequences came along: a backup of the copy is the same file.
        const again = join(dir, `again-${target}-${kind}.sql`);
        await backupDatabase(restored.db, again);
        expect(comparable(again)).toEqual(comparable(full));
        const highest = await restored.db
          .selectFrom("audit_log")
          .select((eb) => eb.fn.max("id").as("id"))
          .executeTakeFirstOrThrow();
        const added = await restored.db
          .insertInto("audit_log")
          .values({ association_id: null, action: "test.after_restore" })
          .returning("id")
          .executeTakeFirstOrThrow();
        expect(added.id).toBeGreaterThan(BigInt(highest.id ?? 0));
      } finally {
        await restored.close();
      }
    }
  });

  it("refuses, writing nothing, a truncated, altered or foreign file and a database that holds data", async () => {
    const text = readFileSync(full, "utf8");
    const write = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    const { db, close } = await openTestDatabase(target);
    try {
      await expectRefused(db, write("truncated.sql", text.slice(0, text.length / 2)), /no end marker/);
      await expectRefused(db, write("no-end.sql", text.replace(/-- end .*\n$/, "")), /no end marker/);
      await expectRefused(db, write("altered.sql", text.replace("test.tricky", "test.trickx")), /damaged/);
      await expectRefused(db, write("foreign.sql", "select 1;\n-- end\n"), /not a Samordna backup/);
      await expectRefused(db, write("empty.sql", ""), /not a Samordna backup/);
      await expectRefused(db, join(dir, "missing.sql"), /ENOENT/);
      await buildPopulatedAssociation(db);
      await expectRefused(db, full, /already holds data/);
    } finally {
      await close();
    }
  });

  it("refuses a backup taken at other migrations", async () => {
    const older = await openEmptyDatabase(target);
    const file = join(dir, `older-${target}.sql`);
    try {
      await migrate(older.db, discoverMigrations().slice(0, -1));
      await backupDatabase(older.db, file);
    } finally {
      await older.close();
    }
    const { db, close } = await openTestDatabase(target);
    try {
      const last = discoverMigrations().at(-1)?.name;
      await expectRefused(db, file, `only in the backup: none; only in the database: ${last})`);
    } finally {
      await close();
    }
  });

  it("carries json line breaks, generated columns, GENERATED ALWAYS ids and tables of many statements", async () => {
    // A table no migration has (yet), made the same in both databases.
    const create = sql`create table backup_probe (
      id bigint generated always as identity primary key,
      parent bigint references backup_probe,
      doc json,
      label text,
      label_length int generated always as (length(label)) stored)`;
    const rows = sql`select id, parent, doc::jsonb::text as doc, label, label_length from backup_probe order by id`;
    const source = await openTestDatabase(target);
    const copy = await openTestDatabase(target);
    const file = join(dir, `probe-${target}.sql`);
    try {
      await create.execute(source.db);
      await create.execute(copy.db);
      await sql`insert into backup_probe (parent, doc, label)
        select nullif(i - 1, 0), ('{' || chr(10) || '"i": ' || i || '}')::json, 'rad ''' || i || chr(13) || chr(10) || 'två'
        from generate_series(1, 2500) i`.execute(source.db);
      expect((await backupDatabase(source.db, file)).rows).toBe(2500);
      const statements = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.startsWith('INSERT INTO "public"."backup_probe"'));
      expect(statements).toHaveLength(3);
      await restoreDatabase(copy.db, file);
      expect((await rows.execute(copy.db)).rows).toEqual((await rows.execute(source.db)).rows);
      await sql`insert into backup_probe (label) values ('ny')`.execute(copy.db);
      expect((await sql<{ id: bigint }>`select max(id) as id from backup_probe`.execute(copy.db)).rows[0]?.id).toBe(
        2501n,
      );
    } finally {
      await source.close();
      await copy.close();
    }
  });

  it("restores a backup of an empty database to an empty database", async () => {
    const empty = await openTestDatabase(target);
    const file = join(dir, `empty-${target}.sql`);
    try {
      const summary = await backupDatabase(empty.db, file);
      expect(summary.rows).toBe(0);
    } finally {
      await empty.close();
    }
    const restored = await openTestDatabase(target);
    try {
      expect((await restoreDatabase(restored.db, file)).rows).toBe(0);
      expect(Object.values(await snapshot(restored.db)).every((rows) => rows === "[]")).toBe(true);
    } finally {
      await restored.close();
    }
  });
});
