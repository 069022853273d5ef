import { expect, it } from "vitest";
import { builtinTemplates, findBuiltinTemplate } from "../../src/reports/builtin/index.js";
import type { SectionDefinition, TemplateVersion } from "../../src/reports/template-model.js";
import { describeEachDatabase } from "../support/database.js";
import { buildIntervention, buildUser } from "../support/factories.js";
import { interventionScenario } from "../support/scenario.js";
import { snapshotData } from "../support/snapshot.js";

const GAVLEBORG = "gavleborg/slutrapport-insats-for-samverkansmedel";
const COPY = "exempel/slutrapport-2027";

const htmlText = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The fields a browser posts from a form as the page renders it: text inputs and textareas (no ticked boxes). */
function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    if (name !== "_csrf") fields[name as string] = htmlText(value as string);
  }
  for (const [, name, value] of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) {
    fields[name as string] = htmlText(value as string);
  }
  return fields;
}

const child = (sections: SectionDefinition[], key: string) => sections.find((section) => section.key === key);

describeEachDatabase("rapportmallar", (database) => {
  const setup = async () => {
    const scenario = await interventionScenario(database());
    const admin = await buildUser(scenario.db, { associationId: scenario.association.id, role: "admin" });
    const templates = `${scenario.base}/report-templates`;
    const page = (key: string, suffix = "") => `${templates}/template${suffix}?key=${encodeURIComponent(key)}`;
    return { ...scenario, admin: await scenario.browser(admin), templates, page };
  };

  const storedDefinition = async (db: Awaited<ReturnType<typeof setup>>["db"], associationId: string) =>
    (
      await db
        .selectFrom("report_template")
        .select("definition")
        .where("association_id", "=", associationId)
        .where("key", "=", COPY)
        .executeTakeFirstOrThrow()
    ).definition as TemplateVersion;

  it("shows the admin the three built-in templates as an outline and refuses everyone else", async () => {
    const { officer, contactX, admin, browser, templates, page } = await setup();
    const list = await admin.get(templates);
    expect(list.status).toBe(200);
    const html = await list.text();
    for (const template of builtinTemplates) {
      expect(html).toContain(template.key);
      expect(html).toContain(page(template.key).replace(/&/g, "&amp;"));
    }
    expect(html.match(/<td>Inbyggd<\/td>/g)).toHaveLength(3);

    const outline = await (await admin.get(page(GAVLEBORG))).text();
    const printed = ["4.1", "Syfte och bakgrund till insatsen:", "5.1", "Måluppfyllelse:", "Ange mål och resultat."];
    for (const text of printed) expect(outline).toContain(text);
    expect(outline.indexOf("Syfte och bakgrund")).toBeLessThan(outline.indexOf("Måluppfyllelse:"));
    expect(outline).toContain("Mål och resultat");
    expect(outline).toContain("Mallen är inbyggd: kopiera den för att ändra.");
    // Without a key: the association's default slutrapport template, the first built-in until one is chosen.
    expect(await (await admin.get(`${templates}/template`)).text()).toContain(builtinTemplates[0]?.key);

    for (const user of [officer, contactX]) {
      const other = await browser(user);
      expect((await other.get(templates)).status).toBe(403);
      expect((await other.get(page(GAVLEBORG))).status).toBe(403);
      expect((await other.get(page(GAVLEBORG, "/edit"))).status).toBe(403);
      expect((await other.post(templates, { fromKey: GAVLEBORG, key: COPY, title: "Kopia" })).status).toBe(403);
      expect((await other.post(`${templates}/defaults`, { "default-final": GAVLEBORG })).status).toBe(403);
      expect((await other.post(page(GAVLEBORG), {})).status).toBe(403);
    }
  });

  it("copies a template, changes its labels, order and sections, and starts new reports on it as the default", async () => {
    const { db, association, ownerX, contactX, admin, browser, base, templates, page } = await setup();
    const copied = await admin.post(templates, { fromKey: GAVLEBORG, key: COPY, title: "Slutrapport 2027" });
    expect(copied.status).toBe(303);
    expect(copied.headers.get("location")).toBe(page(COPY, "/edit"));

    const form = formFields(await (await admin.get(page(COPY, "/edit"))).text());
    expect(form["heading.purpose_background"]).toBe("Syfte och bakgrund till insatsen:");
    expect(form["position.target_group"]).toBe("2");
    const saved = await admin.post(page(COPY), {
      ...form,
      "heading.purpose_background": "Syfte med insatsen",
      "prompts.purpose_background": "Vad ville ni uppnå?\r\n\r\n  För vem?  ",
      "position.target_group": "1",
      "remove.analysis": "on",
    });
    expect(saved.status).toBe(303);

    // Everything the form did not change is as the built-in form has it.
    const source = findBuiltinTemplate(GAVLEBORG) as TemplateVersion;
    const expected = structuredClone({
      ...source,
      key: COPY,
      title: "Slutrapport 2027",
      association: association.name,
    });
    expected.sections = expected.sections.filter((section) => section.key !== "analysis");
    const description = child(expected.sections, "description") as SectionDefinition;
    const [purpose, target] = description.children as [SectionDefinition, SectionDefinition];
    description.children = [
      target,
      { ...purpose, heading: "Syfte med insatsen", prompts: ["Vad ville ni uppnå?", "För vem?"] },
    ];
    expect(await storedDefinition(db, association.id)).toEqual(JSON.parse(JSON.stringify(expected)));

    const outline = await (await admin.get(page(COPY))).text();
    expect(outline.indexOf("Målgrupp för insatsen:")).toBeLessThan(outline.indexOf("Syfte med insatsen"));
    expect(outline).not.toContain("Analys");

    expect(
      (await admin.post(`${templates}/defaults`, { "default-interim": GAVLEBORG, "default-final": COPY })).status,
    ).toBe(303);
    const intervention = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerX.id,
      status: "ended",
    });
    const owner = await browser(contactX);
    expect((await owner.post(`${base}/interventions/${intervention.id}/reports`, { kind: "final" })).status).toBe(303);
    const report = await db
      .selectFrom("report")
      .select(["template_key", "template"])
      .where("intervention_id", "=", intervention.id)
      .executeTakeFirstOrThrow();
    expect(report.template_key).toBe(COPY);
    expect(JSON.stringify(report.template)).toContain("Syfte med insatsen");

    // Written on, the template is frozen: the page says so and a save is refused.
    expect(await (await admin.get(templates)).text()).toContain("Egen, används av 1 rapport");
    const locked = await (await admin.get(page(COPY, "/edit"))).text();
    expect(locked).toContain("Mallen används av 1 rapport: kopiera den för att ändra.");
    expect(locked).not.toContain("Spara mallen");
    const before = await snapshotData(db);
    const refused = await admin.post(page(COPY), { ...form, "heading.purpose_background": "Sen ändring" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("rapporter är skrivna på mallen, så den ändras inte längre.");
    expect(await snapshotData(db)).toEqual(before);
  });

  it("never changes a built-in template", async () => {
    const { db, admin, page } = await setup();
    const locked = await (await admin.get(page(GAVLEBORG, "/edit"))).text();
    expect(locked).toContain("Mallen är inbyggd: kopiera den för att ändra.");
    expect(locked).not.toContain("Spara mallen");
    const before = await snapshotData(db);
    const refused = await admin.post(page(GAVLEBORG), { "heading.purpose_background": "Egen rubrik" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("En inbyggd mall ändras inte.");
    expect(await snapshotData(db)).toEqual(before);
  });

  it("answers bad input in Swedish on the form and writes nothing", async () => {
    const { db, admin, templates, page } = await setup();
    expect((await admin.post(templates, { fromKey: GAVLEBORG, key: COPY, title: "Slutrapport 2027" })).status).toBe(
      303,
    );
    const form = formFields(await (await admin.get(page(COPY, "/edit"))).text());
    const cases: [string, Record<string, string>, string][] = [
      [templates, { fromKey: GAVLEBORG, key: "Exempel 2027", title: "Kopia" }, "Ange nyckeln som förbund/mall"],
      [templates, { fromKey: GAVLEBORG, key: COPY, title: "Kopia" }, "Det finns redan en mall med den nyckeln."],
      [templates, { fromKey: COPY, key: GAVLEBORG, title: "Kopia" }, "Det finns redan en mall med den nyckeln."],
      [templates, { fromKey: GAVLEBORG, key: "exempel/ny", title: " " }, "Ange en titel för kopian."],
      [`${templates}/defaults`, { "default-final": "exempel/finns-inte" }, "Välj en mall i listan."],
      [
        page(COPY),
        { ...form, "heading.purpose_background": " ", "prompts.target_group": "Min nya fråga" },
        "4.1 Syfte och bakgrund till insatsen: Texten får inte vara tom.",
      ],
      [page(COPY), { ...form, "position.goals": "först" }, "5.1 Måluppfyllelse: Ange platsen som ett heltal"],
      [page(COPY), { ...form, title: "" }, "Texten får inte vara tom."],
    ];
    for (const [url, fields, message] of cases) {
      const before = await snapshotData(db);
      const response = await admin.post(url, fields);
      const html = await response.text();
      expect(response.status, `${url} ${JSON.stringify(fields)}`).toBe(422);
      expect(html, url).toContain(message);
      expect(await snapshotData(db), `${url} wrote something`).toEqual(before);
    }
    // The form comes back with what the admin wrote.
    const kept = await admin.post(page(COPY), {
      ...form,
      "heading.methods": "",
      "prompts.target_group": "Min nya fråga",
    });
    expect(await kept.text()).toContain("Min nya fråga");
  });
});
