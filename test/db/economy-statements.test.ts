import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { balanceSheet } from "../../src/economy/balance-sheet.js";
import { cashFlow } from "../../src/economy/cash-flow.js";
import { importSie } from "../../src/economy/import-sie.js";
import { importTable } from "../../src/economy/import-table.js";
import { incomeStatement } from "../../src/economy/income-statement.js";
import { keyFigures } from "../../src/economy/key-figures.js";
import { notes } from "../../src/economy/notes.js";
import { insertBudgetLines, listBudgetLines } from "../../src/economy/repository.js";
import { saveMappingRules } from "../../src/economy/save-mapping.js";
import { updateEconomySettings } from "../../src/economy/settings.js";
import type { BudgetSection } from "../../src/platform/db/schema.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import type { Tenant } from "../../src/platform/http/env.js";
import { describeEachDatabase } from "../support/database.js";
import { buildAssociation, buildUser } from "../support/factories.js";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/economy/${name}`, import.meta.url)));

/** Whole kronor as öre. */
const kr = (kronor: number) => BigInt(kronor) * 100n;

/**
 * The seeds' 2014 annual report (T1–T4), with fictional names for the förbund and its kommuner. The accounts of
 * forbund-2014.se and the lines they are mapped to, named as in Not 1 and Not 2. The bundle does not split 2013's
 * project costs per project on the same basis as Not 2, so the file books them on one account (4010).
 */
const structure: { section: BudgetSection; name: string; accounts: string[] }[] = [
  { section: "income", name: "Norrby kommun", accounts: ["3011"] },
  { section: "income", name: "Söderby kommun", accounts: ["3012"] },
  { section: "income", name: "Region Exempel", accounts: ["3013"] },
  { section: "income", name: "Försäkringskassan (statens andel)", accounts: ["3014"] },
  { section: "income", name: "Samordningsförbundet Väst", accounts: ["3910"] },
  { section: "income", name: "Nationella Nätverket (NNS)", accounts: ["3911"] },
  { section: "income", name: "Samordningsförbundet Öst", accounts: ["3912"] },
  { section: "individual", name: "Tidigare projekt", accounts: ["4010"] },
  { section: "individual", name: "Arbetsmarknadstorget", accounts: ["4011"] },
  { section: "individual", name: "Utsikten 2.0", accounts: ["4012"] },
  { section: "individual", name: "Praktikmatchen", accounts: ["4013"] },
  { section: "individual", name: "Hälsans Trädgård", accounts: ["4014"] },
  { section: "individual", name: "Unga In", accounts: ["4015"] },
  { section: "individual", name: "TEXAS", accounts: ["4016"] },
  { section: "individual", name: "MedUrs", accounts: ["4017"] },
  { section: "individual", name: "SPIRA Anställningskompetens", accounts: ["4018"] },
  { section: "individual", name: "SPIRA Integration", accounts: ["4019"] },
  { section: "individual", name: "SPIRA Unga", accounts: ["4020"] },
  { section: "structural", name: "Improve", accounts: ["4021"] },
  { section: "structural", name: "Kartläggning försörjningsstöd", accounts: ["4022"] },
  { section: "administration", name: "Inhyrd och tillfällig personal inkl. ek. adm. avtal", accounts: ["6550"] },
  { section: "administration", name: "Styrelsearvoden inkl. sociala avgifter", accounts: ["7010"] },
  { section: "administration", name: "Konferenser/seminarier/utbildning", accounts: ["6990"] },
  { section: "administration", name: "Övriga kostnader", accounts: ["6991"] },
  { section: "administration", name: "Ej avlyft moms", accounts: ["6992"] },
  { section: "financial_income", name: "Finansiella intäkter", accounts: ["8310"] },
];

describeEachDatabase("resultaträkning, balansräkning, kassaflöde, noter och nyckeltal", (database) => {
  /** Runs use cases as the association's admin, in one transaction as a request would. */
  const asAdmin = async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const user = await buildUser(db, { associationId: association.id, role: "admin" });
    return <T>(fn: (tenant: Tenant) => Promise<T>) =>
      inAssociation(db, association.id, (tx) =>
        fn({
          association,
          role: "admin",
          user: { id: user.id, email: user.email, name: user.name, isSuperadmin: false },
          tx,
          afterCommit: () => {},
          tokenScope: undefined,
        } as Tenant),
      );
  };

  /** An association with the 2014 books imported from `file` and every account mapped. */
  const forbund2014 = async (file = "forbund-2014.se") => {
    const run = await asAdmin();
    await run(async (tenant) => {
      const id = tenant.association.id;
      await insertBudgetLines(
        tenant.tx,
        id,
        structure.map((line, index) => ({ section: line.section, name: line.name, position: index + 1 })),
      );
      const lines = await listBudgetLines(tenant.tx, id);
      const lineId = (name: string) => lines.find((line) => line.name === name)?.id ?? null;
      await saveMappingRules(
        tenant,
        structure.flatMap((line) =>
          line.accounts.map((account) => ({ account, objectCode: null, lineId: lineId(line.name), balanceLine: null })),
        ),
        "replace",
      );
      await importSie(tenant, { name: file, bytes: fixture(file) });
    });
    return run;
  };

  it("reproduces T1, the income statement 2014 with 2013 beside it", async () => {
    const run = await forbund2014();
    const statement = await run((tenant) =>
      incomeStatement(tenant.tx, tenant.association.id, { start: "2014-01-01", end: "2014-12-31" }),
    );
    expect(statement.previousSource).toBe("result_balances");
    const t1 = statement.totals;
    // T1 prints costs as negative amounts; the statement keeps them positive on cost lines.
    expect([t1.income.actual, t1.income.previous]).toEqual([kr(6139306), kr(5874119)]);
    expect([t1.costs.actual, t1.costs.previous]).toEqual([kr(7724247), kr(5886134)]);
    expect([t1.operatingResult.actual, t1.operatingResult.previous]).toEqual([kr(-1584941), kr(-12015)]);
    expect([t1.financial.actual, t1.financial.previous]).toEqual([kr(17943), kr(41924)]);
    expect([t1.result.actual, t1.result.previous]).toEqual([kr(-1566998), kr(29909)]);
    expect(statement.unmapped.accounts).toEqual([]);
  });

  it("reproduces T2, the balance sheet at 2014-12-31 against the consistent 2013-12-31 column", async () => {
    const run = await forbund2014();
    const sheet = await run((tenant) => balanceSheet(tenant.tx, tenant.association.id, "2014-12-31"));
    const figures = (column: typeof sheet.current) => ({
      fordringar: column.lines.receivables.amount,
      kassa: column.lines.cash.amount,
      tillgangar: column.totalAssets,
      ingaende: column.equity.opening,
      resultat: column.equity.result,
      egetKapital: column.equity.closing,
      skulder: column.lines.current_liabilities.amount,
      egetKapitalOchSkulder: column.totalEquityAndLiabilities,
      differens: column.difference,
    });
    expect(figures(sheet.current)).toEqual({
      fordringar: kr(500922),
      kassa: kr(2995994),
      tillgangar: kr(3496916),
      ingaende: kr(3759259),
      resultat: kr(-1566998),
      egetKapital: kr(2192261),
      skulder: kr(1304655),
      egetKapitalOchSkulder: kr(3496916),
      differens: 0n,
    });
    // T2 prints 163 377 and 5 117 407 for 2013; the consistent figures (Not 3's sum, T3's closing cash) are these.
    expect(figures(sheet.previous)).toEqual({
      fordringar: kr(163777),
      kassa: kr(4969739),
      tillgangar: kr(5133516),
      ingaende: kr(3729350),
      resultat: kr(29909),
      egetKapital: kr(3759259),
      skulder: kr(1374257),
      egetKapitalOchSkulder: kr(5133516),
      differens: 0n,
    });
  });

  it("reproduces every 2014 row of T3, the cash-flow statement", async () => {
    const run = await forbund2014();
    const flow = await run((tenant) => cashFlow(tenant.tx, tenant.association.id, 2014));
    expect(flow).toEqual({
      year: 2014,
      hasOpening: true,
      result: kr(-1566998),
      adjustments: 0n,
      beforeWorkingCapital: kr(-1566998),
      receivablesChange: kr(-337145),
      currentLiabilitiesChange: kr(-69602),
      operating: kr(-1973745),
      investing: 0n,
      financing: 0n,
      cashFlow: kr(-1973745),
      openingCash: kr(4969739),
      closingCash: kr(2995994),
      difference: 0n,
    });
  });

  it("reproduces T4, notes 1–4, in both years", async () => {
    const run = await forbund2014();
    const result = await run((tenant) => notes(tenant.tx, tenant.association.id, "2014-12-31"));
    const table = (number: number) => {
      const note = result.notes.find((item) => item.number === number);
      if (!note) throw new Error(`Not ${number} saknas`);
      return [...note.rows, note.total].map((row) => [row.label, row.current, row.previous]);
    };
    expect(table(1)).toEqual([
      ["Norrby kommun", kr(1450000), kr(1450000)],
      ["Söderby kommun", kr(76000), 0n],
      ["Region Exempel", kr(1526000), kr(1450000)],
      ["Försäkringskassan (statens andel)", kr(2976000), kr(2900000)],
      ["Samordningsförbundet Väst", kr(77548), kr(52100)],
      ["Nationella Nätverket (NNS)", kr(33758), kr(20767)],
      ["Samordningsförbundet Öst", 0n, kr(1252)],
      ["Summa", kr(6139306), kr(5874119)],
    ]);
    expect(table(2)).toEqual([
      ["Insatskostnader", kr(6095390), kr(4210163)],
      ["Inhyrd och tillfällig personal inkl. ek. adm. avtal", kr(1196625), kr(1171617)],
      ["Styrelsearvoden inkl. sociala avgifter", kr(142308), kr(209681)],
      ["Konferenser/seminarier/utbildning", kr(44409), kr(61662)],
      ["Övriga kostnader", kr(245515), kr(233011)],
      ["Ej avlyft moms", 0n, 0n],
      ["Summa", kr(7724247), kr(5886134)],
    ]);
    expect(table(3)).toEqual([
      ["Fordran Nationella Nätverket (1510)", kr(49027), kr(36036)],
      ["Fordran ESF-rådet Improve (1511)", kr(230362), 0n],
      ["Fordran på andra samordningsförbund (1512)", kr(78801), kr(53352)],
      ["Momsfordran (1650)", kr(142732), kr(74389)],
      ["Summa", kr(500922), kr(163777)],
    ]);
    expect(table(4)).toEqual([
      ["Skuld till Norrby kommun (2440)", kr(131363), kr(363823)],
      ["Preliminär skatt (2710)", kr(5410), kr(4188)],
      ["Övriga skulder (2890)", kr(7861), kr(4948)],
      ["Upplupna projektkostnader fjärde kvartalet (2990)", kr(1134021), kr(976298)],
      ["Upplupet revisionsarvode (2991)", kr(26000), kr(25000)],
      ["Summa", kr(1304655), kr(1374257)],
    ]);
  });

  it("reports T2's as-printed 2013 column as an imbalance of 147 268 kr instead of reproducing it", async () => {
    const run = await forbund2014("forbund-2014-as-printed.se");
    const sheet = await run((tenant) => balanceSheet(tenant.tx, tenant.association.id, "2014-12-31"));
    // As printed: fordringar 163 377, kassa 5 117 407, SUMMA TILLGÅNGAR would be 5 280 784 against 5 133 516.
    expect(sheet.previous.lines.receivables.amount).toBe(kr(163377));
    expect(sheet.previous.lines.cash.amount).toBe(kr(5117407));
    expect(sheet.previous.totalAssets).toBe(kr(5280784));
    expect(sheet.previous.totalEquityAndLiabilities).toBe(kr(5133516));
    expect(sheet.previous.difference).toBe(kr(147268));
  });

  it("leaves result accounts without a rule on their own row, counted as costs so the result equals the books", async () => {
    const run = await forbund2014();
    const statement = await run(async (tenant) => {
      await tenant.tx.deleteFrom("account_mapping").where("account", "=", "6991").execute();
      return incomeStatement(tenant.tx, tenant.association.id, { start: "2014-01-01", end: "2014-12-31" });
    });
    expect(statement.unmapped.accounts).toEqual([
      { account: "6991", name: "Övriga kostnader", actual: kr(245515), previous: kr(233011) },
    ]);
    expect(statement.totals.costs.actual).toBe(kr(7724247));
    expect(statement.totals.result.actual).toBe(kr(-1566998));
  });

  it("reproduces T5's avvikelse per line with budget − utfall, and computes the subtotals T5 misprints", async () => {
    const run = await asAdmin();
    const t5: [BudgetSection, string, number, number, number][] = [
      // section, post, utfall 2014, budget 2014, avvikelse as printed (budget − utfall)
      ["income", "Bidrag från stat kommun och landsting", 6028000, 6028000, 0],
      ["income", "Övriga intäkter", 111306, 64000, -47306],
      ["individual", "Arbetsmarknadstorget, Finsam-projekt", 1222883, 2300000, 1077117],
      ["individual", "Utsikten 2.0. ESF-projekt/ordinarie verksamhet", 119205, 119000, -205],
      ["individual", "Praktikmatchen. Finsam-projekt/ordinarie verks.", 325576, 600000, 274424],
      ["individual", "Hälsans trädgård, ESF-projekt", 350000, 749000, 399000],
      ["individual", "Unga In, ESF-projekt/ordinarie verksamhet", 165433, 200000, 34567],
      ["individual", "TEXAS, ESF-projekt", 580000, 80000, -500000],
      ["individual", "MedUrs, ESF-projekt", 745200, 0, -745200],
      ["individual", "Spira Anställningskompetens, ESF-projekt", 1481400, 0, -1481400],
      ["individual", "SPIRA - Integration, ESF-projekt/Folkhälsorådet", 750000, 0, -750000],
      ["individual", "SPIRA - Unga (f.d. Rätt väg ut), ESF-upphand.", 888, 0, -888],
      ["individual", "Improve. ESF-projekt", 188976, 0, -188976],
      ["individual", "KUR-projekt", 0, 60000, 60000],
      ["individual", "Kartläggning försörjningsstöd. Finsam-projekt", 165829, 0, -165829],
      ["individual", "Budgeterat utrymme för nya projekt", 0, 2004000, 2004000],
      ["administration", "Styrelse (arvoden, sociala avgifter, utb./konf.)", 186717, 374000, 187283],
      ["administration", "Inhyrd och tillfällig personal inkl. ek. adm. avtal", 1196626, 1231000, 34374],
      [
        "administration",
        "Övriga kostnader (projektnära kostnader, konf./seminarier, IT-kostnader m.m.)",
        245514,
        490000,
        244486,
      ],
      ["financial_income", "Finansiella intäkter", 17943, 50000, 32057],
    ];
    const csv = (column: 2 | 3) =>
      new TextEncoder().encode(["Rad;Period;Belopp", ...t5.map((row) => `${row[1]};2014;${row[column]}`)].join("\r\n"));
    const statement = await run(async (tenant) => {
      await insertBudgetLines(
        tenant.tx,
        tenant.association.id,
        t5.map(([section, name], index) => ({ section, name, position: index + 1 })),
      );
      await importTable(tenant, { name: "budget-2014.csv", bytes: csv(3) }, "budget");
      await importTable(tenant, { name: "utfall-2014.csv", bytes: csv(2) }, "actuals");
      await updateEconomySettings(tenant, {
        varianceSign: "budget_minus_actual",
        equityCeilingPercent: 20,
        objectDimension: 6,
        version: 0,
      });
      return incomeStatement(tenant.tx, tenant.association.id, { start: "2014-01-01", end: "2014-12-31" });
    });
    const lines = statement.sections.flatMap((section) => section.lines);
    expect(lines.map((line) => [line.name, line.figures.variance])).toEqual(t5.map((row) => [row[1], kr(row[4])]));
    const section = (key: string) => statement.sections.find((item) => item.key === key)?.figures;
    // The utfall column of T5 is consistent and comes out as printed.
    expect(section("individual")?.actual).toBe(kr(6095390));
    expect(section("administration")?.actual).toBe(kr(1628857));
    expect(statement.totals.costs.actual).toBe(kr(7724247));
    expect(statement.totals.result.actual).toBe(kr(-1566998));
    // T5 prints the project budget as 6 052 000 and the total costs as 8 157 000; its lines add up to these.
    const printed = { projects: kr(6052000), costs: kr(8157000) };
    expect(section("individual")?.budget).toBe(kr(6112000));
    expect(section("individual")?.budget).not.toBe(printed.projects);
    expect(statement.totals.costs.budget).toBe(kr(8207000));
    expect(statement.totals.costs.budget).not.toBe(printed.costs);
    expect(section("administration")?.budget).toBe(kr(2095000));
    expect(statement.totals.income.variance).toBe(kr(-47306));
  });

  it("gives a half-year the budget of its six months and the same half-year before it", async () => {
    const run = await asAdmin();
    const months2020 = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200];
    const table = (rows: string[]) => new TextEncoder().encode(["Rad;Period;Belopp", ...rows].join("\r\n"));
    const result = await run(async (tenant) => {
      await insertBudgetLines(tenant.tx, tenant.association.id, [
        { section: "income", name: "Medlemsbidrag", position: 1 },
        { section: "individual", name: "Insats A", position: 2 },
      ]);
      await importTable(
        tenant,
        {
          name: "budget-2020.csv",
          bytes: table([
            ...months2020.map((amount, index) => `Insats A;2020-${String(index + 1).padStart(2, "0")};${amount}`),
            "Medlemsbidrag;2020;120000",
          ]),
        },
        "budget",
      );
      await importTable(
        tenant,
        {
          name: "utfall-2019.csv",
          bytes: table(["Insats A;2019-03;50", "Insats A;2019-09;70", "Medlemsbidrag;2019-01;9000"]),
        },
        "actuals",
      );
      await importTable(
        tenant,
        {
          name: "utfall-2020.csv",
          bytes: table(["Insats A;2020-02;250", "Insats A;2020-08;999", "Medlemsbidrag;2020-01;10000"]),
        },
        "actuals",
      );
      return incomeStatement(tenant.tx, tenant.association.id, { start: "2020-01-01", end: "2020-06-30" });
    });
    const line = (name: string) =>
      result.sections.flatMap((section) => section.lines).find((item) => item.name === name);
    expect(line("Insats A")?.figures).toEqual({
      actual: kr(250),
      budget: kr(100 + 200 + 300 + 400 + 500 + 600),
      variance: kr(250 - 2100),
      yearBudget: kr(7800),
      forecast: kr(7800),
      previous: kr(50),
    });
    expect(line("Medlemsbidrag")?.figures.budget).toBe(kr(60000));
    expect(result.previousPeriod).toEqual({ start: "2019-01-01", end: "2019-06-30" });
    expect(result.previousSource).toBe("imports");
    expect(result.totals.result.previous).toBe(kr(9000 - 50));
  });

  it("computes cost shares and eget kapital against Nationella rådet's ceiling", async () => {
    const run = await forbund2014();
    const figures = await run(async (tenant) => {
      await tenant.tx
        .insertInto("fiscal_year")
        .values({ association_id: tenant.association.id, year: 2014, total_contribution_ore: kr(6028000) })
        .onConflict((conflict) =>
          conflict.columns(["association_id", "year"]).doUpdateSet({ total_contribution_ore: kr(6028000) }),
        )
        .execute();
      return keyFigures(tenant.tx, tenant.association.id, { start: "2014-01-01", end: "2014-12-31" });
    });
    expect(figures.totalCosts).toBe(kr(7724247));
    expect(figures.costShares.individual.amount).toBe(kr(5740585));
    expect(figures.costShares.structural.amount).toBe(kr(354805));
    expect(figures.costShares.administration.amount).toBe(kr(1628857));
    expect(figures.costShares.administration.share).toBeCloseTo(1628857 / 7724247, 10);
    expect(figures.equity.ceiling).toBe(kr(1205600));
    expect(figures.equity.opening).toBe(kr(3759259));
    expect(figures.equity.atDate).toBe(kr(2192261));
    // No budget is entered, so the forecast result is 0 and the year is expected to end where it began.
    expect(figures.equity.forecastEquity).toBe(kr(3759259));
    expect(figures.equity.excess).toBe(kr(3759259 - 1205600));
    expect(figures.equity.minimumCosts).toBe(kr(3759259 - 1205600));
  });
});
