import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AnsweredSectionType, AnswerValue, ReportAnswers } from "./answer-model.js";
import { findBuiltinTemplate } from "./builtin/index.js";
import { costTotals } from "./derived.js";
import { fromLegacyReport } from "./legacy.js";
import { normaliseGoalStatus, parseLegacyKronor, parseLegacyPeriod } from "./legacy-parse.js";
import { goalStatuses } from "./template-model.js";
import { validateAnswers } from "./validate-answers.js";

type Fixture = {
  id: string;
  period_raw: string;
  period_start: string | null;
  period_end: string | null;
  period_start_alternative?: string;
  granted_sek: number | null;
  granted_raw: string | null;
  used_sek: number | null;
  goals: { status: string; achieved_raw: string | null }[];
  signed: { date_raw: string; date_iso_literal: string | null }[];
};
const fixtures: Fixture[] = JSON.parse(
  readFileSync(new URL("../../test/fixtures/slutrapporter.json", import.meta.url), "utf8"),
);
const fixture = (id: string) => fixtures.find((report) => report.id === id)!;
const convert = (id: string) => fromLegacyReport(fixture(id));

function answerOf<T extends AnsweredSectionType>(answers: ReportAnswers, key: string, _type: T): AnswerValue<T> {
  const value = answers[key]?.value;
  if (value === undefined) throw new Error(`No answer to ${key}`);
  return value as AnswerValue<T>;
}

describe("fromLegacyReport over all 15 legacy reports", () => {
  it("has the 15 reports of the analysis", () => {
    expect(fixtures.map((report) => report.id)).toEqual([
      ...["HT-1", "HT-2", "HT-3", "HT-4", "HT-5"],
      ...["UL-1", "UL-2", "UL-3", "UL-4", "UL-5", "UL-6", "UL-7", "UL-8", "UL-9"],
      "GB-1",
    ]);
  });

  for (const report of fixtures) {
    describe(report.id, () => {
      const converted = fromLegacyReport(report);
      const template = findBuiltinTemplate(converted.templateKey)!;

      it("gives answers that a draft of its template accepts", () => {
        expect(template).toBeDefined();
        expect(validateAnswers(template, converted.answers, { mode: "draft" })).toEqual({});
      });

      it("survives a round trip through JSON, as answers are stored", () => {
        expect(JSON.parse(JSON.stringify(converted.answers))).toEqual(converted.answers);
      });

      it("reads the period as the analysis did, keeping the raw text", () => {
        expect(converted.insats.periodRaw).toBe(report.period_raw);
        expect([converted.insats.periodStart, converted.insats.periodEnd]).toEqual([
          report.period_start,
          report.period_end,
        ]);
        expect(converted.insats.alternativeStart).toBe(report.period_start_alternative);
      });

      it("reads the granted and used amounts into öre", () => {
        expect(converted.insats.grantedOre).toBe(
          report.granted_sek === null ? undefined : BigInt(report.granted_sek) * 100n,
        );
        expect(converted.insats.usedOre).toBe(report.used_sek === null ? undefined : BigInt(report.used_sek) * 100n);
      });

      it("keeps one goal row per goal with the report's own words, and every signature's raw date", () => {
        const goals = converted.answers.goals?.value as AnswerValue<"goal_table"> | undefined;
        expect(goals?.rows.map((row) => row.achievedRaw ?? null) ?? []).toEqual(
          report.goals.map((goal) => goal.achieved_raw),
        );
        for (const row of goals?.rows ?? []) expect([undefined, ...goalStatuses]).toContain(row.status);
        const signatureKey = template.key.startsWith("gavleborg") ? "informant" : "signatures";
        const signatures = answerOf(converted.answers, signatureKey, "signature_block");
        expect(signatures.signatures.map((signature) => [signature.dateRaw, signature.date ?? null])).toEqual(
          report.signed.map((signed) => [signed.date_raw, signed.date_iso_literal]),
        );
      });
    });
  }
});

describe("fromLegacyReport, the data-quality cases", () => {
  it("HT-5: reads the period 210601-220531 as YYMMDD and keeps it raw", () => {
    const { insats } = convert("HT-5");
    expect(insats).toMatchObject({ periodStart: "2021-06-01", periodEnd: "2022-05-31", periodRaw: "210601-220531" });
    expect(insats.grantedOre).toBe(62_000_000n);
  });

  it("GB-1: keeps both funds branches, with a note that 7.2 applies", () => {
    const { answers, insats } = convert("GB-1");
    expect(answers.funds?.value).toEqual({
      answers: {
        budget_balance: "Den budget vi lagt var bra avvägd i förhållande till verksamheten och den beviljade summan.",
        unused_reasons:
          "Budgeten var avsedd att täcka 50% av en handläggares lönekostnader; handläggarens sjukfrånvaro minskade kommunens lönekostnader.",
      },
    });
    expect(answers.funds?.parseNotes).toEqual([
      "Båda grenarna är besvarade (7.1.1 och 7.2.1); med 3\u00a0003 kr kvar av beviljade medel gäller 7.2.",
    ]);
    expect(insats).toMatchObject({ grantedOre: 10_000_000n, usedOre: 9_699_700n, usedRaw: "96 997 kr" });
    expect(answers.owner?.value).toEqual({
      rows: [
        { role: "owner", organisationName: "Hudiksvalls kommun Arbetsliv & Försörjning", workplace: "Jobbcentrum" },
      ],
    });
    expect(answerOf(answers, "partners", "party_list").rows).toHaveLength(3);
  });

  it("HT-1: no granted amount, a cost table whose rows sum to the stated Summa", () => {
    const { insats, answers } = convert("HT-1");
    expect(insats.grantedOre).toBeUndefined();
    expect(insats.grantedRaw).toBeUndefined();
    const costs = answerOf(answers, "costs", "cost_table");
    expect(costTotals(costs.rows)).toEqual({ budgetOre: 87_721_200n, outcomeOre: 87_721_200n });
    expect(answers.costs?.parseNotes).toBeUndefined();
  });

  it("HT-2: keeps a stated Summa that the rows do not give, with a note", () => {
    const costs = convert("HT-2").answers.costs;
    expect(costs?.rawText).toBe("Summa: Budget 1\u00a0130\u00a0000 kr, Utfall 1\u00a0373\u00a0307 kr");
    expect(costs?.parseNotes).toEqual(["Angiven summa budget 1\u00a0130\u00a0000 kr, men raderna saknar belopp."]);
    expect(answerOf(convert("HT-2").answers, "costs", "cost_table").rows).toContainEqual({
      category: "material",
      specification: "Träningskort och material",
      outcomeOre: "1391300",
    });
  });

  it("HT-3: computes the unexplained 27 472 kr from the only filled row, Summa left blank", () => {
    const { answers, insats } = convert("HT-3");
    const costs = answerOf(answers, "costs", "cost_table");
    const totals = costTotals(costs.rows);
    expect(insats.grantedOre! - totals.outcomeOre!).toBe(2_747_200n);
    expect(answers.costs?.parseNotes).toEqual([
      "Summa budget lämnades tom; den beräknas ur raderna.",
      "Summa utfall lämnades tom; den beräknas ur raderna.",
    ]);
    expect(answers.target_group).toBeUndefined();
  });

  it("HT-4: reads '400.000' as 400 000 kr and maps JA/NEJ to delvis uppnått, keeping the words", () => {
    const { insats, answers } = convert("HT-4");
    expect(insats.grantedOre).toBe(40_000_000n);
    const rows = answerOf(answers, "goals", "goal_table").rows;
    expect(rows[6]).toMatchObject({ status: "delvis uppnått", achievedRaw: "JA/NEJ" });
    expect(answers.goals?.parseNotes).toContain('Mål 7: status i källan "delvis".');
    const signatures = answerOf(answers, "signatures", "signature_block").signatures;
    expect(signatures[0]).toMatchObject({ organisation: "Arbetsförmedlingen", dateRaw: "2021/16" });
    expect(signatures[0]?.date).toBeUndefined();
  });

  it("UL-3: a signature date without a year stays raw; garbled organisation names are noted", () => {
    const { answers } = convert("UL-3");
    const signatures = answerOf(answers, "signatures", "signature_block").signatures;
    expect(signatures[2]).toMatchObject({ role: "partner", organisation: "Region Uppsala", dateRaw: "22/12" });
    expect(signatures[2]?.date).toBeUndefined();
    expect(answers.signatures?.parseNotes).toEqual(
      expect.arrayContaining([
        'Underskrift 2: organisationen skrevs "ARBETSFERMEDELINGEN".',
        'Underskrift 3: datumet "22/12" kunde inte tolkas.',
      ]),
    );
  });

  it("UL-4: an insatsägare that cannot be told keeps its candidates, and ca 150 000 kr returned is noted", () => {
    const { insats, answers, notes } = convert("UL-4");
    expect(insats.ownerName).toBeUndefined();
    expect(insats.ownerCandidates).toEqual(["Arbetsförmedlingen", "Tierps kommun", "Region Uppsala"]);
    expect(notes.some((note) => note.startsWith("Insatsägaren framgår inte"))).toBe(true);
    expect(answerOf(answers, "parties", "party_list").rows.every((row) => row.role === "partner")).toBe(true);
    expect(answers.funds).toMatchObject({
      value: { returnedOre: "15000000" },
      parseNotes: ["Återfört belopp är ungefärligt (ca)."],
    });
    expect(answers.funds?.rawText).toMatch(/^Ett överskott på ca 150 000 kr/);
  });

  it("UL-5: 'ej relevant' becomes ej bedömt and 'struket' stays, each with the report's words", () => {
    const rows = answerOf(convert("UL-5").answers, "goals", "goal_table").rows;
    expect(rows[0]).toMatchObject({
      status: "struket",
      achievedRaw: "Målet ströks i samband med Lokusmöte 28 mars 2017.",
    });
    expect(rows[2]?.status).toBe("ej bedömt");
    expect(rows[2]?.achievedRaw).toMatch(/^Ej relevant/);
  });

  it("UL-6: keeps the alternative start date 2014-09-01", () => {
    expect(convert("UL-6").insats).toMatchObject({
      periodStart: "2016-01-01",
      periodEnd: "2017-12-31",
      alternativeStart: "2014-09-01",
      intakeEnd: "2017-10-01",
    });
  });

  it("UL-8: no funds returned is an amount of 0 kr, and the gender answer is kept", () => {
    const { answers } = convert("UL-8");
    expect(answers.funds?.value).toEqual({ text: "Inga medel kommer att återföras", returnedOre: "0" });
    expect(answers.gender_equality?.value).toMatchObject({ text: expect.stringMatching(/^Vi har sett att kvinnor/) });
  });

  it("carries the analysis's data-quality notes", () => {
    for (const report of fixtures) {
      const raw = report as unknown as { data_quality_notes: string[] };
      expect(fromLegacyReport(report).notes).toEqual(expect.arrayContaining(raw.data_quality_notes));
    }
  });

  it("refuses a report of a template that is not built in", () => {
    expect(() => fromLegacyReport({ ...fixture("HT-1"), template: "okand/mall" })).toThrow(/okand\/mall/);
  });
});

describe("legacy field readers", () => {
  it("read every period format seen", () => {
    const cases: [string, string, string][] = [
      ["2022-01-01—2022-12-31", "2022-01-01", "2022-12-31"],
      ["20220801–20221231", "2022-08-01", "2022-12-31"],
      ["2022-01-01-2022-12-31", "2022-01-01", "2022-12-31"],
      ["2019-02-01 tom 2020-02-01", "2019-02-01", "2020-02-01"],
      ["211001 - 220131", "2021-10-01", "2022-01-31"],
      ["Startdatum: 160101 - Slutdatum: 171231", "2016-01-01", "2017-12-31"],
      ["2016-09-05 (Datomet försköts en månad) / 2017-09-05", "2016-09-05", "2017-09-05"],
    ];
    for (const [raw, start, end] of cases) expect(parseLegacyPeriod(raw), raw).toEqual({ start, end });
  });

  it("give up rather than guess", () => {
    for (const raw of ["", "2022", "januari-oktober 2022", "2022-02-30 - 2022-12-31", "2022-01-01", "1/2-22"]) {
      expect(parseLegacyPeriod(raw), raw).toBeUndefined();
    }
  });

  it("read amounts with spaces, dots, or kr", () => {
    const cases: [string, bigint | undefined][] = [
      ["280 000kr", 28_000_000n],
      ["400.000", 40_000_000n],
      ["25.000 kr", 2_500_000n],
      ["620000", 62_000_000n],
      ["1\u00a0373\u00a0307 kr", 137_330_700n],
      ["", undefined],
      ["ca 150 000 kr", undefined],
      ["12,50", undefined],
      ["40.00", undefined],
    ];
    for (const [raw, ore] of cases) expect(parseLegacyKronor(raw), raw).toBe(ore);
  });

  it("map every status word of the fixtures onto the five statuses or none", () => {
    const words = new Set(fixtures.flatMap((report) => report.goals.map((goal) => goal.status)));
    for (const word of words) {
      const status = normaliseGoalStatus(word);
      expect(status === undefined ? word.startsWith("ej angivet") : goalStatuses.includes(status), word).toBe(true);
    }
  });
});
