import { describe, expect, it } from "vitest";
import { findBuiltinTemplate } from "./builtin/index.js";
import { costTotals, fundsBranch, unusedOre } from "./derived.js";
import { templateVersion } from "./template-model.js";
import { validateAnswers } from "./validate-answers.js";

const ht = findBuiltinTemplate("harnosand-timra/slutrapport")!;
const ul = findBuiltinTemplate("uppsala-lan/slutrapport-samverkansinsatser-2017")!;
const gb = findBuiltinTemplate("gavleborg/slutrapport-insats-for-samverkansmedel")!;

const draft = { mode: "draft" } as const;
const submit = { mode: "submit" } as const;
const kr = (kronor: number) => (BigInt(kronor) * 100n).toString();
const messages = (errors: Record<string, { message: string }[]>, key: string) =>
  (errors[key] ?? []).map((error) => error.message);

/** A complete Härnösand-Timrå report: every required section answered or marked ej aktuellt. */
function completeHt(): Record<string, unknown> {
  const answers: Record<string, unknown> = {
    parties: {
      value: {
        rows: [
          { role: "owner", organisationName: "Timrå kommun" },
          { role: "partner", organisationName: "Arbetsförmedlingen" },
        ],
      },
    },
    goals: { value: { rows: [{ goal: "En lokal överenskommelse ska upprättas.", status: "uppnått" }] } },
    costs: { value: { rows: [{ category: "salaries", budgetOre: kr(375000), outcomeOre: kr(375000) }] } },
    signatures: {
      value: {
        signatures: [
          { organisation: "Timrå kommun", place: "Timrå", date: "2023-01-16" },
          { organisation: "Arbetsförmedlingen", place: "Sundsvall", date: "2023-01-20" },
        ],
      },
    },
    system_errors: { notApplicable: true },
  };
  for (const key of [
    "background",
    "purpose",
    "target_group",
    "methods",
    "deviations",
    "follow_up",
    "effects",
    "cooperation",
    "lessons",
    "implementation",
  ]) {
    answers[key] = { value: { text: "Svar." } };
  }
  return answers;
}

describe("validateAnswers", () => {
  it("accepts a complete report on submit, and an empty one as a draft", () => {
    expect(validateAnswers(ht, completeHt(), submit)).toEqual({});
    expect(validateAnswers(ht, {}, draft)).toEqual({});
  });

  it("rejects answers to sections the template does not have, or that take no answer", () => {
    const errors = validateAnswers(ht, { "8.1": { value: { text: "x" } }, instructions: { value: {} } }, draft);
    expect(messages(errors, "8.1")).toEqual(["Avsnittet finns inte i mallen."]);
    expect(messages(errors, "instructions")).toEqual(["Avsnittet tar inte emot svar."]);
  });

  it("names every required section left unanswered on submit, and accepts ej aktuellt instead", () => {
    const answers = completeHt();
    delete answers.background;
    answers.purpose = { value: { text: "   " } };
    answers.methods = { notApplicable: true };
    const errors = validateAnswers(ht, answers, submit);
    expect(Object.keys(errors).sort()).toEqual(["background", "purpose"]);
    expect(messages(errors, "background")).toEqual(["Besvara avsnittet eller markera det som ej aktuellt."]);
    expect(validateAnswers(ht, answers, draft)).toEqual({});
  });

  it("does not take both ej aktuellt and an answer on submit", () => {
    const answers = { ...completeHt(), methods: { notApplicable: true, value: { text: "Ändå ett svar." } } };
    expect(validateAnswers(ht, answers, submit).methods).toEqual([
      { path: "notApplicable", message: "Ett avsnitt som är ej aktuellt kan inte också ha svar." },
    ]);
  });

  it("rejects text over 20 000 characters, in every mode", () => {
    for (const options of [draft, submit]) {
      const answers = { ...completeHt(), background: { value: { text: "å".repeat(20_001) } } };
      expect(validateAnswers(ht, answers, options).background).toEqual([
        { path: "value.text", message: "Högst 20\u00a0000 tecken." },
      ]);
    }
    expect(validateAnswers(ht, { background: { value: { text: "å".repeat(20_000) } } }, draft)).toEqual({});
  });

  describe("amounts in öre", () => {
    const withAmount = (budgetOre: unknown) =>
      validateAnswers(ht, { costs: { value: { rows: [{ category: "salaries", budgetOre }] } } }, draft);

    it("accepts whole non-negative öre up to 10 000 000 000 kr", () => {
      for (const amount of ["0", "1", "87721200", "1000000000000"]) expect(withAmount(amount)).toEqual({});
    });

    const cases: [unknown, string][] = [
      ["-100", "Beloppet kan inte vara negativt."],
      ["-0", "Beloppet kan inte vara negativt."],
      ["12.5", "Ange beloppet i öre som ett heltal."],
      ["12,50", "Ange beloppet i öre som ett heltal."],
      ["1e6", "Ange beloppet i öre som ett heltal."],
      ["007", "Ange beloppet i öre som ett heltal."],
      ["877 212", "Ange beloppet i öre som ett heltal."],
      ["", "Ange beloppet i öre som ett heltal."],
      [1000, "Ange beloppet i öre som ett heltal."],
      ["1000000000001", "Beloppet kan vara högst 10 000 000 000 kr."],
      ["99999999999999999999", "Beloppet kan vara högst 10 000 000 000 kr."],
    ];
    for (const [amount, message] of cases) {
      it(`rejects ${JSON.stringify(amount)}`, () => {
        expect(withAmount(amount).costs).toEqual([{ path: "value.rows.0.budgetOre", message }]);
      });
    }

    it("checks the returned amount and the insats amounts' absence from the report", () => {
      const errors = validateAnswers(
        gb,
        {
          funds: { value: { returnedOre: "-300300" } },
          general: { value: { granted: kr(100000) } },
        },
        draft,
      );
      expect(errors.funds).toEqual([{ path: "value.returnedOre", message: "Beloppet kan inte vara negativt." }]);
      expect(errors.general).toEqual([
        { path: "value.granted", message: "Uppgiften hämtas från insatsen och skrivs inte här." },
      ]);
    });
  });

  it("rejects cost rows of unknown or repeated kostnadsslag", () => {
    const errors = validateAnswers(
      ht,
      {
        costs: {
          value: { rows: [{ category: "salaries" }, { category: "consultants" }, { category: "salaries" }] },
        },
      },
      draft,
    );
    expect(errors.costs).toEqual([
      { path: "value.rows.1.category", message: "Okänt kostnadsslag." },
      { path: "value.rows.2.category", message: "Kostnadsslaget finns redan i tabellen." },
    ]);
  });

  it("takes any of the five goal statuses in a draft, only the template's own on submit", () => {
    const goals = { value: { rows: [{ goal: "Mål", status: "delvis uppnått" }, { goal: "Mål" }] } };
    expect(validateAnswers(ht, { goals }, draft)).toEqual({});
    expect(validateAnswers(ht, { ...completeHt(), goals }, submit).goals).toEqual([
      { path: "value.rows.0.status", message: "Välj något av: Ja, Nej." },
      { path: "value.rows.1.status", message: "Ange om målet har uppnåtts." },
    ]);
    const unknown = { value: { rows: [{ goal: "Mål", status: "ja" }] } };
    expect(messages(validateAnswers(ht, { goals: unknown }, draft), "goals")).toEqual([
      "Välj uppnått, delvis uppnått, ej uppnått, struket eller ej bedömt.",
    ]);
  });

  it("requires a signature with date from every party on submit", () => {
    const answers = completeHt();
    answers.signatures = {
      value: { signatures: [{ organisation: "Timrå kommun", place: "Timrå", dateRaw: "Timrå 2021/16" }] },
    };
    expect(validateAnswers(ht, answers, submit).signatures).toEqual([
      { path: "value.signatures", message: "Timrå kommun har inte skrivit under med datum." },
      { path: "value.signatures", message: "Arbetsförmedlingen har inte skrivit under med datum." },
    ]);
  });

  it("requires exactly one insatsägare on submit", () => {
    const answers = completeHt();
    answers.parties = { value: { rows: [{ role: "partner", organisationName: "Arbetsförmedlingen" }] } };
    expect(messages(validateAnswers(ht, answers, submit), "parties")).toEqual(["Ange exakt en insatsägare."]);
  });

  it("takes per-party answers only where the template asks each party", () => {
    const byParty = { value: { byParty: { Arbetsförmedlingen: "Lärdom.", "Håbo kommun": "Lärdom." } } };
    expect(validateAnswers(ul, { lessons_per_party: byParty }, draft)).toEqual({});
    expect(validateAnswers(ul, { lessons: byParty }, draft).lessons).toEqual([
      { path: "value.byParty", message: "Avsnittet besvaras inte per part." },
    ]);
  });

  it("rejects a date that does not exist and unknown keys in an answer", () => {
    const errors = validateAnswers(
      gb,
      {
        office: { value: { arrivalDate: "2022-02-30" } },
        informant: { value: { signatures: [{ date: "22-02-15" }] }, comment: "x" },
      },
      draft,
    );
    expect(errors.office).toEqual([{ path: "value.arrivalDate", message: "Ange datumet som ÅÅÅÅ-MM-DD." }]);
    expect(errors.informant?.map((error) => error.path)).toEqual([""]);
  });

  it("counts participants by outcome and kön as non-negative integers", () => {
    const participants = (row: Record<string, unknown>) =>
      validateAnswers(ul, { participants: { value: { rows: [row] } } }, draft).participants;
    expect(participants({ outcome: "participants", woman: 29, man: 28, unknown: 0 })).toBeUndefined();
    expect(participants({ outcome: "participants", woman: -1 })).toEqual([
      { path: "value.rows.0.woman", message: "Antalet kan inte vara negativt." },
    ]);
    expect(participants({ outcome: "participants", man: 2.5 })).toEqual([
      { path: "value.rows.0.man", message: "Ange antalet som ett heltal." },
    ]);
    expect(participants({ outcome: "arbete", man: 1 })).toEqual([
      { path: "value.rows.0.outcome", message: "Okänt utfall." },
    ]);
  });

  describe("fields typed by the template", () => {
    const template = templateVersion.parse({
      key: "test/delrapport",
      association: "Samordningsförbundet Test",
      title: "Delrapport",
      kind: "delrapport",
      sections: [
        {
          key: "details",
          number: "1.",
          heading: "Uppgifter",
          type: "field_group",
          required: true,
          config: {
            layout: "inline",
            fields: [
              { key: "period", kind: "date_range", label: "Rapportperiod:", required: true },
              { key: "spent", kind: "money", label: "Förbrukat:" },
              { key: "email", kind: "email", label: "E-post:" },
              { key: "phone", kind: "phone", label: "Telefon:" },
            ],
          },
        },
      ],
    });

    it("checks each field by its kind", () => {
      const details = {
        value: { period: { start: "2024-12-31", end: "2024-01-01" }, spent: "12.5", email: "a@", phone: "ring mig" },
      };
      expect(validateAnswers(template, { details }, draft).details).toEqual([
        { path: "value.period.end", message: "Slutdatum kan inte vara före startdatum." },
        { path: "value.spent", message: "Ange beloppet i öre som ett heltal." },
        { path: "value.email", message: "Ange en giltig e-postadress, t.ex. namn@exempel.se." },
        { path: "value.phone", message: "Ange telefonnumret med siffror, t.ex. 070-123 45 67." },
      ]);
      const valid = {
        value: { period: { start: "2024-01-01", end: "2024-06-30" }, spent: "0", phone: "070-123 45 67" },
      };
      expect(validateAnswers(template, { details: valid }, submit)).toEqual({});
    });

    it("demands required fields on submit only, and knows no other fields", () => {
      const details = { value: { spent: kr(1000), note: "x" } };
      expect(validateAnswers(template, { details }, draft).details).toEqual([
        { path: "value.note", message: "Fältet finns inte i mallen." },
      ]);
      expect(validateAnswers(template, { details: { value: { spent: kr(1000) } } }, submit).details).toEqual([
        { path: "value.period", message: "Fyll i Rapportperiod." },
      ]);
    });
  });

  describe("funds branches", () => {
    const both = {
      funds: { value: { answers: { budget_balance: "Bra avvägd.", unused_reasons: "Sjukfrånvaro." } } },
    };

    it("keeps both branches in a draft", () => {
      expect(validateAnswers(gb, both, { ...draft, amounts: { grantedOre: kr(100000), usedOre: kr(96997) } })).toEqual(
        {},
      );
    });

    it("on submit asks the branch that the amounts choose, and only that one", () => {
      const amounts = { grantedOre: kr(100000), usedOre: kr(96997) };
      expect(validateAnswers(gb, both, { mode: "submit", amounts }).funds).toContainEqual({
        path: "value.answers.budget_balance",
        message: "Frågan gäller bara när beviljade medel är helt utnyttjade.",
      });
      const fullyUsed = { grantedOre: kr(100000), usedOre: kr(100000) };
      const onlyUnused = { funds: { value: { answers: { unused_reasons: "Sjukfrånvaro." } } } };
      expect(validateAnswers(gb, onlyUnused, { mode: "submit", amounts: fullyUsed }).funds).toEqual([
        { path: "value.answers.budget_balance", message: "Besvara frågan." },
        {
          path: "value.answers.unused_reasons",
          message: "Frågan gäller bara när beviljade medel inte är helt utnyttjade.",
        },
      ]);
    });

    it("rejects questions the template does not have and free text where it has none", () => {
      const errors = validateAnswers(gb, { funds: { value: { text: "x", answers: { p20: "y" } } } }, draft);
      expect(errors.funds?.map((error) => error.path)).toEqual(["value.text", "value.answers.p20"]);
    });
  });
});

describe("derived amounts", () => {
  it("sums the HT-1 cost table to Summa 877 212 kr in both columns", () => {
    const rows = [
      { category: "salaries", budgetOre: kr(746671), outcomeOre: kr(746671) },
      { category: "premises", budgetOre: kr(97541), outcomeOre: kr(97541) },
      { category: "material", budgetOre: kr(25000), outcomeOre: kr(25000) },
      { category: "travel", budgetOre: kr(5000), outcomeOre: kr(5000) },
      { category: "other", budgetOre: kr(3000), outcomeOre: kr(3000) },
    ];
    expect(costTotals(rows)).toEqual({ budgetOre: 87_721_200n, outcomeOre: 87_721_200n });
  });

  it("leaves a column's Summa empty when no row has an amount", () => {
    expect(costTotals([{ category: "salaries", outcomeOre: kr(1234394) }])).toEqual({
      budgetOre: null,
      outcomeOre: 123_439_400n,
    });
    expect(costTotals([])).toEqual({ budgetOre: null, outcomeOre: null });
  });

  it("sums any rows exactly, beyond the range of a double", () => {
    for (let rows = 1; rows <= 20; rows++) {
      const amounts = Array.from({ length: rows }, (_, index) => 1_000_000_000_000n - BigInt(index * 7 + 1));
      const total = costTotals(amounts.map((amount) => ({ category: "other", outcomeOre: amount.toString() })));
      expect(total.outcomeOre).toBe(amounts.reduce((sum, amount) => sum + amount, 0n));
    }
  });

  it("computes unused funds: GB-1 100 000 − 96 997 = 3 003, HT-3 280 000 − 252 528 = 27 472", () => {
    expect(unusedOre(kr(100000), kr(96997))).toBe(300_300n);
    expect(unusedOre(28_000_000n, 25_252_800n)).toBe(2_747_200n);
    expect(unusedOre(undefined, kr(1))).toBeNull();
    expect(unusedOre(kr(1), null)).toBeNull();
  });

  it("chooses the funds branch: anything left is not fully used, an overspend is fully used", () => {
    expect(fundsBranch(kr(100000), kr(96997))).toBe("unused_positive");
    expect(fundsBranch(kr(620000), kr(620000))).toBe("unused_zero");
    expect(fundsBranch(kr(1130000), kr(1373307))).toBe("unused_zero");
    expect(fundsBranch(undefined, kr(1))).toBeUndefined();
  });
});
