import { allocate } from "./allocate.js";

/**
 * Period arithmetic for budgets: a year's amount is kept as twelve monthly amounts, and a period's budget is the sum
 * of its months, a month that is only partly inside the period counted by its share of days (so February counts
 * 29 days in a leap year).
 */

export type Period = { start: string; end: string };

export type Months = readonly bigint[]; // twelve amounts, January first

const DAY = 86_400_000;

function toTime(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function iso(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isLeapYear(year: number): boolean {
  return daysInMonth(year, 2) === 29;
}

export function yearPeriod(year: number): Period {
  return { start: `${year}-01-01`, end: `${year}-12-31` };
}

export function monthPeriod(year: number, month: number): Period {
  const mm = String(month).padStart(2, "0");
  return { start: `${year}-${mm}-01`, end: `${year}-${mm}-${String(daysInMonth(year, month)).padStart(2, "0")}` };
}

/** Whole days both periods share (0 when they do not meet). */
export function overlapDays(a: Period, b: Period): number {
  const start = Math.max(toTime(a.start), toTime(b.start));
  const end = Math.min(toTime(a.end), toTime(b.end));
  return end < start ? 0 : Math.round((end - start) / DAY) + 1;
}

/** The same period one year earlier; 29 February becomes 28 February. */
export function previousYear(period: Period): Period {
  const back = (date: string) => {
    const year = Number(date.slice(0, 4)) - 1;
    const month = Number(date.slice(5, 7));
    const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
    return `${year}-${date.slice(5, 7)}-${String(day).padStart(2, "0")}`;
  };
  return { start: back(period.start), end: back(period.end) };
}

export function isValidPeriod(period: Period): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(period.start) &&
    /^\d{4}-\d{2}-\d{2}$/.test(period.end) &&
    iso(toTime(period.start)) === period.start &&
    iso(toTime(period.end)) === period.end &&
    period.start <= period.end
  );
}

/**
 * A year's amount spread over its months, to the öre, adding up exactly (largest remainder). Without an active
 * period, or with one that covers the whole year, twelve equal parts: a yearly budget is read month by month, and a
 * förbundschef expects each month to carry a twelfth. Within `active` (the part of the year a member was a member or
 * an insats ran) by days, so that a half month gets half a month's share; a period outside the year spreads evenly.
 */
export function periodise(amountOre: bigint, year: number, active?: Period): bigint[] {
  const even = Array<bigint>(12).fill(1n);
  const whole = yearPeriod(year);
  if (!active || (active.start <= whole.start && active.end >= whole.end)) return allocate(amountOre, even);
  const weights = Array.from({ length: 12 }, (_, index) => BigInt(overlapDays(monthPeriod(year, index + 1), active)));
  return allocate(amountOre, weights.every((weight) => weight === 0n) ? even : weights);
}

/** The part of a year's monthly amounts that falls within the period, rounded to the öre. */
export function amountForPeriod(months: Months, year: number, period: Period): bigint {
  let whole = 0n;
  let partialNumerator = 0n;
  let partialDenominator = 1n;
  for (let month = 1; month <= 12; month++) {
    const amount = months[month - 1] ?? 0n;
    const days = overlapDays(monthPeriod(year, month), period);
    if (days === 0) continue;
    const length = daysInMonth(year, month);
    if (days === length) {
      whole += amount;
      continue;
    }
    // Sum fractions exactly and round once, so a period of several part-months is not rounded twice.
    const denominator = BigInt(length);
    partialNumerator = partialNumerator * denominator + amount * BigInt(days) * partialDenominator;
    partialDenominator *= denominator;
  }
  return whole + roundDivide(partialNumerator, partialDenominator);
}

function roundDivide(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

export function sum(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}
