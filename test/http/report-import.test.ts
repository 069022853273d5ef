import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { fromLegacyReport } from "../../src/reports/legacy.js";
import { legacyImportEntry } from "../../src/reports/legacy-import.js";
import { describeEachDatabase } from "../support/database.js";
import { buildUser } from "../support/factories.js";
import { bearer } from "../support/http.js";
import { interventionScenario } from "../support/scenario.js";
import { snapshotData } from "../support/snapshot.js";
import { readXlsx } from "../support/xlsx-cells.js";

const legacy = JSON.parse(
  readFileSync(new URL("../fixtures/slutrapporter.json", import.meta.url), "utf8"),
) as unknown[];
const importFile = () => ({
  format: "samordna.reports.v1",
  reports: legacy.map((report) => legacyImportEntry(fromLegacyReport(report))),
});

describeEachDatabase("import av rapporter", (database) => {
  const setup = () => interventionScenario(database());

  it("imports all 15 seed slutrapporter with their insatser, keeping what could not be parsed", async () => {
    const { db, association, officer, app, token, api } = await setup();
    const secret = await token(officer.id);
    const response = await app.request(
      `${api}/report-imports`,
      bearer(secret, { method: "POST", body: JSON.stringify(importFile()) }),
    );
    expect(response.status).toBe(201);
    const { items } = (await response.json()) as { items: { sourceId: string; reportId: string }[] };
    expect(items.map((item) => item.sourceId)).toEqual([
      "HT-1",
      "HT-2",
      "HT-3",
      "HT-4",
      "HT-5",
      "UL-1",
      "UL-2",
      "UL-3",
      "UL-4",
      "UL-5",
      "UL-6",
      "UL-7",
      "UL-8",
      "UL-9",
      "GB-1",
    ]);
    const reports = await db
      .selectFrom("report")
      .select(["imported_from", "status", "template_key", "answers"])
      .where("association_id", "=", association.id)
      .execute();
    expect(reports).toHaveLength(15);
    expect(new Set(reports.map((report) => report.status))).toEqual(new Set(["approved"]));
    const byId = Object.fromEntries(reports.map((report) => [report.imported_from, report]));
    // The report's own qualified words stay beside the normalised status.
    expect(JSON.stringify(byId["HT-1"]?.answers)).toContain(
      "Ja, med förbättrade gemensamma rutiner vid implementering av BIP",
    );
    expect(byId["GB-1"]?.template_key).toBe("gavleborg/slutrapport-insats-for-samverkansmedel");
    const ht3 = await db
      .selectFrom("intervention")
      .select(["id", "status", "start_date", "end_date"])
      .where("association_id", "=", association.id)
      .where("name", "like", "Arbetsförmedlare i samverkan%")
      .executeTakeFirstOrThrow();
    expect([ht3.status, ht3.start_date, ht3.end_date]).toEqual(["final_report_approved", "2022-08-01", "2022-12-31"]);
    const grants = await db
      .selectFrom("intervention_grant")
      .select("amount_ore")
      .where("intervention_id", "=", ht3.id)
      .execute();
    expect(grants).toEqual([{ amount_ore: 28_000_000n }]);
    // An imported report renders like any other.
    const gb1 = items.find((item) => item.sourceId === "GB-1");
    const intervention = await db
      .selectFrom("report")
      .select("intervention_id")
      .where("id", "=", gb1?.reportId as string)
      .executeTakeFirstOrThrow();
    const pdf = await app.request(
      `${api}/interventions/${intervention.intervention_id}/reports/${gb1?.reportId}.pdf`,
      bearer(secret),
    );
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    // Its tables as a spreadsheet: HT-1's cost table with typed kronor and the computed Summa.
    const ht1 = items.find((item) => item.sourceId === "HT-1")?.reportId as string;
    const ht1Insats = await db
      .selectFrom("report")
      .select("intervention_id")
      .where("id", "=", ht1)
      .executeTakeFirstOrThrow();
    const xlsx = await app.request(
      `${api}/interventions/${ht1Insats.intervention_id}/reports/${ht1}.xlsx`,
      bearer(secret),
    );
    expect(xlsx.status).toBe(200);
    const sheets = readXlsx(Buffer.from(await xlsx.arrayBuffer())).sheets;
    expect(sheets.some((sheet) => sheet.rows.flat().some((cell) => cell?.value === 877212))).toBe(true);
  });

  it("refuses a broken import file with an error per field and writes nothing", async () => {
    const { db, officer, app, token, api } = await setup();
    const secret = await token(officer.id);
    const good = importFile();
    const broken = (mutate: (file: ReturnType<typeof importFile>) => void) => {
      const file = structuredClone(good);
      mutate(file);
      return JSON.stringify(file);
    };
    const cases: [string, string, number][] = [
      ["{ inte json", "Ogiltig JSON", 400],
      [JSON.stringify({ reports: good.reports }), "format", 422],
      [
        broken((file) => {
          (file.reports[3] as { report: { templateKey: string } }).report.templateKey = "okand/mall";
        }),
        "reports.3.report.templateKey",
        422,
      ],
      [
        broken((file) => {
          (file.reports[14] as { report: { answers: Record<string, unknown> } }).report.answers.okänd = { value: {} };
        }),
        "reports.14.report.answers.okänd",
        422,
      ],
      [
        broken((file) => {
          (file.reports[0] as { insats: { grantedOre?: string } }).insats.grantedOre = "-5";
        }),
        "reports.0.insats.grantedOre",
        422,
      ],
      [
        broken((file) => {
          (file.reports[2] as { insats: { periodEnd: string } }).insats.periodEnd = "2020-01-01";
        }),
        "reports.2.insats.periodEnd",
        422,
      ],
    ];
    for (const [body, expected, status] of cases) {
      const before = await snapshotData(db);
      const response = await app.request(`${api}/report-imports`, bearer(secret, { method: "POST", body }));
      expect(response.status, expected).toBe(status);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(await response.text()).toContain(expected);
      expect(await snapshotData(db), `${expected} wrote something`).toEqual(before);
    }
  });

  it("lets an admin copy a template, change it and make it the default through the API, and no one else", async () => {
    const { db, association, officer, app, token, api } = await setup();
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const adminSecret = await token(admin.id);
    const copy = await app.request(
      `${api}/report-templates`,
      bearer(adminSecret, {
        method: "POST",
        body: JSON.stringify({
          fromKey: "gavleborg/slutrapport-insats-for-samverkansmedel",
          key: "exempel/slutrapport",
          title: "Slutrapport Exempel",
        }),
      }),
    );
    expect(copy.status).toBe(201);
    const { definition } = (await copy.json()) as { definition: { title: string; sections: { heading?: string }[] } };
    const changed = { ...definition, sections: definition.sections.filter((section) => section.heading !== "Kontakt") };
    const saved = await app.request(
      `${api}/report-templates/definition?key=exempel/slutrapport`,
      bearer(adminSecret, { method: "PUT", body: JSON.stringify({ definition: changed }) }),
    );
    expect(saved.status).toBe(200);
    const unknownType = await app.request(
      `${api}/report-templates/definition?key=exempel/slutrapport`,
      bearer(adminSecret, {
        method: "PUT",
        body: JSON.stringify({ definition: { ...changed, sections: [{ key: "x", type: "okänd" }] } }),
      }),
    );
    expect(unknownType.status).toBe(422);
    const builtin = await app.request(
      `${api}/report-templates/definition?key=gavleborg/slutrapport-insats-for-samverkansmedel`,
      bearer(adminSecret, { method: "PUT", body: JSON.stringify({ definition: changed }) }),
    );
    expect(builtin.status).toBe(409);
    const chosen = await app.request(
      `${api}/report-templates/defaults`,
      bearer(adminSecret, { method: "PUT", body: JSON.stringify({ kind: "final", key: "exempel/slutrapport" }) }),
    );
    expect(chosen.status).toBe(200);
    const defaults = await db
      .selectFrom("report_template_default")
      .selectAll()
      .where("association_id", "=", association.id)
      .execute();
    expect(defaults.map((row) => [row.kind, row.template_key])).toEqual([["final", "exempel/slutrapport"]]);
    const officerTry = await app.request(
      `${api}/report-templates/defaults`,
      bearer(await token(officer.id), {
        method: "PUT",
        body: JSON.stringify({ kind: "final", key: "exempel/slutrapport" }),
      }),
    );
    expect(officerTry.status).toBe(403);
  });
});
