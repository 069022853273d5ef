import { expect, it } from "vitest";
import { listStructureLines } from "../../src/economy/budget-repository.js";
import { ensureBudgetStructure } from "../../src/economy/structure-setup.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import { describeEachDatabase } from "../support/database.js";
import {
  buildApiToken,
  buildAssociation,
  buildIntervention,
  buildMember,
  buildOrganisation,
  buildUser,
  TEST_PASSWORD,
} from "../support/factories.js";
import { bearer, buildTestApp, TestBrowser } from "../support/http.js";
import { expectApiRefused, expectFormsRefused } from "../support/refusals.js";

/** The API answers these tests read. */
type Json = {
  id: string;
  name: string;
  kind: string;
  detail: string;
  scenario: string;
  items: { kind: string }[];
  lines: { lineId: string; months: number[]; yearOre: number }[];
  subtotals: { costs: number };
};

/** Page text with formatted amounts' non-breaking spaces and minus signs made plain. */
const plain = (html: string) => html.replace(/[\u00a0\u202f]/g, " ").replace(/\u2212/g, "-");

describeEachDatabase("budget over HTTP", (database) => {
  const setup = async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const board = await buildUser(db, { associationId: association.id, role: "board" });
    const member = await buildMember(db, association.id, { name: "Älvdala kommun" });
    const organisation = await buildOrganisation(db, association.id, { memberId: member.id });
    await buildIntervention(db, association.id, {
      ownerOrganisationId: organisation.id,
      name: "Unga In",
      status: "granted",
      startDate: "2020-07-01",
      endDate: "2021-06-30",
    });
    const lines = await inAssociation(db, association.id, async (tx) => {
      await ensureBudgetStructure(tx, association.id);
      return listStructureLines(tx, association.id);
    });
    const lineId = (name: string) => lines.find((line) => line.name === name)?.id ?? "";
    const { app } = buildTestApp(database());
    const browser = new TestBrowser(app);
    await browser.login(admin.email, TEST_PASSWORD);
    const base = `/f/${association.slug}/economy/budget`;
    const api = `/api/v1/associations/${association.slug}/economy`;
    return { db, app, association, admin, board, browser, base, api, lineId, lines };
  };

  it("saves a budget year with its plan years, shows computed subtotals, months, adoption and the forecast copy", async () => {
    const { browser, base, lineId } = await setup();
    const lines = await browser.get(`${base}/lines`);
    expect(lines.status).toBe(200);
    const linesHtml = await lines.text();
    expect(linesHtml).toContain("Medlemsbidrag Älvdala kommun");
    expect(linesHtml).toContain("Unga In");

    const staff = lineId("Personal och inhyrd personal");
    const other = lineId("Övriga intäkter");
    const financial = lineId("Finansiella kostnader");
    const insats = lineId("Unga In");
    const saved = await browser.post(`${base}/2020`, {
      "version-2020": "0",
      "version-2021": "0",
      "version-2022": "0",
      [`amount-${staff}-2020`]: "1 975 068",
      [`amount-${staff}-2021`]: "2000000",
      [`amount-${staff}-2022`]: "2 100 000",
      [`amount-${other}-2020`]: "2 500 000",
      [`amount-${financial}-2020`]: "-500",
      [`amount-${insats}-2020`]: "184 000",
      [`spread-${insats}`]: "on",
    });
    expect(saved.status).toBe(303);
    const page = plain(await (await browser.get(`${base}/2020`)).text());
    expect(page).toContain('value="1 975 068"');
    expect(page).toContain('value="2 100 000"');
    expect(page).toContain("Över insatsens period");
    // Summa kostnader 1 975 068 + 184 000; result 2 500 000 − 2 159 068 + 500.
    expect(page).toContain("2 159 068 kr");
    expect(page).toContain("340 932 kr");
    expect(page).toContain("341 432 kr");
    expect(page).toContain("Från medlemsbidragen");
    expect(page).toContain(`/economy/contributions/2020`);

    // A stale form: 409, the user's amounts kept.
    const stale = await browser.post(`${base}/2020`, {
      "version-2020": "0",
      "version-2021": "0",
      "version-2022": "0",
      [`amount-${staff}-2020`]: "1 999 999",
    });
    expect(stale.status).toBe(409);
    const staleHtml = plain(await stale.text());
    expect(staleHtml).toContain("Någon annan har ändrat 2020 års budget");
    expect(staleHtml).toContain('value="1 999 999"');

    // Twelve months entered one by one: their sum is the year.
    const monthly = await browser.get(`${base}/2020/lines/${staff}`);
    expect(monthly.status).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(await monthly.text())?.[1] ?? "";
    const months = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`month-${i + 1}`, i < 6 ? "100000" : "200 000"]),
    );
    expect((await browser.post(`${base}/2020/lines/${staff}`, { version, ...months })).status).toBe(303);
    const after = plain(await (await browser.get(`${base}/2020`)).text());
    expect(after).toContain('value="1 800 000"');
    expect(after).toContain("Per månad (angivet)");

    const yearVersion = /name="version-2020" value="(\d+)"/.exec(after)?.[1] ?? "";
    const adopted = await browser.post(`${base}/2020/adopt`, {
      adoptedOn: "2019-12-10",
      decision: "§ 582",
      version: yearVersion,
    });
    expect(adopted.status).toBe(303);
    const adoptedPage = plain(await (await browser.get(`${base}/2020`)).text());
    expect(adoptedPage).toContain("Fastställd 2019-12-10 (§ 582)");
    expect(adoptedPage).toContain("Ändring av fastställd budget");

    const forecastPage = await (await browser.get(`${base}/2020/forecast`)).text();
    const forecastVersion = /name="version" value="(\d+)"/.exec(forecastPage)?.[1] ?? "";
    expect((await browser.post(`${base}/2020/forecast/copy`, { version: forecastVersion })).status).toBe(303);
    const copied = plain(await (await browser.get(`${base}/2020/forecast`)).text());
    expect(copied).toMatch(new RegExp(`name="forecast-${staff}"[^>]*value="1 800 000"`));

    const refused = await browser.post(`${base}/lines/${staff}/delete`, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("har budgetbelopp och prognosbelopp");
  });

  it("refuses bad amounts with Swedish field errors and saves nothing; a board member reads but does not write", async () => {
    const { db, app, browser, base, lineId, board } = await setup();
    const staff = lineId("Personal och inhyrd personal");
    const versions = { "version-2020": "0", "version-2021": "0", "version-2022": "0" };
    await expectFormsRefused(db, browser, [
      [
        `${base}/2020`,
        { ...versions, [`amount-${staff}-2020`]: "12 kr" },
        "Personal och inhyrd personal, 2020: ange beloppet i hela kronor, t.ex. 1 975 068 eller -500.",
      ],
      [`${base}/2020`, { ...versions, [`amount-${staff}-2021`]: "abc" }, "Personal och inhyrd personal, 2021: ange"],
      [`${base}/2020/lines/${staff}`, { version: "0", "month-3": "1,5" }, "Ange månadens belopp i hela kronor"],
      [`${base}/2020/adopt`, { version: "0", adoptedOn: "10/12", decision: "" }, "Ange beslutsdatum som ÅÅÅÅ-MM-DD."],
      [`${base}/lines`, { section: "administration", name: "" }, "Ange radens namn."],
    ]);

    const reader = new TestBrowser(app);
    await reader.login(board.email, TEST_PASSWORD);
    const page = await reader.get(`${base}/2020`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain("Spara budgeten");
    expect((await reader.get(`${base}/lines`)).status).toBe(200);
    expect((await reader.get(`${base}/2020/forecast`)).status).toBe(200);
    expect((await reader.post(`${base}/2020`, { ...versions, [`amount-${staff}-2020`]: "1" })).status).toBe(403);
    expect((await reader.post(`${base}/lines`, { section: "income", name: "Gåvor" })).status).toBe(403);
  });

  it("round-trips the budget, lines and forecast through the API, with problem+json on bad input", async () => {
    const { db, app, association, admin, api, lineId } = await setup();
    const token = await buildApiToken(db, { associationId: association.id, userId: admin.id, scope: "write" });
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await app.request(
        `${api}${path}`,
        bearer(token.secret, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
      );
      return {
        status: response.status,
        json: (await response.json()) as Json,
      };
    };

    const created = await call("POST", "/budget-lines", { section: "administration", name: "Revision" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ section: "administration", name: "Revision", kind: "own" });
    const renamed = await call("PATCH", `/budget-lines/${created.json.id}`, { name: "Revisionsarvode", move: "up" });
    expect(renamed.json.name).toBe("Revisionsarvode");
    const listed = await call("GET", "/budget-lines");
    expect(listed.json.items.some((line) => line.kind === "member")).toBe(true);

    const staff = lineId("Personal och inhyrd personal");
    const put = await call("PUT", "/budgets/2020", {
      version: 0,
      lines: [
        { lineId: staff, yearOre: 120_000_000 },
        { lineId: created.json.id, months: [100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200] },
      ],
    });
    expect(put.status).toBe(200);
    const budget = await call("GET", "/budgets/2020");
    const staffLine = budget.json.lines.find((line) => line.lineId === staff);
    expect(staffLine?.months).toEqual(Array(12).fill(10_000_000));
    expect(staffLine?.yearOre).toBe(120_000_000);
    expect(budget.json.subtotals).toMatchObject({
      costs: 120_000_300,
      operatingResult: -120_000_300,
      result: -120_000_300,
    });
    expect(budget.json).toMatchObject({ status: "plan", version: 2 });

    expect((await call("PUT", "/budgets/2020", { version: 0, lines: [{ lineId: staff, yearOre: 1 }] })).status).toBe(
      409,
    );
    const adopted = await call("POST", "/budgets/2020/adopt", {
      version: 2,
      adoptedOn: "2019-12-10",
      decision: "§ 582",
    });
    expect(adopted.json).toMatchObject({ status: "adopted", adoptedOn: "2019-12-10", decision: "§ 582", version: 3 });

    const copied = await call("POST", "/forecasts/2020/copy-budget", { version: 3 });
    expect(copied.json.scenario).toBe("forecast");
    expect(copied.json.subtotals.costs).toBe(120_000_300);
    const forecast = await call("PUT", "/forecasts/2020", {
      version: 4,
      lines: [{ lineId: staff, yearOre: 150_000_000, fromMonth: 7 }],
    });
    const forecastLine = forecast.json.lines.find((line) => line.lineId === staff);
    expect(forecastLine?.months).toEqual([...Array(6).fill(10_000_000), ...Array(6).fill(15_000_000)]);

    const removed = await call("DELETE", `/budget-lines/${created.json.id}`);
    expect(removed.status).toBe(409);
    expect(removed.json.detail).toContain("har budgetbelopp och prognosbelopp");

    await expectApiRefused(db, (path, init) => app.request(path, init), token.secret, [
      ["PUT", `${api}/budgets/2020`, { version: 5, lines: [{ lineId: staff, months: [1, 2, 3] }] }, "lines.0.months"],
      ["PUT", `${api}/budgets/2020`, { version: 5, lines: [{ lineId: staff, yearOre: "12 kr" }] }, "lines.0.yearOre"],
      ["PUT", `${api}/budgets/2020`, { version: 5, lines: [{ lineId: staff }] }, "Ange antingen yearOre eller months."],
      ["POST", `${api}/budget-lines`, { section: "ingenting", name: "X" }, "section"],
      ["POST", `${api}/budgets/2020/adopt`, { version: 5, adoptedOn: "igår", decision: "§ 1" }, "adoptedOn"],
    ]);
  });
});
