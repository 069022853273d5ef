import { expect, it } from "vitest";
import { insertGoal } from "../../src/interventions/repository.js";
import { describeEachDatabase } from "../support/database.js";
import { readDocx } from "../support/docx-text.js";
import { buildIntervention } from "../support/factories.js";
import { readPdf } from "../support/pdf-text.js";
import { interventionScenario } from "../support/scenario.js";

const GAVLEBORG = "gavleborg/slutrapport-insats-for-samverkansmedel";

/** Every question of a report form answered the way a careful writer would: text, a status per goal, dates. */
function fillAll(form: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name] of form.matchAll(/<textarea[^>]*name="([^"]+)"/g)) fields[name as string] = "Ett svar.";
  for (const [, name] of form.matchAll(/<select[^>]*name="([^"]+\.status)"/g)) fields[name as string] = "uppnått";
  for (const [, name] of form.matchAll(/<input[^>]*name="([^"]+\.date)"/g)) fields[name as string] = "2027-01-15";
  for (const [, name] of form.matchAll(/<input[^>]*name="([^"]+\.(?:name|place|organisation))"/g)) {
    fields[name as string] = "Exempelby";
  }
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    if (name !== "_csrf") fields[name as string] = value as string;
  }
  return fields;
}

describeEachDatabase("rapporter", (database) => {
  const setup = () => interventionScenario(database());

  it("takes a slutrapport from prefilled draft to approval and exports it as PDF and Word", async () => {
    const { db, association, officer, contactX, ownerX, browser, base } = await setup();
    const intervention = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerX.id,
      status: "ended",
    });
    const owner = await browser(contactX);
    const staff = await browser(officer);
    const path = `${base}/interventions/${intervention.id}`;
    await db
      .transaction()
      .execute((tx) =>
        insertGoal(tx, association.id, intervention.id, { level: "sub", text: "Tio deltagare i arbete" }),
      );

    const started = await owner.post(`${path}/reports`, { kind: "final", templateKey: GAVLEBORG });
    expect(started.status).toBe(303);
    const editPath = started.headers.get("location") as string;
    const reportPath = editPath.replace(/\/edit$/, "");
    const form = await (await owner.get(editPath)).text();
    expect(form).toContain("5.1 Måluppfyllelse");
    expect(form).toContain("Tio deltagare i arbete");

    // A draft saves whatever is there; handing in asks for every required section.
    const fields = fillAll(form);
    const draft: Record<string, string> = { ...fields };
    for (const key of Object.keys(draft)) if (key.startsWith("purpose_background")) delete draft[key];
    const savedDraft = await owner.post(reportPath, draft);
    expect(savedDraft.status).toBe(303);
    const incomplete = await owner.post(`${reportPath}/submit`, {});
    expect(incomplete.status).toBe(422);
    expect(await incomplete.text()).toContain("4.1 Syfte och bakgrund till insatsen");

    const fresh = fillAll(await (await owner.get(editPath)).text());
    fresh["na.partners"] = "on"; // the insats has no samverkansparter
    expect(
      (await owner.post(reportPath, { ...fresh, "purpose_background.text": "Syftet var att pröva samverkan." })).status,
    ).toBe(303);
    // A second save from the version the first one started from is a conflict, and the text is kept.
    const stale = await owner.post(reportPath, { ...fresh, "purpose_background.text": "Sen ändring" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("Sen ändring");

    const submitted = await owner.post(`${reportPath}/submit`, {});
    expect(submitted.status).toBe(303);
    expect(
      (await db.selectFrom("intervention").select("status").where("id", "=", intervention.id).executeTakeFirstOrThrow())
        .status,
    ).toBe("final_report_submitted");

    expect(
      (await staff.post(`${reportPath}/arrival`, { arrivalDate: "2027-01-20", registryNumber: "Dnr 2027/4" })).status,
    ).toBe(303);
    expect((await staff.post(`${reportPath}/approve`, {})).status).toBe(303);
    expect(
      (await db.selectFrom("intervention").select("status").where("id", "=", intervention.id).executeTakeFirstOrThrow())
        .status,
    ).toBe("final_report_approved");

    const pdf = await staff.get(`${reportPath}.pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = (await readPdf(new Uint8Array(await pdf.arrayBuffer()))).text.replace(/\s+/g, " ");
    for (const expected of [
      "Slutrapport",
      "4.1 Syfte och bakgrund till insatsen",
      "Syftet var att pröva samverkan.",
      "Dnr 2027/4",
      "2027-01-20",
      intervention.name,
    ]) {
      expect(text).toContain(expected);
    }
    const docx = await staff.get(`${reportPath}.docx`);
    expect(docx.headers.get("content-disposition")).toContain(".docx");
    const paragraphs = readDocx(Buffer.from(await docx.arrayBuffer())).paragraphs.join("\n");
    expect(paragraphs).toContain("Syftet var att pröva samverkan.");
  });
});
