import { expect, it } from "vitest";
import { findIntervention } from "../../src/interventions/repository.js";
import { fictionalPersonalNumber } from "../../src/participants/personal-number.js";
import { insertGuidanceCaseCount } from "../../src/participants/repository.js";
import {
  loadStatistics,
  renderCsv,
  statisticsTables,
  suppress,
  workOrStudiesCounts,
} from "../../src/participants/statistics.js";
import { nationalAggregate } from "../../src/participants/statistics-repository.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import { formatPercent } from "../../src/platform/ui/format.js";
import { uppsalaLan2017 } from "../../src/reports/builtin/uppsala-lan-2017.js";
import { loadFacts, prefillAnswers } from "../../src/reports/prefill.js";
import { describeEachDatabase } from "../support/database.js";
import { buildEnrolment, buildIntervention, buildUser } from "../support/factories.js";
import { bearer } from "../support/http.js";
import { interventionScenario } from "../support/scenario.js";
import { readXlsx } from "../support/xlsx-cells.js";

/** The page's tables as text, row by row; tags stripped from each cell. */
function tablesOf(html: string): string[][][] {
  return [...html.matchAll(/<table>[\s\S]*?<\/table>/g)].map(([table]) =>
    [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
      [...row!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) =>
        cell!
          .replace(/<span class="visually-hidden">[^<]*<\/span>/g, "")
          .replace(/<[^>]+>/g, "")
          .replace(/&lt;/g, "<")
          .trim(),
      ),
    ),
  );
}

const YEAR = { from: "2026-01-01", to: "2026-12-31" };

describeEachDatabase("deltagarstatistik", (database) => {
  /**
   * Insats A (owner X) and B (owner Y), period 2026. By hand:
   *   1 P1 kvinna 1990, A, 2025-06-01 → 2026-03-01 arbete, försörjningsstöd → lön (273 dagar)
   *   2 P2 kvinna 2000, A, 2026-02-01 → 2026-05-01 studier, sjukpenning → studiemedel (89 dagar)
   *   3 P3 man 1980, A, 2026-03-01, remitterad av Exempelby kommun, pågår
   *   4 P4 man 1960, A, 2024-01-10 → 2025-12-31: före perioden, räknas inte
   *   5 P5 annat/okänt, inget födelseår, A, 2026-11-01 → 2026-12-01 avbrott, fst → fst (30 dagar)
   *   6 P6 man 2005, A, 2027-01-05: efter perioden, räknas inte
   *   7 P7 kvinna 1955, A, 2026-04-01 → 2026-10-01 arbete med stöd, fst → lön (183 dagar)
   *   8 P1 igen (samma personnummer), B, 2026-04-01, remitterad av Exempelby kommun, pågår
   * Lotsärenden in A: 3/2/1 registered for 2026-01-01–2026-06-30, 9/0/0 for the second half of 2025.
   */
  const setup = async () => {
    const scenario = await interventionScenario(database());
    const { db, association, ownerX, ownerY } = scenario;
    const a = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerX.id,
      name: "Alfa",
      status: "ongoing",
    });
    const b = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerY.id,
      name: "Beta",
      status: "ongoing",
    });
    const member = await db
      .selectFrom("member")
      .select("id")
      .where("association_id", "=", association.id)
      .executeTakeFirstOrThrow();
    const p1 = fictionalPersonalNumber("19900312", 182);
    const enrol = (options: Parameters<typeof buildEnrolment>[2]) => buildEnrolment(db, association.id, options);
    await enrol({
      interventionId: a.id,
      personalNumber: p1,
      gender: "woman",
      enrolledOn: "2025-06-01",
      exit: { exitedOn: "2026-03-01", exitReason: "arbete", incomeSource: "lon" },
    });
    await enrol({
      interventionId: a.id,
      gender: "woman",
      birthYear: 2000,
      enrolledOn: "2026-02-01",
      incomeSource: "sjukpenning",
      exit: { exitedOn: "2026-05-01", exitReason: "studier", incomeSource: "studiemedel" },
    });
    await enrol({
      interventionId: a.id,
      gender: "man",
      birthYear: 1980,
      enrolledOn: "2026-03-01",
      referrerMemberId: member.id,
    });
    await enrol({
      interventionId: a.id,
      gender: "man",
      birthYear: 1960,
      enrolledOn: "2024-01-10",
      exit: { exitedOn: "2025-12-31", exitReason: "arbete", incomeSource: "lon" },
    });
    await enrol({
      interventionId: a.id,
      gender: "other_unknown",
      enrolledOn: "2026-11-01",
      exit: { exitedOn: "2026-12-01", exitReason: "avbrott", incomeSource: "forsorjningsstod" },
    });
    await enrol({ interventionId: a.id, gender: "man", birthYear: 2005, enrolledOn: "2027-01-05" });
    await enrol({
      interventionId: a.id,
      gender: "woman",
      birthYear: 1955,
      enrolledOn: "2026-04-01",
      exit: { exitedOn: "2026-10-01", exitReason: "arbete_med_stod", incomeSource: "lon" },
    });
    await enrol({
      interventionId: b.id,
      personalNumber: p1,
      enrolledOn: "2026-04-01",
      incomeSource: "lon",
      referrerMemberId: member.id,
    });
    await db.transaction().execute(async (tx) => {
      const guidance = (periodStart: string, periodEnd: string, women: number, men: number, genderUnknown: number) =>
        insertGuidanceCaseCount(
          tx,
          association.id,
          a.id,
          { periodStart, periodEnd, women, men, genderUnknown, note: null },
          null,
        );
      await guidance("2026-01-01", "2026-06-30", 3, 2, 1);
      await guidance("2025-07-01", "2025-12-31", 9, 0, 0);
    });
    const stats = (interventionIds?: string[]) =>
      inAssociation(db, association.id, (tx) =>
        loadStatistics(tx, { associationId: association.id, ...YEAR, interventionIds }),
      );
    return { ...scenario, a, b, stats };
  };

  it("counts active, new and exited persons and enrolments by gender, a person in two insatser once", async () => {
    const { stats, a } = await setup();
    const all = await stats();
    expect(all.persons.byGender).toEqual({
      woman: { active: 3, new: 3, exited: 3 },
      man: { active: 1, new: 1, exited: 0 },
      other_unknown: { active: 1, new: 1, exited: 1 },
    });
    expect(all.persons.total).toEqual({ active: 5, new: 5, exited: 4 });
    // P1 is in A and B: one person, two enrolments.
    expect(all.enrolments.byGender.woman).toEqual({ active: 4, new: 3, exited: 3 });
    expect(all.enrolments.total).toEqual({ active: 6, new: 5, exited: 4 });

    const alfa = await stats([a.id]);
    expect(alfa.persons.total).toEqual({ active: 5, new: 4, exited: 4 });
    expect(alfa.enrolments.total).toEqual({ active: 5, new: 4, exited: 4 });
    expect(await stats([])).toMatchObject({ persons: { total: { active: 0, new: 0, exited: 0 } }, exited: 0 });
  });

  it("computes the income transitions, outcomes with the share to work or studies, and time in the insats", async () => {
    const { stats } = await setup();
    const all = await stats();
    expect(all.transitions.map((row) => [row.atEnrolment, row.atExit, row.count]).sort()).toEqual([
      ["forsorjningsstod", "forsorjningsstod", 1],
      ["forsorjningsstod", "lon", 2],
      ["sjukpenning", "studiemedel", 1],
    ]);
    expect(all.outcomes.map((row) => [row.exitReason, row.byGender, row.workOrStudies])).toEqual([
      ["arbete", { woman: 1, man: 0, other_unknown: 0 }, true],
      ["arbete_med_stod", { woman: 1, man: 0, other_unknown: 0 }, true],
      ["studier", { woman: 1, man: 0, other_unknown: 0 }, true],
      ["avbrott", { woman: 0, man: 0, other_unknown: 1 }, false],
    ]);
    expect(all.exited).toBe(4);
    expect(workOrStudiesCounts(all)).toEqual({ woman: 3, man: 0, other_unknown: 0, total: 3 });
    // 30, 89, 183, 273 days: percentile_cont interpolates between neighbours.
    expect(all.timeInInsats).toEqual({ firstQuartile: 74.25, median: 136, thirdQuartile: 205.5 });

    const exact = statisticsTables(all, { suppressed: false, level: "association" });
    const work = exact.outcome.footerRows?.[0];
    expect(work?.map((cell) => cell.text)).toEqual([
      "Till arbete eller studier",
      "3",
      "0",
      "0",
      "3",
      formatPercent(0.75),
    ]);
    expect(work?.[1]).toEqual({ text: "3", number: 3, small: true });
  });

  it("bands the age at enrolment, counts referrers and sums lotsärenden that start in the period", async () => {
    const { stats } = await setup();
    const all = await stats();
    expect(
      all.ageBands.map((band) => [band.band, band.byGender.woman, band.byGender.man, band.byGender.other_unknown]),
    ).toEqual([
      ["16–24", 0, 0, 0],
      ["25–29", 1, 0, 0],
      ["30–39", 1, 0, 0],
      ["40–49", 0, 1, 0],
      ["50–64", 0, 0, 0],
      ["65+", 1, 0, 0],
      ["okänd", 0, 0, 1],
    ]);
    expect(all.referrers).toEqual([
      { memberId: expect.any(String), name: "Exempelby kommun", count: 2 },
      { memberId: null, name: null, count: 4 },
    ]);
    expect(all.guidanceCases).toEqual({ woman: 3, man: 2, other_unknown: 1, total: 6 });
  });

  it("suppresses counts of 1–4, and shares and times built on them, in published tables and the CSV", async () => {
    expect([0, 1, 4, 5, 120].map(suppress)).toEqual([0, "<5", "<5", 5, 120]);
    const { stats } = await setup();
    const tables = statisticsTables(await stats(), { suppressed: true, level: "association" });
    expect(tables.period.rows[0]?.map((cell) => cell.text)).toEqual(["Kvinna", "<5", "<5", "<5", "<5", "<5", "<5"]);
    expect(tables.period.footerRows?.[0]?.map((cell) => cell.text)).toEqual(["Totalt", "5", "5", "<5", "6", "5", "<5"]);
    expect(tables.outcome.footerRows?.[0]?.at(-1)?.text).toBe("–");
    expect(tables.time.rows.map((row) => row[1]?.text)).toEqual(["–", "–", "–"]);
    expect(tables.guidance.footerRows?.[0]?.[1]).toEqual({ text: "6", number: 6 });

    const csv = renderCsv(Object.values(tables));
    expect(csv.startsWith("\uFEFFDeltagare per kön 2026-01-01–2026-12-31\r\n")).toBe(true);
    expect(csv).toContain("\r\nKvinna;<5;<5;<5;<5;<5;<5\r\n");
    expect(csv).toContain("\r\nTotalt;5;5;<5;6;5;<5\r\n");
  });

  it("aggregates enrolments of every association by year and gender for the national follow-up", async () => {
    const { association } = await setup();
    const rows = (await nationalAggregate(database().db, { fromYear: 2024, toYear: 2027 })).filter(
      (row) => row.association_id === association.id,
    );
    expect(rows.map((row) => [row.year, row.gender, row.enrolments])).toEqual([
      [2024, "man", 1],
      [2025, "woman", 1],
      [2026, "man", 1],
      [2026, "other_unknown", 1],
      [2026, "woman", 3],
      [2027, "man", 1],
    ]);
  });

  it("shows the pages to staff exactly and to the board suppressed, with charts and downloads", async () => {
    const { db, association, officer, a, browser, base } = await setup();
    const staff = await browser(officer);
    const page = await staff.get(`${base}/participants/statistics?from=2026-01-01&to=2026-12-31`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const [period] = tablesOf(html);
    expect(period).toEqual([
      [
        "Kön",
        "Aktiva personer",
        "Nya personer",
        "Avslutade personer",
        "Aktiva inskrivningar",
        "Nya inskrivningar",
        "Avslutade inskrivningar",
      ],
      ["Kvinna", "3*", "3*", "3*", "4*", "3*", "3*"],
      ["Man", "1*", "1*", "0", "1*", "1*", "0"],
      ["Annat / uppgift saknas", "1*", "1*", "1*", "1*", "1*", "1*"],
      ["Totalt", "5", "5", "4*", "6", "5", "4*"],
    ]);
    expect(html).toContain('<th scope="col" class="numeric">Aktiva personer</th>');
    expect(html).toMatch(/<svg role="img" aria-label="Stapeldiagram: aktiva, nya och avslutade deltagare per kön"/);
    expect(html).toContain(`href="${base}/participants/statistics.xlsx?from=2026-01-01&amp;to=2026-12-31"`);

    const board = await browser(await buildUser(db, { associationId: association.id, role: "board" }));
    const published = await (await board.get(`${base}/participants/statistics?from=2026-01-01&to=2026-12-31`)).text();
    expect(tablesOf(published)[0]?.[1]).toEqual(["Kvinna", "<5", "<5", "<5", "<5", "<5", "<5"]);
    const boardInsats = await board.get(
      `${base}/interventions/${a.id}/participants/statistics?from=2026-01-01&to=2026-12-31`,
    );
    expect(boardInsats.status).toBe(200);
    expect(tablesOf(await boardInsats.text())[0]?.at(-1)).toEqual(["Totalt", "5", "<5", "<5"]);

    // Downloads are suppressed whoever asks.
    const xlsx = await staff.get(`${base}/participants/statistics.xlsx?from=2026-01-01&to=2026-12-31`);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const sheets = readXlsx(Buffer.from(await xlsx.arrayBuffer())).sheets;
    expect(sheets.map((sheet) => sheet.name)).toEqual([
      "Deltagare",
      "Avslutsorsak",
      "Försörjning",
      "Tid i insatsen",
      "Ålder",
      "Remittent",
      "Lotsärenden",
    ]);
    expect(sheets[0]?.rows[1]?.map((cell) => cell?.value)).toEqual(["Kvinna", "<5", "<5", "<5", "<5", "<5", "<5"]);
    expect(sheets[0]?.rows[4]?.[1]?.value).toBe(5);
    const csv = await staff.get(
      `${base}/interventions/${a.id}/participants/statistics.csv?from=2026-01-01&to=2026-12-31`,
    );
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(text).toContain("\r\nTotalt;5;<5;<5\r\n");
  });

  it("limits an insatsägare's contact to its own insatser and answers 404 for another's", async () => {
    const { contactX, contactY, a, browser, base, api, app, token } = await setup();
    const y = await browser(contactY);
    for (const path of ["", ".xlsx", ".csv"]) {
      expect((await y.get(`${base}/interventions/${a.id}/participants/statistics${path}`)).status).toBe(404);
    }
    expect((await y.get(`${base}/participants/statistics?interventionId=${a.id}`)).status).toBe(404);
    const yApi = await app.request(
      `${api}/participant-statistics?interventionId=${a.id}`,
      bearer(await token(contactY.id)),
    );
    expect(yApi.status).toBe(404);

    // At association level contact X sees A only: P1's enrolment in B is not counted.
    const x = await app.request(
      `${api}/participant-statistics?from=2026-01-01&to=2026-12-31`,
      bearer(await token(contactX.id)),
    );
    expect(x.status).toBe(200);
    const body = (await x.json()) as { enrolments: { total: unknown } };
    expect(body.enrolments.total).toEqual({ active: 5, new: "<5", exited: "<5" });
  });

  it("answers the API with suppressed counts, validates the period, and documents the shape", async () => {
    const { officer, a, app, api, token } = await setup();
    const secret = await token(officer.id);
    const response = await app.request(
      `${api}/participant-statistics?from=2026-01-01&to=2026-12-31&interventionId=${a.id}`,
      bearer(secret),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { outcomes: unknown[] };
    expect(body).toMatchObject({
      from: "2026-01-01",
      to: "2026-12-31",
      interventionId: a.id,
      persons: { woman: { active: "<5" }, total: { active: 5, new: "<5", exited: "<5" } },
      workOrStudies: { total: "<5", share: null },
      timeInInsatsDays: null,
      guidanceCases: { woman: "<5", man: "<5", other_unknown: "<5", total: 6 },
    });
    expect(body.outcomes[0]).toEqual({
      exitReason: "arbete",
      label: "Arbete",
      workOrStudies: true,
      woman: "<5",
      man: 0,
      other_unknown: 0,
      total: "<5",
    });

    const bad = await app.request(`${api}/participant-statistics?from=2026-12-31&to=2026-01-01`, bearer(secret));
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");

    const openapi = (await (await app.request("/api/v1/openapi.json")).json()) as { paths: object };
    const operation = Object.values(openapi.paths as Record<string, Record<string, { operationId: string }>>)
      .flatMap((path) => Object.values(path))
      .find((entry) => entry.operationId === "getParticipantStatistics");
    expect(operation).toBeDefined();
    expect(JSON.stringify(operation)).toContain("<5");
  });

  it("prefills a report's number of participants by kön from the insats' period (2026–2027)", async () => {
    const { db, association, a } = await setup();
    const facts = await inAssociation(db, association.id, async (tx) => {
      const intervention = await findIntervention(tx, association.id, a.id);
      if (!intervention) throw new Error("no insats");
      return loadFacts(tx, association.id, intervention);
    });
    // P1, P2, P7; P3 and P6 (enrolled 2027); P5. P4 left before the insats' period.
    expect(facts.participants).toEqual({ woman: 3, man: 2, unknown: 1 });
    expect(prefillAnswers(uppsalaLan2017, facts).participants).toEqual({
      value: { rows: [{ outcome: "participants", woman: 3, man: 2, unknown: 1 }] },
    });
  });

  it("shows a wrong period back in the form with 422", async () => {
    const { officer, browser, base } = await setup();
    const staff = await browser(officer);
    const response = await staff.get(`${base}/participants/statistics?from=2026-13-01&to=2026-12-31`);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Ange datumet som ÅÅÅÅ-MM-DD.");
    expect(html).toContain('value="2026-13-01"');
  });
});
