import { sql } from "kysely";
import { expect, it } from "vitest";
import { APPLICATION_ROLE, inAssociation, outsideAssociation } from "../../src/platform/db/scope.js";
import { describeEachDatabase } from "../support/database.js";
import { buildPopulatedAssociation } from "../support/factories.js";

/**
 * The standing wall between associations, read from the catalog: a new table with an association_id column is
 * checked here without editing this test.
 */
describeEachDatabase("row-level security on every tenant table", (database) => {
  async function tenantTables() {
    const result = await sql<{ table_name: string; rls: boolean; forced: boolean }>`
      select c.table_name, k.relrowsecurity as rls, k.relforcerowsecurity as forced
      from information_schema.columns c
      join pg_class k on k.relname = c.table_name and k.relnamespace = 'public'::regnamespace
      where c.table_schema = 'public' and c.column_name = 'association_id' and k.relkind = 'r'
      order by c.table_name`.execute(database().db);
    return result.rows;
  }

  it("finds the tenant tables", async () => {
    const names = (await tenantTables()).map((table) => table.table_name);
    expect(names).toEqual(expect.arrayContaining(["member", "association_user", "api_token", "audit_log"]));
  });

  it("has row-level security enabled and forced on each of them", async () => {
    for (const table of await tenantTables()) {
      expect({ table: table.table_name, rls: table.rls, forced: table.forced }).toEqual({
        table: table.table_name,
        rls: true,
        forced: true,
      });
    }
  });

  it("shows an association none of another association's rows, whatever the query asks", async () => {
    const { db } = database();
    const a = await buildPopulatedAssociation(db);
    const b = await buildPopulatedAssociation(db);
    for (const { table_name } of await tenantTables()) {
      const table = sql.table(table_name);
      const owned = await sql<{
        count: number;
      }>`select count(*)::int as count from ${table} where association_id = ${b.association.id}`.execute(db);
      expect(owned.rows[0]?.count, `${table_name} needs a row in buildPopulatedAssociation`).toBeGreaterThan(0);
      const seen = await inAssociation(db, a.association.id, (tx) =>
        sql<{ association_id: string }>`select association_id from ${table}`.execute(tx),
      );
      expect(seen.rows.length, `${table_name} shows A its own rows`).toBeGreaterThan(0);
      expect(
        seen.rows.filter((row) => row.association_id !== a.association.id),
        table_name,
      ).toEqual([]);
      const none = await outsideAssociation(db, (tx) => sql`select 1 from ${table}`.execute(tx));
      expect(none.rows, `${table_name} without an association`).toEqual([]);
    }
  });

  it("refuses to write a row into another association", async () => {
    const { db } = database();
    const a = await buildPopulatedAssociation(db);
    const b = await buildPopulatedAssociation(db);
    await expect(
      inAssociation(db, a.association.id, (tx) =>
        tx.insertInto("member").values({ association_id: b.association.id, name: "Intrång", type: "kommun" }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    const moved = await inAssociation(db, a.association.id, (tx) =>
      tx.updateTable("member").set({ name: "Kapad" }).where("id", "=", b.member.id).executeTakeFirst(),
    );
    expect(moved.numUpdatedRows).toBe(0n);
  });

  it("runs requests as a role that is neither superuser nor exempt from row-level security", async () => {
    const { db } = database();
    const role = await outsideAssociation(db, (tx) =>
      sql<{ user: string; superuser: boolean; bypass: boolean }>`
        select current_user as user, rolsuper as superuser, rolbypassrls as bypass
        from pg_roles where rolname = current_user`.execute(tx),
    );
    expect(role.rows[0]).toEqual({ user: APPLICATION_ROLE, superuser: false, bypass: false });
  });

  it("keeps the audit log append-only for the application", async () => {
    const { db } = database();
    const a = await buildPopulatedAssociation(db);
    await expect(
      inAssociation(db, a.association.id, (tx) => sql`update audit_log set action = 'forged'`.execute(tx)),
    ).rejects.toThrow(/permission denied/);
    await expect(inAssociation(db, a.association.id, (tx) => sql`delete from audit_log`.execute(tx))).rejects.toThrow(
      /permission denied/,
    );
  });
});

describeEachDatabase("concurrent requests", (database) => {
  it("keep each association's setting to their own transaction, interleaved as they may be", async () => {
    const { db } = database();
    const associations = await Promise.all([buildPopulatedAssociation(db), buildPopulatedAssociation(db)]);
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const own = associations[i % 2]!;
        return inAssociation(db, own.association.id, async (tx) => {
          const before = await tx.selectFrom("member").select("association_id").execute();
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
          const after = await sql<{ id: string }>`select current_setting('app.association_id') as id`.execute(tx);
          return { own: own.association.id, rows: before.map((row) => row.association_id), setting: after.rows[0]?.id };
        });
      }),
    );
    for (const request of seen) {
      expect(request.setting).toBe(request.own);
      expect(request.rows.length).toBeGreaterThan(0);
      expect(request.rows.every((id) => id === request.own)).toBe(true);
    }
  });
});
