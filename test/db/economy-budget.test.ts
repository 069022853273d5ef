import { expect, it } from "vitest";
import { adoptBudget } from "../../src/economy/adopt-budget.js";
import { addBudgetLine, moveBudgetLine, removeBudgetLine, renameBudgetLine } from "../../src/economy/budget-lines.js";
import { listAmounts, listStructureLines, type StructureLine } from "../../src/economy/budget-repository.js";
import { totalsOf } from "../../src/economy/budget-views.js";
import { copyBudgetIntoForecast, saveForecast, spreadFrom } from "../../src/economy/forecast.js";
import { periodise, sum } from "../../src/economy/periods.js";
import { findFiscalYear, replaceBudgetAmounts } from "../../src/economy/repository.js";
import { kronorText, parseWholeKronor, saveBudget } from "../../src/economy/save-budget.js";
import { ensureBudgetStructure } from "../../src/economy/structure-setup.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import type { Tenant } from "../../src/platform/http/env.js";
import { AppError } from "../../src/platform/http/errors.js";
import { describeEachDatabase } from "../support/database.js";
import {
  buildAssociation,
  buildIntervention,
  buildMember,
  buildOrganisation,
  buildUser,
} from "../support/factories.js";

async function refusal(work: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, text: [error.detail, ...error.fieldErrors.map((e) => e.message)].join(" | ") };
  }
  throw new Error("expected a refusal");
}

const kr = (kronor: number) => BigInt(kronor) * 100n;

describeEachDatabase("budget, planår och prognos", (database) => {
  const setup = async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const user = await buildUser(db, { associationId: association.id, role: "officer" });
    const member = await buildMember(db, association.id, { name: "Älvdala kommun" });
    const organisation = await buildOrganisation(db, association.id, { memberId: member.id });
    const intervention = await buildIntervention(db, association.id, {
      ownerOrganisationId: organisation.id,
      name: "Unga In",
      status: "granted",
      startDate: "2020-07-01",
      endDate: "2021-06-30",
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
    const lines = await inTenant(async (tenant) => {
      await ensureBudgetStructure(tenant.tx, association.id);
      return listStructureLines(tenant.tx, association.id);
    });
    const line = (predicate: (line: StructureLine) => boolean) => {
      const found = lines.find(predicate);
      if (!found) throw new Error("no such line");
      return found;
    };
    const named = (name: string) => line((candidate) => candidate.name === name);
    return {
      db,
      association,
      inTenant,
      lines,
      memberLine: line((candidate) => candidate.memberId === member.id),
      insatsLine: line((candidate) => candidate.interventionId === intervention.id),
      other: named("Övriga intäkter"),
      staff: named("Personal och inhyrd personal"),
      premises: named("Lokaler"),
      financialCost: named("Finansiella kostnader"),
      member,
      intervention,
    };
  };

  it("reads whole kronor as people type them and refuses anything else", () => {
    expect(parseWholeKronor("1 975 068")).toBe(kr(1_975_068));
    expect(parseWholeKronor("1975068")).toBe(kr(1_975_068));
    expect(parseWholeKronor("-500")).toBe(kr(-500));
    expect(parseWholeKronor("\u2212500")).toBe(kr(-500));
    expect(parseWholeKronor("1\u00a0975\u00a0068")).toBe(kr(1_975_068));
    for (const bad of ["12 kr", "abc", "12,50", "", "1e6", "--5", "99999999999"])
      expect(parseWholeKronor(bad)).toBe(undefined);
    expect(kronorText(kr(-1_975_068))).toBe("-1 975 068");
    expect(kronorText(49n)).toBe("0");
  });

  it("saves a budget year with two plan years and reads it back with computed subtotals", async () => {
    const s = await setup();
    await s.inTenant(async (tenant) => {
      await saveBudget({
        tenant,
        versions: new Map([
          [2020, 0],
          [2021, 0],
          [2022, 0],
        ]),
        entries: [
          { lineId: s.other.id, year: 2020, amount: { kind: "year", ore: kr(120_000) } },
          { lineId: s.staff.id, year: 2020, amount: { kind: "year", ore: kr(1_975_068) } },
          { lineId: s.staff.id, year: 2021, amount: { kind: "year", ore: kr(2_000_000) } },
          { lineId: s.staff.id, year: 2022, amount: { kind: "year", ore: kr(2_100_000) } },
          {
            lineId: s.insatsLine.id,
            year: 2020,
            amount: { kind: "year", ore: kr(184_000), spreadOverIntervention: true },
          },
          {
            lineId: s.financialCost.id,
            year: 2020,
            amount: { kind: "months", months: [kr(-500), 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, kr(1_500)] },
          },
        ],
      });
      // The contributions part writes the medlemsbidrag line's budget.
      await replaceBudgetAmounts(tenant.tx, s.association.id, {
        scenario: "budget",
        year: 2020,
        lineId: s.memberLine.id,
        months: periodise(kr(2_400_000), 2020),
      });
    });

    const amounts = await s.inTenant((tenant) =>
      listAmounts(tenant.tx, s.association.id, "budget", [2020, 2021, 2022]),
    );
    const months = (line: StructureLine, year: number) => amounts.get(line.id)?.get(year) ?? [];
    // Evenly by month: 1 975 068 kr is twelve months of 164 589 kr.
    expect(months(s.staff, 2020)).toEqual(Array(12).fill(kr(164_589)));
    expect(sum(months(s.staff, 2021))).toBe(kr(2_000_000));
    expect(sum(months(s.staff, 2022))).toBe(kr(2_100_000));
    // Over the insats's months, by days: nothing before July, 31 days of 184 in July.
    expect(months(s.insatsLine, 2020)).toEqual([
      ...Array(6).fill(0n),
      kr(31_000),
      kr(31_000),
      kr(30_000),
      kr(31_000),
      kr(30_000),
      kr(31_000),
    ]);
    expect(months(s.financialCost, 2020)[0]).toBe(kr(-500));

    const lines = await s.inTenant((tenant) => listStructureLines(tenant.tx, s.association.id));
    const totals = totalsOf(lines, amounts, 2020);
    expect(totals.sections.income).toBe(kr(2_520_000));
    expect(totals.sections.individual).toBe(kr(184_000));
    expect(totals.sections.administration).toBe(kr(1_975_068));
    expect(totals.costs).toBe(kr(2_159_068));
    expect(totals.operatingResult).toBe(kr(360_932));
    expect(totals.financial).toBe(kr(-1_000));
    expect(totals.result).toBe(kr(359_932));

    for (const year of [2020, 2021, 2022]) {
      const fiscalYear = await s.inTenant((tenant) => findFiscalYear(tenant.tx, s.association.id, year));
      expect(fiscalYear).toMatchObject({ budgetStatus: "plan", version: 2 });
    }
    const audits = await inAssociation(s.db, s.association.id, (tx) =>
      tx
        .selectFrom("audit_log")
        .select(["action", "entity_id"])
        .where("action", "=", "economy.budget.update")
        .execute(),
    );
    expect(audits.map((entry) => entry.entity_id).sort()).toEqual(["2020", "2021", "2022"]);
  });

  it("refuses a medlemsbidrag line, a stale version and a changed adopted year without a decision, saving nothing", async () => {
    const s = await setup();
    const save = (version: number, ore: bigint, revision?: { reference: string; decidedOn: string }) =>
      s.inTenant((tenant) =>
        saveBudget({
          tenant,
          versions: new Map([[2020, version]]),
          entries: [{ lineId: s.staff.id, year: 2020, amount: { kind: "year", ore } }],
          revision,
        }),
      );
    const memberRefusal = await refusal(
      s.inTenant((tenant) =>
        saveBudget({
          tenant,
          versions: new Map([[2020, 0]]),
          entries: [{ lineId: s.memberLine.id, year: 2020, amount: { kind: "year", ore: kr(1) } }],
        }),
      ),
    );
    expect(memberRefusal).toMatchObject({ status: 422 });
    expect(memberRefusal.text).toContain("kommer från medlemsbidragen");

    await save(0, kr(1_000));
    expect(await refusal(save(0, kr(2_000)))).toMatchObject({ status: 409 });
    const version = (await s.inTenant((tenant) => findFiscalYear(tenant.tx, s.association.id, 2020)))?.version ?? 0;
    expect(version).toBe(2);

    await s.inTenant((tenant) =>
      adoptBudget({ tenant, year: 2020, input: { adoptedOn: "2019-12-10", decision: "§ 582", version } }),
    );
    const adopted = await s.inTenant((tenant) => findFiscalYear(tenant.tx, s.association.id, 2020));
    expect(adopted).toMatchObject({ budgetStatus: "adopted", budgetAdoptedOn: "2019-12-10", budgetDecision: "§ 582" });
    for (const planYear of [2021, 2022]) {
      expect(await s.inTenant((tenant) => findFiscalYear(tenant.tx, s.association.id, planYear))).toMatchObject({
        budgetStatus: "plan",
      });
    }
    const current = adopted?.version ?? 0;
    const unrevised = await refusal(save(current, kr(3_000)));
    expect(unrevised.status).toBe(422);
    expect(unrevised.text).toContain("Budgeten för 2020 är fastställd (§ 582 den 2019-12-10)");
    // Saving the same amount again is no change, so it needs no decision.
    await save(current, kr(1_000));
    await save(current, kr(3_000), { reference: "§ 612", decidedOn: "2020-05-20" });
    expect(await s.inTenant((tenant) => findFiscalYear(tenant.tx, s.association.id, 2020))).toMatchObject({
      budgetStatus: "adopted",
      budgetAdoptedOn: "2020-05-20",
      budgetDecision: "§ 612",
    });
    const amounts = await s.inTenant((tenant) => listAmounts(tenant.tx, s.association.id, "budget", [2020]));
    expect(sum(amounts.get(s.staff.id)?.get(2020) ?? [])).toBe(kr(3_000));
    const revised = await inAssociation(s.db, s.association.id, (tx) =>
      tx.selectFrom("audit_log").select("summary").where("action", "=", "economy.budget.revise").execute(),
    );
    expect(revised.map((entry) => entry.summary)).toEqual([
      { year: 2020, from: "§ 582", to: "§ 612", decidedOn: "2020-05-20" },
    ]);
  });

  it("copies the budget into the forecast and spreads a new forecast over the months left", async () => {
    const s = await setup();
    await s.inTenant((tenant) =>
      saveBudget({
        tenant,
        versions: new Map([[2020, 0]]),
        entries: [
          { lineId: s.staff.id, year: 2020, amount: { kind: "year", ore: kr(1_200_000) } },
          { lineId: s.premises.id, year: 2020, amount: { kind: "year", ore: kr(240_000) } },
        ],
      }),
    );
    const version = async () =>
      (await s.inTenant((tenant) => findFiscalYear(tenant.tx, s.association.id, 2020)))?.version ?? 0;
    const copiedAt = await version();
    await s.inTenant((tenant) => copyBudgetIntoForecast({ tenant, year: 2020, version: copiedAt }));
    const read = (scenario: "budget" | "forecast") =>
      s.inTenant((tenant) => listAmounts(tenant.tx, s.association.id, scenario, [2020]));
    expect(await read("forecast")).toEqual(await read("budget"));

    const forecastAt = await version();
    await s.inTenant((tenant) =>
      saveForecast({
        tenant,
        year: 2020,
        version: forecastAt,
        entries: [{ lineId: s.staff.id, kind: "year", ore: kr(1_500_000), fromMonth: 7 }],
      }),
    );
    const staff = (await read("forecast")).get(s.staff.id)?.get(2020) ?? [];
    expect(staff.slice(0, 6)).toEqual(Array(6).fill(kr(100_000)));
    expect(staff.slice(6)).toEqual(Array(6).fill(kr(150_000)));
    expect(sum(staff)).toBe(kr(1_500_000));
    expect(
      await refusal(s.inTenant((tenant) => copyBudgetIntoForecast({ tenant, year: 2020, version: 1 }))),
    ).toMatchObject({ status: 409 });
    expect(spreadFrom(Array(12).fill(1n), 10n, 12)).toEqual([...Array(11).fill(1n), -1n]);
  });

  it("adds, renames, moves and removes lines, refusing what the budget or the bookkeeping still uses", async () => {
    const s = await setup();
    const added = await s.inTenant((tenant) =>
      addBudgetLine({ tenant, input: { section: "administration", name: "Revision" } }),
    );
    expect(
      (
        await refusal(
          s.inTenant((tenant) => addBudgetLine({ tenant, input: { section: "administration", name: "revision" } })),
        )
      ).text,
    ).toContain("Det finns redan en rad som heter ”revision” under Administration");
    await s.inTenant((tenant) => renameBudgetLine({ tenant, lineId: added.id, name: "Revisionsarvode" }));
    expect(
      (await refusal(s.inTenant((tenant) => renameBudgetLine({ tenant, lineId: s.memberLine.id, name: "X" })))).text,
    ).toContain("Byt namn på medlemmen i stället");

    const order = async () =>
      (await s.inTenant((tenant) => listStructureLines(tenant.tx, s.association.id)))
        .filter((line) => line.section === "administration")
        .map((line) => line.name);
    expect((await order()).at(-1)).toBe("Revisionsarvode");
    await s.inTenant((tenant) => moveBudgetLine({ tenant, lineId: added.id, direction: "up" }));
    expect((await order()).slice(-2)).toEqual(["Revisionsarvode", "Övriga administrationskostnader"]);
    await s.inTenant((tenant) => moveBudgetLine({ tenant, lineId: added.id, direction: "down" }));
    expect((await order()).at(-1)).toBe("Revisionsarvode");

    await s.inTenant((tenant) =>
      saveBudget({
        tenant,
        versions: new Map([[2020, 0]]),
        entries: [{ lineId: added.id, year: 2020, amount: { kind: "year", ore: kr(30_000) } }],
      }),
    );
    await inAssociation(s.db, s.association.id, (tx) =>
      tx
        .insertInto("account_mapping")
        .values({ association_id: s.association.id, account: "6420", line_id: added.id })
        .execute(),
    );
    const refused = await refusal(s.inTenant((tenant) => removeBudgetLine({ tenant, lineId: added.id })));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("”Revisionsarvode” har budgetbelopp och en kontoregel");
    expect(
      (await refusal(s.inTenant((tenant) => removeBudgetLine({ tenant, lineId: s.insatsLine.id })))).text,
    ).toContain("finns så länge insatsen finns");

    await s.inTenant((tenant) => removeBudgetLine({ tenant, lineId: s.premises.id }));
    expect(await order()).not.toContain("Lokaler");
  });

  it("names medlemsbidrag and insats lines after their member and insats, also after a rename", async () => {
    const s = await setup();
    expect(s.memberLine.name).toBe("Medlemsbidrag Älvdala kommun");
    expect(s.insatsLine.name).toBe("Unga In");
    const lines = await s.inTenant(async (tenant) => {
      await tenant.tx.updateTable("member").set({ name: "Älvdalens kommun" }).where("id", "=", s.member.id).execute();
      await tenant.tx
        .updateTable("intervention")
        .set({ name: "Unga In 2.0" })
        .where("id", "=", s.intervention.id)
        .execute();
      await ensureBudgetStructure(tenant.tx, s.association.id);
      return listStructureLines(tenant.tx, s.association.id);
    });
    expect(lines.find((line) => line.id === s.memberLine.id)?.name).toBe("Medlemsbidrag Älvdalens kommun");
    expect(lines.find((line) => line.id === s.insatsLine.id)?.name).toBe("Unga In 2.0");
  });
});
