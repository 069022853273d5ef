import { randomUUID } from "node:crypto";
import type { Insertable } from "kysely";
import { findTransition } from "../interventions/lifecycle.js";
import type {
  CostCategory,
  GoalStatus,
  InterventionBudgetTable,
  InterventionGoalTable,
  InterventionKind,
  InterventionPartnerTable,
  InterventionStatus,
  InterventionTable,
  Member,
  OrganisationTable,
} from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import {
  DAY,
  duringOfficeHours,
  emailFor,
  insertRows,
  isoDate,
  largestRemainder,
  officerOf,
  personName,
  type Rng,
  type SynthAssociation,
  type SynthIntervention,
  type SynthOrganisation,
  type SynthStatusEvent,
} from "./synth-support.js";

/** Synthetic organisations and insatser with their applications: text, goals, budget, partners, decisions, history. */

function kommunPlaces(target: SynthAssociation) {
  return target.members.filter((m) => m.type === "kommun").map((m) => m.name.replace(/ kommun$/, ""));
}

/** n different items, in random order. */
function pickDistinct<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < n && pool.length > 0) picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  return picked;
}

function pickWeighted<T>(rng: Rng, items: readonly T[], weight: (item: T) => number): T {
  let left = rng.next() * items.reduce((sum, item) => sum + weight(item), 0);
  for (const item of items) {
    left -= weight(item);
    if (left < 0) return item;
  }
  return items.at(-1)!;
}

const kommunUnits = [
  "arbetsmarknadsenheten",
  "individ- och familjeomsorgen",
  "vuxenutbildningen",
  "försörjningsstödsenheten",
  "socialpsykiatrin",
  "ungdomsenheten",
];
const regionUnits = ["vuxenpsykiatrin", "rehabiliteringsmedicin", "habiliteringen", "beroendevården"];
const nonMemberNames = (place: string) => [
  "Vårdcentralen Norrby",
  "Vårdcentralen Söderport",
  "Föreningen Steget",
  "Stiftelsen Nästa steg",
  "Studieförbundet Framsteg",
  "Sociala företaget Kvarnhjulet",
  `${place} folkhögskola`,
  `Föreningen Gemenskap ${place}`,
];

/** The units a member has: a kommun's enheter, a region's vårdcentraler and kliniker, the state's local offices. */
function unitNames(member: Member, places: string[]): string[] {
  switch (member.type) {
    case "kommun":
      return kommunUnits.map((unit) => `${member.name}, ${unit}`);
    case "region":
      return [...places.map((place) => `vårdcentralen ${place}`), ...regionUnits].map((u) => `${member.name}, ${u}`);
    case "af":
      return places.map((place) => `${member.name}, ${place}`);
    case "fk":
      return [...places.map((place) => `lokalt försäkringscenter ${place}`), "samordningsfunktionen"].map(
        (unit) => `${member.name}, ${unit}`,
      );
    default:
      return [`${member.name}, kansliet`];
  }
}

export async function generateOrganisations(tx: Tx, target: SynthAssociation, rng: Rng) {
  const associationId = target.association.id;
  const places = kommunPlaces(target);
  const rows: Insertable<OrganisationTable>[] = [];
  const add = (name: string, member: Member | null) => {
    const organisation = { id: randomUUID(), name, memberType: member?.type ?? null, contact: null };
    target.organisations.push(organisation);
    rows.push({ association_id: associationId, id: organisation.id, name, member_id: member?.id ?? null });
  };
  for (const member of target.members) {
    add(member.name, member);
    for (const unit of pickDistinct(rng, unitNames(member, places), rng.int(1, 3))) add(unit, member);
  }
  for (const name of pickDistinct(rng, nonMemberNames(rng.pick(places)), rng.int(0, 3))) add(name, null);
  // The synthetic insatsägare's contact acts for one or two kommun units, as a real one acts for her own enhet.
  const contact = target.users.find((u) => u.role === "owner_contact")!.user;
  const units = target.organisations.filter((o) => o.memberType === "kommun" && o.name.includes(", "));
  for (const organisation of pickDistinct(rng, units, rng.int(1, 2))) organisation.contact = contact;

  await insertRows(tx, "organisation", rows);
  await insertRows(
    tx,
    "organisation_contact",
    target.organisations
      .filter((o) => o.contact)
      .map((o) => ({ association_id: associationId, organisation_id: o.id, user_id: o.contact!.id })),
  );
}

const brands = ["Steget", "Vägen", "Nästa steg", "Bron", "Kompassen", "Lotsen", "Navet", "Startpunkten", "Framåt"];
const moreBrands = ["Språnget", "Trappan", "Ankaret", "Horisont", "Kraftkällan", "Motorn", "Öppen dörr"];
const descriptions: Record<InterventionKind, string[]> = {
  individual: [
    "arbetsträning",
    "stöd till arbete",
    "unga vuxna",
    "hälsa och arbete",
    "språk och arbete",
    "rehabkoordinering",
    "aktivitetshus",
    "samordnat stöd",
  ],
  structural: [
    "kompetensutveckling",
    "kartläggning",
    "samverkansmodell",
    "förstudie",
    "utbildning i samverkan",
    "gemensamt arbetssätt",
  ],
};
const targetGroups: Record<InterventionKind, string[]> = {
  individual: [
    "Unga vuxna 16–29 år som varken arbetar eller studerar.",
    "Personer med långvarigt försörjningsstöd.",
    "Personer som är sjukskrivna och behöver stöd från flera parter för att återgå i arbete.",
    "Personer med psykisk ohälsa som står långt från arbetsmarknaden.",
    "Nyanlända som behöver språkstöd och arbetsträning.",
  ],
  structural: [
    "Handläggare och chefer hos parterna.",
    "Medarbetare i verksamheter som möter personer i behov av samordnad rehabilitering.",
  ],
};
const backgrounds = [
  "I {place} har antalet invånare med långvarigt försörjningsstöd ökat, och många har stått utanför arbetsmarknaden i flera år.",
  "Parterna i {place} möter ofta samma personer, men stödet är uppdelat och ingen har ansvar för helheten.",
  "Parternas kartläggning visar att unga vuxna i {place} som varken arbetar eller studerar sällan får samordnat stöd.",
  "Många med psykisk ohälsa i {place} står långt från arbetsmarknaden och behöver stöd från flera huvudmän samtidigt.",
  "Handläggarna i {place} efterfrågar en gemensam bild av målgruppen och av varandras uppdrag.",
];
const purposes = [
  "Att fler deltagare ska komma närmare arbete eller studier.",
  "Att deltagarna ska få ett samordnat stöd där parterna arbetar mot samma mål.",
  "Att förbättra deltagarnas hälsa och stärka deras förmåga att arbeta.",
  "Att utveckla en samverkan mellan parterna som lever kvar efter insatstiden.",
  "Att ge parternas handläggare gemensam kunskap och ett gemensamt arbetssätt.",
];
const methods = [
  "Varje deltagare får en egen coach som följer hen hela vägen.",
  "Arbetsträning på arbetsplatser i närområdet varvas med gruppträffar.",
  "Ett team med personal från kommun, region och Arbetsförmedlingen träffas varje vecka.",
  "Arbetsförmågan kartläggs tillsammans med Försäkringskassan.",
  "Utbildningsdagar och nätverksträffar för parternas handläggare.",
  "Deltagarna svarar på en enkät vid inskrivning och vid avslut.",
];
const conditions = [
  "Insatsen lämnar en lägesrapport till styrelsen varje halvår.",
  "Medlen får inte användas till ordinarie verksamhet.",
  "Beviljat under förutsättning att medsökande parter bidrar med personal enligt ansökan.",
];
const applicationReturns = [
  "Budgeten behöver delas upp per kostnadsslag och år.",
  "Beskriv hur målgruppen ska nås och hur deltagarna remitteras.",
  "Komplettera med mätbara delmål.",
];
const rejections = [
  "Avslås: insatsen liknar ordinarie verksamhet hos en av parterna.",
  "Avslås: förbundets budget för året är redan fördelad.",
  "Avslås: samverkan mellan minst två parter framgår inte av ansökan.",
];
const reportReturns = [
  "Slutrapporten saknar redovisning av måluppfyllelse per delmål.",
  "Deltagarstatistiken behöver delas upp på kön.",
];

const MIN_KRONOR_PER_YEAR = 100_000;
const MAX_KRONOR_PER_YEAR = 3_000_000;

/** The months of a period, counted per calendar year: [[2024, 4], [2025, 12], [2026, 2]]. */
function monthsPerYear(startYear: number, startMonth: number, months: number): [number, number][] {
  const perYear = new Map<number, number>();
  for (let m = 0; m < months; m++) {
    const year = startYear + Math.floor((startMonth + m) / 12);
    perYear.set(year, (perYear.get(year) ?? 0) + 1);
  }
  return [...perYear];
}

const wholeThousands = (kronor: number) => BigInt(Math.max(1, Math.round(kronor / 1000)) * 1000) * 100n;

/**
 * ~interventionsPerYear insatser started per year. Each gets a timeline from its draft to its approved slutrapport;
 * what lies after `now` is cut off, so the status always fits the dates: old insatser are finished, current ones
 * ongoing, and the applications of the last months are drafts, submitted, in preparation, granted or rejected.
 */
export async function generateInterventions(tx: Tx, target: SynthAssociation, rng: Rng) {
  const { scale } = target;
  const now = target.now.getTime();
  const places = kommunPlaces(target);
  const officer = officerOf(target);
  // Applications are drafted some months before the insats starts, so the window opens that much earlier.
  const firstDraft = now - scale.years * 365.25 * DAY - 150 * DAY;
  const usedNames = new Set<string>();
  // Columns that only the insert needs, kept out of the plan that later generators share.
  const texts = new Map<SynthIntervention, Partial<Insertable<InterventionTable>>>();

  for (let n = scale.interventionsPerYear * scale.years; n > 0; n--) {
    const kind: InterventionKind = rng.next() < 0.7 ? "individual" : "structural";
    const place = rng.pick(places);
    const base = `${rng.pick(rng.next() < 0.6 ? brands : moreBrands)} – ${rng.pick(descriptions[kind])} i ${place}`;
    let name = base;
    for (let stage = 2; usedNames.has(name); stage++) name = `${base}, etapp ${stage}`;
    usedNames.add(name);
    const owner = pickWeighted(rng, target.organisations, ownerWeight);

    const events: SynthStatusEvent[] = [];
    let at = firstDraft + rng.next() * (now - DAY - firstDraft);
    const move = (to: InterventionStatus, day: number, comment?: string) => {
      at = duringOfficeHours(day, rng);
      events.push({ from: events.at(-1)?.to ?? null, to, at, ...(comment ? { comment } : {}) });
    };
    move("draft", at);
    move("submitted", at + rng.int(7, 56) * DAY);
    move("in_preparation", at + rng.int(3, 21) * DAY);
    if (rng.next() < 0.1) {
      move("draft", at + rng.int(5, 20) * DAY, rng.pick(applicationReturns));
      move("submitted", at + rng.int(7, 28) * DAY);
      move("in_preparation", at + rng.int(2, 10) * DAY);
    }
    const grantedByBoard = rng.next() >= 0.07;
    if (grantedByBoard) move("granted", at + rng.int(14, 56) * DAY);
    else move("rejected", at + rng.int(14, 56) * DAY, rng.pick(rejections));

    // The period starts on the first of a month after the decision and ends on the last day of a month.
    const planned = new Date(at + rng.int(14, 90) * DAY);
    const months = rng.next() < 0.6 ? rng.pick([6, 12, 18, 24, 36]) : rng.int(6, 36);
    const start = Date.UTC(planned.getUTCFullYear(), planned.getUTCMonth() + 1, 1);
    const end = Date.UTC(planned.getUTCFullYear(), planned.getUTCMonth() + 1 + months, 0);
    if (grantedByBoard) {
      move("ongoing", start);
      move("ended", end + rng.int(1, 20) * DAY);
      if (rng.next() < 0.96) {
        move("final_report_submitted", at + rng.int(20, 100) * DAY);
        if (rng.next() < 0.06) {
          move("ended", at + rng.int(7, 21) * DAY, rng.pick(reportReturns));
          move("final_report_submitted", at + rng.int(10, 30) * DAY);
        }
        move("final_report_approved", at + rng.int(10, 45) * DAY);
      }
    }
    const happened = events.filter((event) => event.at <= now);

    // Most insatser are small and few reach the top of the range: the median is about 230 000 kr a year.
    const kronorPerYear = MIN_KRONOR_PER_YEAR * (MAX_KRONOR_PER_YEAR / MIN_KRONOR_PER_YEAR) ** (rng.next() ** 2);
    // The board sometimes grants less than applied for.
    const cut = rng.next() < 0.2 ? 0.8 + rng.next() * 0.15 : 1;
    const years = monthsPerYear(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), months);
    const applied = years.map(([year, m]) => ({ year, amountOre: wholeThousands((kronorPerYear * m) / 12) }));
    const grantedByNow = happened.some((event) => event.to === "granted");
    const grants = grantedByNow
      ? years.map(([year, m]) => ({ year, amountOre: wholeThousands((kronorPerYear * cut * m) / 12) }))
      : [];

    const contact = owner.contact ?? { id: null, name: personName(rng) };
    const plannedParticipants = kind === "individual" ? rng.int(15, 150) : 0;
    const women = Math.round(plannedParticipants * (0.4 + rng.next() * 0.25));
    const unknown = Math.round(plannedParticipants * rng.next() * 0.05);
    const intervention: SynthIntervention = {
      id: randomUUID(),
      name,
      kind,
      status: happened.at(-1)!.to,
      startDate: isoDate(start),
      endDate: isoDate(end),
      ownerOrganisationId: owner.id,
      contact,
      events: happened,
      applied,
      grants,
      costShares: [],
      goals: [],
    };
    target.interventions.push(intervention);
    texts.set(intervention, {
      target_group: rng.pick(targetGroups[kind]),
      background: rng.pick(backgrounds).replace("{place}", place),
      purpose: rng.pick(purposes),
      method: pickDistinct(rng, methods, 2).join(" "),
      planned_women: kind === "individual" ? women : null,
      planned_men: kind === "individual" ? plannedParticipants - women - unknown : null,
      planned_gender_unknown: kind === "individual" ? unknown : null,
      intake_end_date: kind === "individual" && rng.next() < 0.4 ? isoDate(end - rng.int(30, 90) * DAY) : null,
      conditions: grantedByNow && rng.next() < 0.3 ? rng.pick(conditions) : null,
    });
  }

  const registrations = numberPerYear(target.interventions, ["submitted"]);
  const decisions = numberPerYear(target.interventions, ["granted", "rejected"]);

  const associationId = target.association.id;
  await insertRows(
    tx,
    "intervention",
    target.interventions.map((i) => {
      const registration = registrations.get(i);
      const decision = decisions.get(i);
      return {
        association_id: associationId,
        id: i.id,
        name: i.name,
        owner_organisation_id: i.ownerOrganisationId,
        kind: i.kind,
        start_date: i.startDate,
        end_date: i.endDate,
        registry_number: registration ? `SF ${registration.year}/${registration.number}` : null,
        decision_section: decision ? `§ ${decision.number}` : null,
        decision_date: decision ? isoDate(decision.at) : null,
        ...texts.get(i),
        status: i.status,
        // Creation is version 1 and every status change makes a new one.
        version: i.events.length,
        created_at: new Date(i.events[0]!.at),
        updated_at: new Date(i.events.at(-1)!.at),
      };
    }),
  );
  await insertRows(
    tx,
    "intervention_status_change",
    target.interventions.flatMap((i) =>
      i.events.map((event) => {
        const byOwner = event.from === null || findTransition(event.from, event.to)?.by === "owner";
        const actor = byOwner ? i.contact : officer;
        return {
          association_id: associationId,
          id: randomUUID(),
          intervention_id: i.id,
          from_status: event.from,
          to_status: event.to,
          changed_at: new Date(event.at),
          changed_by: actor.id,
          changed_by_label: actor.name,
          comment: event.comment ?? null,
        };
      }),
    ),
  );
  await insertRows(
    tx,
    "intervention_grant",
    target.interventions.flatMap((i) =>
      i.grants.map((grant) => ({
        association_id: associationId,
        intervention_id: i.id,
        year: grant.year,
        amount_ore: grant.amountOre,
      })),
    ),
  );
}

function ownerWeight(organisation: SynthOrganisation) {
  // Most insatser are run by a kommun's enheter, fewer by the region and the state, few by non-members.
  const weights = { kommun: 6, region: 3, af: 1.5, fk: 1, other: 0.5 };
  return organisation.memberType ? weights[organisation.memberType] : 0.3;
}

/**
 * Numbers the insatser by their first event to one of the statuses, in time order, from 1 in each calendar year:
 * the diarienummer at submission, the § of the board's decision.
 */
function numberPerYear(interventions: SynthIntervention[], statuses: InterventionStatus[]) {
  const firsts = interventions
    .map((intervention) => ({ intervention, at: intervention.events.find((e) => statuses.includes(e.to))?.at }))
    .filter((first): first is { intervention: SynthIntervention; at: number } => first.at !== undefined)
    .sort((a, b) => a.at - b.at);
  const numbered = new Map<SynthIntervention, { year: number; number: number; at: number }>();
  const counters = new Map<number, number>();
  for (const { intervention, at } of firsts) {
    const year = new Date(at).getUTCFullYear();
    const number = (counters.get(year) ?? 0) + 1;
    counters.set(year, number);
    numbered.set(intervention, { year, number, at });
  }
  return numbered;
}

type GoalTemplate = { text: string; measurable?: { unit: string; min: number; max: number } };
const overallGoals: Record<InterventionKind, string[]> = {
  individual: [
    "Fler deltagare ska närma sig arbete eller studier.",
    "Deltagarna ska uppleva bättre hälsa och större egenmakt.",
    "Deltagarna ska bli självförsörjande genom arbete eller studier.",
  ],
  structural: [
    "Parterna ska ha ett gemensamt och hållbart arbetssätt för målgruppen.",
    "Samverkan mellan parterna ska bli tydligare och mer jämlik.",
  ],
};
const subGoals: Record<InterventionKind, GoalTemplate[]> = {
  individual: [
    {
      text: "Minst {n} deltagare ska skrivas in under insatstiden.",
      measurable: { unit: "deltagare", min: 10, max: 80 },
    },
    {
      text: "Minst {n} procent av deltagarna ska gå vidare till arbete eller studier.",
      measurable: { unit: "procent", min: 20, max: 50 },
    },
    {
      text: "Minst {n} procent av deltagarna ska uppleva bättre hälsa vid avslut.",
      measurable: { unit: "procent", min: 40, max: 80 },
    },
    {
      text: "{n} arbetsgivare ska erbjuda arbetsträning.",
      measurable: { unit: "arbetsgivare", min: 5, max: 30 },
    },
    { text: "Varje deltagare ska ha en individuell planering inom en månad." },
    { text: "Parterna ska ha gemensamma rutiner för hur deltagare remitteras." },
  ],
  structural: [
    {
      text: "Minst {n} handläggare ska ha gått utbildningen.",
      measurable: { unit: "handläggare", min: 20, max: 150 },
    },
    { text: "{n} gemensamma nätverksträffar ska genomföras.", measurable: { unit: "träffar", min: 4, max: 20 } },
    { text: "En kartläggning av målgruppen ska presenteras för styrelsen." },
    { text: "En gemensam rutin ska beslutas av parternas chefer." },
  ],
};
/** Salaries carry most insatser; the other kostnadsslag are drawn per insats. */
const otherCosts: CostCategory[] = ["activities", "external_services", "premises", "material", "travel", "other"];
/** Goal attainment is assessed in the slutrapport. */
const reported: InterventionStatus[] = ["final_report_submitted", "final_report_approved"];

/** The application around each insats: its goals, its budget per kostnadsslag and year, and its partners. */
export async function generateApplications(tx: Tx, target: SynthAssociation, rng: Rng) {
  const associationId = target.association.id;
  const goals: Insertable<InterventionGoalTable>[] = [];
  const budget: Insertable<InterventionBudgetTable>[] = [];
  const partners: Insertable<InterventionPartnerTable>[] = [];
  for (const intervention of target.interventions) {
    const assessed = reported.includes(intervention.status);
    const goalStatus = (): GoalStatus =>
      assessed
        ? pickWeighted(rng, ["achieved", "partly_achieved", "not_achieved"] as const, goalStatusWeight)
        : "not_assessed";
    const goalTemplates: GoalTemplate[] = [
      { text: rng.pick(overallGoals[intervention.kind]) },
      ...pickDistinct(rng, subGoals[intervention.kind], rng.int(1, 4)),
    ];
    goalTemplates.forEach((template, position) => {
      const target_value = template.measurable ? rng.int(template.measurable.min, template.measurable.max) : null;
      const goal = { id: randomUUID(), status: goalStatus() };
      intervention.goals.push(goal);
      goals.push({
        association_id: associationId,
        id: goal.id,
        intervention_id: intervention.id,
        position: position + 1,
        level: position === 0 ? "overall" : "sub",
        text: template.text.replace("{n}", String(target_value)),
        target_value,
        unit: template.measurable?.unit ?? null,
        status: goal.status,
        created_at: new Date(intervention.events[0]!.at),
      });
    });

    const main: CostCategory =
      intervention.kind === "individual" || rng.next() < 0.5 ? "salaries" : "external_services";
    intervention.costShares = [
      { category: main, weight: 4 + rng.next() * 4 },
      ...pickDistinct(
        rng,
        otherCosts.filter((category) => category !== main),
        rng.int(2, 4),
      ).map((category) => ({ category, weight: 0.3 + rng.next() * 1.5 })),
    ];
    const weights = intervention.costShares.map((share) => share.weight);
    for (const { year, amountOre } of intervention.applied) {
      largestRemainder(Number(amountOre / 100n), weights).forEach((kronor, i) => {
        if (kronor === 0) return;
        budget.push({
          association_id: associationId,
          intervention_id: intervention.id,
          year,
          cost_category: intervention.costShares[i]!.category,
          amount_ore: BigInt(kronor) * 100n,
        });
      });
    }

    const others = target.organisations.filter((o) => o.id !== intervention.ownerOrganisationId);
    for (const organisation of pickDistinct(rng, others, rng.int(0, 3))) {
      const contactName = rng.next() < 0.8 ? personName(rng) : null;
      partners.push({
        association_id: associationId,
        intervention_id: intervention.id,
        organisation_id: organisation.id,
        role: rng.next() < 0.4 ? "co_applicant" : "cooperating_partner",
        contact_name: contactName,
        contact_email: contactName ? emailFor(contactName, `synth-${target.seed}.test`) : null,
      });
    }
  }
  await insertRows(tx, "intervention_goal", goals);
  await insertRows(tx, "intervention_budget", budget);
  await insertRows(tx, "intervention_partner", partners);
}

function goalStatusWeight(status: GoalStatus) {
  return status === "achieved" ? 5 : status === "partly_achieved" ? 3 : 2;
}
