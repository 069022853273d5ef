import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/database.js";
import { buildIntervention } from "../support/factories.js";
import { bearer } from "../support/http.js";
import { expectApiRefused, expectFormsRefused } from "../support/refusals.js";
import { interventionScenario } from "../support/scenario.js";

describeEachDatabase("ansökan, mål och rekvisitioner", (database) => {
  const setup = () => interventionScenario(database());

  it("takes an application from the owner's draft through comments to the board's decision", async () => {
    const { db, officer, contactX, ownerX, browser, base } = await setup();
    const owner = await browser(contactX);
    const staff = await browser(officer);
    const created = await owner.post(`${base}/interventions`, {
      name: "Jobbspår Exempelby",
      ownerOrganisationId: ownerX.id,
      kind: "individual",
      startDate: "2026-01-01",
      endDate: "2027-12-31",
      background: "Många unga står långt från arbetsmarknaden.",
      purpose: "Fler unga i arbete eller studier.",
      method: "Stegvis arbetsträning med coach.",
      targetGroup: "Unga 18–29 år",
      plannedWomen: "20",
      plannedMen: "25",
      plannedGenderUnknown: "",
    });
    expect(created.status).toBe(303);
    const path = created.headers.get("location") as string;
    expect((await owner.post(`${path}/goals`, { level: "overall", text: "Fler unga i arbete" })).status).toBe(303);
    expect(
      (
        await owner.post(`${path}/goals`, {
          level: "sub",
          text: "Deltagare till arbete eller studier",
          targetValue: "40",
          unit: "procent",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await owner.post(`${path}/budget`, {
          "budget-2026-salaries": "400 000",
          "budget-2026-premises": "50000",
          "budget-2027-salaries": "420 000",
        })
      ).status,
    ).toBe(303);
    expect((await owner.post(`${path}/status`, { to: "submitted" })).status).toBe(303);
    // Submitted: the owner's goals and budget are now the förbund's to handle.
    expect((await owner.post(`${path}/goals`, { level: "sub", text: "Sent mål" })).status).toBe(403);
    expect((await staff.post(`${path}/comments`, { body: "Förtydliga målgruppen, tack." })).status).toBe(303);
    expect((await owner.post(`${path}/comments`, { body: "Unga med aktivitetsersättning." })).status).toBe(303);
    expect((await staff.post(`${path}/status`, { to: "in_preparation" })).status).toBe(303);

    const page = await (await owner.get(path)).text();
    for (const text of [
      "Många unga står långt från arbetsmarknaden.",
      "Stegvis arbetsträning med coach.",
      "45 (kvinnor 20, män 25",
      "40 procent",
      "Förtydliga målgruppen, tack.",
      "Unga med aktivitetsersättning.",
    ]) {
      expect(page).toContain(text);
    }
    expect(page).toMatch(/870\s000\skr/); // the budget's Summa is computed: 400 000 + 50 000 + 420 000

    const noMotivation = await staff.post(`${path}/decision`, {
      outcome: "rejected",
      decisionSection: "§ 7",
      decisionDate: "2026-02-20",
      startDate: "2026-01-01",
      endDate: "2027-12-31",
    });
    expect(noMotivation.status).toBe(422);
    expect(await noMotivation.text()).toContain("Skriv motiveringen till avslaget");
    const decided = await staff.post(`${path}/decision`, {
      outcome: "granted",
      decisionSection: "§ 7",
      decisionDate: "2026-02-20",
      startDate: "2026-03-01",
      endDate: "2027-12-31",
      conditions: "Delrapport efter ett år.",
      "year-2026": "350 000",
      "year-2027": "420 000",
    });
    expect(decided.status).toBe(303);
    const id = path.split("/").pop() as string;
    const row = await db.selectFrom("intervention").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect([row.status, row.decision_section, row.decision_date, row.start_date, row.conditions]).toEqual([
      "granted",
      "§ 7",
      "2026-02-20",
      "2026-03-01",
      "Delrapport efter ett år.",
    ]);
    const grants = await db
      .selectFrom("intervention_grant")
      .select(["year", "amount_ore"])
      .where("intervention_id", "=", id)
      .orderBy("year")
      .execute();
    expect(grants).toEqual([
      { year: 2026, amount_ore: 35_000_000n },
      { year: 2027, amount_ore: 42_000_000n },
    ]);
  });

  it("rejects an application with the motivation the owner sees", async () => {
    const { db, association, officer, contactX, ownerX, browser, base } = await setup();
    const intervention = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerX.id,
      status: "in_preparation",
    });
    const staff = await browser(officer);
    const path = `${base}/interventions/${intervention.id}`;
    const response = await staff.post(`${path}/decision`, {
      outcome: "rejected",
      decisionSection: "§ 9",
      decisionDate: "2026-02-20",
      startDate: "2026-01-01",
      endDate: "2027-12-31",
      motivation: "Insatsen ryms inte i årets budget.",
    });
    expect(response.status).toBe(303);
    const owner = await browser(contactX);
    const page = await (await owner.get(path)).text();
    expect(page).toContain("Avslagen");
    expect(page).toContain("Insatsen ryms inte i årets budget.");
    // Only an application under preparation can be decided.
    const again = await staff.post(`${path}/decision`, {
      outcome: "granted",
      decisionSection: "§ 10",
      decisionDate: "2026-02-21",
      startDate: "2026-01-01",
      endDate: "2027-12-31",
      "year-2026": "1",
    });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("Bara en ansökan under beredning");
  });

  it("changes granted goals only by revision, with date, reason and decision, and keeps what they said", async () => {
    const { db, association, officer, contactX, ownerX, browser, base } = await setup();
    const intervention = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id });
    const owner = await browser(contactX);
    const staff = await browser(officer);
    const path = `${base}/interventions/${intervention.id}`;
    await owner.post(`${path}/goals`, {
      level: "sub",
      text: "30 deltagare per år",
      targetValue: "30",
      unit: "deltagare",
    });
    await owner.post(`${path}/goals`, { level: "sub", text: "Gemensam kartläggning" });
    const goals = await db
      .selectFrom("intervention_goal")
      .select(["id", "text"])
      .where("intervention_id", "=", intervention.id)
      .orderBy("position")
      .execute();
    const [first, second] = goals as unknown as [{ id: string }, { id: string }];
    await db.updateTable("intervention").set({ status: "ongoing" }).where("id", "=", intervention.id).execute();

    expect((await owner.post(`${path}/goals/${first.id}`, { level: "sub", text: "Ändrat" })).status).toBe(403);
    const noReason = await staff.post(`${path}/goals/${first.id}`, { level: "sub", text: "20 deltagare per år" });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("Skriv varför målet ändras.");
    expect(
      (
        await staff.post(`${path}/goals/${first.id}`, {
          level: "sub",
          text: "20 deltagare per år",
          targetValue: "20",
          unit: "deltagare",
          revisedOn: "2026-04-01",
          reason: "Delmålen reviderades pga. covid-19.",
          decisionReference: "Styrelsen 2026-03-28 § 12",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await staff.post(`${path}/goals/${second.id}/strike`, {
          revisedOn: "2026-05-02",
          reason: "Styrelsen beslutade att stryka målsättningen.",
        })
      ).status,
    ).toBe(303);
    expect((await staff.post(`${path}/goals/${second.id}/delete`, {})).status).toBe(409);

    const revisions = await db
      .selectFrom("intervention_goal_revision")
      .select(["change", "revised_on", "previous_text", "previous_target_value", "decision_reference"])
      .where("intervention_id", "=", intervention.id)
      .orderBy("revised_on")
      .execute();
    expect(revisions).toEqual([
      {
        change: "changed",
        revised_on: "2026-04-01",
        previous_text: "30 deltagare per år",
        previous_target_value: 30,
        decision_reference: "Styrelsen 2026-03-28 § 12",
      },
      {
        change: "struck",
        revised_on: "2026-05-02",
        previous_text: null,
        previous_target_value: null,
        decision_reference: null,
      },
    ]);
    const page = await (await owner.get(path)).text();
    expect(page).toContain("Delmålen reviderades pga. covid-19.");
    expect(page).toContain("Struket");
    expect(page).toContain("(tidigare: 30 deltagare per år)");
  });

  it("claims costs by requisition, approves beyond the grant only with a reason, and derives what remains", async () => {
    const { db, association, officer, contactX, contactY, ownerX, browser, base, app, token, api } = await setup();
    const intervention = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerX.id,
      status: "ongoing",
    }); // 250 000 kr granted for 2026
    const owner = await browser(contactX);
    const staff = await browser(officer);
    const path = `${base}/interventions/${intervention.id}`;

    const outside = await owner.post(`${path}/requisitions`, {
      periodStart: "2028-01-01",
      periodEnd: "2028-03-31",
      "amount-salaries": "1000",
    });
    expect(outside.status).toBe(422);
    expect(await outside.text()).toContain("Perioden ska ligga inom insatstiden");
    const acrossYears = await owner.post(`${path}/requisitions`, {
      periodStart: "2026-12-01",
      periodEnd: "2027-01-31",
      "amount-salaries": "1000",
    });
    expect(await acrossYears.text()).toContain("En rekvisition gäller ett kalenderår");

    const first = await owner.post(`${path}/requisitions`, {
      periodStart: "2026-01-01",
      periodEnd: "2026-03-31",
      "amount-salaries": "180 000",
      "amount-travel": "5 000",
    });
    expect(first.status).toBe(303);
    const firstPath = first.headers.get("location") as string;
    expect((await staff.post(`${firstPath}/decision`, { decision: "approve" })).status).toBe(303);

    const second = await owner.post(`${path}/requisitions`, {
      periodStart: "2026-04-01",
      periodEnd: "2026-06-30",
      "amount-salaries": "90 000",
    });
    const secondPath = second.headers.get("location") as string;
    const noReason = await staff.post(`${secondPath}/decision`, { decision: "approve" });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toMatch(/överstiger beviljade medel med 25\s000\skr/);
    const noComment = await staff.post(`${secondPath}/decision`, { decision: "return" });
    expect(await noComment.text()).toContain("Skriv varför rekvisitionen återsänds");
    expect(
      (await staff.post(`${secondPath}/decision`, { decision: "return", comment: "Bifoga underlag." })).status,
    ).toBe(303);
    const version = /name="version" value="(\d+)"/.exec(await (await owner.get(secondPath)).text())?.[1] as string;
    expect(
      (
        await owner.post(secondPath, {
          version,
          periodStart: "2026-04-01",
          periodEnd: "2026-06-30",
          "amount-salaries": "90 000",
          note: "Underlag bifogat.",
        })
      ).status,
    ).toBe(303);
    // A second resubmission from the same, now stale, version is a conflict.
    expect(
      (
        await owner.post(secondPath, {
          version,
          periodStart: "2026-04-01",
          periodEnd: "2026-06-30",
          "amount-salaries": "1",
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await staff.post(`${secondPath}/decision`, {
          decision: "approve",
          overGrantReason: "Styrelsen beslutade om utökning 2026-06-10.",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await staff.post(`${path}/repayments`, {
          amount: "3 003",
          repaidOn: "2026-12-15",
          decisionReference: "§ 88",
        })
      ).status,
    ).toBe(303);

    const secret = await token(officer.id);
    const money = (await (
      await app.request(`${api}/interventions/${intervention.id}/money`, bearer(secret))
    ).json()) as {
      years: unknown[];
    };
    expect(money.years).toEqual([
      {
        year: 2026,
        grantedOre: 25_000_000,
        requisitionedOre: 27_500_000,
        remainingOre: -2_500_000,
        repaidOre: 300_300,
      },
    ]);
    const page = await (await owner.get(`${path}/requisitions`)).text();
    expect(page).toMatch(/275\s000\skr/);
    expect(page).toMatch(/−25\s000\skr|-25\s000\skr/);
    // Another insatsägare's contact sees none of it.
    const other = await browser(contactY);
    expect((await other.get(`${path}/requisitions`)).status).toBe(404);
    expect((await other.get(firstPath)).status).toBe(404);
  });

  it("refuses bad application and requisition input with a clear error and writes nothing", async () => {
    const { db, association, officer, ownerX, browser, base, app, token, api } = await setup();
    const draft = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id });
    const ongoing = await buildIntervention(db, association.id, { ownerOrganisationId: ownerX.id, status: "ongoing" });
    const staff = await browser(officer);
    const draftPath = `${base}/interventions/${draft.id}`;
    const ongoingPath = `${base}/interventions/${ongoing.id}`;
    const period = { periodStart: "2026-01-01", periodEnd: "2026-03-31" };
    const cases: [string, Record<string, string>, string][] = [
      [`${draftPath}/goals`, { level: "sub", text: "" }, "Skriv målet."],
      [`${draftPath}/goals`, { level: "sub", text: "Mål", targetValue: "-3" }, "Målvärdet kan inte vara negativt."],
      [`${draftPath}/goals`, { level: "sub", text: "Mål", targetValue: "2,5" }, "Ange målvärdet som ett heltal."],
      [`${draftPath}/goals`, { level: "sub", text: "Mål", unit: "procent" }, "Ange målvärdet när du anger en enhet."],
      [`${draftPath}/goals`, { level: "sub", text: "x".repeat(2001) }, "Högst 2000 tecken."],
      [`${draftPath}/budget`, { "budget-2026-salaries": "-100" }, "Ange beloppet för 2026 i hela kronor"],
      [`${draftPath}/budget`, { "budget-2026-salaries": "10000000001" }, "högst 10 000 000 000"],
      [`${draftPath}/comments`, { body: "" }, "Skriv en kommentar."],
      [`${ongoingPath}/requisitions`, { ...period, "amount-salaries": "12.5" }, "Ange beloppet i hela kronor"],
      [`${ongoingPath}/requisitions`, { ...period }, "Ange kostnader för minst ett kostnadsslag."],
      [
        `${ongoingPath}/requisitions`,
        { periodStart: "2026-03-31", periodEnd: "2026-01-01", "amount-salaries": "1" },
        "Periodens slut kan inte vara före dess början.",
      ],
      [
        `${draftPath}/requisitions`,
        { ...period, "amount-salaries": "1" },
        "Rekvisitioner lämnas för beviljade insatser",
      ],
      [`${ongoingPath}/repayments`, { amount: "0", repaidOn: "2026-12-01" }, "större än noll"],
      [`${ongoingPath}/repayments`, { amount: "100", repaidOn: "2026-13-01" }, "Ange datum för återföringen"],
    ];
    await expectFormsRefused(db, staff, cases);
    const secret = await token(officer.id);
    const line = (amountOre: number) => ({ ...period, lines: [{ costCategory: "salaries", amountOre }] });
    const apiCases: [string, unknown, string][] = [
      [`/interventions/${ongoing.id}/requisitions`, line(-1), "lines.0.amountOre"],
      [`/interventions/${ongoing.id}/requisitions`, line(1.5), "lines.0.amountOre"],
      [`/interventions/${ongoing.id}/requisitions`, line(1e12 + 1), "lines.0.amountOre"],
      [
        `/interventions/${ongoing.id}/requisitions`,
        { ...period, lines: [{ costCategory: "okänt", amountOre: 100 }] },
        "lines.0.costCategory",
      ],
      [`/interventions/${ongoing.id}/repayments`, { amountOre: 0, repaidOn: "2026-12-01" }, "amountOre"],
    ];
    await expectApiRefused(
      db,
      (path, init) => app.request(`${api}${path}`, init),
      secret,
      apiCases.map(([path, body, field]) => ["POST", path, body, field] as const),
    );
  });
});
