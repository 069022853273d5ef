import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { type FieldError, invalidInput } from "../platform/http/errors.js";
import { allocate } from "./allocate.js";
import { copyBudgetToForecast, listAmounts, listStructureLines, type StructureLine } from "./budget-repository.js";
import { sum } from "./periods.js";
import { claimFiscalYear, writeMonths } from "./save-budget.js";

/**
 * The forecast (prognos): per line and month what the year is now expected to bring. It starts as a copy of the
 * budget; a new figure for the year keeps the months already passed and spreads the rest evenly over the months
 * that remain, so that the year's forecast is always the sum of its months.
 */

/** Months before `fromMonth` keep their forecast; the rest of `yearOre` is spread evenly over the months left. */
export function spreadFrom(months: readonly bigint[], yearOre: bigint, fromMonth: number): bigint[] {
  const kept = months.slice(0, fromMonth - 1);
  const rest = allocate(yearOre - sum(kept), Array<bigint>(13 - fromMonth).fill(1n));
  return [...kept, ...rest];
}

/** The first month still to come: this month in the current year, January in a later one, December in a past one. */
export function firstOpenMonth(year: number, today: string): number {
  const current = Number(today.slice(0, 4));
  if (year > current) return 1;
  if (year < current) return 12;
  return Number(today.slice(5, 7));
}

export type ForecastEntry =
  | { lineId: string; kind: "year"; ore: bigint; fromMonth: number; field?: string | undefined }
  | { lineId: string; kind: "months"; months: readonly bigint[]; field?: string | undefined };

export async function saveForecast({
  tenant,
  year,
  version,
  entries,
}: {
  tenant: Tenant;
  year: number;
  version: number;
  entries: readonly ForecastEntry[];
}) {
  const associationId = tenant.association.id;
  const lines = new Map((await listStructureLines(tenant.tx, associationId)).map((line) => [line.id, line]));
  const stored = await listAmounts(tenant.tx, associationId, "forecast", [year]);
  const errors: FieldError[] = [];
  const changes: { line: StructureLine; year: number; months: bigint[] }[] = [];
  for (const entry of entries) {
    const line = lines.get(entry.lineId);
    if (!line) {
      errors.push({ path: entry.field ?? entry.lineId, message: "Raden finns inte i budgeten." });
      continue;
    }
    const before = stored.get(line.id)?.get(year);
    const months =
      entry.kind === "months"
        ? [...entry.months]
        : spreadFrom(before ?? Array<bigint>(12).fill(0n), entry.ore, entry.fromMonth);
    if (before ? before.every((amount, index) => amount === months[index]) : months.every((m) => m === 0n)) continue;
    changes.push({ line, year, months });
  }
  if (errors.length > 0) throw invalidInput(errors);
  if (changes.length === 0) return { changed: 0 };
  await claimFiscalYear(tenant, year, version);
  await writeMonths(tenant, "forecast", changes);
  return { changed: changes.length };
}

/** "Kopiera budgeten till prognosen": the whole year's forecast is replaced by its budget, in one transaction. */
export async function copyBudgetIntoForecast({
  tenant,
  year,
  version,
}: {
  tenant: Tenant;
  year: number;
  version: number;
}) {
  await claimFiscalYear(tenant, year, version);
  const rows = await copyBudgetToForecast(tenant.tx, tenant.association.id, year);
  await audit(tenant, "economy.forecast.copy_budget", { type: "fiscal_year", id: String(year) }, { year, rows });
  return { rows };
}
