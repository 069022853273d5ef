import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { listBudgetLines } from "../../src/economy/repository.js";
import { ensureBudgetStructure } from "../../src/economy/structure-setup.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import { describeEachDatabase } from "../support/database.js";
import { buildApiToken } from "../support/factories.js";
import { bearer, ORIGIN, type TestBrowser } from "../support/http.js";
import { interventionScenario } from "../support/scenario.js";
import { snapshotData } from "../support/snapshot.js";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/economy/${name}`, import.meta.url)));

/** Formatted amounts use non-breaking spaces and a real minus sign; tests compare them as plain text. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ").replace(/&quot;/g, '"');

async function upload(browser: TestBrowser, path: string, name: string, bytes: Uint8Array, fields = {}) {
  const form = new FormData();
  form.set("_csrf", await browser.csrfToken());
  for (const [key, value] of Object.entries(fields)) form.set(key, value as string);
  form.set("file", new Blob([new Uint8Array(bytes)]), name);
  return browser.request(path, { method: "POST", body: form, headers: { origin: ORIGIN } });
}

const broken: [file: string, message: string][] = [
  ["import-unbalanced.se", "Rad 40: Verifikation A 2 balanserar inte"],
  ["import-unknown-account.se", "Rad 54: Kontot 6430 finns inte i kontoplanen (#KONTO)."],
  ["import-truncated.se", "Rad 51: Verifikation B 1 avslutas aldrig med }; filen verkar vara avkortad."],
  ["import-utf8.se", "Rad 7: Filen är inte kodad i PC8 (CP437) som SIE kräver; den verkar vara UTF-8."],
  ["import-non-numeric.se", 'Rad 38: Beloppet "-25000O.00" är inte ett tal'],
  ["import-no-year.se", "Filen saknar räkenskapsår 0 (#RAR 0)"],
  ["import-other-forbund.se", "Filen gäller organisationsnummer 232100-0016"],
];

describeEachDatabase("import av utfall och kontokoppling över HTTP", (database) => {
  const setup = async () => {
    const scenario = await interventionScenario(database());
    await inAssociation(scenario.db, scenario.association.id, (tx) =>
      ensureBudgetStructure(tx, scenario.association.id),
    );
    const lines = await inAssociation(scenario.db, scenario.association.id, (tx) =>
      listBudgetLines(tx, scenario.association.id),
    );
    const lineId = (name: string) => lines.find((line) => line.name === name)?.id as string;
    return { ...scenario, lineId, imports: `${scenario.base}/economy/imports` };
  };

  it("refuses each broken SIE file with its line number and writes nothing, through the page and the API", async () => {
    const { db, officer, browser, imports, token, api } = await setup();
    const user = await browser(officer);
    const secret = await token(officer.id);
    for (const [file, message] of broken) {
      const before = await snapshotData(db);
      const page = await upload(user, `${imports}/sie`, file, fixture(file));
      expect(page.status, file).toBe(422);
      const html = plain(await page.text());
      expect(html, file).toContain(message);
      expect(html).toContain('class="error-summary"');
      expect(html).toContain("Ingenting har sparats");

      const response = await user.request(
        `${api}/economy/imports/sie?fileName=${file}`,
        bearer(secret, {
          method: "POST",
          body: fixture(file),
          headers: { "content-type": "application/octet-stream" },
        }),
      );
      expect(response.status, file).toBe(422);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await response.json()) as { detail: string; errors: { path: string; detail: string }[] };
      expect(plain(problem.detail), file).toContain(message);
      expect(problem.errors[0]?.path).toBe("file");
      expect(await snapshotData(db), `${file} wrote something`).toEqual(before);
    }
  });

  it("imports a SIE file from the page, detects it again, lists and maps its unmapped accounts", async () => {
    const { db, association, officer, browser, imports, base, lineId } = await setup();
    const user = await browser(officer);
    expect((await user.get(imports)).status).toBe(200);

    const imported = await upload(user, `${imports}/sie`, "import-2020.se", fixture("import-2020.se"));
    expect(imported.status).toBe(303);
    const location = imported.headers.get("location") as string;
    expect(location).toMatch(new RegExp(`^${imports}/[0-9a-f-]{36}$`));
    const detail = await (await user.get(location)).text();
    expect(detail).toContain("SIE-filen för 2020 är importerad: 6 verifikationer, 14 transaktioner, 11 saldon.");
    expect(detail).toContain("Lokalhyra Skellefteå");
    expect(detail).toContain("P 7 Hälsans trädgård");

    const history = await (await user.get(imports)).text();
    expect(history).toContain("import-2020.se");
    expect(history).toContain("6 konton att koppla");

    const before = await snapshotData(db);
    const again = await upload(user, `${imports}/sie`, "kopia.se", fixture("import-2020.se"));
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/Filen är redan importerad \d{4}-\d{2}-\d{2} \d{2}:\d{2} av /);
    expect(await snapshotData(db)).toEqual(before);

    const mapping = plain(await (await user.get(`${base}/economy/mapping`)).text());
    expect(mapping).toContain("7 konton saknar koppling");
    expect(mapping).toContain("Resultatkonton utan koppling 2020: −139 623 kr");
    expect(mapping.indexOf("5010 Lokalhyra Skellefteå")).toBeLessThan(mapping.indexOf("1930 Företagskonto"));

    const bad = await user.post(`${base}/economy/mapping`, { account: "5010", objectCode: "", target: "balance:cash" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Konto 5010 är ett resultatkonto: välj en rad i budgeten.");

    const saved = await user.post(`${base}/economy/mapping`, {
      account: "5010",
      objectCode: "",
      target: `line:${lineId("Lokaler")}`,
    });
    expect(saved.status).toBe(303);
    const after = plain(await (await user.get(`${base}/economy/mapping`)).text());
    expect(after).toContain("6 konton saknar koppling");
    expect(after).toMatch(/5010 Lokalhyra Skellefteå<\/th><td>–<\/td><td class="numeric">12 500 kr<\/td><td>Lokaler/);

    const rule = await inAssociation(db, association.id, (tx) =>
      tx.selectFrom("account_mapping").select("id").executeTakeFirstOrThrow(),
    );
    const removed = await user.post(`${base}/economy/mapping/${rule.id}/delete`, {});
    expect(removed.status).toBe(303);
    expect(plain(await (await user.get(`${base}/economy/mapping`)).text())).toContain("7 konton saknar koppling");
  });

  it("refuses T5's budget for its control totals through the page, and imports table actuals and budget", async () => {
    const { db, officer, browser, imports } = await setup();
    const user = await browser(officer);
    const before = await snapshotData(db);
    // T5's lines are not this association's: every one is reported unknown, with the known names once.
    const t5 = await upload(user, `${imports}/table`, "t5-budget-2014.csv", fixture("t5-budget-2014.csv"), {
      target: "budget",
    });
    expect(t5.status).toBe(422);
    const t5Html = plain(await t5.text());
    expect(t5Html).toContain('Rad 5: "Arbetsmarknadstorget, Finsam-projekt" är ingen rad i budgetstrukturen.');
    expect(t5Html).toContain("Raderna i budgetstrukturen är: ");
    expect(await snapshotData(db)).toEqual(before);

    const actuals = await upload(user, `${imports}/table`, "utfall.csv", fixture("import-actuals-2021.csv"), {
      target: "actuals",
    });
    expect(actuals.status).toBe(303);
    const page = plain(await (await user.get(actuals.headers.get("location") as string)).text());
    expect(page).toContain("5 rader utfall för 2021 har lästs in, 2 kontrollsummor stämde.");
    expect(page).toContain("2021-01-01 – 2021-03-31");

    const budget = await upload(user, `${imports}/table`, "budget.xlsx", fixture("import-budget-2021.xlsx"), {
      target: "budget",
    });
    expect(budget.status).toBe(303);
    expect(budget.headers.get("location")).toBe(imports);
  });

  it("round-trips imports and the mapping through the API, documented in OpenAPI", async () => {
    const { app, officer, token, api, lineId } = await setup();
    const secret = await token(officer.id);
    const call = (path: string, init: RequestInit = {}) => app.request(`${api}${path}`, bearer(secret, init));

    const created = await call("/economy/imports/sie?fileName=bokforing-2020.se", {
      method: "POST",
      body: fixture("import-2020.se"),
      headers: { "content-type": "application/octet-stream" },
    });
    expect(created.status).toBe(201);
    const entry = (await created.json()) as { id: string; transactionCount: number; active: boolean };
    expect(entry).toMatchObject({ transactionCount: 14, active: true, fileName: "bokforing-2020.se" });

    const list = (await (await call("/economy/imports")).json()) as {
      items: { id: string; unmappedAccounts: number }[];
    };
    expect(list.items).toEqual([expect.objectContaining({ id: entry.id, unmappedAccounts: 6 })]);
    const one = (await (await call(`/economy/imports/${entry.id}`)).json()) as {
      totals: { account: string; objectCode: string | null; amountOre: number }[];
      balances: unknown[];
    };
    expect(one.totals).toContainEqual(
      expect.objectContaining({ account: "4010", objectCode: "P12", amountOre: 8_000_050 }),
    );
    expect(one.balances).toHaveLength(11);

    const mapping = (await (await call("/economy/mapping")).json()) as { unmapped: { account: string }[] };
    expect(mapping.unmapped.map((row) => row.account)).toContain("3011");

    const put = await call("/economy/mapping", {
      method: "PUT",
      body: JSON.stringify({
        mode: "upsert",
        rules: [
          { account: "3011", lineId: lineId("Övriga intäkter") },
          { objectCode: "P12", lineId: lineId("Utrymme för nya insatser") },
          { account: "2440", balanceLine: "current_liabilities" },
        ],
      }),
    });
    expect(put.status).toBe(200);
    const saved = (await put.json()) as {
      rules: { id: string; account: string | null }[];
      unmapped: { account: string; objectCode: string | null }[];
      accounts: { account: string; objectCode: string | null; ruleName: string | null }[];
    };
    expect(saved.rules).toHaveLength(3);
    expect(saved.unmapped.map((row) => `${row.account}/${row.objectCode ?? ""}`)).toEqual([
      "3990/",
      "4010/P 7",
      "5010/",
      "6420/",
      "8310/",
    ]);
    expect(saved.accounts.find((row) => row.objectCode === "P12")?.ruleName).toBe("objekt");
    expect(saved.accounts.find((row) => row.account === "2440")?.ruleName).toBe("konto");

    const invalid = await call("/economy/mapping", {
      method: "PUT",
      body: JSON.stringify({ rules: [{ account: "1930", objectCode: "P12", balanceLine: "cash" }] }),
    });
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(await invalid.json())).toContain("rules.0.objectCode");

    const rule = saved.rules.find((row) => row.account === "3011") as { id: string };
    expect((await call(`/economy/mapping/${rule.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call(`/economy/mapping/${rule.id}`, { method: "DELETE" })).status).toBe(404);

    const table = await call("/economy/imports/table?fileName=budget.xlsx&target=budget", {
      method: "POST",
      body: fixture("import-budget-2021.xlsx"),
      headers: { "content-type": "application/octet-stream" },
    });
    expect(table.status).toBe(201);
    expect(await table.json()).toEqual({ target: "budget", rows: 3, controls: 0, years: [2021] });

    const openapi = (await (await app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    const sie = openapi.paths["/associations/{slug}/economy/imports/sie"]?.post;
    expect(Object.keys(sie?.requestBody?.content ?? {})).toEqual(["application/octet-stream"]);
  });

  it("keeps an insatsägare's contact out of the economy pages and API", async () => {
    const { db, association, contactX, browser, imports, base, api, app } = await setup();
    const user = await browser(contactX);
    expect((await user.get(imports)).status).toBe(403);
    expect((await user.get(`${base}/economy/mapping`)).status).toBe(403);
    expect((await upload(user, `${imports}/sie`, "import-2020.se", fixture("import-2020.se"))).status).toBe(403);
    const { secret } = await buildApiToken(db, { associationId: association.id, userId: contactX.id, scope: "write" });
    expect((await app.request(`${api}/economy/imports`, bearer(secret))).status).toBe(403);
    const post = await app.request(
      `${api}/economy/imports/sie?fileName=x.se`,
      bearer(secret, { method: "POST", body: fixture("import-2020.se") }),
    );
    expect(post.status).toBe(403);
  });
});
