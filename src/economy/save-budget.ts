import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, type FieldError, invalidInput } from "../platform/http/errors.js";
import {
  bumpFiscalYearVersion,
  listAmounts,
  listStructureLines,
  recordBudgetDecision,
  type Scenario,
  type StructureLine,
} from "./budget-repository.js";
import { type Period, periodise, sum } from "./periods.js";
import { ensureFiscalYear, findFiscalYear, replaceBudgetAmounts } from "./repository.js";

/**
 * Saves budget months per line and year. A year's amount is spread evenly by month unless the months are given or
 * an insats line is spread over the months the insats runs. Medlemsbidrag lines are the contributions' to write.
 * A change to an adopted year is a new board decision: it must name that decision, which replaces the recorded one
 * (the audit log keeps the earlier), so the page never shows an adopted budget that differs from what was decided.
 */

/** A whole number of kronor as people type it: "1 975 068", "1975068", "-500". At most ten billion either way. */
export const MAX_KRONOR = 10_000_000_000n;

export function parseWholeKronor(text: string): bigint | undefined {
  const compact = text
    .trim()
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/^\u2212/, "-");
  if (!/^-?\d{1,11}$/.test(compact)) return undefined;
  const kronor = BigInt(compact);
  if (kronor > MAX_KRONOR || kronor < -MAX_KRONOR) return undefined;
  return kronor * 100n;
}

/** Öre as the whole kronor a form field shows (and parseWholeKronor reads back), rounded half away from zero. */
export function kronorText(ore: bigint): string {
  const negative = ore < 0n;
  const kronor = ((negative ? -ore : ore) + 50n) / 100n;
  const grouped = kronor.toString().replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return negative && kronor !== 0n ? `-${grouped}` : grouped;
}

export const roundToKronor = (ore: bigint) => parseWholeKronor(kronorText(ore)) ?? 0n;

/** The part of the year an insats line's insats runs, or undefined when the line is no insats's. */
export function interventionPeriod(line: StructureLine): Period | undefined {
  if (!line.interventionStart || !line.interventionEnd) return undefined;
  return { start: line.interventionStart, end: line.interventionEnd };
}

export type Periodisation = "even" | "intervention" | "explicit";

/** How stored months were spread: evenly, over the insats's months, or entered one by one. */
export function periodisationOf(months: readonly bigint[], year: number, line: StructureLine): Periodisation {
  const total = sum(months);
  if (periodise(total, year).every((amount, index) => amount === months[index])) return "even";
  const period = interventionPeriod(line);
  if (period && periodise(total, year, period).every((amount, index) => amount === months[index])) {
    return "intervention";
  }
  return "explicit";
}

export type AmountInput =
  | { kind: "year"; ore: bigint; spreadOverIntervention?: boolean | undefined }
  | { kind: "months"; months: readonly bigint[] };

export type BudgetEntry = { lineId: string; year: number; amount: AmountInput; field?: string | undefined };

export function monthsOf(amount: AmountInput, year: number, line: StructureLine): bigint[] {
  if (amount.kind === "months") return [...amount.months];
  const period = amount.spreadOverIntervention ? interventionPeriod(line) : undefined;
  return periodise(amount.ore, year, period);
}

export const STALE_YEAR = (year: number) =>
  `Någon annan har ändrat ${year} års budget eller prognos sedan du öppnade sidan. Dina ändringar är inte sparade ` +
  "men finns kvar i formuläret: jämför med den senaste versionen och spara igen.";

/**
 * Claims a year for a change: the user's version must be the stored one (0 for a year that did not exist yet), and
 * the year's version counts the change so that anyone who read it before gets a conflict.
 */
export async function claimFiscalYear(tenant: Tenant, year: number, version: number) {
  const associationId = tenant.association.id;
  const current = await findFiscalYear(tenant.tx, associationId, year);
  if ((current?.version ?? 0) !== version) throw conflict(STALE_YEAR(year));
  await ensureFiscalYear(tenant.tx, associationId, year);
  if (!(await bumpFiscalYearVersion(tenant.tx, associationId, year, version))) throw conflict(STALE_YEAR(year));
  return current;
}

export type Revision = { reference: string; decidedOn: string };

export async function saveBudget({
  tenant,
  versions,
  entries,
  revision,
}: {
  tenant: Tenant;
  /** The version of each year as the user read it (0 for a year not yet created). */
  versions: ReadonlyMap<number, number>;
  entries: readonly BudgetEntry[];
  /** The board's decision behind a change to an adopted year. */
  revision?: Revision | undefined;
}) {
  const associationId = tenant.association.id;
  const lines = new Map((await listStructureLines(tenant.tx, associationId)).map((line) => [line.id, line]));
  const years = [...new Set(entries.map((entry) => entry.year))];
  const stored = await listAmounts(tenant.tx, associationId, "budget", years);
  const errors: FieldError[] = [];
  const changes: { line: StructureLine; year: number; months: bigint[] }[] = [];
  for (const entry of entries) {
    const path = entry.field ?? entry.lineId;
    const line = lines.get(entry.lineId);
    if (!line) {
      errors.push({ path, message: "Raden finns inte i budgeten." });
      continue;
    }
    const months = monthsOf(entry.amount, entry.year, line);
    const before = stored.get(line.id)?.get(entry.year);
    if (before ? before.every((amount, index) => amount === months[index]) : months.every((m) => m === 0n)) continue;
    if (line.memberId) {
      errors.push({ path, message: `${line.name}: budgeten för medlemsbidraget kommer från medlemsbidragen.` });
      continue;
    }
    changes.push({ line, year: entry.year, months });
  }
  if (errors.length > 0) throw invalidInput(errors);

  const changedYears = [...new Set(changes.map((change) => change.year))].sort();
  for (const year of changedYears) {
    const current = await claimFiscalYear(tenant, year, versions.get(year) ?? 0);
    if (current?.budgetStatus !== "adopted") continue;
    if (!revision) {
      throw invalidInput([
        {
          path: "revisionReference",
          message:
            `Budgeten för ${year} är fastställd (${current.budgetDecision ?? "beslut"} den ${current.budgetAdoptedOn}). ` +
            "Ange styrelsens nya beslut för att ändra den.",
        },
      ]);
    }
    await recordBudgetDecision(tenant.tx, associationId, year, {
      adoptedOn: revision.decidedOn,
      reference: revision.reference,
    });
    await audit(
      tenant,
      "economy.budget.revise",
      { type: "fiscal_year", id: String(year) },
      { year, from: current.budgetDecision, to: revision.reference, decidedOn: revision.decidedOn },
    );
  }
  await writeMonths(tenant, "budget", changes);
  return { changedYears };
}

/** Writes the changed months and audits each year once, with the lines and their new year totals. */
export async function writeMonths(
  tenant: Tenant,
  scenario: Scenario,
  changes: readonly { line: StructureLine; year: number; months: bigint[] }[],
) {
  for (const change of changes) {
    await replaceBudgetAmounts(tenant.tx, tenant.association.id, {
      scenario,
      year: change.year,
      lineId: change.line.id,
      months: change.months,
    });
  }
  for (const year of new Set(changes.map((change) => change.year))) {
    const lines = changes
      .filter((change) => change.year === year)
      .map((change) => ({ lineId: change.line.id, name: change.line.name, yearOre: String(sum(change.months)) }));
    await audit(tenant, `economy.${scenario}.update`, { type: "fiscal_year", id: String(year) }, { year, lines });
  }
}
