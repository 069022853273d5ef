import { expect, it } from "vitest";
import { builtInCodes } from "../../src/participants/codes.js";
import { fictionalPersonalNumber } from "../../src/participants/personal-number.js";
import { upsertFollowUp } from "../../src/participants/repository.js";
import { describeEachDatabase } from "../support/database.js";
import { buildEnrolment, buildIntervention, buildUser } from "../support/factories.js";
import { expectFormsRefused } from "../support/refusals.js";
import { interventionScenario } from "../support/scenario.js";
import { snapshotData } from "../support/snapshot.js";

const PERSONAL_NUMBER = fictionalPersonalNumber("19850417", 238);
const NAME = "Greta Gdprsson";

describeEachDatabase("participant privacy requests", (database) => {
  /** One person in two insatser of the association (one enrolment ended and followed up), and somebody else. */
  async function setup() {
    const scenario = await interventionScenario(database());
    const { db, association, ownerX, ownerY } = scenario;
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const first = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id, name: "Steget före" });
    const second = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerY.id,
      name: "Vägen vidare",
    });
    const ended = await buildEnrolment(db, association.id, {
      interventionId: first.id,
      personalNumber: PERSONAL_NUMBER,
      name: NAME,
      exit: { exitedOn: "2026-05-31", exitReason: "studier", incomeSource: "studiemedel" },
    });
    await db.transaction().execute((tx) =>
      upsertFollowUp(tx, association.id, ended.enrolment.id, {
        kind: "after_90_days",
        followedUpOn: "2026-08-31",
        outcome: "studier",
        incomeSource: "studiemedel",
      }),
    );
    await buildEnrolment(db, association.id, {
      interventionId: second.id,
      personalNumber: `${PERSONAL_NUMBER.slice(2, 8)}-${PERSONAL_NUMBER.slice(8)}`,
      name: NAME,
      enrolledOn: "2026-07-01",
    });
    await buildEnrolment(db, association.id, {
      interventionId: second.id,
      personalNumber: fictionalPersonalNumber("19920101", 124),
      name: "Någon Annan",
    });
    return { ...scenario, admin, participant: ended.participant, url: `${scenario.base}/participants/privacy` };
  }

  const auditActions = async (db: ReturnType<typeof database>["db"], associationId: string) =>
    (
      await db
        .selectFrom("audit_log")
        .select(["action", "entity_id", "summary"])
        .where("association_id", "=", associationId)
        .orderBy("id")
        .execute()
    ).filter((row) => row.action.startsWith("participant."));

  it("finds a person by personnummer, in the body only, with every enrolment across insatser", async () => {
    const { db, association, admin, browser, participant, url } = await setup();
    const client = await browser(admin);
    expect((await client.get(url)).status).toBe(200);

    const found = await client.post(url, { personalNumber: PERSONAL_NUMBER });
    const html = await found.text();
    expect(found.status).toBe(200);
    expect(html).toContain(`Deltagare D-${participant.number}`);
    expect(html).toContain("Steget före");
    expect(html).toContain("Vägen vidare");
    expect(html).toContain("Exportera personens uppgifter");
    expect(html).toContain(`name="participantId" value="${participant.id}"`);
    expect(html).not.toContain(NAME);
    expect(html).not.toContain(PERSONAL_NUMBER);
    const searches = (await auditActions(db, association.id)).filter(
      (row) => row.action === "participant.privacy_search",
    );
    expect(searches.map((row) => row.entity_id)).toEqual([participant.id]);
    expect(JSON.stringify(searches)).not.toContain(PERSONAL_NUMBER.slice(2));

    const unknown = await client.post(url, { personalNumber: fictionalPersonalNumber("19700101", 5) });
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toContain("Förbundet har ingen deltagare med det personnumret");
    await expectFormsRefused(db, client, [
      [url, { personalNumber: "" }, "Ange personens personnummer eller samordningsnummer."],
      [url, { personalNumber: "19850417-0000" }, "Kontrollsiffran stämmer inte"],
    ]);
  });

  it("exports everything held about the person as JSON, and audits the read of the identity", async () => {
    const { db, association, admin, browser, participant, url } = await setup();
    const client = await browser(admin);
    const response = await client.post(`${url}/export`, { participantId: participant.id });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="registerutdrag-D-${participant.number}.json"`,
    );
    const exported = (await response.json()) as {
      participant: Record<string, unknown>;
      enrolments: Record<string, unknown>[];
    };
    expect(exported.participant).toMatchObject({
      pseudonym: `D-${participant.number}`,
      personalNumber: `${PERSONAL_NUMBER.slice(0, 8)}-${PERSONAL_NUMBER.slice(8)}`,
      name: NAME,
      gender: "Kvinna",
      birthYear: 1985,
    });
    expect(exported.enrolments).toHaveLength(2);
    expect(exported.enrolments[0]).toMatchObject({
      intervention: "Steget före",
      exitedOn: "2026-05-31",
      exitReason: "Studier",
      incomeSourceAtExit: "Studiemedel",
      followUps: [{ kind: "Uppföljning efter 90 dagar", followedUpOn: "2026-08-31", outcome: "Studier" }],
    });
    expect(exported.enrolments[1]).toMatchObject({ intervention: "Vägen vidare", exitedOn: null });

    const audited = await auditActions(db, association.id);
    const read = audited.find((row) => row.action === "participant.identity.read");
    expect(read?.entity_id).toBe(participant.id);
    expect(read?.summary).toMatchObject({ purpose: "gdpr_export" });
    expect(audited.find((row) => row.action === "participant.export")?.entity_id).toBe(participant.id);
    expect(JSON.stringify(audited)).not.toContain(NAME);
    expect(JSON.stringify(audited)).not.toContain(PERSONAL_NUMBER.slice(2));
  });

  it("erases the identity and the hash only when confirmed, keeping the pseudonymous enrolments", async () => {
    const { db, association, admin, browser, participant, url } = await setup();
    const client = await browser(admin);
    await expectFormsRefused(db, client, [
      [`${url}/erase`, { participantId: participant.id }, "Kryssa i att du förstår"],
    ]);

    const erased = await client.post(`${url}/erase`, { participantId: participant.id, confirm: "yes" });
    expect(erased.status).toBe(303);
    expect(erased.headers.get("location")).toBe(url);
    const identity = await db
      .selectFrom("participant_identity")
      .select("participant_id")
      .where("participant_id", "=", participant.id)
      .execute();
    expect(identity).toEqual([]);
    const after = await db
      .selectFrom("participant")
      .select(["identity_hash", "anonymised_at", "gender", "birth_year"])
      .where("id", "=", participant.id)
      .executeTakeFirstOrThrow();
    expect(after.identity_hash).toBeNull();
    expect(after.anonymised_at).not.toBeNull();
    expect(after).toMatchObject({ gender: "woman", birth_year: 1985 });
    const enrolments = await db
      .selectFrom("enrolment")
      .select("id")
      .where("participant_id", "=", participant.id)
      .execute();
    expect(enrolments).toHaveLength(2);
    const erase = (await auditActions(db, association.id)).find((row) => row.action === "participant.erase");
    expect(erase).toMatchObject({ entity_id: participant.id, summary: { participant: participant.number } });

    const again = await client.post(url, { personalNumber: PERSONAL_NUMBER });
    expect(await again.text()).toContain("Förbundet har ingen deltagare med det personnumret");
  });

  it("refuses the officer and the insatsägare's contact, and changes nothing for them", async () => {
    const { db, officer, contactX, browser, participant, url, base } = await setup();
    for (const user of [officer, contactX]) {
      const client = await browser(user);
      const before = await snapshotData(db);
      expect((await client.get(url)).status).toBe(403);
      expect((await client.get(`${base}/participants/settings`)).status).toBe(403);
      expect((await client.post(url, { personalNumber: PERSONAL_NUMBER })).status).toBe(403);
      expect((await client.post(`${url}/export`, { participantId: participant.id })).status).toBe(403);
      const erase = await client.post(`${url}/erase`, { participantId: participant.id, confirm: "yes" });
      expect(erase.status).toBe(403);
      const settings = await client.post(`${base}/participants/settings`, { retentionYears: "1", consentVersion: "x" });
      expect(settings.status).toBe(403);
      expect(await snapshotData(db)).toEqual(before);
    }
  });

  /** The settings form as the page posts it: every code of both lists, with the given changes. */
  function settingsFields(changes: Record<string, string | undefined>) {
    const fields: Record<string, string> = { retentionYears: "5", consentVersion: "1" };
    for (const list of ["income_source", "exit_reason"] as const) {
      for (const [index, code] of builtInCodes(list).entries()) {
        fields[`${list}.${index}.code`] = code.code;
        fields[`${list}.${index}.label`] = code.label;
        fields[`${list}.${index}.nationalCode`] = code.nationalCode;
        fields[`${list}.${index}.active`] = "on";
      }
    }
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete fields[name];
      else fields[name] = value;
    }
    return fields;
  }

  it("saves retention, consent version and the code lists; a code in use can be deactivated, not removed", async () => {
    const { db, association, admin, browser, base } = await setup();
    const client = await browser(admin);
    const url = `${base}/participants/settings`;
    const page = await client.get(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sjuk- eller aktivitetsersättning");

    // studier is an exit reason in use; sjukpenning (income source 0) and flytt (exit reason 6) are not.
    await expectFormsRefused(db, client, [
      [url, settingsFields({ retentionYears: "0" }), "Ange gallringstiden i hela år, 1–50."],
      [url, settingsFields({ consentVersion: "" }), "Ange samtyckestextens version"],
      [url, settingsFields({ "exit_reason.2.remove": "on" }), "kan bara inaktiveras, inte tas bort"],
      [url, settingsFields({ "income_source.0.label": "" }), "Ange en benämning."],
      [
        url,
        settingsFields({ "income_source.10.code": "Ny kod", "income_source.10.label": "X" }),
        "Skriv koden med små",
      ],
      [url, settingsFields({ "income_source.10.code": "lon", "income_source.10.label": "Lön 2" }), "Koden finns redan"],
    ]);

    const saved = await client.post(
      url,
      settingsFields({
        retentionYears: "7",
        consentVersion: "2026-1",
        "income_source.5.label": "Lön eller eget företag",
        "income_source.10.code": "lonebidrag",
        "income_source.10.label": "Lönebidrag",
        "income_source.10.nationalCode": "lon",
        "income_source.10.active": "on",
        "income_source.0.remove": "on",
        "exit_reason.2.active": undefined,
        "exit_reason.6.remove": "on",
      }),
    );
    expect(saved.status).toBe(303);
    const settings = await db
      .selectFrom("participant_settings")
      .select(["retention_years", "consent_version"])
      .where("association_id", "=", association.id)
      .executeTakeFirstOrThrow();
    expect(settings).toEqual({ retention_years: 7, consent_version: "2026-1" });
    const codes = await db
      .selectFrom("participant_code")
      .select(["list", "code", "label", "national_code", "active"])
      .where("association_id", "=", association.id)
      .orderBy("list")
      .orderBy("position")
      .execute();
    const income = codes.filter((code) => code.list === "income_source");
    const exit = codes.filter((code) => code.list === "exit_reason");
    expect(income.map((code) => code.code)).not.toContain("sjukpenning");
    expect(income.find((code) => code.code === "lon")?.label).toBe("Lön eller eget företag");
    expect(income.at(-1)).toMatchObject({
      code: "lonebidrag",
      label: "Lönebidrag",
      national_code: "lon",
      active: true,
    });
    expect(exit.find((code) => code.code === "studier")?.active).toBe(false);
    expect(exit.map((code) => code.code)).not.toContain("flytt");
    expect(exit).toHaveLength(builtInCodes("exit_reason").length - 1);
  });
});
