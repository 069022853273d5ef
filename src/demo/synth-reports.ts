import { type Insertable, sql } from "kysely";
import type { CostCategory, ReportKind, ReportTable } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import type { AnswerValue, ReportAnswers, Signature } from "../reports/answer-model.js";
import { builtinTemplates } from "../reports/builtin/index.js";
import { fundsBranch } from "../reports/derived.js";
import { type InsatsFacts, prefillAnswers } from "../reports/prefill.js";
import { type FundsCondition, type GoalStatus, type TemplateVersion, walkSections } from "../reports/template-model.js";
import {
  DAY,
  duringOfficeHours,
  insertRows,
  isoDate,
  officerOf,
  type Rng,
  type SynthAssociation,
  type SynthIntervention,
} from "./synth-support.js";

/**
 * Synthetic slutrapporter of the insatser that handed one in, and delrapporter of some long-running ones, written on
 * the association's default template and answered as the app would have it: prefilled from the insats as it stood
 * when the report was handed in, then texts, goal statuses and signatures added.
 */

const sentences = [
  "Insatsen har genomförts i nära samverkan mellan parterna.",
  "Deltagarna har haft samma kontaktperson under hela insatstiden.",
  "Styrgruppen har följt upp arbetet vid sina möten varje kvartal.",
  "Rekryteringen av personal tog längre tid än planerat, vilket försenade starten.",
  "Parterna har fått en gemensam bild av målgruppens behov.",
  "Arbetssättet har fungerat väl och används nu även i ordinarie verksamhet.",
  "Resultaten har redovisats för förbundets styrelse och för parternas ledningar.",
  "Några deltagare avbröt insatsen på grund av ohälsa.",
  "Handläggarna upplever att det har blivit enklare att samverka över gränserna.",
  "Deltagarnas synpunkter har samlats in genom enkäter och samtal vid avslut.",
  "Lärdomarna tas tillvara i parternas fortsatta planering.",
  "Färre deltagare än väntat remitterades under det första halvåret.",
];
const equalitySentences = [
  "Kvinnor och män har tagit del av insatsen i ungefär samma utsträckning.",
  "Fler kvinnor än män har deltagit, och insatsen har anpassat aktiviteterna efter det.",
  "Utfallet skiljer sig inte nämnvärt mellan kvinnor och män.",
];
const fundsSentences: Record<FundsCondition, string[]> = {
  unused_zero: [
    "Budgeten var väl avvägd i förhållande till verksamheten.",
    "Lönekostnaderna blev något högre än beräknat men ryms inom beviljade medel.",
  ],
  unused_positive: [
    "En tjänst var vakant under en period, så alla medel har inte utnyttjats.",
    "Färre aktiviteter än planerat kunde genomföras, vilket inte påverkat insatsens mål.",
  ],
};
const goalOutcomes: Partial<Record<GoalStatus, string[]>> = {
  uppnått: ["Målet har nåtts.", "Målet nåddes redan under insatstidens andra halva."],
  "delvis uppnått": ["Målet har delvis nåtts.", "Arbetet har kommit en bit på vägen men fortsätter."],
  "ej uppnått": ["Målet har inte nåtts.", "Målgruppen var svårare att nå än planerat."],
};
// Who signs is someone at the party with the mandate to: made-up names that cannot belong to anyone.
const signers = ["Kim Exempel", "Alex Provsson", "Robin Mallberg", "Sam Testén", "Charlie Påhittad", "Noa Fiktivsson"];
/** Goal statuses a writer picks when the insats record has none the template accepts. */
const drawnStatuses: readonly GoalStatus[] = ["uppnått", "delvis uppnått", "ej uppnått"];

type ReportTimeline = {
  intervention: SynthIntervention;
  kind: ReportKind;
  status: "submitted" | "returned" | "approved";
  firstSubmittedAt: number;
  submittedAt: number;
  submissions: number;
  /** The last decision: the approval, or the return to the insatsägare with what to change. */
  decision: { at: number; comment: string | null } | undefined;
  decisions: number;
};

type PlannedReport = ReportTimeline & {
  createdAt: number;
  /** When the förbund noted its arrival and registry number; undefined while that is still to come. */
  arrivalAt: number | undefined;
};

/** The report is started some weeks before it is first handed in, and its arrival noted a few days after. */
function planReport(timeline: ReportTimeline, now: number, rng: Rng): PlannedReport {
  const arrivalAt = duringOfficeHours(timeline.firstSubmittedAt + rng.int(1, 5) * DAY, rng);
  return {
    ...timeline,
    createdAt: duringOfficeHours(timeline.firstSubmittedAt - rng.int(7, 45) * DAY, rng),
    arrivalAt: arrivalAt <= now ? arrivalAt : undefined,
  };
}

/** The slutrapport as the insats's status history dates it: handed in, perhaps returned and handed in again, decided. */
function finalReport(intervention: SynthIntervention): ReportTimeline | undefined {
  const submissions = intervention.events.filter((event) => event.to === "final_report_submitted");
  if (submissions.length === 0) return undefined;
  const decisions = intervention.events.filter((event) => event.from === "final_report_submitted");
  const decision = decisions.at(-1);
  return {
    intervention,
    kind: "final",
    status:
      intervention.status === "final_report_approved"
        ? "approved"
        : intervention.status === "final_report_submitted"
          ? "submitted"
          : "returned",
    firstSubmittedAt: submissions[0]!.at,
    submittedAt: submissions.at(-1)!.at,
    submissions: submissions.length,
    decision: decision && { at: decision.at, comment: decision.comment ?? null },
    decisions: decisions.length,
  };
}

/** A delrapport, approved, of ~30 % of the insatser that have been ongoing for over a year. */
function interimReport(intervention: SynthIntervention, now: number, rng: Rng): ReportTimeline | undefined {
  const start = Date.parse(intervention.startDate);
  if (intervention.status !== "ongoing" || start > now - 365 * DAY || rng.next() >= 0.3) return undefined;
  // After the first year, or earlier when that is only weeks ago, so that the decision lies before now.
  const submittedAt = duringOfficeHours(Math.min(start + rng.int(375, 405) * DAY, now - rng.int(20, 40) * DAY), rng);
  return {
    intervention,
    kind: "interim",
    status: "approved",
    firstSubmittedAt: submittedAt,
    submittedAt,
    submissions: 1,
    decision: { at: duringOfficeHours(submittedAt + rng.int(10, 19) * DAY, rng), comment: null },
    decisions: 1,
  };
}

/**
 * What loadFacts gives for each planned report, with one query per table for the whole association (cheaper than
 * naming the insatser); the money used is what the requisitions approved before the report was handed in say.
 */
async function loadAllFacts(tx: Tx, target: SynthAssociation, planned: PlannedReport[]) {
  const associationId = target.association.id;
  const intakes = await tx
    .selectFrom("intervention")
    .select(["id", "intake_end_date"])
    .where("association_id", "=", associationId)
    .execute();
  const goals = await tx
    .selectFrom("intervention_goal")
    .selectAll()
    .where("association_id", "=", associationId)
    .orderBy("position")
    .execute();
  const budget = await tx
    .selectFrom("intervention_budget")
    .select(["intervention_id", "year", "cost_category", "amount_ore"])
    .where("association_id", "=", associationId)
    .orderBy("year")
    .execute();
  const partners = await tx
    .selectFrom("intervention_partner as p")
    .innerJoin("organisation as o", (join) =>
      join.onRef("o.association_id", "=", "p.association_id").onRef("o.id", "=", "p.organisation_id"),
    )
    .select(["p.intervention_id", "p.organisation_id", "o.name", "p.role", "p.contact_name", "p.contact_email"])
    .where("p.association_id", "=", associationId)
    .orderBy("p.role")
    .orderBy("o.name")
    .execute();
  const handedIn = JSON.stringify(
    planned.map((report) => ({ id: report.intervention.id, at: new Date(report.submittedAt).toISOString() })),
  );
  const { rows: used } = await sql<{ intervention_id: string; cost_category: CostCategory; amount_ore: bigint }>`
    select r.intervention_id, l.cost_category, sum(l.amount_ore)::bigint as amount_ore
    from jsonb_to_recordset(${handedIn}::jsonb) as c(id uuid, at timestamptz)
    join requisition r on r.association_id = ${associationId} and r.intervention_id = c.id
      and r.status = 'approved' and r.decided_at <= c.at
    join requisition_line l on l.association_id = r.association_id and l.requisition_id = r.id
    group by r.intervention_id, l.cost_category`.execute(tx);
  const byIntervention = <T extends { intervention_id: string }>(rows: T[]) => {
    const grouped = new Map<string, T[]>();
    for (const row of rows) {
      const list = grouped.get(row.intervention_id);
      if (list) list.push(row);
      else grouped.set(row.intervention_id, [row]);
    }
    return (id: string) => grouped.get(id) ?? [];
  };
  const goalsOf = byIntervention(goals);
  const budgetOf = byIntervention(budget);
  const partnersOf = byIntervention(partners);
  const usedOf = byIntervention(used);
  const intakeOf = new Map(intakes.map((row) => [row.id, row.intake_end_date]));
  const owners = new Map(target.organisations.map((organisation) => [organisation.id, organisation.name]));
  return (intervention: SynthIntervention): InsatsFacts => {
    const usedPerCategory = usedOf(intervention.id);
    return {
      name: intervention.name,
      periodStart: intervention.startDate,
      periodEnd: intervention.endDate,
      intakeEnd: intakeOf.get(intervention.id) ?? null,
      grantedOre: intervention.grants.reduce((sum, grant) => sum + grant.amountOre, 0n),
      usedOre: usedPerCategory.reduce((sum, line) => sum + line.amount_ore, 0n),
      owner: { id: intervention.ownerOrganisationId, name: owners.get(intervention.ownerOrganisationId)! },
      partners: partnersOf(intervention.id).map((partner) => ({
        id: partner.organisation_id,
        name: partner.name,
        role: partner.role,
        contactName: partner.contact_name,
        email: partner.contact_email,
      })),
      goals: goalsOf(intervention.id),
      budget: budgetOf(intervention.id),
      usedPerCategory,
    };
  };
}

/** The prefilled answers completed: every required text, a status and outcome per goal, the signatures. */
function writeAnswers(
  template: TemplateVersion,
  facts: InsatsFacts,
  report: PlannedReport,
  places: string[],
  rng: Rng,
): ReportAnswers {
  const answers = prefillAnswers(template, facts);
  const text = () => {
    const first = rng.int(0, sentences.length - 1);
    return Array.from({ length: rng.int(1, 3) }, (_, i) => sentences[(first + i) % sentences.length]).join(" ");
  };
  const sections = [...walkSections(template.sections)];
  const parties = sections.flatMap((section) =>
    section.type === "party_list" ? (answers[section.key]!.value as AnswerValue<"party_list">).rows : [],
  );
  const date = isoDate(report.submittedAt);
  for (const section of sections) {
    switch (section.type) {
      case "goal_table": {
        const accepted = section.config.statuses.map((status) => status.status);
        const drawable = drawnStatuses.filter((status) => accepted.includes(status));
        for (const row of (answers[section.key]!.value as AnswerValue<"goal_table">).rows) {
          if (!row.status || !accepted.includes(row.status)) row.status = rng.pick(drawable);
          const outcomes = goalOutcomes[row.status];
          if (outcomes) row.outcome = rng.pick(outcomes);
        }
        break;
      }
      case "party_list":
        // A form that asks for samverkansparter of an insats that has none is answered "ej aktuellt".
        if (section.required && (answers[section.key]!.value as AnswerValue<"party_list">).rows.length === 0) {
          answers[section.key] = { notApplicable: true };
        }
        break;
      case "free_text":
        if (!section.required) break;
        answers[section.key] = {
          value: section.config.perParty
            ? { byParty: Object.fromEntries(parties.map((row) => [row.organisationId!, text()])) }
            : { text: text() },
        };
        break;
      case "gender_equality":
        answers[section.key] = { value: { text: rng.pick(equalitySentences) } };
        break;
      case "funds_summary": {
        const branch = fundsBranch(facts.grantedOre, facts.usedOre)!;
        const questions = section.config.branches.filter((b) => b.when === branch).flatMap((b) => b.questions);
        answers[section.key] = {
          value: {
            ...(section.config.text ? { text: text() } : {}),
            answers: Object.fromEntries(questions.map((question) => [question.key, rng.pick(fundsSentences[branch])])),
          },
        };
        break;
      }
      case "signature_block": {
        const { requiredSigners, slots } = section.config;
        const signatures: Signature[] =
          requiredSigners === "informant"
            ? [{ role: "informant", date, name: report.intervention.contact.name }]
            : parties
                .filter((row) => requiredSigners === "all_parties" || row.role === "owner")
                .map((row) => ({
                  role: slots.some((slot) => slot.role === row.role) ? row.role : "party",
                  organisation: row.organisationId!,
                  place: rng.pick(places),
                  date,
                  name: rng.pick(signers),
                }));
        answers[section.key] = { value: { signatures } };
        break;
      }
      default:
        break;
    }
  }
  return answers;
}

/**
 * Registry numbers per calendar year of arrival. Reports go into the diarium that numbers the applications, so their
 * numbers continue after each year's applications rather than repeat them.
 */
function registryNumbers(target: SynthAssociation, planned: PlannedReport[]) {
  const counters = new Map<number, number>();
  for (const intervention of target.interventions) {
    const submitted = intervention.events.find((event) => event.to === "submitted");
    if (!submitted) continue;
    const year = new Date(submitted.at).getUTCFullYear();
    counters.set(year, (counters.get(year) ?? 0) + 1);
  }
  const numbers = new Map<PlannedReport, string>();
  const arrived = planned.filter((report) => report.arrivalAt !== undefined);
  arrived.sort((a, b) => a.arrivalAt! - b.arrivalAt!);
  for (const report of arrived) {
    const year = new Date(report.arrivalAt!).getUTCFullYear();
    const number = (counters.get(year) ?? 0) + 1;
    counters.set(year, number);
    numbers.set(report, `SF ${year}/${number}`);
  }
  return numbers;
}

export async function generateReports(tx: Tx, target: SynthAssociation, rng: Rng) {
  const associationId = target.association.id;
  const template = rng.pick(builtinTemplates);
  await insertRows(tx, "report_template_default", [
    { association_id: associationId, kind: "final", template_key: template.key },
  ]);
  const now = target.now.getTime();
  const planned = target.interventions.flatMap((intervention) => {
    const timeline = finalReport(intervention) ?? interimReport(intervention, now, rng);
    return timeline ? [planReport(timeline, now, rng)] : [];
  });
  if (planned.length === 0) return;
  const factsOf = await loadAllFacts(tx, target, planned);
  const numbers = registryNumbers(target, planned);
  const places = target.members.filter((m) => m.type === "kommun").map((m) => m.name.replace(/ kommun$/, ""));
  const officer = officerOf(target);
  // The app copies the template into every report; one serialisation serves them all.
  const templateJson = JSON.stringify(template);
  const rows: Insertable<ReportTable>[] = planned.map((report) => {
    const { intervention, decision, arrivalAt } = report;
    const answers = writeAnswers(template, factsOf(intervention), report, places, rng);
    return {
      association_id: associationId,
      intervention_id: intervention.id,
      kind: report.kind,
      template_key: template.key,
      template: templateJson,
      answers: JSON.stringify(answers),
      status: report.status,
      // Every write makes a version: the start, a save of the answers, each submission and decision, the arrival.
      version: 2 + report.submissions + report.decisions + (arrivalAt === undefined ? 0 : 1),
      submitted_at: new Date(report.submittedAt),
      submitted_by_label: intervention.contact.name,
      arrival_date: arrivalAt === undefined ? null : isoDate(arrivalAt),
      registry_number: numbers.get(report) ?? null,
      decided_at: decision ? new Date(decision.at) : null,
      decided_by_label: decision ? officer.name : null,
      decision_comment: decision?.comment ?? null,
      created_at: new Date(report.createdAt),
      updated_at: new Date(Math.max(report.submittedAt, decision?.at ?? 0, arrivalAt ?? 0)),
    };
  });
  await insertRows(tx, "report", rows);
}
