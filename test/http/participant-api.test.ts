import { expect, it } from "vitest";
import { fictionalPersonalNumber } from "../../src/participants/personal-number.js";
import { describeEachDatabase } from "../support/database.js";
import { buildApiToken, buildEnrolment, buildIntervention, buildUser } from "../support/factories.js";
import { bearer } from "../support/http.js";
import { expectApiRefused } from "../support/refusals.js";
import { interventionScenario } from "../support/scenario.js";
import { snapshotData } from "../support/snapshot.js";

type Enrolment = {
  id: string;
  version: number;
  participantId: string;
  participant: string;
  gender: string;
  birthYear: number | null;
  hasIdentity: boolean;
  anonymised: boolean;
  exitedOn: string | null;
  consentWithdrawnOn: string | null;
  followUps?: { kind: string; outcome: string }[];
  identity?: { personalNumber: string; name: string | null } | null;
};

const PERSONAL_NUMBER = fictionalPersonalNumber("19850417", 124);

describeEachDatabase("participants API", (database) => {
  const setup = async () => {
    const scenario = await interventionScenario(database());
    const intervention = await buildIntervention(scenario.db, scenario.association.id, {
      ownerOrganisationId: scenario.ownerX.id,
    });
    const send = (secret: string, method: string, path: string, body?: unknown) =>
      scenario.app.request(
        `${scenario.api}/interventions/${intervention.id}${path}`,
        bearer(secret, body === undefined ? { method } : { method, body: JSON.stringify(body) }),
      );
    return { ...scenario, intervention, send };
  };

  it("enrols, lists, exits, follows up and withdraws consent, pseudonymously", async () => {
    const { db, officer, token, send, app, api } = await setup();
    const secret = await token(officer.id);

    const codes = await app.request(`${api}/participant-codes`, bearer(secret));
    expect(codes.status).toBe(200);
    const lists = (await codes.json()) as { incomeSource: { code: string }[]; exitReason: { code: string }[] };
    expect(lists.incomeSource.map((entry) => entry.code)).toContain("forsorjningsstod");
    expect(lists.exitReason.map((entry) => entry.code)).toContain("arbete");

    const anonymous = await send(secret, "POST", "/enrolments", {
      gender: "woman",
      birthYear: 1990,
      enrolledOn: "2026-02-01",
      incomeSourceAtEnrolment: "forsorjningsstod",
    });
    expect(anonymous.status).toBe(201);
    const counted = (await anonymous.json()) as Enrolment;
    expect(counted).toMatchObject({ gender: "woman", birthYear: 1990, hasIdentity: false, followUps: [] });
    expect(counted.participant).toMatch(/^D-\d+$/);

    const identified = await send(secret, "POST", "/enrolments", {
      personalNumber: PERSONAL_NUMBER,
      name: "Testa Testsson",
      enrolledOn: "2026-03-01",
      incomeSourceAtEnrolment: "sjukpenning",
      consentOn: "2026-03-01",
    });
    expect(identified.status).toBe(201);
    const text = await identified.text();
    expect(text).not.toContain(PERSONAL_NUMBER.slice(2));
    expect(text).not.toContain("Testsson");
    const enrolment = JSON.parse(text) as Enrolment;
    // Gender and birth year follow from the personnummer.
    expect(enrolment).toMatchObject({ gender: "woman", birthYear: 1985, hasIdentity: true });
    expect(enrolment).not.toHaveProperty("identity");

    const list = async (query = "") =>
      ((await (await send(secret, "GET", `/enrolments${query}`)).json()) as { items: Enrolment[] }).items.map(
        (item) => item.id,
      );
    expect(await list()).toEqual([enrolment.id, counted.id]);

    const exit = { exitedOn: "2026-06-30", exitReason: "arbete", incomeSourceAtExit: "lon" };
    const exited = await send(secret, "POST", `/enrolments/${enrolment.id}/exit`, {
      ...exit,
      version: enrolment.version,
    });
    expect(exited.status).toBe(200);
    expect(((await exited.json()) as Enrolment).exitedOn).toBe("2026-06-30");
    const before = await snapshotData(db);
    const stale = await send(secret, "POST", `/enrolments/${enrolment.id}/exit`, {
      ...exit,
      version: enrolment.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toContain("application/problem+json");
    expect(await snapshotData(db)).toEqual(before);
    expect(await list("?status=active")).toEqual([counted.id]);
    expect(await list("?status=exited")).toEqual([enrolment.id]);

    const followUp = await send(secret, "PUT", `/enrolments/${enrolment.id}/follow-ups/after_90_days`, {
      followedUpOn: "2026-09-30",
      outcome: "arbete",
      incomeSource: "lon",
    });
    expect(followUp.status).toBe(200);
    expect(((await followUp.json()) as Enrolment).followUps).toEqual([
      { kind: "after_90_days", followedUpOn: "2026-09-30", outcome: "arbete", incomeSource: "lon" },
    ]);

    const withdrawn = await send(secret, "POST", `/enrolments/${enrolment.id}/consent-withdrawal`, {
      withdrawnOn: "2026-10-01",
    });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toMatchObject({ consentWithdrawnOn: "2026-10-01", anonymised: true });
    const identities = await db
      .selectFrom("participant_identity")
      .select("participant_id")
      .where("participant_id", "=", enrolment.participantId)
      .execute();
    expect(identities).toEqual([]);

    const fetched = await send(secret, "GET", `/enrolments/${counted.id}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toMatchObject({ id: counted.id, participant: counted.participant });
  });

  it("records and lists lotsärenden", async () => {
    const { officer, token, send } = await setup();
    const secret = await token(officer.id);
    const created = await send(secret, "POST", "/guidance-cases", {
      periodStart: "2026-01-01",
      periodEnd: "2026-06-30",
      women: 4,
      men: 3,
      genderUnknown: 0,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ women: 4, men: 3, genderUnknown: 0, note: null });
    const listed = (await (await send(secret, "GET", "/guidance-cases")).json()) as { items: unknown[] };
    expect(listed.items).toEqual([expect.objectContaining({ periodStart: "2026-01-01", periodEnd: "2026-06-30" })]);
  });

  it("lists the new paths in the OpenAPI document", async () => {
    const { app } = await setup();
    const document = (await (await app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { "x-permission": string }>>;
    };
    const base = "/associations/{slug}/interventions/{interventionId}";
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        `${base}/enrolments`,
        `${base}/enrolments/{enrolmentId}`,
        `${base}/enrolments/{enrolmentId}/exit`,
        `${base}/enrolments/{enrolmentId}/follow-ups/{kind}`,
        `${base}/enrolments/{enrolmentId}/consent-withdrawal`,
        `${base}/guidance-cases`,
        "/associations/{slug}/participant-codes",
      ]),
    );
    expect(document.paths[`${base}/enrolments`]?.post?.["x-permission"]).toBe("participant.write");
    expect(document.paths[`${base}/enrolments/{enrolmentId}`]?.get?.["x-permission"]).toBe("participant.read");
  });

  it("refuses bad input with Swedish problem details and writes nothing", async () => {
    const { db, association, officer, token, app, api, intervention } = await setup();
    const secret = await token(officer.id);
    const open = await buildEnrolment(db, association.id, {
      interventionId: intervention.id,
      personalNumber: PERSONAL_NUMBER,
      enrolledOn: "2026-02-01",
    });
    const counted = await buildEnrolment(db, association.id, { interventionId: intervention.id, gender: "man" });
    const path = `${api}/interventions/${intervention.id}`;
    const enrolment = `${path}/enrolments/${open.enrolment.id}`;
    const valid = { gender: "man", enrolledOn: "2026-02-01", incomeSourceAtEnrolment: "lon" };
    const enrolmentsBefore = await db.selectFrom("enrolment").select("id").execute();
    await expectApiRefused(db, (url, init) => app.request(url, init), secret, [
      ["POST", `${path}/enrolments`, { ...valid, enrolledOn: "1 februari" }, "Ange inskrivningsdatum som ÅÅÅÅ-MM-DD."],
      [
        "POST",
        `${path}/enrolments`,
        { ...valid, enrolledOn: "2025-12-31" },
        "Inskrivningen ska ligga inom insatstiden",
      ],
      ["POST", `${path}/enrolments`, { ...valid, gender: undefined }, "Välj kön"],
      ["POST", `${path}/enrolments`, { ...valid, incomeSourceAtEnrolment: "lotteri" }, "Okänd försörjning"],
      ["POST", `${path}/enrolments`, { ...valid, birthYear: 1850 }, "Ange ett födelseår från 1900."],
      [
        "POST",
        `${path}/enrolments`,
        { ...valid, personalNumber: PERSONAL_NUMBER, consentOn: "2026-02-01", enrolledOn: "2026-03-01" },
        "Personen är redan inskriven i insatsen under en del av perioden.",
      ],
      ["POST", `${path}/enrolments`, { ...valid, personalNumber: PERSONAL_NUMBER }, "Ange när deltagaren samtyckte"],
      [
        "POST",
        `${enrolment}/exit`,
        { exitedOn: "2026-01-15", exitReason: "arbete", incomeSourceAtExit: "lon", version: 1 },
        "Avslutet kan inte vara före inskrivningen",
      ],
      ["POST", `${enrolment}/exit`, { exitedOn: "2026-06-30", exitReason: "arbete", version: 1 }, "incomeSourceAtExit"],
      [
        "PUT",
        `${enrolment}/follow-ups/after_90_days`,
        { followedUpOn: "2026-09-30", outcome: "arbete" },
        "Uppföljning görs efter avslut",
      ],
      [
        "POST",
        `${path}/enrolments/${counted.enrolment.id}/consent-withdrawal`,
        { withdrawnOn: "2026-03-01" },
        "Inskrivningen har inget registrerat samtycke.",
      ],
      [
        "POST",
        `${path}/guidance-cases`,
        { periodStart: "2026-06-30", periodEnd: "2026-01-01", women: 1, men: 0, genderUnknown: 0 },
        "Periodens slut kan inte vara före dess början.",
      ],
    ]);
    const problem = await app.request(
      `${path}/enrolments`,
      bearer(secret, { method: "POST", body: JSON.stringify({ ...valid, enrolledOn: "" }) }),
    );
    expect(await problem.json()).toMatchObject({
      status: 422,
      title: "Uppgifterna behöver rättas",
      errors: [{ path: "enrolledOn", detail: "Ange inskrivningsdatum som ÅÅÅÅ-MM-DD." }],
    });
    expect(await db.selectFrom("enrolment").select("id").execute()).toEqual(enrolmentsBefore);
  });

  it("refuses an invalid personnummer without repeating it", async () => {
    const { db, officer, token, send } = await setup();
    const secret = await token(officer.id);
    const wrong = `${PERSONAL_NUMBER.slice(0, -1)}${(Number(PERSONAL_NUMBER.slice(-1)) + 1) % 10}`;
    const before = await snapshotData(db);
    const response = await send(secret, "POST", "/enrolments", {
      personalNumber: wrong,
      enrolledOn: "2026-02-01",
      incomeSourceAtEnrolment: "lon",
      consentOn: "2026-02-01",
    });
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(text).toContain("Kontrollsiffran stämmer inte");
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(wrong.slice(2));
    expect(await snapshotData(db)).toEqual(before);
  });

  it("hides another insatsägare's insats, and enrolments from the board", async () => {
    const { db, association, contactY, token, send, intervention, app, api } = await setup();
    const { enrolment } = await buildEnrolment(db, association.id, { interventionId: intervention.id });
    const other = await token(contactY.id);
    for (const [method, path, body] of [
      ["GET", "/enrolments"],
      ["POST", "/enrolments", { gender: "man", enrolledOn: "2026-02-01", incomeSourceAtEnrolment: "lon" }],
      ["GET", `/enrolments/${enrolment.id}`],
      ["GET", `/enrolments/${enrolment.id}?include=identity`],
      ["POST", `/enrolments/${enrolment.id}/consent-withdrawal`, { withdrawnOn: "2026-03-01" }],
      ["GET", "/guidance-cases"],
    ] as const) {
      expect((await send(other, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const board = await buildUser(db, { associationId: association.id, role: "board" });
    const boardToken = await token(board.id);
    expect((await send(boardToken, "GET", "/enrolments")).status).toBe(403);
    expect((await send(boardToken, "GET", `/enrolments/${enrolment.id}`)).status).toBe(403);
    expect((await app.request(`${api}/participant-codes`, bearer(boardToken))).status).toBe(403);
  });

  it("reveals the identity only on request, to the administrator and the insatsägare's contact, and audits it", async () => {
    const { db, association, officer, contactX, token, send, intervention } = await setup();
    const { enrolment, participant } = await buildEnrolment(db, association.id, {
      interventionId: intervention.id,
      personalNumber: PERSONAL_NUMBER,
      name: "Testa Testsson",
    });
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const identityReads = () =>
      db
        .selectFrom("audit_log")
        .select(["actor_user_id", "summary"])
        .where("action", "=", "participant.identity.read")
        .where("entity_id", "=", participant.id)
        .execute();

    for (const user of [admin, contactX]) {
      const secret = await token(user.id);
      const plain = await send(secret, "GET", `/enrolments/${enrolment.id}`);
      expect(await plain.text()).not.toContain("Testsson");
      const revealed = (await (
        await send(secret, "GET", `/enrolments/${enrolment.id}?include=identity`)
      ).json()) as Enrolment;
      expect(revealed.identity).toEqual({ personalNumber: PERSONAL_NUMBER, name: "Testa Testsson" });
    }
    const reads = await identityReads();
    expect(reads.map((read) => read.actor_user_id).sort()).toEqual([admin.id, contactX.id].sort());
    expect(JSON.stringify(reads)).not.toContain(PERSONAL_NUMBER.slice(2));

    const officerToken = await token(officer.id);
    const refused = await send(officerToken, "GET", `/enrolments/${enrolment.id}?include=identity`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain("Testsson");
    expect(await identityReads()).toHaveLength(2);
  });

  it("lets a read-scoped token read but not write", async () => {
    const { db, association, officer, send } = await setup();
    const { secret } = await buildApiToken(db, { associationId: association.id, userId: officer.id, scope: "read" });
    expect((await send(secret, "GET", "/enrolments")).status).toBe(200);
    const before = await snapshotData(db);
    const response = await send(secret, "POST", "/enrolments", {
      gender: "man",
      enrolledOn: "2026-02-01",
      incomeSourceAtEnrolment: "lon",
    });
    expect(response.status).toBe(403);
    expect(await snapshotData(db)).toEqual(before);
  });
});
