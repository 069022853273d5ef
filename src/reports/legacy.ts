import { z } from "zod";
import { formatKronor } from "../platform/ui/format.js";
import type {
  AnswerValue,
  CostRow,
  GoalRow,
  PartyRow,
  ReportAnswers,
  SectionAnswer,
  Signature,
} from "./answer-model.js";
import { findBuiltinTemplate } from "./builtin/index.js";
import { costTotals, fundsBranch, unusedOre } from "./derived.js";
import { normaliseGoalStatus, parseLegacyKronor, parseLegacyPeriod } from "./legacy-parse.js";
import { type SectionDefinition, type SectionOf, walkSections } from "./template-model.js";

/**
 * Turns one analysed legacy slutrapport (an object of slutrapporter.json: integer kronor, raw text beside every
 * parsed value, no personal data) into the insats fields and the answers of its built-in template. Nothing is
 * dropped silently: what does not parse stays as raw text, with a note.
 */

const sek = z.number().int().nonnegative().nullable();
const legacyReport = z.object({
  id: z.string(),
  template: z.string(),
  name: z.string(),
  name_in_toc: z.string().optional(),
  period_start: z.string().nullable(),
  period_end: z.string().nullable(),
  period_raw: z.string(),
  planned_start_raw: z.string().optional(),
  intake_end: z.string().nullable().optional(),
  intake_end_raw: z.string().nullable().optional(),
  granted_sek: sek,
  granted_raw: z.string().nullable(),
  used_sek: sek,
  used_raw: z.string().optional(),
  used_basis: z.string(),
  owner_org: z.string().nullable(),
  owner_org_basis: z.string(),
  owner_org_candidates: z.array(z.string()).optional(),
  owner_workplace: z.string().optional(),
  partners: z.array(z.object({ org: z.string(), org_raw: z.string().optional(), role: z.string() })),
  target_group: z.string().nullable(),
  target_group_note: z.string().optional(),
  goals: z.array(
    z.object({
      level: z.string().nullable().optional(),
      goal: z.string(),
      achieved_inferred: z.boolean().optional(),
      achieved_raw: z.string().nullable(),
      status: z.string(),
      outcome: z.string().nullable(),
    }),
  ),
  participants: z.record(z.string(), z.unknown()),
  costs: z.array(
    z.object({ category: z.string(), specification: z.string().nullable(), budget_sek: sek, outcome_sek: sek }),
  ),
  cost_totals: z.object({ budget_sek: sek, outcome_sek: sek }),
  funds_returned: z.object({ sek: sek, approximate: z.boolean().optional(), raw: z.string() }).nullable(),
  budget_text: z.string().optional(),
  gender_equality_answer: z.string().optional(),
  signed: z.array(
    z.object({
      org: z.string().nullable(),
      org_raw: z.string().nullable().optional(),
      org_basis: z.string().optional(),
      role_label: z.string().nullable(),
      place: z.string().nullable(),
      place_note: z.string().optional(),
      date_raw: z.string(),
      date_iso_literal: z.string().nullable(),
      note: z.string().optional(),
    }),
  ),
  data_quality_notes: z.array(z.string()),
});
type Legacy = z.output<typeof legacyReport>;

export type LegacyInsats = {
  name: string;
  periodStart?: string;
  periodEnd?: string;
  periodRaw: string;
  alternativeStart?: string;
  intakeEnd?: string;
  intakeEndRaw?: string;
  grantedOre?: bigint;
  grantedRaw?: string;
  usedOre?: bigint;
  usedRaw?: string;
  ownerName?: string;
  /** When the report does not say which organisation owns the insats. */
  ownerCandidates: string[];
  partners: { name: string; role: "co_applicant" | "cooperating_partner" }[];
};

export type LegacyConversion = {
  sourceId: string;
  templateKey: string;
  insats: LegacyInsats;
  answers: ReportAnswers;
  notes: string[];
};

const ore = (kronor: number | null | undefined) => (kronor === null || kronor === undefined ? undefined : kronor * 100);
const oreText = (kronor: number | null | undefined) => ore(kronor)?.toString();
const formatStated = (value: number | undefined) => (value === undefined ? "tom" : formatKronor(value));
const present = (text: string | null | undefined) => (text?.trim() ? text : undefined);

export function fromLegacyReport(json: unknown): LegacyConversion {
  const report = legacyReport.parse(json);
  const template = findBuiltinTemplate(report.template);
  if (!template) throw new Error(`No built-in template ${report.template} for legacy report ${report.id}`);
  const notes = [...report.data_quality_notes];
  const insats = insatsFields(report, notes);
  const answers: ReportAnswers = {};
  const put = (section: SectionDefinition | undefined, answer: SectionAnswer | undefined) => {
    if (section && answer) answers[section.key] = answer;
  };
  const sections = [...walkSections(template.sections)];
  const ofType = <T extends SectionDefinition["type"]>(type: T) =>
    sections.filter((section): section is SectionOf<T> => section.type === type);

  for (const section of ofType("party_list")) put(section, partyAnswer(section, report));
  put(
    sections.find((section) => section.key === "target_group"),
    present(report.target_group) ? { value: { text: report.target_group } } : undefined,
  );
  if (report.target_group_note) notes.push(report.target_group_note);
  put(ofType("goal_table")[0], goalAnswer(report));
  const costs = ofType("cost_table")[0];
  if (costs) put(costs, costAnswer(costs, report));
  const funds = ofType("funds_summary")[0];
  if (funds) put(funds, fundsAnswer(funds, report));
  put(
    ofType("gender_equality")[0],
    report.gender_equality_answer ? { value: { text: report.gender_equality_answer } } : undefined,
  );
  put(ofType("signature_block")[0], signatureAnswer(report));
  if (Object.keys(report.participants).length > 0) {
    notes.push("Deltagaruppgifterna i källan är inte uppdelade på utfall och kön och har inte förts över.");
  }
  return { sourceId: report.id, templateKey: template.key, insats, answers, notes };
}

function insatsFields(report: Legacy, notes: string[]): LegacyInsats {
  const period = parseLegacyPeriod(report.period_raw);
  if (!period) notes.push(`Tidsperioden kunde inte tolkas: "${report.period_raw}".`);
  if (report.planned_start_raw) notes.push(`Planerad start enligt rapporten: ${report.planned_start_raw}.`);
  if (report.name_in_toc && report.name_in_toc !== report.name) {
    notes.push(`Namn i innehållsförteckningen: ${report.name_in_toc}.`);
  }
  const grantedOre = report.granted_raw ? parseLegacyKronor(report.granted_raw) : undefined;
  if (present(report.granted_raw) && grantedOre === undefined) {
    notes.push(`Beviljat belopp kunde inte tolkas: "${report.granted_raw}".`);
  }
  if (report.used_sek !== null) notes.push(`Utnyttjade medel: ${report.used_basis}.`);
  const ownerCandidates = report.owner_org_candidates ?? [];
  if (!report.owner_org) {
    notes.push(`Insatsägaren framgår inte (${report.owner_org_basis}); möjliga: ${ownerCandidates.join(", ")}.`);
  }
  return {
    name: report.name,
    periodStart: period?.start ?? report.period_start ?? undefined,
    periodEnd: period?.end ?? report.period_end ?? undefined,
    periodRaw: report.period_raw,
    alternativeStart: period?.alternativeStart,
    intakeEnd: report.intake_end ?? undefined,
    intakeEndRaw: present(report.intake_end_raw),
    grantedOre,
    grantedRaw: present(report.granted_raw),
    usedOre: report.used_sek === null ? undefined : BigInt(report.used_sek) * 100n,
    usedRaw: report.used_raw,
    ownerName: report.owner_org ?? undefined,
    ownerCandidates,
    partners: report.partners.map((partner) => ({
      name: partner.org,
      role: partner.role === "medsökande" ? "co_applicant" : "cooperating_partner",
    })),
  };
}

function partyAnswer(section: SectionOf<"party_list">, report: Legacy): SectionAnswer | undefined {
  const roles = new Set(section.config.roles.map((role) => role.role));
  const rows: PartyRow[] = [];
  const parseNotes: string[] = [];
  if (roles.has("owner") && report.owner_org) {
    rows.push({ role: "owner", organisationName: report.owner_org, workplace: report.owner_workplace });
  }
  if (roles.has("partner")) {
    for (const partner of report.partners) {
      rows.push({ role: "partner", organisationName: partner.org });
      if (partner.org_raw) parseNotes.push(`${partner.org} skrevs "${partner.org_raw}".`);
    }
  }
  if (rows.length === 0) return undefined;
  return withNotes({ value: { rows } }, parseNotes);
}

function goalAnswer(report: Legacy): SectionAnswer | undefined {
  if (report.goals.length === 0) return undefined;
  const parseNotes: string[] = [];
  const rows = report.goals.map((goal, index): GoalRow => {
    const status = normaliseGoalStatus(goal.status);
    const label = `Mål ${index + 1}`;
    if (status !== goal.status && !goal.status.startsWith("ej angivet")) {
      parseNotes.push(`${label}: status i källan "${goal.status}".`);
    }
    if (goal.achieved_inferred !== undefined) {
      parseNotes.push(`${label}: utfallet tyder på att målet ${goal.achieved_inferred ? "" : "inte "}nåddes.`);
    }
    const fromNarrative = goal.level?.startsWith("narrative");
    if (fromNarrative) parseNotes.push(`${label}: hämtat ur löptexten (${goal.level}).`);
    return {
      level: fromNarrative ? undefined : (goal.level ?? undefined),
      goal: goal.goal,
      status,
      achievedRaw: goal.achieved_raw ?? undefined,
      outcome: goal.outcome ?? undefined,
    };
  });
  return withNotes({ value: { rows } }, parseNotes);
}

function costAnswer(section: SectionOf<"cost_table">, report: Legacy): SectionAnswer | undefined {
  const categories = new Map(section.config.rows.map((row) => [row.label, row.key]));
  const rows: CostRow[] = [];
  const parseNotes: string[] = [];
  for (const line of report.costs) {
    const category = categories.get(line.category);
    if (!category) {
      parseNotes.push(`Okänt kostnadsslag "${line.category}".`);
      continue;
    }
    if (line.specification === null && line.budget_sek === null && line.outcome_sek === null) continue;
    rows.push({
      category,
      specification: line.specification ?? undefined,
      budgetOre: oreText(line.budget_sek),
      outcomeOre: oreText(line.outcome_sek),
    });
  }
  if (rows.length === 0 && parseNotes.length === 0) return undefined;
  const computed = costTotals(rows);
  const stated = { budgetOre: ore(report.cost_totals.budget_sek), outcomeOre: ore(report.cost_totals.outcome_sek) };
  let rawText: string | undefined;
  for (const [column, name] of [
    ["budgetOre", "budget"],
    ["outcomeOre", "utfall"],
  ] as const) {
    const statedOre = stated[column];
    const computedOre = computed[column];
    if (statedOre === undefined) {
      if (computedOre !== null) parseNotes.push(`Summa ${name} lämnades tom; den beräknas ur raderna.`);
    } else if (computedOre === null || BigInt(statedOre) !== computedOre) {
      const rowsGive = computedOre === null ? "raderna saknar belopp" : `raderna ger ${formatKronor(computedOre)}`;
      parseNotes.push(`Angiven summa ${name} ${formatKronor(statedOre)}, men ${rowsGive}.`);
      rawText = `Summa: Budget ${formatStated(stated.budgetOre)}, Utfall ${formatStated(stated.outcomeOre)}`;
    }
  }
  return withNotes({ value: { rows }, ...(rawText ? { rawText } : {}) }, parseNotes);
}

function fundsAnswer(section: SectionOf<"funds_summary">, report: Legacy): SectionAnswer | undefined {
  const value: AnswerValue<"funds_summary"> = {};
  const parseNotes: string[] = [];
  let rawText: string | undefined;
  const questions = section.config.branches.flatMap((branch) =>
    branch.questions.map((question) => ({ ...question, when: branch.when })),
  );
  const text = present(report.budget_text);
  const numbered = text ? splitByNumbers(text, questions) : undefined;
  if (numbered) {
    value.answers = numbered;
    const answered = questions.filter((question) => numbered[question.key]);
    if (new Set(answered.map((question) => question.when)).size > 1) {
      const branch = fundsBranch(ore(report.granted_sek)?.toString(), ore(report.used_sek)?.toString());
      const unused = unusedOre(ore(report.granted_sek)?.toString(), ore(report.used_sek)?.toString());
      const applies = section.config.branches.find((candidate) => candidate.when === branch);
      parseNotes.push(
        `Båda grenarna är besvarade (${answered.map((question) => question.number ?? question.key).join(" och ")})` +
          (applies && unused !== null
            ? `; med ${formatKronor(unused)} kvar av beviljade medel gäller ${applies.number ?? applies.heading}.`
            : "."),
      );
    }
  } else if (text && section.config.text) {
    value.text = text;
  } else if (text) {
    rawText = text;
  }
  if (report.funds_returned) {
    rawText = report.funds_returned.raw;
    if (report.funds_returned.sek === null) {
      parseNotes.push("Återfört belopp framgår inte som ett belopp.");
    } else {
      value.returnedOre = oreText(report.funds_returned.sek);
      if (report.funds_returned.approximate) parseNotes.push("Återfört belopp är ungefärligt (ca).");
    }
  }
  if (Object.keys(value).length === 0 && !rawText) return undefined;
  return withNotes({ value, ...(rawText ? { rawText } : {}) }, parseNotes);
}

/** "7.1.1: … 7.2.1: …" → answers by question key; undefined when the text does not use the question numbers. */
function splitByNumbers(text: string, questions: { key: string; number?: string }[]) {
  const markers = questions
    .flatMap((question) => {
      const at = question.number ? text.indexOf(`${question.number}:`) : -1;
      return at < 0 ? [] : [{ key: question.key, at, length: `${question.number}:`.length }];
    })
    .sort((a, b) => a.at - b.at);
  if (markers.length === 0) return undefined;
  return Object.fromEntries(
    markers.map((marker, index) => [
      marker.key,
      text.slice(marker.at + marker.length, markers[index + 1]?.at ?? text.length).trim(),
    ]),
  );
}

const roleOf = (label: string | null): Signature["role"] => {
  if (label?.startsWith("Insatsägare")) return "owner";
  if (label?.startsWith("Samverkanspart")) return "partner";
  if (label === "Organisation") return "party";
  if (label === "Uppgiftslämnare") return "informant";
  return undefined;
};

function signatureAnswer(report: Legacy): SectionAnswer | undefined {
  if (report.signed.length === 0) return undefined;
  const parseNotes: string[] = [];
  const signatures = report.signed.map((signed, index): Signature => {
    const label = `Underskrift ${index + 1}`;
    const role = roleOf(signed.role_label);
    if (
      signed.role_label &&
      !["Insatsägare", "Samverkanspart", "Organisation", "Uppgiftslämnare"].includes(signed.role_label)
    ) {
      parseNotes.push(`${label}: rollen skrevs "${signed.role_label}".`);
    }
    if (signed.org_raw && signed.org_raw !== signed.org)
      parseNotes.push(`${label}: organisationen skrevs "${signed.org_raw}".`);
    if (signed.org_basis) parseNotes.push(`${label}: organisationen är härledd (${signed.org_basis}).`);
    if (signed.place_note) parseNotes.push(`${label}: orten ${signed.place_note}.`);
    if (!signed.date_iso_literal) parseNotes.push(`${label}: datumet "${signed.date_raw}" kunde inte tolkas.`);
    if (signed.note) parseNotes.push(`${label}: ${signed.note}.`);
    return {
      role,
      organisation: signed.org ?? undefined,
      place: signed.place ?? undefined,
      date: signed.date_iso_literal ?? undefined,
      dateRaw: signed.date_raw,
    };
  });
  return withNotes({ value: { signatures } }, parseNotes);
}

const withNotes = (answer: SectionAnswer, parseNotes: string[]): SectionAnswer =>
  parseNotes.length > 0 ? { ...answer, parseNotes } : answer;
