import { expect, it } from "vitest";
import { insertMember } from "../../src/associations/repository.js";
import { yearOverview } from "../../src/economy/contributions.js";
import { listContributionMembers } from "../../src/economy/contributions-repository.js";
import { createContributionYear } from "../../src/economy/create-contribution-year.js";
import { recordInvoice } from "../../src/economy/record-invoice.js";
import { findFiscalYear } from "../../src/economy/repository.js";
import { type MemberContributionInput, saveContributions } from "../../src/economy/save-contributions.js";
import type { MemberType } from "../../src/platform/db/schema.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import type { Tenant } from "../../src/platform/http/env.js";
import { AppError } from "../../src/platform/http/errors.js";
import { describeEachDatabase } from "../support/database.js";
import { buildAssociation, buildUser } from "../support/factories.js";

/**
 * The seeds' T6 (2014): the members were given 6 028 000 kr. By the law the state's half is 3 014 000, but 2 976 000
 * was decided; the region paid 1 526 000 and the kommuner together 1 526 000, split 1 450 000 : 76 000. That split
 * of the kommuner's quarter is 95,02 % : 4,98 %, i.e. 23,75 % and 1,25 % of the whole in hundredths of a percent
 * (1 526 000 × 2375/2500 = 1 449 700, the nearest whole basis points). Member names are fictional.
 */
const kr = (kronor: number) => BigInt(kronor) * 100n;
const T6_2014 = {
  total: kr(6_028_000),
  members: [
    { name: "Försäkringskassan", type: "fk", basisPoints: 5000, decided: kr(2_976_000), expected: kr(3_014_000) },
    { name: "Region Norrlandet", type: "region", basisPoints: 2500, decided: kr(1_526_000), expected: kr(1_507_000) },
    { name: "Kustby kommun", type: "kommun", basisPoints: 2375, decided: kr(1_450_000), expected: kr(1_431_650) },
    { name: "Lillby kommun", type: "kommun", basisPoints: 125, decided: kr(76_000), expected: kr(75_350) },
  ] satisfies { name: string; type: MemberType; basisPoints: number; decided: bigint; expected: bigint }[],
};

async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, detail: error.detail ?? "", errors: error.fieldErrors };
  }
  throw new Error("expected a refusal");
}

describeEachDatabase("medlemsbidrag", (database) => {
  const setup = async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const user = await buildUser(db, { associationId: association.id, role: "officer" });
    const members = await db.transaction().execute(async (tx) => {
      const rows = [];
      for (const member of T6_2014.members) {
        rows.push(
          await insertMember(tx, association.id, {
            name: member.name,
            type: member.type,
            fundingShareBasisPoints: member.basisPoints,
          }),
        );
      }
      await insertMember(tx, association.id, { name: "Ideella föreningen", type: "other", fundingShareBasisPoints: 0 });
      return rows;
    });
    const inTenant = <T>(work: (tenant: Tenant) => Promise<T>) =>
      inAssociation(db, association.id, (tx) =>
        work({
          association,
          role: "officer",
          user: { id: user.id, email: user.email, name: user.name, isSuperadmin: false },
          tx,
          afterCommit: () => {},
          tokenScope: undefined,
        }),
      );
    const state = (year: number, today = `${year}-01-01`) =>
      inTenant(async (tenant) => {
        const fiscal = await findFiscalYear(tenant.tx, association.id, year);
        const rows = await listContributionMembers(tenant.tx, association.id, year);
        return { fiscal, overview: yearOverview(fiscal?.totalContributionOre ?? 0n, rows, today) };
      });
    /** Each member's twelve budget months for the year, by member name. */
    const budget = (year: number) =>
      inTenant(async (tenant) => {
        const rows = await tenant.tx
          .selectFrom("budget_amount")
          .innerJoin("budget_line", (join) =>
            join
              .onRef("budget_line.association_id", "=", "budget_amount.association_id")
              .onRef("budget_line.id", "=", "budget_amount.line_id"),
          )
          .innerJoin("member", "member.id", "budget_line.member_id")
          .select(["member.name", "budget_amount.month", "budget_amount.amount_ore"])
          .where("budget_amount.year", "=", year)
          .where("budget_amount.scenario", "=", "budget")
          .orderBy("budget_amount.month")
          .execute();
        const months = new Map<string, bigint[]>();
        for (const row of rows) {
          const list = months.get(row.name) ?? Array<bigint>(12).fill(0n);
          list[row.month - 1] = row.amount_ore;
          months.set(row.name, list);
        }
        return months;
      });
    const auditActions = () =>
      inTenant((tenant) =>
        tenant.tx.selectFrom("audit_log").select("action").where("association_id", "=", association.id).execute(),
      ).then((rows) => rows.map((row) => row.action));
    /** The year as the form would send it back, with changes per member name. */
    const inputOf = async (
      year: number,
      changes: Record<string, Partial<MemberContributionInput>> = {},
    ): Promise<{ version: number; members: MemberContributionInput[] }> => {
      const { fiscal, overview } = await state(year);
      return {
        version: fiscal?.version ?? 0,
        members: overview.members.map((member) => ({
          memberId: member.memberId,
          basisPoints: member.basisPoints,
          memberFrom: member.memberFrom,
          decidedOre: member.decidedOre,
          invoicing: member.invoicing,
          ...changes[member.name],
        })),
      };
    };
    return { db, association, members, inTenant, state, budget, auditActions, inputOf };
  };

  it("splits the seeds' 2014 total by the law in whole kronor, and shows the state's decided −38 000 kr", async () => {
    const { inTenant, state, budget, auditActions, inputOf } = await setup();
    await inTenant((tenant) => createContributionYear({ tenant, year: 2014, totalOre: T6_2014.total }));

    const created = await state(2014);
    expect(created.overview.check.ok).toBe(true);
    expect(created.overview.members.map((m) => m.name)).toEqual(T6_2014.members.map((m) => m.name));
    expect(created.overview.members.map((m) => m.expectedOre)).toEqual(T6_2014.members.map((m) => m.expected));
    for (const member of created.overview.members) {
      expect(member.instalments).toEqual([
        {
          instalment: 1,
          dueOn: "2014-01-31",
          amountOre: member.expectedOre,
          invoicedOn: null,
          paidOn: null,
          status: "planned",
        },
      ]);
    }
    const expectedBudget = await budget(2014);
    for (const member of T6_2014.members) {
      const months = expectedBudget.get(member.name) ?? [];
      expect(months.reduce((sum, month) => sum + month, 0n)).toBe(member.expected);
    }
    expect(expectedBudget.has("Ideella föreningen")).toBe(false);

    const input = await inputOf(2014, {
      ...Object.fromEntries(T6_2014.members.map((m) => [m.name, { decidedOre: m.decided }])),
      "Lillby kommun": { decidedOre: kr(76_000), invoicing: "quarterly" },
    });
    await inTenant((tenant) => saveContributions({ tenant, year: 2014, input: { totalOre: T6_2014.total, ...input } }));

    const saved = await state(2014);
    expect(saved.fiscal?.version).toBe((created.fiscal?.version ?? 0) + 1);
    const fk = saved.overview.members.find((m) => m.name === "Försäkringskassan");
    expect(fk).toMatchObject({ expectedOre: kr(3_014_000), decidedOre: kr(2_976_000), differenceOre: kr(-38_000) });
    expect(saved.overview.members.map((m) => m.differenceOre)).toEqual([kr(-38_000), kr(19_000), kr(18_350), kr(650)]);
    expect(saved.overview.decidedSumOre).toBe(T6_2014.total);
    expect(saved.overview.decidedDifferenceOre).toBe(0n);
    const decidedBudget = await budget(2014);
    expect(decidedBudget.get("Försäkringskassan")?.reduce((sum, month) => sum + month, 0n)).toBe(kr(2_976_000));
    expect(decidedBudget.get("Försäkringskassan")?.[0]).toBe(kr(248_000));
    const lillby = saved.overview.members.find((m) => m.name === "Lillby kommun");
    expect(lillby?.instalments.map((i) => [i.dueOn, i.amountOre])).toEqual([
      ["2014-01-31", kr(19_000)],
      ["2014-04-30", kr(19_000)],
      ["2014-07-31", kr(19_000)],
      ["2014-10-31", kr(19_000)],
    ]);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["economy.contributions.create", "economy.contributions.save"]),
    );
  });

  it("refuses shares that make 99 % and writes nothing", async () => {
    const { inTenant, state, budget, auditActions, inputOf } = await setup();
    await inTenant((tenant) => createContributionYear({ tenant, year: 2014, totalOre: T6_2014.total }));
    const before = { year: await state(2014), budget: await budget(2014), audit: await auditActions() };

    const input = await inputOf(2014, {
      Försäkringskassan: { basisPoints: 4900, decidedOre: kr(2_976_000) },
      "Lillby kommun": { invoicing: "quarterly" },
    });
    const refused = await refusal(
      inTenant((tenant) => saveContributions({ tenant, year: 2014, input: { totalOre: kr(7_000_000), ...input } })),
    );
    expect(refused.status).toBe(422);
    const messages = refused.errors.map((error) => error.message.replace(/[\u00a0\u202f]/g, " "));
    expect(messages).toContain(
      "Staten (Försäkringskassan och Arbetsförmedlingen) ska stå för 50,00 % men står för 49,00 %.",
    );
    expect(messages).toContain("Andelarna ska tillsammans bli 100,00 % men blir 99,00 %.");
    expect(refused.errors.every((error) => error.path === "members")).toBe(true);

    expect(await state(2014)).toEqual(before.year);
    expect(await budget(2014)).toEqual(before.budget);
    expect(await auditActions()).toEqual(before.audit);
  });

  it("budgets a member that joins on 1 July of a leap year from July, and invoices it from 31 July", async () => {
    const { db, association, inTenant, state, budget, inputOf } = await setup();
    await inTenant((tenant) => createContributionYear({ tenant, year: 2020, totalOre: kr(6_104_000) }));
    const newcomer = await db
      .transaction()
      .execute((tx) =>
        insertMember(tx, association.id, { name: "Nyby kommun", type: "kommun", fundingShareBasisPoints: 100 }),
      );
    const input = await inputOf(2020, {
      "Kustby kommun": { basisPoints: 2300 },
      "Lillby kommun": { basisPoints: 100 },
      "Nyby kommun": { basisPoints: 100, memberFrom: "2020-07-01", decidedOre: kr(30_000) },
    });
    expect(input.members.map((m) => m.memberId)).toContain(newcomer.id);
    await inTenant((tenant) => saveContributions({ tenant, year: 2020, input: { totalOre: kr(6_104_000), ...input } }));

    const months = (await budget(2020)).get("Nyby kommun") ?? [];
    expect(months.slice(0, 6)).toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
    expect(months.slice(6).reduce((sum, month) => sum + month, 0n)).toBe(kr(30_000));
    expect(months.slice(6).every((month) => month > 0n)).toBe(true);
    const nyby = (await state(2020)).overview.members.find((m) => m.name === "Nyby kommun");
    expect(nyby?.expectedOre).toBe(kr(61_040));
    expect(nyby?.instalments).toEqual([
      { instalment: 1, dueOn: "2020-07-31", amountOre: kr(30_000), invoicedOn: null, paidOn: null, status: "planned" },
    ]);

    const quarterly = await inputOf(2020, { "Nyby kommun": { invoicing: "quarterly" } });
    await inTenant((tenant) =>
      saveContributions({ tenant, year: 2020, input: { totalOre: kr(6_104_000), ...quarterly } }),
    );
    const again = (await state(2020)).overview.members.find((m) => m.name === "Nyby kommun");
    expect(again?.instalments.map((i) => [i.instalment, i.dueOn, i.amountOre])).toEqual([
      [3, "2020-07-31", kr(15_000)],
      [4, "2020-10-31", kr(15_000)],
    ]);
  });

  it("answers a stale version with 409 and keeps what the other user saved", async () => {
    const { inTenant, state, inputOf } = await setup();
    await inTenant((tenant) => createContributionYear({ tenant, year: 2014, totalOre: T6_2014.total }));
    const stale = await inputOf(2014, { Försäkringskassan: { decidedOre: kr(2_976_000) } });
    const fresh = await inputOf(2014);
    await inTenant((tenant) => saveContributions({ tenant, year: 2014, input: { totalOre: kr(6_000_000), ...fresh } }));
    const refused = await refusal(
      inTenant((tenant) => saveContributions({ tenant, year: 2014, input: { totalOre: T6_2014.total, ...stale } })),
    );
    expect(refused.status).toBe(409);
    expect(refused.detail).toMatch(/Någon annan har ändrat 2014/);
    const after = await state(2014);
    expect(after.fiscal?.totalContributionOre).toBe(kr(6_000_000));
    expect(after.overview.members[0]?.decidedOre).toBeNull();
  });

  it("records an instalment as invoiced and paid, and then refuses to change its schedule", async () => {
    const { inTenant, members, state, auditActions, inputOf } = await setup();
    await inTenant((tenant) => createContributionYear({ tenant, year: 2014, totalOre: T6_2014.total }));
    const region = members[1]?.id as string;
    const key = { year: 2014, memberId: region, instalment: 1 };

    const early = await refusal(
      inTenant((tenant) => recordInvoice({ tenant, key, dates: { invoicedOn: "2014-01-10", paidOn: "2014-01-05" } })),
    );
    expect(early.errors).toEqual([{ path: "paidOn", message: "Betalningen kan inte vara före faktureringen." }]);

    await inTenant((tenant) => recordInvoice({ tenant, key, dates: { invoicedOn: "2014-01-10" } }));
    let member = (await state(2014, "2014-02-15")).overview.members.find((m) => m.memberId === region);
    expect(member?.instalments[0]?.status).toBe("overdue");
    expect(member).toMatchObject({ invoicedOre: kr(1_507_000), paidOre: 0n, outstandingOre: kr(1_507_000) });

    await inTenant((tenant) => recordInvoice({ tenant, key, dates: { paidOn: "2014-01-28" } }));
    member = (await state(2014, "2014-02-15")).overview.members.find((m) => m.memberId === region);
    expect(member?.instalments[0]).toMatchObject({ invoicedOn: "2014-01-10", paidOn: "2014-01-28", status: "paid" });
    expect(member).toMatchObject({ invoicedOre: kr(1_507_000), paidOre: kr(1_507_000), outstandingOre: 0n });
    expect((await auditActions()).filter((a) => a === "economy.contribution_invoice.record")).toHaveLength(2);

    const input = await inputOf(2014, { "Region Norrlandet": { invoicing: "quarterly" } });
    const refused = await refusal(
      inTenant((tenant) => saveContributions({ tenant, year: 2014, input: { totalOre: T6_2014.total, ...input } })),
    );
    expect(refused.status).toBe(422);
    expect(refused.errors).toEqual([
      {
        path: "members.1.invoicing",
        message:
          "Region Norrlandet: Delbetalning 1 är redan fakturerad, så faktureringen kan inte ändras från helår till kvartal detta år.",
      },
    ]);
  });
});
