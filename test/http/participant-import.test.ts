import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import type { Database } from "../../src/platform/db/database.js";
import { describeEachDatabase } from "../support/database.js";
import { buildIntervention } from "../support/factories.js";
import { ORIGIN, type TestBrowser } from "../support/http.js";
import { interventionScenario } from "../support/scenario.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/participants/${name}`, import.meta.url));

/** Posts the import form as a browser does: multipart, with the CSRF token, a file and/or the preview's fields. */
async function postImport(
  browser: TestBrowser,
  path: string,
  options: { file?: { name: string; bytes: Uint8Array }; fields?: Record<string, string> },
) {
  const form = new FormData();
  form.set("_csrf", await browser.csrfToken());
  for (const [name, value] of Object.entries(options.fields ?? {})) form.set(name, value);
  if (options.file) form.set("file", new Blob([new Uint8Array(options.file.bytes)]), options.file.name);
  return browser.request(path, { method: "POST", body: form, headers: { origin: ORIGIN } });
}

/** The preview's own fields (the sealed upload and the mapping selects' chosen values), as submitting it sends them. */
function previewFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const upload = /name="upload" value="([^"]+)"/.exec(html)?.[1];
  if (upload) fields.upload = upload;
  for (const select of html.matchAll(/<select[^>]*name="(mapping\.\d+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)" selected/.exec(select[2] ?? "")?.[1] ?? "";
    fields[select[1] as string] = chosen;
  }
  return fields;
}

const enrolmentsIn = (db: Database["db"], interventionId: string) =>
  db
    .selectFrom("enrolment")
    .select(["participant_id", "enrolled_on", "exited_on", "exit_reason", "income_source_at_enrolment"])
    .where("intervention_id", "=", interventionId)
    .orderBy("enrolled_on")
    .execute();

describeEachDatabase("import och export av deltagare", (database) => {
  const setup = async () => {
    const scenario = await interventionScenario(database());
    const intervention = await buildIntervention(scenario.db, scenario.association.id, {
      ownerOrganisationId: scenario.ownerX.id,
    });
    const path = `${scenario.base}/interventions/${intervention.id}/participants/import`;
    return { ...scenario, intervention, path };
  };

  it("shows a bad row's cell errors without writing anything, then imports the fixed file, all rows", async () => {
    const { db, officer, browser, intervention, path, base } = await setup();
    const user = await browser(officer);
    expect((await user.get(path)).status).toBe(200);

    const bad = await postImport(user, path, { file: { name: "deltagare.csv", bytes: fixture("with-bad-row.csv") } });
    expect(bad.status).toBe(422);
    const preview = await bad.text();
    expect(preview).toContain("1 rad har fel");
    expect(preview).toMatch(/<th scope="row">4<\/th>/);
    expect(preview).toContain("Kontrollsiffran stämmer inte");
    expect(preview).toContain("Okänd försörjning. Skriv en av koderna");
    expect(preview).toContain('aria-invalid="true"');
    // Neither the file's identities nor the file itself appear in clear text on the page.
    expect(preview).not.toContain("19990128");
    expect(preview).not.toContain("Fiktiva Cecilia");
    expect(preview).not.toContain("Importera 4 rader");
    // Committing the broken file anyway is refused the same way.
    const forced = await postImport(user, path, { fields: { ...previewFields(preview), step: "commit" } });
    expect(forced.status).toBe(422);
    expect(await enrolmentsIn(db, intervention.id)).toEqual([]);

    const good = await postImport(user, path, { file: { name: "deltagare.csv", bytes: fixture("fixed.csv") } });
    expect(good.status).toBe(200);
    const ready = await good.text();
    expect(ready).toContain("Alla 4 rader kan läsas in");
    expect(ready).not.toContain("19720704");
    const committed = await postImport(user, path, { fields: { ...previewFields(ready), step: "commit" } });
    expect(committed.status).toBe(303);
    expect(committed.headers.get("location")).toBe(`${base}/interventions/${intervention.id}/participants`);
    const enrolments = await enrolmentsIn(db, intervention.id);
    expect(enrolments.map((row) => [row.enrolled_on, row.income_source_at_enrolment, row.exit_reason])).toEqual([
      ["2026-02-02", "sjukpenning", null],
      ["2026-03-01", "forsorjningsstod", "arbete"],
      ["2026-04-01", "arbetsloshetsersattning", null],
      ["2026-04-15", "aktivitetsstod", null],
    ]);

    // The same people again in the same insats overlap their own enrolments: refused, nothing more written.
    const again = await postImport(user, path, { file: { name: "deltagare.csv", bytes: fixture("fixed.csv") } });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("Personen är redan inskriven i insatsen under en del av perioden.");
    expect(await enrolmentsIn(db, intervention.id)).toHaveLength(4);
  });

  it("refuses a file that is not UTF-8, lacks a required column or repeats a person, with a clear message", async () => {
    const { db, officer, browser, intervention, path } = await setup();
    const user = await browser(officer);
    const latin = new Uint8Array(Buffer.from("personnummer;inskriven;försörjning_start\n;2026-02-01;lön\n", "latin1"));
    const notUtf8 = await postImport(user, path, { file: { name: "deltagare.csv", bytes: latin } });
    expect(notUtf8.status).toBe(422);
    expect(await notUtf8.text()).toContain("Filen är inte sparad som UTF-8");

    const noDate = Buffer.from("personnummer;kön;försörjning_start\n;Man;lon\n");
    const missing = await postImport(user, path, { file: { name: "deltagare.csv", bytes: noDate } });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain("Filen saknar kolumnen inskriven");

    const twice = Buffer.from(
      "personnummer;inskriven;försörjning_start;samtycke_datum;avslutad;avslutsorsak;försörjning_avslut\n" +
        "19850312-2429;2026-02-01;lon;2026-02-01;2026-05-31;arbete;lon\n" +
        "198503122429;2026-05-01;lon;2026-05-01;;;\n",
    );
    const duplicate = await postImport(user, path, { file: { name: "deltagare.csv", bytes: twice } });
    expect(duplicate.status).toBe(422);
    expect(await duplicate.text()).toContain("Personen finns också på rad 2 under en del av samma period.");

    const empty = await postImport(user, path, { file: { name: "deltagare.csv", bytes: new Uint8Array() } });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Välj en fil att läsa in.");
    expect(await enrolmentsIn(db, intervention.id)).toEqual([]);
  });

  it("exports CSV and XLSX that import into other insatser as the same participants; an officer may not export", async () => {
    const { db, association, officer, contactX, ownerX, browser, intervention, path, base } = await setup();
    const owner = await browser(contactX);
    const first = await postImport(owner, path, { file: { name: "deltagare.csv", bytes: fixture("fixed.csv") } });
    await postImport(owner, path, { fields: { ...previewFields(await first.text()), step: "commit" } });
    const original = await enrolmentsIn(db, intervention.id);
    expect(original).toHaveLength(4);

    const exportPath = `${base}/interventions/${intervention.id}/participants`;
    const csv = await owner.get(`${exportPath}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    const text = Buffer.from(bytes).toString("utf8");
    expect(text.startsWith("\uFEFFpersonnummer;namn;kön;födelseår;inskriven;remittent;försörjning_start")).toBe(true);
    expect(text).toContain(
      "19720704-3311;Fiktive Örjan Prov;Man;1972;2026-03-01;;forsorjningsstod;;2026-03-01;1;2026-06-30;arbete;lon",
    );
    const audits = await db
      .selectFrom("audit_log")
      .select("summary")
      .where("association_id", "=", association.id)
      .where("action", "=", "participant.identity.read")
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]?.summary).toMatchObject({ purpose: "export", participantIds: expect.any(Array) });
    expect((audits[0]?.summary as { participantIds?: string[] } | undefined)?.participantIds).toHaveLength(3);

    const participantsBefore = await db
      .selectFrom("participant")
      .select("id")
      .where("association_id", "=", association.id)
      .execute();
    for (const format of ["csv", "xlsx"] as const) {
      const file =
        format === "csv" ? bytes : new Uint8Array(await (await owner.get(`${exportPath}.xlsx`)).arrayBuffer());
      const other = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id });
      const otherPath = `${base}/interventions/${other.id}/participants/import`;
      const checked = await postImport(owner, otherPath, { file: { name: `deltagare.${format}`, bytes: file } });
      const page = await checked.text();
      expect(checked.status, page.match(/field-error[^<]*<[^<]*<\/span>([^<]*)/)?.[1]).toBe(200);
      const done = await postImport(owner, otherPath, { fields: { ...previewFields(page), step: "commit" } });
      expect(done.status).toBe(303);
      const copied = await enrolmentsIn(db, other.id);
      expect(copied.map(({ participant_id: _, ...rest }) => rest)).toEqual(
        original.map(({ participant_id: _, ...rest }) => rest),
      );
      // Those with a personnummer are recognised by the keyed hash: the same participant rows.
      const withIdentity = original.slice(0, 3).map((row) => row.participant_id);
      expect(copied.slice(0, 3).map((row) => row.participant_id)).toEqual(withIdentity);
    }
    const participantsAfter = await db
      .selectFrom("participant")
      .select("id")
      .where("association_id", "=", association.id)
      .execute();
    // Only the one counted without a personnummer is a new participant each time.
    expect(participantsAfter).toHaveLength(participantsBefore.length + 2);

    const staff = await browser(officer);
    for (const format of ["csv", "xlsx"]) {
      expect((await staff.get(`${exportPath}.${format}`)).status).toBe(403);
    }
  });
});
