import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { discoverMigrations, MigrationError, migrate, migrationsUpToDate } from "../../src/platform/db/migrate.js";
import { databaseTargets, openEmptyDatabase } from "../support/database.js";

for (const target of databaseTargets()) {
  describe(`migrations [${target}]`, () => {
    it("applies every module's migrations in order, once", async () => {
      const database = await openEmptyDatabase(target);
      try {
        const known = discoverMigrations();
        expect(await migrate(database.db)).toEqual(known.map((migration) => migration.name));
        expect(await migrate(database.db)).toEqual([]);
        expect(await migrationsUpToDate(database.db)).toBe(true);
      } finally {
        await database.close();
      }
    });

    it("refuses a migration that changed after it was applied, and one it does not know", async () => {
      const database = await openEmptyDatabase(target);
      try {
        const known = discoverMigrations();
        await migrate(database.db, known);
        const edited = known.map((m, i) =>
          i === 1 ? { ...m, checksum: "0".repeat(64), sql: `${m.sql}\n-- edited` } : m,
        );
        await expect(migrate(database.db, edited)).rejects.toThrow(MigrationError);
        await expect(migrate(database.db, edited)).rejects.toThrow(/has changed since it was applied/);
        await expect(migrate(database.db, known.slice(0, -1))).rejects.toThrow(/does not know/);
        expect(await migrationsUpToDate(database.db, edited)).toBe(false);
      } finally {
        await database.close();
      }
    });

    it("applies nothing when one pending migration fails", async () => {
      const database = await openEmptyDatabase(target);
      try {
        const broken = [
          ...discoverMigrations(),
          { name: "209901010000_create_table.sql", checksum: "a", sql: "create table never_kept (id int);" },
          { name: "209901010001_broken.sql", checksum: "b", sql: "select * from no_such_table;" },
        ];
        await expect(migrate(database.db, broken)).rejects.toThrow(/209901010001_broken.sql failed/);
        const tables =
          await sql`select 1 from information_schema.tables where table_name in ('never_kept', 'association')`.execute(
            database.db,
          );
        expect(tables.rows).toEqual([]);
      } finally {
        await database.close();
      }
    });

    it("reads int8, numeric, date and timestamptz the same way on every backend", async () => {
      const database = await openEmptyDatabase(target);
      try {
        const result = await sql<{ money: bigint; big: bigint; ratio: string; day: string; at: Date }>`
          select 197506800::int8 as money, 9007199254740993::int8 as big, 11.3::numeric as ratio,
                 '2026-01-01'::date as day, '2026-11-22T23:30:00Z'::timestamptz as at`.execute(database.db);
        expect(result.rows[0]).toEqual({
          money: 197506800n,
          big: 9007199254740993n,
          ratio: "11.3",
          day: "2026-01-01",
          at: new Date("2026-11-22T23:30:00Z"),
        });
      } finally {
        await database.close();
      }
    });
  });
}
