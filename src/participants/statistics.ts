import { loadIntervention, visibleOwners } from "../interventions/access.js";
import { findIntervention, listInterventions } from "../interventions/repository.js";
import { can } from "../platform/auth/policy.js";
import type { Gender } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { csvDocument } from "../platform/export/csv.js";
import type { Cell, Column } from "../platform/export/document.js";
import type { TableBlock } from "../platform/export/xlsx.js";
import type { Tenant } from "../platform/http/env.js";
import { notFound } from "../platform/http/errors.js";
import { formatPercent } from "../platform/ui/format.js";
import { type CodeLists, codeLists, genderNames, labelOf, workOrStudies } from "./codes.js";
import {
  type AgeBand,
  ageBands,
  exitCounts,
  exitSets,
  guidanceCaseSums,
  periodCounts,
  periodSets,
  type StatisticsScope,
} from "./statistics-repository.js";

/**
 * Participant statistics: the numbers of one period for one insats or the whole association, and the tables that
 * show them. Published and exported statistics hide small cells (1–4 shown as "<5") so that no one can be picked
 * out; staff, who may read the participants themselves, see exact numbers with the small cells marked.
 */

export const genders = Object.keys(genderNames) as Gender[];

export type Counts = { active: number; new: number; exited: number };
type ByGender = Record<Gender, number>;

export type ParticipantStatistics = {
  from: string;
  to: string;
  persons: { byGender: Record<Gender, Counts>; total: Counts };
  enrolments: { byGender: Record<Gender, Counts>; total: Counts };
  transitions: { atEnrolment: string; atExit: string; count: number }[];
  outcomes: { exitReason: string; byGender: ByGender; total: number; workOrStudies: boolean }[];
  exited: number;
  timeInInsats: { firstQuartile: number; median: number; thirdQuartile: number } | null;
  ageBands: { band: AgeBand; byGender: ByGender; total: number }[];
  referrers: { memberId: string | null; name: string | null; count: number }[];
  guidanceCases: ByGender & { total: number };
  codes: CodeLists;
};

export const SUPPRESSED = "<5";

/** A count of 1–4 could point out a person. */
export const isSmall = (count: number) => count >= 1 && count <= 4;

/** The count as published: 1–4 become "<5"; zero stays, as it points out no one. */
export function suppress(count: number): number | typeof SUPPRESSED {
  return isSmall(count) ? SUPPRESSED : count;
}

const zeroCounts = (): Counts => ({ active: 0, new: 0, exited: 0 });
const byGender = <T>(make: () => T) =>
  Object.fromEntries(genders.map((gender) => [gender, make()])) as Record<Gender, T>;

/** The three statements of the repository, shaped; the code lists give labels and national codes. */
export async function loadStatistics(tx: Tx, scope: StatisticsScope): Promise<ParticipantStatistics> {
  const codes = await codeLists(tx, scope.associationId);
  const period = await periodCounts(tx, scope);
  const exits = await exitCounts(tx, scope);
  const guidance = await guidanceCaseSums(tx, scope);

  const persons = { byGender: byGender(zeroCounts), total: zeroCounts() };
  const enrolments = { byGender: byGender(zeroCounts), total: zeroCounts() };
  const bands = new Map(ageBands.map((band) => [band, byGender(() => 0)]));
  const referrers: ParticipantStatistics["referrers"] = [];
  for (const row of period) {
    const personCounts = { active: row.active_persons, new: row.new_persons, exited: row.exited_persons };
    const enrolmentCounts = { active: row.active_enrolments, new: row.new_enrolments, exited: row.exited_enrolments };
    if (row.grouping_set === periodSets.total) {
      persons.total = personCounts;
      enrolments.total = enrolmentCounts;
    } else if (row.grouping_set === periodSets.gender && row.gender) {
      persons.byGender[row.gender] = personCounts;
      enrolments.byGender[row.gender] = enrolmentCounts;
    } else if (row.grouping_set === periodSets.ageBand && row.band && row.gender) {
      const band = bands.get(row.band);
      if (band) band[row.gender] = row.active_persons;
    } else if (row.grouping_set === periodSets.referrer) {
      referrers.push({ memberId: row.referrer_member_id, name: row.referrer_name, count: row.active_enrolments });
    }
  }
  // Members by name, and enrolments without a referrer last.
  referrers.sort((a, b) => (a.name === null ? 1 : b.name === null ? -1 : a.name.localeCompare(b.name, "sv")));

  const nationalCode = (code: string) => codes.exit_reason.find((entry) => entry.code === code)?.nationalCode ?? code;
  const outcomes = new Map<string, ByGender>();
  const transitions: ParticipantStatistics["transitions"] = [];
  let exited = 0;
  let timeInInsats: ParticipantStatistics["timeInInsats"] = null;
  for (const row of exits) {
    if (row.grouping_set === exitSets.total) {
      exited = row.enrolments;
      if (row.median !== null && row.first_quartile !== null && row.third_quartile !== null) {
        timeInInsats = { firstQuartile: row.first_quartile, median: row.median, thirdQuartile: row.third_quartile };
      }
    } else if (row.grouping_set === exitSets.transition) {
      transitions.push({
        atEnrolment: row.income_source_at_enrolment ?? "",
        atExit: row.income_source_at_exit ?? "",
        count: row.enrolments,
      });
    } else if (row.grouping_set === exitSets.outcome && row.exit_reason && row.gender) {
      const counts = outcomes.get(row.exit_reason) ?? byGender(() => 0);
      counts[row.gender] = row.enrolments;
      outcomes.set(row.exit_reason, counts);
    }
  }

  return {
    from: scope.from,
    to: scope.to,
    persons,
    enrolments,
    transitions,
    outcomes: inListOrder(codes.exit_reason, [...outcomes.keys()]).map((exitReason) => {
      const counts = outcomes.get(exitReason) ?? byGender(() => 0);
      return {
        exitReason,
        byGender: counts,
        total: sum(counts),
        workOrStudies: workOrStudies.has(nationalCode(exitReason)),
      };
    }),
    exited,
    timeInInsats,
    ageBands: ageBands.map((band) => {
      const counts = bands.get(band) ?? byGender(() => 0);
      return { band, byGender: counts, total: sum(counts) };
    }),
    referrers,
    guidanceCases: {
      woman: guidance.women,
      man: guidance.men,
      other_unknown: guidance.gender_unknown,
      total: guidance.women + guidance.men + guidance.gender_unknown,
    },
    codes,
  };
}

const sum = (counts: ByGender) => genders.reduce((total, gender) => total + counts[gender], 0);

/** Codes in the order of their list, codes no longer in it last. */
function inListOrder(list: { code: string }[], codes: string[]): string[] {
  const position = (code: string) => {
    const index = list.findIndex((entry) => entry.code === code);
    return index === -1 ? list.length : index;
  };
  return [...new Set(codes)].sort((a, b) => position(a) - position(b) || a.localeCompare(b));
}

/** Those exited to work or studies, by gender and in total. */
export function workOrStudiesCounts(stats: ParticipantStatistics): ByGender & { total: number } {
  const counts = byGender(() => 0);
  for (const outcome of stats.outcomes.filter((entry) => entry.workOrStudies)) {
    for (const gender of genders) counts[gender] += outcome.byGender[gender];
  }
  return { ...counts, total: sum(counts) };
}

/**
 * A share, or null where it would tell a small count: with suppression, a share of fewer than five, or of which
 * fewer than five, is not shown.
 */
export function share(part: number, whole: number, suppressed: boolean): number | null {
  if (whole === 0) return null;
  if (suppressed && (isSmall(part) || isSmall(whole))) return null;
  return part / whole;
}

/** Quartiles of fewer than five stays come close to telling each one. */
export function timeInInsatsShown(stats: ParticipantStatistics, suppressed: boolean) {
  return suppressed && isSmall(stats.exited) ? null : stats.timeInInsats;
}

// --- Scope: who sees which insatser -------------------------------------------------------------------------------

/**
 * Statistics are for everyone in the association, the board and auditors included. Only an insatsägare's contact
 * is limited, as everywhere, to the insatser of its own organisations.
 */
async function statisticsOwners(tenant: Tenant): Promise<string[] | undefined> {
  return can(tenant.role, "intervention.read") ? visibleOwners(tenant) : undefined;
}

/** The insats if the caller may see its statistics; otherwise the 404 of an insats that does not exist. */
export async function loadStatisticsIntervention(tenant: Tenant, interventionId: string) {
  if (can(tenant.role, "intervention.read")) return loadIntervention(tenant, interventionId);
  const intervention = await findIntervention(tenant.tx, tenant.association.id, interventionId);
  if (!intervention) throw notFound();
  return intervention;
}

/** The insatser the caller may filter on, and undefined for the whole association when it sees them all. */
export async function statisticsInterventions(tenant: Tenant) {
  const owners = await statisticsOwners(tenant);
  const interventions = await listInterventions(tenant.tx, tenant.association.id, { visibleTo: owners });
  return { interventions, limitedTo: owners ? interventions.map((intervention) => intervention.id) : undefined };
}

// --- Tables ---------------------------------------------------------------------------------------------------------

/** A cell of a statistics table; `small` marks an exact count of 1–4 on staff pages. */
export type StatCell = Cell & { small?: true };
export type StatTable = Omit<TableBlock, "rows" | "footerRows"> & {
  /** Also the sheet name of the download and the anchor of the page's table. */
  name: string;
  rows: StatCell[][];
  footerRows?: StatCell[][];
};

export type Presentation = { suppressed: boolean; level: "association" | "intervention" };

const DASH = "–";

export function countCell(count: number, suppressed: boolean): StatCell {
  if (suppressed && isSmall(count)) return { text: SUPPRESSED };
  const text = count.toLocaleString("sv-SE");
  return isSmall(count) ? { text, number: count, small: true } : { text, number: count };
}

function shareCell(part: number, whole: number, suppressed: boolean): StatCell {
  const fraction = share(part, whole, suppressed);
  return fraction === null ? { text: DASH } : { text: formatPercent(fraction), number: fraction * 100 };
}

const daysCell = (days: number | undefined): StatCell =>
  days === undefined ? { text: DASH } : { text: days.toLocaleString("sv-SE"), number: days };

const label = (text: string): StatCell => ({ text });
const strong = (text: string): StatCell => ({ text, strong: true });
const count = (header: string): Column => ({ header, align: "right" });
const genderColumns = genders.map((gender) => count(genderNames[gender]));

function periodTable(stats: ParticipantStatistics, { suppressed, level }: Presentation): StatTable {
  const counts = (person: Counts, enrolment: Counts) => [
    ...(["active", "new", "exited"] as const).map((key) => countCell(person[key], suppressed)),
    ...(level === "association"
      ? (["active", "new", "exited"] as const).map((key) => countCell(enrolment[key], suppressed))
      : []),
  ];
  return {
    type: "table",
    name: "Deltagare",
    caption: `Deltagare per kön ${stats.from}–${stats.to}`,
    columns: [
      { header: "Kön" },
      count(level === "association" ? "Aktiva personer" : "Aktiva"),
      count(level === "association" ? "Nya personer" : "Nya"),
      count(level === "association" ? "Avslutade personer" : "Avslutade"),
      ...(level === "association"
        ? [count("Aktiva inskrivningar"), count("Nya inskrivningar"), count("Avslutade inskrivningar")]
        : []),
    ],
    rows: genders.map((gender) => [
      label(genderNames[gender]),
      ...counts(stats.persons.byGender[gender], stats.enrolments.byGender[gender]),
    ]),
    footerRows: [[strong("Totalt"), ...counts(stats.persons.total, stats.enrolments.total)]],
  };
}

function outcomeTable(stats: ParticipantStatistics, { suppressed }: Presentation): StatTable {
  const work = workOrStudiesCounts(stats);
  const gendered = (counts: ByGender, total: number) => [
    ...genders.map((gender) => countCell(counts[gender], suppressed)),
    countCell(total, suppressed),
  ];
  const totals = byGender(() => 0);
  for (const outcome of stats.outcomes) for (const gender of genders) totals[gender] += outcome.byGender[gender];
  return {
    type: "table",
    name: "Avslutsorsak",
    caption: `Avslutsorsak per kön, avslutade ${stats.from}–${stats.to}`,
    columns: [{ header: "Avslutsorsak" }, ...genderColumns, count("Totalt"), count("Andel")],
    rows: stats.outcomes.map((outcome) => [
      label(labelOf(stats.codes.exit_reason, outcome.exitReason)),
      ...gendered(outcome.byGender, outcome.total),
      shareCell(outcome.total, stats.exited, suppressed),
    ]),
    footerRows: [
      [
        strong("Till arbete eller studier"),
        ...gendered(work, work.total),
        shareCell(work.total, stats.exited, suppressed),
      ],
      [strong("Totalt"), ...gendered(totals, stats.exited), shareCell(stats.exited, stats.exited, suppressed)],
    ],
  };
}

function transitionTable(stats: ParticipantStatistics, { suppressed }: Presentation): StatTable {
  const list = stats.codes.income_source;
  const starts = inListOrder(
    list,
    stats.transitions.map((transition) => transition.atEnrolment),
  );
  const exits = inListOrder(
    list,
    stats.transitions.map((transition) => transition.atExit),
  );
  const countOf = (start: string | undefined, exit: string | undefined) =>
    stats.transitions
      .filter(
        (transition) =>
          (start === undefined || transition.atEnrolment === start) &&
          (exit === undefined || transition.atExit === exit),
      )
      .reduce((total, transition) => total + transition.count, 0);
  const line = (start: string | undefined) => [
    ...exits.map((exit) => countCell(countOf(start, exit), suppressed)),
    countCell(countOf(start, undefined), suppressed),
  ];
  return {
    type: "table",
    name: "Försörjning",
    caption: `Försörjning vid start (rader) och vid avslut (kolumner), avslutade ${stats.from}–${stats.to}`,
    columns: [
      { header: "Vid start \\ vid avslut" },
      ...exits.map((exit) => count(labelOf(list, exit))),
      count("Totalt"),
    ],
    rows: starts.map((start) => [label(labelOf(list, start)), ...line(start)]),
    footerRows: [[strong("Totalt"), ...line(undefined)]],
  };
}

function timeTable(stats: ParticipantStatistics, { suppressed }: Presentation): StatTable {
  const time = timeInInsatsShown(stats, suppressed);
  return {
    type: "table",
    name: "Tid i insatsen",
    caption: `Tid i insatsen i dagar, avslutade ${stats.from}–${stats.to}`,
    columns: [{ header: "Mått" }, count("Dagar")],
    rows: [
      [label("Första kvartil"), daysCell(time?.firstQuartile)],
      [label("Median"), daysCell(time?.median)],
      [label("Tredje kvartil"), daysCell(time?.thirdQuartile)],
    ],
    footerRows: [[strong("Antal avslutade"), countCell(stats.exited, suppressed)]],
  };
}

function ageTable(stats: ParticipantStatistics, { suppressed }: Presentation): StatTable {
  return {
    type: "table",
    name: "Ålder",
    caption: `Ålder vid inskrivning, aktiva personer ${stats.from}–${stats.to}`,
    columns: [{ header: "Ålder" }, ...genderColumns, count("Totalt")],
    rows: stats.ageBands.map((band) => [
      label(band.band === "okänd" ? "Okänd" : `${band.band} år`),
      ...genders.map((gender) => countCell(band.byGender[gender], suppressed)),
      countCell(band.total, suppressed),
    ]),
  };
}

function referrerTable(stats: ParticipantStatistics, { suppressed }: Presentation): StatTable {
  return {
    type: "table",
    name: "Remittent",
    caption: `Remittent, aktiva inskrivningar ${stats.from}–${stats.to}`,
    columns: [{ header: "Remittent" }, count("Inskrivningar")],
    rows: stats.referrers.map((referrer) => [
      label(referrer.name ?? "Ingen remittent angiven"),
      countCell(referrer.count, suppressed),
    ]),
    footerRows: [[strong("Totalt"), countCell(stats.enrolments.total.active, suppressed)]],
  };
}

function guidanceTable(stats: ParticipantStatistics, { suppressed }: Presentation): StatTable {
  return {
    type: "table",
    name: "Lotsärenden",
    caption: `Lotsärenden, registreringar som börjar ${stats.from}–${stats.to}`,
    columns: [{ header: "Kön" }, count("Lotsärenden")],
    rows: genders.map((gender) => [label(genderNames[gender]), countCell(stats.guidanceCases[gender], suppressed)]),
    footerRows: [[strong("Totalt"), countCell(stats.guidanceCases.total, suppressed)]],
  };
}

/** Every table of the statistics, in the order the page, the spreadsheet and the CSV file show them. */
export function statisticsTables(stats: ParticipantStatistics, presentation: Presentation) {
  return {
    period: periodTable(stats, presentation),
    outcome: outcomeTable(stats, presentation),
    transition: transitionTable(stats, presentation),
    time: timeTable(stats, presentation),
    age: ageTable(stats, presentation),
    referrer: referrerTable(stats, presentation),
    guidance: guidanceTable(stats, presentation),
  };
}

/** Strips the model's marks: a spreadsheet gets the table block the xlsx renderer knows. */
export const asTableBlock = ({ name: _name, ...table }: StatTable): TableBlock => table;

/**
 * The tables as one CSV file for a Swedish Excel: UTF-8 with a byte order mark (or Excel reads it as Windows-1252),
 * semicolons (the comma is the decimal sign), CRLF, each table under its caption and separated by an empty line.
 */
function csvValue(cell: Cell): string {
  // Counts and days as plain numbers (no thousands space) that Excel reads as numbers; shares as printed.
  if (cell.number === undefined || cell.text.endsWith("%")) return cell.text.replace(/\s/g, " ");
  return String(cell.number).replace(".", ",");
}

export function renderCsv(tables: StatTable[]): string {
  return csvDocument(
    tables.flatMap((table, index) => [
      ...(index > 0 ? [[]] : []),
      [table.caption ?? table.name],
      table.columns.map((column) => column.header),
      ...[...table.rows, ...(table.footerRows ?? [])].map((cells) => cells.map(csvValue)),
    ]),
  );
}
