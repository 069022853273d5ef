import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { checkFundingShares } from "../../src/associations/funding-shares.js";
import { createRng, largestRemainder, synthesize } from "../../src/demo/synth.js";
import type { DB } from "../../src/platform/db/schema.js";
import { describeEachDatabase, openTestDatabase } from "../support/database.js";

const now = new Date("2026-06-01T00:00:00Z");

/** The synthetic data of one seed without generated ids and creation times, which differ between databases. */
async function synthData(db: Kysely<DB>, seed: number) {
  const like = `synth-${seed}-%`;
  const members = await db
    .selectFrom("member")
    .innerJoin("association", "association.id", "member.association_id")
    .select(["association.slug", "association.name as association", "member.name", "member.type"])
    .select("member.funding_share_basis_points as basisPoints")
    .where("association.slug", "like", like)
    .orderBy("association.slug")
    .orderBy("member.name")
    .execute();
  const users = await db
    .selectFrom("association_user")
    .innerJoin("association", "association.id", "association_user.association_id")
    .innerJoin("user_account", "user_account.id", "association_user.user_id")
    .select(["association.slug", "user_account.email", "user_account.name", "association_user.role"])
    .where("association.slug", "like", like)
    .orderBy("user_account.email")
    .execute();
  const audit = await sql<{ slug: string; entries: string }>`
    select a.slug, json_agg(json_build_array(l.occurred_at, l.action, l.actor_label, l.entity_type, l.summary)
      order by l.id)::text as entries
    from audit_log l join association a on a.id = l.association_id
    where a.slug like ${like} group by a.slug order by a.slug`.execute(db);
  return { members, users, audit: audit.rows };
}

describe("synthetic data helpers", () => {
  it("splits a total exactly by the largest remainder", () => {
    expect(largestRemainder(2500, [1, 1, 1])).toEqual([834, 833, 833]);
    expect(largestRemainder(2500, [3, 1])).toEqual([1875, 625]);
    expect(largestRemainder(10, [1, 2, 3, 4]).reduce((a, b) => a + b)).toBe(10);
  });

  it("draws the same numbers for the same key", () => {
    const draw = (key: string) => Array.from({ length: 5 }, createRng(key).next);
    expect(draw("a")).toEqual(draw("a"));
    expect(draw("a")).not.toEqual(draw("b"));
  });
});

describeEachDatabase("synthetic data", (database, target) => {
  it("gives the same data for the same seed in another database, and other data for another seed", async () => {
    const { db } = database();
    expect(await synthesize(db, { associations: 3, seed: 7, now })).toEqual({ associations: 3 });
    const first = await synthData(db, 7);
    expect(first.users).toHaveLength(15);
    expect(first.audit).toHaveLength(3);
    expect(JSON.parse(first.audit[0]!.entries).length).toBeGreaterThanOrEqual(200);

    const other = await openTestDatabase(target);
    try {
      await synthesize(other.db, { associations: 3, seed: 7, now });
      expect(await synthData(other.db, 7)).toEqual(first);
      await synthesize(other.db, { associations: 3, seed: 8, now });
      expect((await synthData(other.db, 8)).members.map((m) => m.name)).not.toEqual(first.members.map((m) => m.name));
    } finally {
      await other.close();
    }
  });

  it("gives every association funding shares that follow the law", async () => {
    const { db } = database();
    await synthesize(db, { associations: 5, seed: 11, now });
    const { members } = await synthData(db, 11);
    const slugs = [...new Set(members.map((m) => m.slug))];
    expect(slugs).toHaveLength(5);
    for (const slug of slugs) {
      const own = members.filter((m) => m.slug === slug);
      expect(own.filter((m) => m.type === "kommun").length).toBeGreaterThanOrEqual(2);
      expect(checkFundingShares(own).problems).toEqual([]);
    }
  });

  it("adds only what is missing when run again", async () => {
    const { db } = database();
    await synthesize(db, { associations: 2, seed: 12, now });
    const before = await synthData(db, 12);
    expect(await synthesize(db, { associations: 2, seed: 12, now })).toEqual({ associations: 0 });
    expect(await synthData(db, 12)).toEqual(before);
    expect(await synthesize(db, { associations: 3, seed: 12, now })).toEqual({ associations: 1 });
    const after = await synthData(db, 12);
    expect(after.members.filter((m) => m.slug !== "synth-12-3")).toEqual(before.members);
  });

  it("refuses a seed that cannot name an association", async () => {
    await expect(synthesize(database().db, { associations: 1, seed: -1 })).rejects.toThrow(/seed/);
    await expect(synthesize(database().db, { associations: 1, seed: Number.NaN })).rejects.toThrow(/seed/);
  });
});
