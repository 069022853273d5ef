import { expect, it } from "vitest";
import { OVERLAP_MESSAGE } from "../../src/participants/enrol-participant.js";
import { ENROLMENT_CONFLICT } from "../../src/participants/exit-participant.js";
import { fictionalPersonalNumber, formatPersonalNumber } from "../../src/participants/personal-number.js";
import { describeEachDatabase } from "../support/database.js";
import { buildIntervention, buildUser } from "../support/factories.js";
import type { TestBrowser } from "../support/http.js";
import { expectFormsRefused } from "../support/refusals.js";
import { interventionScenario } from "../support/scenario.js";
import { snapshotData } from "../support/snapshot.js";

const NAME = "Fiktiva Deltagarsson";

describeEachDatabase("deltagare: pages", (database) => {
  const setup = async () => {
    const scenario = await interventionScenario(database());
    const { db, association, ownerX, ownerY, base } = scenario;
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const board = await buildUser(db, { associationId: association.id, role: "board" });
    const auditor = await buildUser(db, { associationId: association.id, role: "auditor" });
    const insatsX = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id, status: "granted" });
    const insatsY = await buildIntervention(db, association.id, { ownerOrganisationId: ownerY.id, status: "granted" });
    const participantsOf = (insats: { id: string }) => `${base}/interventions/${insats.id}/participants`;
    return { ...scenario, admin, board, auditor, insatsX, insatsY, participantsOf };
  };

  const enrolmentFields = (personalNumber: string, overrides: Record<string, string> = {}) => ({
    personalNumber,
    name: NAME,
    gender: "",
    birthYear: "",
    enrolledOn: "2026-03-02",
    referrerMemberId: "",
    incomeSourceAtEnrolment: "forsorjningsstod",
    targetAtStart: "Arbetsträning",
    consentOn: "2026-03-02",
    consentVersion: "1",
    ...overrides,
  });

  /** Enrols through the form and returns the enrolment page's path. */
  async function enrol(browser: TestBrowser, listPath: string, fields: Record<string, string>) {
    const response = await browser.post(`${listPath}/new`, fields);
    expect(response.status, await response.clone().text()).toBe(303);
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^${listPath}/[0-9a-f-]{36}$`));
    return location;
  }

  it("enrols with a personnummer, shows the pseudonym, and shows the identity only on request and with a trace", async () => {
    const { db, association, officer, admin, contactX, browser, insatsX, participantsOf } = await setup();
    const number = fictionalPersonalNumber("19850614", 123);
    const staff = await browser(officer);
    const page = await enrol(staff, participantsOf(insatsX), enrolmentFields(formatPersonalNumber(number)));
    expect(page).not.toContain(number.slice(2, 8));

    const asOfficer = await (await staff.get(page)).text();
    expect(asOfficer).toContain("Deltagare D-1");
    expect(asOfficer).toContain("D-1 är inskriven.");
    expect(asOfficer).not.toContain(number.slice(8));
    expect(asOfficer).not.toContain(NAME);
    expect(asOfficer).not.toContain("Visa personuppgifter");
    expect((await staff.post(`${page}/identity`, {})).status).toBe(403);
    const list = await (await staff.get(participantsOf(insatsX))).text();
    expect(list).toContain("D-1");
    expect(list).not.toContain(NAME);

    for (const user of [admin, contactX]) {
      const reader = await browser(user);
      const before = await (await reader.get(page)).text();
      expect(before).toContain("Visa personuppgifter");
      expect(before).not.toContain(NAME);
      const revealed = await reader.post(`${page}/identity`, {});
      expect(revealed.status).toBe(200);
      const html = await revealed.text();
      expect(html).toContain(formatPersonalNumber(number));
      expect(html).toContain(NAME);
      const reads = await db
        .selectFrom("audit_log")
        .select(["summary"])
        .where("association_id", "=", association.id)
        .where("action", "=", "participant.identity.read")
        .where("actor_user_id", "=", user.id)
        .execute();
      expect(reads).toHaveLength(1);
      expect(JSON.stringify(reads)).not.toContain(number.slice(8));
    }
  });

  it("keeps another insatsägare's participants and all participant pages from board and auditor", async () => {
    const { db, association, contactY, board, auditor, browser, insatsX, participantsOf } = await setup();
    const staff = await browser(await buildUser(db, { associationId: association.id, role: "officer" }));
    const page = await enrol(staff, participantsOf(insatsX), enrolmentFields(fictionalPersonalNumber("19920201", 456)));

    const other = await browser(contactY);
    for (const path of [participantsOf(insatsX), `${participantsOf(insatsX)}/new`, page]) {
      expect((await other.get(path)).status, path).toBe(404);
    }
    expect((await other.post(`${page}/identity`, {})).status).toBe(404);
    const overview = await (await other.get(`/f/${association.slug}/participants`)).text();
    expect(overview).not.toContain(insatsX.name);

    for (const user of [board, auditor]) {
      const reader = await browser(user);
      const response = await reader.get(`/f/${association.slug}/participants`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain("<h1>Deltagare</h1>");
      expect(html).toContain(`/f/${association.slug}/participants/statistics`);
      expect(html).not.toContain(insatsX.name);
      for (const path of [participantsOf(insatsX), page]) {
        expect([403, 404], `${path}`).toContain((await reader.get(path)).status);
      }
    }
  });

  it("recognises the same person in two insatser as one participant", async () => {
    const { db, association, officer, ownerX, browser, insatsX, participantsOf } = await setup();
    const other = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id, status: "granted" });
    const number = fictionalPersonalNumber("19780930", 321);
    const staff = await browser(officer);
    await enrol(staff, participantsOf(insatsX), enrolmentFields(number));
    // Written the short way (ÅÅMMDD-NNNN) the second time: the same person all the same.
    await enrol(staff, participantsOf(other), enrolmentFields(`${number.slice(2, 8)}-${number.slice(8)}`));
    const participants = await db
      .selectFrom("participant")
      .select(["id", "number"])
      .where("association_id", "=", association.id)
      .execute();
    expect(participants).toHaveLength(1);
    const enrolments = await db
      .selectFrom("enrolment")
      .select("intervention_id")
      .where("association_id", "=", association.id)
      .execute();
    expect(enrolments.map((row) => row.intervention_id).sort()).toEqual([insatsX.id, other.id].sort());
    expect(await (await staff.get(participantsOf(other))).text()).toContain("D-1");
  });

  it("refuses bad input with a Swedish message and writes nothing", async () => {
    const { db, officer, browser, insatsX, participantsOf, base } = await setup();
    const staff = await browser(officer);
    const number = fictionalPersonalNumber("19900101", 234);
    const page = await enrol(staff, participantsOf(insatsX), enrolmentFields(number));
    const version = /name="version" value="(\d+)"/.exec(await (await staff.get(page)).text())?.[1] as string;
    const exit = { version, exitedOn: "2026-06-30", exitReason: "arbete", incomeSourceAtExit: "lon" };

    await expectFormsRefused(db, staff, [
      [`${participantsOf(insatsX)}/new`, enrolmentFields(number, { enrolledOn: "2026-05-01" }), OVERLAP_MESSAGE],
      [
        `${participantsOf(insatsX)}/new`,
        enrolmentFields(fictionalPersonalNumber("19910202", 345), { incomeSourceAtEnrolment: "lotterivinst" }),
        "Okänd försörjning: välj ur listan.",
      ],
      [
        `${participantsOf(insatsX)}/new`,
        enrolmentFields("", { name: "", gender: "" }),
        "Välj kön (eller Annat / uppgift saknas).",
      ],
      [`${page}/exit`, { ...exit, exitedOn: "2026-01-15" }, "Avslutet kan inte vara före inskrivningen (2026-03-02)."],
      [`${page}/exit`, { ...exit, exitReason: "" }, "Välj avslutsorsak."],
      [`${base}/interventions/${insatsX.id}/guidance-cases`, {}, "Ange periodens första dag"],
    ]);

    // A wrong check digit: refused, and the number the user typed does not come back in the page.
    const wrong = `${number.slice(0, 11)}${(Number(number.slice(11)) + 1) % 10}`;
    const before = await snapshotData(db);
    const refused = await staff.post(`${participantsOf(insatsX)}/new`, enrolmentFields(formatPersonalNumber(wrong)));
    const html = await refused.text();
    expect(refused.status).toBe(422);
    expect(html).toContain("Kontrollsiffran stämmer inte");
    for (const form of [wrong, formatPersonalNumber(wrong), wrong.slice(2, 8)]) expect(html).not.toContain(form);
    expect(html).not.toContain(NAME);
    expect(html).toContain('value="forsorjningsstod" selected');
    expect(await snapshotData(db)).toEqual(before);
  });

  it("answers a stale exit with 409 and keeps what the user wrote", async () => {
    const { officer, contactX, browser, insatsX, participantsOf } = await setup();
    const staff = await browser(officer);
    const page = await enrol(staff, participantsOf(insatsX), enrolmentFields(fictionalPersonalNumber("19881111", 567)));
    const version = /name="version" value="(\d+)"/.exec(await (await staff.get(page)).text())?.[1] as string;

    const owner = await browser(contactX);
    const first = { version, exitedOn: "2026-06-30", exitReason: "arbete", incomeSourceAtExit: "lon" };
    expect((await owner.post(`${page}/exit`, first)).status).toBe(303);
    const stale = await staff.post(`${page}/exit`, { ...first, exitedOn: "2026-07-15", exitReason: "studier" });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain(ENROLMENT_CONFLICT.split(":")[0]);
    expect(html).toContain('value="2026-07-15"');
    expect(html).toContain('value="studier" selected');

    const shown = await (await staff.get(page)).text();
    expect(shown).toContain("2026-06-30");
    expect(shown).toContain(`name="version" value="${Number(version) + 1}"`);
  });

  it("records follow-up, lotsärenden and a consent withdrawal that erases the identity", async () => {
    const { db, association, admin, browser, insatsX, participantsOf, base } = await setup();
    const staff = await browser(admin);
    const page = await enrol(staff, participantsOf(insatsX), enrolmentFields(fictionalPersonalNumber("19950505", 678)));
    const version = /name="version" value="(\d+)"/.exec(await (await staff.get(page)).text())?.[1] as string;
    const exit = { version, exitedOn: "2026-06-30", exitReason: "arbete", incomeSourceAtExit: "lon" };
    expect((await staff.post(`${page}/exit`, exit)).status).toBe(303);
    const followUp = { kind: "after_90_days", followedUpOn: "2026-09-30", outcome: "arbete", incomeSource: "lon" };
    expect((await staff.post(`${page}/follow-ups`, followUp)).status).toBe(303);
    const cases = { periodStart: "2026-01-01", periodEnd: "2026-06-30", women: "4", men: "3", genderUnknown: "0" };
    expect((await staff.post(`${base}/interventions/${insatsX.id}/guidance-cases`, cases)).status).toBe(303);
    const list = await (await staff.get(participantsOf(insatsX))).text();
    expect(list).toMatch(/<td class="numeric">7<\/td>/);

    const withdrawn = await staff.post(`${page}/consent-withdrawal`, { withdrawnOn: "2026-10-01" });
    expect(withdrawn.status).toBe(303);
    const after = await (await staff.get(page)).text();
    expect(after).toContain("personuppgifterna är raderade");
    expect(after).toContain("Uppföljning efter 90 dagar");
    expect(after).not.toContain("Visa personuppgifter");
    const identities = await db
      .selectFrom("participant_identity")
      .select("participant_id")
      .where("association_id", "=", association.id)
      .execute();
    expect(identities).toEqual([]);
  });
});
