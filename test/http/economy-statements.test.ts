import { readFileSync } from "node:fs";
import readExcelFile from "read-excel-file/node";
import { expect, it } from "vitest";
import { importSie } from "../../src/economy/import-sie.js";
import { importTable } from "../../src/economy/import-table.js";
import { insertBudgetLines, listBudgetLines } from "../../src/economy/repository.js";
import { saveMappingRules } from "../../src/economy/save-mapping.js";
import type { BudgetSection } from "../../src/platform/db/schema.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import type { Tenant } from "../../src/platform/http/env.js";
import { describeEachDatabase } from "../support/database.js";
import { buildUser } from "../support/factories.js";
import { bearer } from "../support/http.js";
import { interventionScenario } from "../support/scenario.js";
import { unzip } from "../support/zip.js";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/economy/${name}`, import.meta.url)));

/** Formatted amounts use non-breaking spaces; tests compare them as plain text (the minus sign stays U+2212). */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

/** The 2014 books with the accounts on a few lines; 6991 (övriga kostnader) is left without a rule. */
const lines: { section: BudgetSection; name: string; accounts: string[] }[] = [
  { section: "income", name: "Medlemsbidrag", accounts: ["3011", "3012", "3013", "3014"] },
  { section: "income", name: "Övriga intäkter", accounts: ["3910", "3911", "3912"] },
  {
    section: "individual",
    name: "Insatser",
    accounts: Array.from({ length: 13 }, (_, index) => String(4010 + index)),
  },
  { section: "administration", name: "Kansli", accounts: ["6550", "6990", "6992", "7010"] },
  { section: "financial_income", name: "Finansiella intäkter", accounts: ["8310"] },
];

describeEachDatabase("resultat- och balansräkning över HTTP", (database) => {
  const setup = async (file = "forbund-2014.se") => {
    const scenario = await interventionScenario(database());
    const { db, association } = scenario;
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const board = await buildUser(db, { associationId: association.id, role: "board" });
    const auditor = await buildUser(db, { associationId: association.id, role: "auditor" });
    await inAssociation(db, association.id, async (tx) => {
      const tenant = {
        association,
        role: "admin",
        user: { id: admin.id, email: admin.email, name: admin.name, isSuperadmin: false },
        tx,
        afterCommit: () => {},
        tokenScope: undefined,
      } as Tenant;
      await insertBudgetLines(
        tx,
        association.id,
        lines.map((line, index) => ({ section: line.section, name: line.name, position: index + 1 })),
      );
      const stored = await listBudgetLines(tx, association.id);
      await saveMappingRules(
        tenant,
        lines.flatMap((line) =>
          line.accounts.map((account) => ({
            account,
            objectCode: null,
            lineId: stored.find((row) => row.name === line.name)?.id ?? null,
            balanceLine: null,
          })),
        ),
        "replace",
      );
      await importSie(tenant, { name: file, bytes: fixture(file) });
      await importTable(
        tenant,
        { name: "budget.csv", bytes: new TextEncoder().encode("Rad;Period;Belopp\r\nInsatser;2014;6000000\r\n") },
        "budget",
      );
    });
    return { ...scenario, admin, board, auditor };
  };

  const year = "from=2014-01-01&to=2014-12-31";
  const pages = [
    "/economy",
    `/economy/income-statement?${year}`,
    "/economy/balance-sheet?date=2014-12-31",
    "/economy/cash-flow?year=2014",
    "/economy/notes?date=2014-12-31",
    `/economy/key-figures?${year}`,
  ];

  it("shows every statement to admin, board and auditor, and none to an insatsägare's contact", async () => {
    const { browser, base, admin, board, auditor, contactX } = await setup();
    for (const user of [admin, board, auditor]) {
      const signedIn = await browser(user);
      for (const page of pages) expect((await signedIn.get(`${base}${page}`)).status, page).toBe(200);
    }
    const contact = await browser(contactX);
    for (const page of [...pages, `/economy/income-statement.xlsx?${year}`, "/economy/settings"]) {
      expect((await contact.get(`${base}${page}`)).status, page).toBe(403);
    }
    expect((await (await browser(board)).get(`${base}/economy/settings`)).status).toBe(403);
  });

  it("links the overview to every economy page", async () => {
    const { browser, base, admin } = await setup();
    const html = await (await (await browser(admin)).get(`${base}/economy`)).text();
    for (const path of ["contributions", "budget/lines", "imports", "mapping", "income-statement", "settings"]) {
      expect(html).toContain(`href="${base}/economy/${path}"`);
    }
  });

  it("prints the income statement with its subtotals, the unmapped account and kr or tkr", async () => {
    const { browser, base, admin } = await setup();
    const user = await browser(admin);
    const html = plain(await (await user.get(`${base}/economy/income-statement?${year}`)).text());
    expect(html).toContain("<caption>Resultaträkning 2014-01-01 – 2014-12-31. Avvikelse = utfall − budget.</caption>");
    expect(html).toMatch(
      /<th scope="row"><strong>Periodens resultat<\/strong><\/th><td class="numeric"><strong>−1 566 998 kr/,
    );
    expect(html).toContain("Ej mappade konton");
    expect(html).toContain(`href="${base}/economy/mapping"`);
    expect(html).toContain('role="img"');
    const tkr = plain(await (await user.get(`${base}/economy/income-statement?${year}&unit=tkr`)).text());
    expect(tkr).toContain("−1 567 tkr");
    expect(tkr).toContain("avrundas sedan");
  });

  it("downloads XLSX with typed numbers and sums as formulas carrying their values, and a tagged PDF", async () => {
    const { browser, base, admin } = await setup();
    const user = await browser(admin);
    const response = await user.get(`${base}/economy/income-statement.xlsx?${year}`);
    expect(response.status).toBe(200);
    const xlsx = Buffer.from(await response.arrayBuffer());
    const sheet = unzip(xlsx).get("xl/worksheets/sheet1.xml") ?? "";
    const formulas = [...sheet.matchAll(/<f>([^<]*)<\/f>(<v>[^<]*<\/v>)?/g)];
    expect(formulas.length).toBeGreaterThan(5);
    for (const [, , value] of formulas) expect(value).toBeDefined();
    const rows = (await readExcelFile(xlsx))[0]?.data ?? [];
    const row = (name: string) => rows.find((cells) => cells[0] === name);
    expect(row("Periodens resultat")?.[1]).toBeCloseTo(-1566998, 2);
    expect(row("Summa intäkter")?.[1]).toBeCloseTo(6139306, 2);
    expect(row("Medlemsbidrag")?.[1]).toBe(6028000);
    expect(sheet).toMatch(/<f>SUM\(B\d+\)-SUM\(B\d+\)<\/f><v>-1584941<\/v>/);

    const pdf = await user.get(`${base}/economy/balance-sheet.pdf?date=2014-12-31&unit=tkr`);
    expect(pdf.status).toBe(200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(bytes.toString("latin1")).toContain("/StructTreeRoot");
  });

  it("reports a balance sheet that does not balance as an alert with the difference", async () => {
    const { browser, base, admin } = await setup("forbund-2014-as-printed.se");
    const html = plain(
      await (await (await browser(admin)).get(`${base}/economy/balance-sheet?date=2014-12-31`)).text(),
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain("Balansräkningen per 2013-12-31 balanserar inte: tillgångarna är 147 268 kr större");
  });

  it("answers the statements as JSON with every line, subtotal and the period, money in öre", async () => {
    const { app, token, api, officer, admin } = await setup();
    const read = bearer(await token(officer.id));
    const get = async (path: string, init = read) => {
      const response = await app.request(`${api}${path}`, init);
      // biome-ignore lint/suspicious/noExplicitAny: the test reads whichever fields it checks
      return { status: response.status, body: (await response.json()) as any };
    };
    const income = await get(`/economy/statements/income-statement?${year}`);
    expect(income.status).toBe(200);
    expect(income.body.period).toEqual({ start: "2014-01-01", end: "2014-12-31" });
    expect(income.body.totals.result).toMatchObject({ actual: -156699800, previous: 2990900 });
    expect(income.body.sections[0].lines[0]).toMatchObject({ name: "Medlemsbidrag", figures: { actual: 602800000 } });
    expect(income.body.unmapped.accounts).toEqual([
      { account: "6991", name: "Övriga kostnader", actual: 24551500, previous: 23301100 },
    ]);
    const sheet = await get("/economy/statements/balance-sheet?date=2014-12-31");
    expect(sheet.body.current).toMatchObject({ totalAssets: 349691600, difference: 0 });
    const flow = await get("/economy/statements/cash-flow?year=2014");
    expect(flow.body).toMatchObject({ cashFlow: -197374500, openingCash: 496973900, closingCash: 299599400 });
    const notes = await get("/economy/statements/notes?date=2014-12-31");
    expect(notes.body.notes.map((note: { total: { current: number } }) => note.total.current)).toEqual([
      613930600, 772424700, 50092200, 130465500,
    ]);
    const figures = await get(`/economy/statements/key-figures?${year}`);
    expect(figures.body.totalCosts).toBe(772424700);
    expect((await get("/economy/statements/income-statement?from=2014-06-01&to=2015-01-31")).status).toBe(422);
    // The settings belong to the admin; an officer's token may read the statements but not change how they print.
    expect((await get("/economy/settings")).status).toBe(403);
    const write = (body: object) => bearer(adminSecret, { method: "PUT", body: JSON.stringify(body) }) as RequestInit;
    const adminSecret = await token(admin.id);
    const settings = await get("/economy/settings", bearer(adminSecret));
    expect(settings.body).toEqual({
      varianceSign: "actual_minus_budget",
      equityCeilingBasisPoints: 2000,
      objectDimension: 6,
      version: 0,
    });
    const change = { varianceSign: "budget_minus_actual", equityCeilingBasisPoints: 1500, objectDimension: 6 };
    expect((await get("/economy/settings", write({ ...change, version: 0 }))).body.version).toBe(1);
    expect((await get("/economy/settings", write({ ...change, version: 0 }))).status).toBe(409);
  });

  it("flips the sign of avvikelse when the setting changes, and keeps a stale form with the user's values", async () => {
    const { browser, base, admin } = await setup();
    const user = await browser(admin);
    const insatser = async () => {
      const html = plain(await (await user.get(`${base}/economy/income-statement?${year}`)).text());
      return /<th scope="row">Insatser<\/th><td class="numeric">[^<]*<\/td><td class="numeric">[^<]*<\/td><td class="numeric">([^<]*)</.exec(
        html,
      )?.[1];
    };
    // Insatser: utfall 6 095 390, budget 6 000 000.
    expect(await insatser()).toBe("95 390 kr");
    const saved = await user.post(`${base}/economy/settings`, {
      varianceSign: "budget_minus_actual",
      equityCeilingPercent: "20",
      objectDimension: "6",
      version: "0",
    });
    expect(saved.status).toBe(303);
    expect(await insatser()).toBe("−95 390 kr");
    const heading = plain(await (await user.get(`${base}/economy/income-statement?${year}`)).text());
    expect(heading).toContain("Avvikelse = budget − utfall");
    const stale = await user.post(`${base}/economy/settings`, {
      varianceSign: "actual_minus_budget",
      equityCeilingPercent: "12,5",
      objectDimension: "6",
      version: "0",
    });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('value="12,5"');
    const bad = await user.post(`${base}/economy/settings`, {
      varianceSign: "actual_minus_budget",
      equityCeilingPercent: "tjugo",
      objectDimension: "6",
      version: "1",
    });
    expect(bad.status).toBe(422);
  });
});
