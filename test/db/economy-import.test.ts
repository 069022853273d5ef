import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { importSie } from "../../src/economy/import-sie.js";
import { importTable } from "../../src/economy/import-table.js";
import { mappingOverview } from "../../src/economy/mapping-overview.js";
import { insertBudgetLines, listBudgetLines } from "../../src/economy/repository.js";
import { saveMappingRule } from "../../src/economy/save-mapping.js";
import { ensureBudgetStructure } from "../../src/economy/structure-setup.js";
import type { BudgetSection } from "../../src/platform/db/schema.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import type { Tenant } from "../../src/platform/http/env.js";
import { AppError } from "../../src/platform/http/errors.js";
import { describeEachDatabase } from "../support/database.js";
import { buildAssociation, buildMember, buildUser } from "../support/factories.js";

const fixture = (name: string) => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`../fixtures/economy/${name}`, import.meta.url))),
});

/** The lines of the seeds' T5 (2014), named as the fixture's rows are. */
const t5Lines: [BudgetSection, string][] = [
  ["income", "Bidrag från stat kommun och landsting"],
  ["income", "Övriga intäkter"],
  ["individual", "Arbetsmarknadstorget, Finsam-projekt"],
  ["individual", "Utsikten 2.0. ESF-projekt/ordinarie verksamhet"],
  ["individual", "Praktikmatchen. Finsam-projekt/ordinarie verks."],
  ["individual", "Hälsans trädgård, ESF-projekt"],
  ["individual", "Unga In, ESF-projekt/ordinarie verksamhet"],
  ["individual", "TEXAS, ESF-projekt"],
  ["individual", "MedUrs, ESF-projekt"],
  ["individual", "Spira Anställningskompetens, ESF-projekt"],
  ["individual", "SPIRA - Integration, ESF-projekt/Folkhälsorådet"],
  ["individual", "SPIRA - Unga (f.d. Rätt väg ut), ESF-upphand."],
  ["individual", "Improve. ESF-projekt"],
  ["individual", "KUR-projekt"],
  ["individual", "Kartläggning försörjningsstöd. Finsam-projekt"],
  ["individual", "Budgeterat utrymme för nya projekt"],
  ["administration", "Styrelse (arvoden, sociala avgifter, utb./konf.)"],
  ["administration", "Inhyrd och tillfällig personal inkl. ek. adm. avtal"],
  ["administration", "Övriga kostnader (projektnära kostnader, konf./seminarier, IT-kostnader m.m.)"],
  ["financial_income", "Finansiella intäkter"],
];

/** Messages of a refusal, with the non-breaking spaces of formatted amounts made plain. */
async function refusal(work: Promise<unknown>): Promise<{ status: number; messages: string[] }> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, messages: error.fieldErrors.map((e) => e.message.replace(/[\u00a0\u202f]/g, " ")) };
  }
  throw new Error("expected a refusal");
}

describeEachDatabase("import av utfall och kontokoppling", (database) => {
  const setup = async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const user = await buildUser(db, { associationId: association.id, role: "officer", name: "Olle Ekonom" });
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
    const rows = (table: "actual_transaction" | "actual_balance" | "actuals_import") =>
      inAssociation(db, association.id, (tx) =>
        tx
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<bigint>().as("n"))
          .executeTakeFirstOrThrow(),
      ).then((row) => Number(row.n));
    return { db, association, user, inTenant, rows };
  };

  it("imports a well-formed SIE file exactly: rows, sums per account, balances, names and objects", async () => {
    const { db, association, inTenant } = await setup();
    const result = await inTenant((tenant) => importSie(tenant, fixture("import-2020.se")));
    expect(result).toMatchObject({ year: 2020, transactions: 14, vouchers: 6, balances: 11, accounts: 9, objects: 2 });
    await inAssociation(db, association.id, async (tx) => {
      const imported = await tx.selectFrom("actuals_import").selectAll().executeTakeFirstOrThrow();
      expect(imported).toMatchObject({
        source: "sie",
        year: 2020,
        period_start: "2020-01-01",
        period_end: "2020-12-31",
        company_name: "Samordningsförbundet Älvdalen",
        program: "Visma Administration 2020.1",
        object_dimension: 6,
        voucher_count: 6,
        transaction_count: 14,
        imported_by_label: "Olle Ekonom",
        replaced_at: null,
      });
      const sums = await tx
        .selectFrom("actual_transaction")
        .select((eb) => ["account", eb.fn.sum<bigint>("amount_ore").as("sum")])
        .groupBy("account")
        .orderBy("account")
        .execute();
      expect(sums.map((row) => [row.account, BigInt(row.sum)])).toEqual([
        ["1930", 13_962_345n],
        ["2440", 0n],
        ["3011", -25_000_000n],
        ["3990", -500_000n],
        ["4010", 10_000_000n],
        ["5010", 1_250_000n],
        ["6420", 300_000n],
        ["8310", -12_345n],
      ]);
      const costs = await tx
        .selectFrom("actual_transaction")
        .select(["row_number", "booked_on", "object_code", "amount_ore", "voucher", "description"])
        .where("account", "in", ["4010", "5010", "6420"])
        .orderBy("row_number")
        .execute();
      expect(costs).toEqual([
        {
          row_number: 3,
          booked_on: "2020-02-15",
          object_code: "P12",
          amount_ore: 8_000_050n,
          voucher: "A 2",
          description: "Handledning på plats",
        },
        {
          row_number: 4,
          booked_on: "2020-02-15",
          object_code: "P 7",
          amount_ore: 1_999_950n,
          voucher: "A 2",
          description: 'Faktura Jobbsteget "vår"',
        },
        // K1 is in dimension 1, not the insats dimension: no object.
        {
          row_number: 8,
          booked_on: "2020-03-31",
          object_code: null,
          amount_ore: 1_250_000n,
          voucher: "B 1",
          description: "Lokalhyra mars",
        },
        {
          row_number: 9,
          booked_on: "2020-03-31",
          object_code: null,
          amount_ore: 300_000n,
          voucher: "B 1",
          description: "Styrelsemöte i Skellefteå",
        },
      ]);
      const balances = await tx
        .selectFrom("actual_balance")
        .select(["kind", "year_index", "account", "amount_ore"])
        .orderBy("kind")
        .orderBy("year_index")
        .orderBy("account")
        .execute();
      expect(balances.map((b) => `${b.kind} ${b.year_index} ${b.account} ${b.amount_ore}`)).toEqual([
        "closing 0 1930 63962345",
        "closing 0 2010 -50000000",
        "opening -1 1930 42000000",
        "opening 0 1930 50000000",
        "opening 0 2010 -50000000",
        "result 0 3011 -25000000",
        "result 0 3990 -500000",
        "result 0 4010 10000000",
        "result 0 5010 1250000",
        "result 0 6420 300000",
        "result 0 8310 -12345",
      ]);
      const accounts = await tx.selectFrom("ledger_account").select(["number", "name"]).orderBy("number").execute();
      expect(accounts).toContainEqual({ number: "5010", name: "Lokalhyra Skellefteå" });
      expect(accounts).toContainEqual({ number: "3011", name: "Medlemsbidrag Försäkringskassan" });
      expect(accounts).toHaveLength(9);
      const objects = await tx.selectFrom("ledger_object").select(["code", "name"]).orderBy("code").execute();
      expect(objects).toEqual([
        { code: "P 7", name: "Hälsans trädgård" },
        { code: "P12", name: "Jobbsteget" },
      ]);
      const entry = await tx
        .selectFrom("audit_log")
        .select(["action", "summary"])
        .where("action", "=", "economy.import.create")
        .executeTakeFirstOrThrow();
      expect(entry.summary).toMatchObject({ transactions: 14, vouchers: 6, balances: 11, replaced: [] });
    });
  });

  it("detects the same file, replaces a covered period in one go and refuses a partial overlap", async () => {
    const { db, association, inTenant, rows } = await setup();
    const first = await inTenant((tenant) => importSie(tenant, fixture("import-2020.se")));

    const again = await refusal(inTenant((tenant) => importSie(tenant, fixture("import-2020.se"))));
    expect(again.status).toBe(409);
    expect(again.messages[0]).toMatch(/^Filen är redan importerad \d{4}-\d{2}-\d{2} \d{2}:\d{2} av Olle Ekonom/);

    const half = await refusal(inTenant((tenant) => importSie(tenant, fixture("import-2020-h1.se"))));
    expect(half.status).toBe(409);
    expect(half.messages[0]).toContain("täcker bara en del av importen import-2020.se (2020-01-01 – 2020-12-31");
    expect(await rows("actuals_import")).toBe(1);

    const corrected = await inTenant((tenant) => importSie(tenant, fixture("import-2020-corrected.se")));
    expect(corrected.replaced.map((entry) => entry.id)).toEqual([first.importId]);
    await inAssociation(db, association.id, async (tx) => {
      const imports = await tx
        .selectFrom("actuals_import")
        .select(["id", "file_name", "replaced_at", "replaced_by"])
        .orderBy("imported_at")
        .execute();
      expect(imports).toHaveLength(2);
      expect(imports.find((entry) => entry.id === first.importId)).toMatchObject({ replaced_by: corrected.importId });
      expect(imports.find((entry) => entry.id === first.importId)?.replaced_at).toBeInstanceOf(Date);
      expect(imports.find((entry) => entry.id === corrected.importId)?.replaced_at).toBeNull();
    });
    // The replaced import keeps its rows for the audit trail.
    expect(await rows("actual_transaction")).toBe(28);

    // The old file is no longer active, so it may come back (and replace the correction).
    const back = await inTenant((tenant) => importSie(tenant, fixture("import-2020.se")));
    expect(back.replaced.map((entry) => entry.id)).toEqual([corrected.importId]);
  });

  it("lets a whole year replace an earlier half-year, and refuses files without a year or of another förbund", async () => {
    const { inTenant, rows } = await setup();
    const half = await inTenant((tenant) => importSie(tenant, fixture("import-2020-h1.se")));
    const year = await inTenant((tenant) => importSie(tenant, fixture("import-2020.se")));
    expect(year.replaced.map((entry) => entry.id)).toEqual([half.importId]);

    const noYear = await refusal(inTenant((tenant) => importSie(tenant, fixture("import-no-year.se"))));
    expect(noYear.messages[0]).toContain("Filen saknar räkenskapsår 0 (#RAR 0)");
    const other = await refusal(inTenant((tenant) => importSie(tenant, fixture("import-other-forbund.se"))));
    expect(other.messages[0]).toContain("Filen gäller organisationsnummer 232100-0016");
    expect(await rows("actuals_import")).toBe(2);
  });

  it("lists unmapped accounts first and moves an account out of the list once it is mapped", async () => {
    const { inTenant } = await setup();
    await inTenant(async (tenant) => {
      await ensureBudgetStructure(tenant.tx, tenant.association.id);
      await importSie(tenant, fixture("import-2020.se"));
    });
    const before = await inTenant((tenant) => mappingOverview(tenant, undefined));
    expect(before.year).toBe(2020);
    expect(before.unmapped.map((row) => `${row.account}/${row.objectCode ?? ""}`)).toEqual([
      "3011/",
      "3990/",
      "4010/P 7",
      "4010/P12",
      "5010/",
      "6420/",
      "8310/",
    ]);
    expect(before.accounts.slice(0, 7)).toEqual(before.unmapped);
    expect(before.accounts.find((row) => row.account === "1930")?.target).toEqual({
      kind: "balance",
      balanceLine: "cash",
      rule: "bas",
    });
    // 250 000 + 5 000 + 123,45 of income (credit) against 115 500 of costs: −139 623,45 debit.
    expect(before.unmappedAmountOre).toBe(-13_962_345n);

    const lines = await inTenant((tenant) => listBudgetLines(tenant.tx, tenant.association.id));
    const premises = lines.find((line) => line.name === "Lokaler");
    const space = lines.find((line) => line.name === "Utrymme för nya insatser");
    await inTenant(async (tenant) => {
      await saveMappingRule(tenant, {
        account: "5010",
        objectCode: null,
        lineId: premises?.id ?? null,
        balanceLine: null,
      });
      await saveMappingRule(tenant, { account: null, objectCode: "P12", lineId: space?.id ?? null, balanceLine: null });
    });
    const after = await inTenant((tenant) => mappingOverview(tenant, 2020));
    expect(after.unmapped.map((row) => `${row.account}/${row.objectCode ?? ""}`)).toEqual([
      "3011/",
      "3990/",
      "4010/P 7",
      "6420/",
      "8310/",
    ]);
    expect(after.accounts.find((row) => row.account === "5010")).toMatchObject({
      target: { kind: "line", rule: "account" },
      targetName: "Lokaler (Administration)",
      amountOre: 1_250_000n,
    });
    expect(after.accounts.find((row) => row.objectCode === "P12")?.target).toMatchObject({ rule: "object" });

    const wrong = await refusal(
      inTenant((tenant) =>
        saveMappingRule(tenant, { account: "1930", objectCode: null, lineId: premises?.id ?? null, balanceLine: null }),
      ),
    );
    expect(wrong.messages).toEqual(["Konto 1930 är ett balanskonto: välj en rad i balansräkningen."]);
  });

  it("imports actuals and budget from tables, periodising whole years and keeping the months a file does not name", async () => {
    const { db, association, inTenant } = await setup();
    await inTenant((tenant) => ensureBudgetStructure(tenant.tx, tenant.association.id));
    const actuals = await inTenant((tenant) => importTable(tenant, fixture("import-actuals-2021.csv"), "actuals"));
    expect(actuals).toMatchObject({ target: "actuals", rows: 5, controls: 2, years: [2021], replaced: 0 });
    await inAssociation(db, association.id, async (tx) => {
      const imported = await tx.selectFrom("actuals_import").selectAll().executeTakeFirstOrThrow();
      expect(imported).toMatchObject({ source: "table", period_start: "2021-01-01", period_end: "2021-03-31" });
      const rows = await tx
        .selectFrom("actual_transaction")
        .innerJoin("budget_line", "budget_line.id", "actual_transaction.line_id")
        .select(["name", "booked_on", "amount_ore", "account"])
        .orderBy("row_number")
        .execute();
      expect(rows.map((row) => `${row.name} ${row.booked_on} ${row.amount_ore} ${row.account}`)).toEqual([
        "Övriga intäkter 2021-01-31 100000 null",
        "Övriga intäkter 2021-02-28 150050 null",
        "Lokaler 2021-01-31 1200000 null",
        "Lokaler 2021-02-28 1200000 null",
        "Finansiella kostnader 2021-03-31 -25000 null",
      ]);
    });

    await inTenant((tenant) => importTable(tenant, fixture("import-budget-2021.xlsx"), "budget"));
    // Once more, for March of staff only: the other months of the line are kept.
    const march = new TextEncoder().encode("Rad;Period;Belopp\nPersonal och inhyrd personal;2021-04;7 000\n");
    await inTenant((tenant) => importTable(tenant, { name: "april.csv", bytes: march }, "budget"));
    await inAssociation(db, association.id, async (tx) => {
      const amounts = await tx
        .selectFrom("budget_amount")
        .innerJoin("budget_line", "budget_line.id", "budget_amount.line_id")
        .select(["name", "month", "amount_ore"])
        .where("scenario", "=", "budget")
        .where("year", "=", 2021)
        .orderBy("name")
        .orderBy("month")
        .execute();
      const of = (name: string) => amounts.filter((row) => row.name === name).map((row) => row.amount_ore);
      expect(of("Lokaler")).toHaveLength(12);
      expect(of("Lokaler").reduce((sum, value) => sum + value, 0n)).toBe(12_000_000n);
      expect(of("Lokaler")[0]).toBe(1_000_000n);
      expect(of("Personal och inhyrd personal")).toEqual([0n, 0n, 5_000_050n, 700_000n, ...Array<bigint>(8).fill(0n)]);
      expect(of("Övriga intäkter").reduce((sum, value) => sum + value, 0n)).toBe(-50_000n);
      expect(await tx.selectFrom("fiscal_year").select("year").execute()).toEqual([{ year: 2021 }]);
    });
  });

  it("refuses the seeds' T5 budget for its inconsistent control totals, and imports it without them", async () => {
    const { db, association, inTenant } = await setup();
    await inTenant((tenant) =>
      insertBudgetLines(
        tenant.tx,
        tenant.association.id,
        t5Lines.map(([section, name], index) => ({ section, name, position: index })),
      ),
    );
    const file = fixture("t5-budget-2014.csv");
    const refused = await refusal(inTenant((tenant) => importTable(tenant, file, "budget")));
    expect(refused.status).toBe(422);
    expect(refused.messages).toEqual([
      "Rad 19: Summa individinriktade insatser anges till 6 052 000 kr men raderna ger 6 112 000 kr.",
      "Rad 24: Summa kostnader anges till 8 157 000 kr men raderna ger 8 207 000 kr.",
      "Rad 25: Verksamhetens resultat anges till −2 065 000 kr men raderna ger −2 115 000 kr.",
      "Rad 27: Periodens resultat anges till −2 015 000 kr men raderna ger −2 065 000 kr.",
    ]);
    const none = await inAssociation(db, association.id, (tx) =>
      tx.selectFrom("budget_amount").select("line_id").execute(),
    );
    expect(none).toEqual([]);

    const text = new TextDecoder().decode(file.bytes);
    const withoutControls = text
      .split("\r\n")
      .filter((line) => !/^(Summa|Verksamhetens resultat|Periodens resultat)/.test(line))
      .join("\r\n");
    const result = await inTenant((tenant) =>
      importTable(tenant, { name: "t5.csv", bytes: new TextEncoder().encode(withoutControls) }, "budget"),
    );
    expect(result).toMatchObject({ rows: 20, controls: 0, years: [2014] });
    const totals = await inAssociation(db, association.id, (tx) =>
      tx
        .selectFrom("budget_amount")
        .innerJoin("budget_line", "budget_line.id", "budget_amount.line_id")
        .select((eb) => ["section", eb.fn.sum<bigint>("amount_ore").as("sum")])
        .groupBy("section")
        .orderBy("section")
        .execute(),
    );
    expect(totals.map((row) => `${row.section} ${BigInt(row.sum)}`)).toEqual([
      "administration 209500000",
      "financial_income 5000000",
      "income 609200000",
      "individual 611200000",
    ]);
  });

  it("names unknown lines with the known ones, refuses medlemsbidrag budgets and unknown control rows", async () => {
    const { db, association, inTenant } = await setup();
    await buildMember(db, association.id, { name: "Exempelby kommun" });
    await inTenant((tenant) => ensureBudgetStructure(tenant.tx, tenant.association.id));
    const csv = (body: string) => ({ name: "fel.csv", bytes: new TextEncoder().encode(`Rad;Period;Belopp\n${body}`) });
    const unknown = await refusal(
      inTenant((tenant) =>
        importTable(
          tenant,
          csv("Lokalerna;2021;100\nLokaler;2021-13;1x\nSumma allt;2021;5\nMedlemsbidrag Exempelby kommun;2021;100\n"),
          "budget",
        ),
      ),
    );
    expect(unknown.messages[0]).toBe('Rad 2: "Lokalerna" är ingen rad i budgetstrukturen.');
    expect(unknown.messages).toContain(
      'Rad 3: perioden "2021-13" ska skrivas ÅÅÅÅ-MM (en månad) eller ÅÅÅÅ (helt år).',
    );
    expect(unknown.messages.some((message) => message.startsWith('Rad 3: beloppet "1x"'))).toBe(true);
    expect(unknown.messages.some((message) => message.startsWith("Raderna i budgetstrukturen är: "))).toBe(true);
    expect(unknown.messages.find((message) => message.startsWith("Rad 4"))).toContain(
      'kontrollraden "Summa allt" är ingen känd delsumma',
    );
    expect(unknown.messages).toContain(
      'Rad 5: "Medlemsbidrag Exempelby kommun" är ett medlemsbidrag, vars budget kommer från medlemsbidragen och inte kan läsas in från en fil.',
    );
  });
});
