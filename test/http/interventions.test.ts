import { expect, it } from "vitest";
import { interventionStatuses, transitions } from "../../src/interventions/lifecycle.js";
import { describeEachDatabase } from "../support/database.js";
import { buildIntervention } from "../support/factories.js";
import { bearer } from "../support/http.js";
import { expectApiRefused, expectFormsRefused } from "../support/refusals.js";
import { interventionScenario } from "../support/scenario.js";
import { snapshotData } from "../support/snapshot.js";

describeEachDatabase("insatser", (database) => {
  const setup = () => interventionScenario(database());

  it("allows exactly the lifecycle's moves and refuses every other one", async () => {
    const { db, association, officer, ownerX, app, token, api } = await setup();
    const secret = await token(officer.id);
    for (const from of interventionStatuses) {
      for (const to of interventionStatuses) {
        const intervention = await buildIntervention(db, association.id, {
          ownerOrganisationId: ownerX.id,
          status: from,
        });
        await db
          .updateTable("intervention")
          .set({ decision_section: "§ 12", decision_date: "2026-03-14" })
          .where("id", "=", intervention.id)
          .execute();
        const legal = transitions.some((t) => t.from === from && t.to === to);
        const response = await app.request(
          `${api}/interventions/${intervention.id}/status-changes`,
          bearer(secret, { method: "POST", body: JSON.stringify({ to, comment: "Motivering" }) }),
        );
        const after = await db
          .selectFrom("intervention")
          .select("status")
          .where("id", "=", intervention.id)
          .executeTakeFirstOrThrow();
        expect(response.status, `${from} → ${to}`).toBe(legal ? 201 : 409);
        expect(after.status, `${from} → ${to}`).toBe(legal ? to : from);
      }
    }
  });

  it("records who moved the insats, when and why, and asks for what a move needs", async () => {
    const { db, association, officer, contactX, ownerX, browser, base } = await setup();
    const intervention = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id });
    const owner = await browser(contactX);
    const staff = await browser(officer);
    const path = `${base}/interventions/${intervention.id}`;

    expect((await owner.post(`${path}/status`, { to: "submitted" })).status).toBe(303);
    // The owner may not take the förbund's steps.
    expect((await owner.post(`${path}/status`, { to: "in_preparation" })).status).toBe(403);
    expect((await staff.post(`${path}/status`, { to: "in_preparation" })).status).toBe(303);
    // A return needs a reason; granting needs the decision and the money on record.
    const noReason = await staff.post(`${path}/status`, { to: "draft" });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("Skriv en motivering");
    const noDecision = await staff.post(`${path}/status`, { to: "granted" });
    expect(noDecision.status).toBe(422);
    expect(await noDecision.text()).toContain("Ange beslutets paragraf och datum");
    await db.deleteFrom("intervention_grant").where("intervention_id", "=", intervention.id).execute();
    const edit = await (await staff.get(`${path}/edit`)).text();
    const version = /name="version" value="(\d+)"/.exec(edit)?.[1] as string;
    expect(
      (
        await staff.post(path, {
          version,
          name: intervention.name,
          ownerOrganisationId: ownerX.id,
          kind: "individual",
          startDate: "2026-01-01",
          endDate: "2027-12-31",
          decisionSection: "§ 42",
          decisionDate: "2026-03-14",
        })
      ).status,
    ).toBe(303);
    const noMoney = await staff.post(`${path}/status`, { to: "granted" });
    expect(await noMoney.text()).toContain("Ange beviljade medel");
    expect((await staff.post(`${path}/grants`, { "year-2026": "250 000", "year-2027": "300000 kr" })).status).toBe(303);
    expect((await staff.post(`${path}/status`, { to: "granted" })).status).toBe(303);

    const history = await db
      .selectFrom("intervention_status_change")
      .select(["from_status", "to_status", "changed_by", "comment"])
      .where("intervention_id", "=", intervention.id)
      .orderBy("changed_at")
      .execute();
    expect(history.slice(1).map((change) => [change.from_status, change.to_status, change.changed_by])).toEqual([
      ["draft", "submitted", contactX.id],
      ["submitted", "in_preparation", officer.id],
      ["in_preparation", "granted", officer.id],
    ]);
    const page = await (await owner.get(path)).text();
    expect(page).toMatch(/550\s000\skr/);
    expect(page).toContain("Beviljad");
  });

  it("shows an insatsägare's contact only the insatser of its own organisations", async () => {
    const { db, association, contactX, contactY, ownerX, ownerY, browser, base, app, token, api } = await setup();
    const mine = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id, name: "Insats X" });
    const theirs = await buildIntervention(db, association.id, { ownerOrganisationId: ownerY.id, name: "Insats Y" });
    const x = await browser(contactX);
    const list = await (await x.get(`${base}/interventions`)).text();
    expect(list).toContain("Insats X");
    expect(list).not.toContain("Insats Y");
    expect((await x.get(`${base}/interventions/${mine.id}`)).status).toBe(200);
    for (const path of ["", "/edit"]) {
      const response = await x.get(`${base}/interventions/${theirs.id}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("Insats Y");
    }
    const before = await snapshotData(database().db);
    expect((await x.post(`${base}/interventions/${theirs.id}/status`, { to: "submitted" })).status).toBe(404);
    expect(await snapshotData(database().db)).toEqual(before);

    const secret = await token(contactX.id);
    const items = (await (await app.request(`${api}/interventions`, bearer(secret))).json()) as {
      items: { name: string }[];
    };
    expect(items.items.map((item) => item.name)).toEqual(["Insats X"]);
    expect((await app.request(`${api}/interventions/${theirs.id}`, bearer(secret))).status).toBe(404);
    // Nor may it register an insats in another organisation's name.
    const forged = await app.request(
      `${api}/interventions`,
      bearer(secret, {
        method: "POST",
        body: JSON.stringify({
          name: "Falsk",
          ownerOrganisationId: ownerY.id,
          kind: "individual",
          startDate: "2026-01-01",
          endDate: "2026-12-31",
        }),
      }),
    );
    expect(forged.status).toBe(422);
    expect(JSON.stringify(await forged.json())).toContain("ownerOrganisationId");
    // A contact edits its application only as a draft.
    await db.updateTable("intervention").set({ status: "submitted" }).where("id", "=", mine.id).execute();
    const y = await browser(contactY);
    expect((await y.get(`${base}/interventions/${mine.id}`)).status).toBe(404);
    const locked = await x.post(`${base}/interventions/${mine.id}`, {
      version: "1",
      name: "Ändrad",
      ownerOrganisationId: ownerX.id,
      kind: "individual",
      startDate: "2026-01-01",
      endDate: "2026-12-31",
    });
    expect(locked.status).toBe(403);
  });

  it("refuses bad input with a clear error and writes nothing", async () => {
    const { db, association, officer, ownerX, browser, base, app, token, api } = await setup();
    const intervention = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id });
    const staff = await browser(officer);
    const valid = {
      name: "Ny insats",
      ownerOrganisationId: ownerX.id,
      kind: "structural",
      startDate: "2026-01-01",
      endDate: "2026-12-31",
    };
    const cases: [string, Record<string, string>, string][] = [
      [`${base}/interventions`, { ...valid, name: "" }, "Ange insatsens namn."],
      [`${base}/interventions`, { ...valid, name: "x".repeat(201) }, "Högst 200 tecken."],
      [`${base}/interventions`, { ...valid, kind: "annan" }, "Välj om insatsen är individ- eller strukturinriktad."],
      [`${base}/interventions`, { ...valid, endDate: "2025-12-31" }, "Slutdatum kan inte vara före startdatum."],
      [`${base}/interventions`, { ...valid, startDate: "2026-02-30" }, "Ange startdatum som ÅÅÅÅ-MM-DD."],
      [
        `${base}/interventions`,
        { ...valid, intakeEndDate: "2027-01-01" },
        "Sista dag för intag ska ligga inom insatstiden.",
      ],
      [`${base}/interventions`, { ...valid, ownerOrganisationId: "nej" }, "Välj insatsägare."],
      [
        `${base}/interventions/${intervention.id}/grants`,
        { "year-2026": "-5" },
        "Ange beloppet för 2026 i hela kronor",
      ],
      [
        `${base}/interventions/${intervention.id}/grants`,
        { "year-2026": "12,50" },
        "Ange beloppet för 2026 i hela kronor",
      ],
      [`${base}/interventions/${intervention.id}/grants`, { "year-2026": "10000000001" }, "högst 10 000 000 000"],
      [
        `${base}/interventions/${intervention.id}/partners`,
        { organisationId: ownerX.id, role: "co_applicant" },
        "Insatsägaren kan inte också vara part",
      ],
      [
        `${base}/interventions/${intervention.id}/partners`,
        { organisationId: "", role: "co_applicant" },
        "Välj organisation.",
      ],
    ];
    await expectFormsRefused(db, staff, cases);
    const secret = await token(officer.id);
    const apiCases: [string, string, unknown, string][] = [
      [
        "PUT",
        `/interventions/${intervention.id}/grants`,
        { grants: [{ year: 2026, amountOre: -1 }] },
        "grants.0.amountOre",
      ],
      [
        "PUT",
        `/interventions/${intervention.id}/grants`,
        { grants: [{ year: 2026, amountOre: 1.5 }] },
        "grants.0.amountOre",
      ],
      [
        "PUT",
        `/interventions/${intervention.id}/grants`,
        { grants: [{ year: 2026, amountOre: 1e12 + 1 }] },
        "grants.0.amountOre",
      ],
      [
        "PUT",
        `/interventions/${intervention.id}/grants`,
        { grants: [{ year: 2030, amountOre: 100 }] },
        "grants.0.year",
      ],
      ["POST", "/interventions", { ...valid, endDate: "2020-01-01" }, "endDate"],
      ["POST", `/interventions/${intervention.id}/status-changes`, { to: "okänd" }, "to"],
    ];
    await expectApiRefused(db, (path, init) => app.request(`${api}${path}`, init), secret, apiCases);
  });

  it("gives the second of two concurrent editors a conflict and keeps their text", async () => {
    const { db, association, officer, ownerX, browser, base, app, token, api } = await setup();
    const intervention = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id });
    const first = await browser(officer);
    const second = await browser(officer);
    const path = `${base}/interventions/${intervention.id}`;
    const fields = (name: string, targetGroup: string) => ({
      version: "1",
      name,
      ownerOrganisationId: ownerX.id,
      kind: "individual",
      startDate: "2026-01-01",
      endDate: "2027-12-31",
      targetGroup,
    });
    expect((await first.post(path, fields("Första namnet", "Unga vuxna"))).status).toBe(303);
    const late = await second.post(path, fields("Andra namnet", "Långtidssjukskrivna"));
    const html = await late.text();
    expect(late.status).toBe(409);
    expect(html).toContain("Någon annan har ändrat insatsen");
    expect(html).toContain('value="Andra namnet"');
    expect(html).toContain("Långtidssjukskrivna");
    expect(html).toContain('name="version" value="2"');
    const stored = await db
      .selectFrom("intervention")
      .select(["name", "version"])
      .where("id", "=", intervention.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ name: "Första namnet", version: 2 });

    const secret = await token(officer.id);
    const stale = await app.request(
      `${api}/interventions/${intervention.id}`,
      bearer(secret, {
        method: "PUT",
        body: JSON.stringify({ ...fields("API", ""), version: 1, targetGroup: undefined }),
      }),
    );
    expect(stale.status).toBe(409);
  });

  it("finds insatser by text, status, owner, year and kind", async () => {
    const { db, association, officer, ownerX, ownerY, browser, base } = await setup();
    await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerX.id,
      name: "Arbetsträning Norr",
      startDate: "2024-01-01",
      endDate: "2024-12-31",
    });
    await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerY.id,
      name: "Hälsolots",
      status: "ongoing",
    });
    const staff = await browser(officer);
    const names = async (query: string) => {
      const html = await (await staff.get(`${base}/interventions?${query}`)).text();
      return ["Arbetsträning Norr", "Hälsolots"].filter((name) => html.includes(`>${name}</a>`));
    };
    expect(await names("")).toEqual(["Arbetsträning Norr", "Hälsolots"]);
    expect(await names("q=arbetstr")).toEqual(["Arbetsträning Norr"]);
    expect(await names("q=vårdcentralen")).toEqual(["Hälsolots"]);
    expect(await names("status=ongoing")).toEqual(["Hälsolots"]);
    expect(await names(`owner=${ownerX.id}`)).toEqual(["Arbetsträning Norr"]);
    expect(await names("year=2024")).toEqual(["Arbetsträning Norr"]);
    expect(await names("year=2027")).toEqual(["Hälsolots"]);
    expect(await names("kind=structural")).toEqual([]);
    expect(await names("status=påhittad")).toEqual(["Arbetsträning Norr", "Hälsolots"]);
  });
});
