import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, allocateKronor } from "./allocate.js";
import {
  amountForPeriod,
  daysInMonth,
  isLeapYear,
  isValidPeriod,
  monthPeriod,
  type Period,
  periodise,
  previousYear,
  sum,
  yearPeriod,
} from "./periods.js";

const amount = fc.bigInt({ min: -100_000_000_000_000n, max: 100_000_000_000_000n });
const year = fc.integer({ min: 2000, max: 2100 });

/** A period inside the given year, from two days of the year in either order. */
const periodIn = (y: number) =>
  fc.tuple(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 364 })).map(([a, b]): Period => {
    const day = (offset: number) => new Date(Date.UTC(y, 0, 1 + offset)).toISOString().slice(0, 10);
    return { start: day(Math.min(a, b)), end: day(Math.max(a, b)) };
  });
const yearAndPeriod = year.chain((y) => fc.tuple(fc.constant(y), periodIn(y)));

describe("allocate", () => {
  it("splits any amount by any weights into parts that add up exactly and differ from the exact share by under an öre", () => {
    fc.assert(
      fc.property(
        amount,
        fc.array(fc.bigInt({ min: 0n, max: 1_000_000n }), { minLength: 1, maxLength: 30 }),
        (a, w) => {
          fc.pre(w.some((weight) => weight > 0n));
          const parts = allocate(a, w);
          expect(sum(parts)).toBe(a);
          const total = sum(w);
          parts.forEach((part, index) => {
            const exact = a * (w[index] ?? 0n);
            const difference = part * total - exact;
            expect(difference < 0n ? -difference : difference).toBeLessThan(total);
          });
        },
      ),
    );
  });

  it("keeps whole kronor in every part but the last when splitting in kronor", () => {
    fc.assert(
      fc.property(amount, fc.array(fc.bigInt({ min: 1n, max: 10_000n }), { minLength: 1, maxLength: 12 }), (a, w) => {
        const parts = allocateKronor(a, w);
        expect(sum(parts)).toBe(a);
        for (const part of parts.slice(0, -1)) expect(part % 100n).toBe(0n);
      }),
    );
  });
});

describe("periodise", () => {
  it("sums exactly to the amount for any amount, year and active period", () => {
    fc.assert(
      fc.property(amount, yearAndPeriod, (a, [y, active]) => {
        expect(sum(periodise(a, y))).toBe(a);
        expect(sum(periodise(a, y, active))).toBe(a);
      }),
    );
  });

  it("splits a whole year evenly by month, not by days: twelve parts at most one öre apart", () => {
    fc.assert(
      fc.property(amount, year, (a, y) => {
        const months = periodise(a, y);
        expect(months).toHaveLength(12);
        const sorted = [...months].sort((x, z) => (x < z ? -1 : x > z ? 1 : 0));
        expect((sorted[11] ?? 0n) - (sorted[0] ?? 0n)).toBeLessThanOrEqual(1n);
        // An active period that covers the whole year is the whole year.
        expect(periodise(a, y, { start: `${y - 1}-07-01`, end: `${y + 1}-06-30` })).toEqual(months);
        expect(periodise(a, y, yearPeriod(y))).toEqual(months);
      }),
    );
    expect(periodise(1_200_000n, 2020)).toEqual(Array(12).fill(100_000n));
    // February of a leap year gets a twelfth like every other month.
    expect(periodise(366_00n, 2020)[1]).toBe(3_050n);
  });

  it("puts nothing outside the active period and spreads by days within it", () => {
    fc.assert(
      fc.property(amount, yearAndPeriod, (a, [y, active]) => {
        const months = periodise(a, y, active);
        const first = Number(active.start.slice(5, 7));
        const last = Number(active.end.slice(5, 7));
        months.forEach((value, index) => {
          if (index + 1 < first || index + 1 > last) expect(value).toBe(0n);
        });
      }),
    );
    // 1 July – 31 December 2020: 184 days, July 31 of them.
    const months = periodise(184_00n, 2020, { start: "2020-07-01", end: "2020-12-31" });
    expect(months).toEqual([0n, 0n, 0n, 0n, 0n, 0n, 3_100n, 3_100n, 3_000n, 3_100n, 3_000n, 3_100n]);
  });

  it("gives a new member from 1 July nothing in January to June", () => {
    const months = periodise(600_000_00n, 2020, { start: "2020-07-01", end: "2020-12-31" });
    expect(months.slice(0, 6)).toEqual(Array(6).fill(0n));
    expect(sum(months.slice(6))).toBe(600_000_00n);
  });

  it("weighs February 2020 by its 29 days when the active period runs through it", () => {
    // 1 February – 31 March 2020: 29 + 31 = 60 days.
    expect(periodise(60_00n, 2020, { start: "2020-02-01", end: "2020-03-31" }).slice(1, 3)).toEqual([2_900n, 3_100n]);
    expect(periodise(59_00n, 2021, { start: "2021-02-01", end: "2021-03-31" }).slice(1, 3)).toEqual([2_800n, 3_100n]);
  });

  it("spreads evenly when the active period lies outside the year", () => {
    expect(periodise(12n, 2020, { start: "2019-01-01", end: "2019-12-31" })).toEqual(Array(12).fill(1n));
  });
});

describe("amountForPeriod", () => {
  it("gives the year's amount over the twelve months, and each month's amount for the month", () => {
    fc.assert(
      fc.property(fc.array(amount, { minLength: 12, maxLength: 12 }), year, (months, y) => {
        expect(amountForPeriod(months, y, yearPeriod(y))).toBe(sum(months));
        for (let month = 1; month <= 12; month++) {
          expect(amountForPeriod(months, y, monthPeriod(y, month))).toBe(months[month - 1]);
        }
      }),
    );
  });

  it("gives a half-year budget equal to the sum of its periodised months", () => {
    fc.assert(
      fc.property(amount, year, (a, y) => {
        const months = periodise(a, y);
        expect(amountForPeriod(months, y, { start: `${y}-01-01`, end: `${y}-06-30` })).toBe(sum(months.slice(0, 6)));
        expect(amountForPeriod(months, y, { start: `${y}-07-01`, end: `${y}-12-31` })).toBe(sum(months.slice(6)));
      }),
    );
    expect(amountForPeriod(periodise(1_975_068_00n, 2020), 2020, { start: "2020-01-01", end: "2020-06-30" })).toBe(
      987_534_00n,
    );
  });

  it("gives February of a leap year for 1–29 February 2020, and its share of days for part of it", () => {
    const months = periodise(1_200_000n, 2020);
    expect(amountForPeriod(months, 2020, { start: "2020-02-01", end: "2020-02-29" })).toBe(months[1]);
    expect(amountForPeriod(months, 2020, { start: "2020-02-01", end: "2020-02-28" })).toBe(
      (100_000n * 28n * 2n + 29n) / 58n,
    );
  });

  it("returns the whole amount for an active period of whole months that it was periodised over", () => {
    const wholeMonths = fc
      .tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, a, b]): [number, Period] => [
        y,
        { start: monthPeriod(y, Math.min(a, b)).start, end: monthPeriod(y, Math.max(a, b)).end },
      ]);
    fc.assert(
      fc.property(amount, wholeMonths, (a, [y, active]) => {
        expect(amountForPeriod(periodise(a, y, active), y, active)).toBe(a);
      }),
    );
  });

  it("adds up over any split of the year into two periods, within an öre of rounding", () => {
    fc.assert(
      fc.property(
        fc.array(amount, { minLength: 12, maxLength: 12 }),
        year,
        fc.integer({ min: 1, max: 364 }),
        (m, y, cut) => {
          const end = new Date(Date.UTC(y, 0, cut)).toISOString().slice(0, 10);
          const start = new Date(Date.UTC(y, 0, cut + 1)).toISOString().slice(0, 10);
          const total =
            amountForPeriod(m, y, { start: `${y}-01-01`, end }) + amountForPeriod(m, y, { start, end: `${y}-12-31` });
          const difference = total - sum(m);
          expect(difference < 0n ? -difference : difference).toBeLessThanOrEqual(1n);
        },
      ),
    );
  });
});

describe("calendar", () => {
  it("knows leap years and the length of February", () => {
    expect([2000, 2020, 2024].map(isLeapYear)).toEqual([true, true, true]);
    expect([1900, 2021, 2100].map(isLeapYear)).toEqual([false, false, false]);
    expect(daysInMonth(2020, 2)).toBe(29);
    expect(monthPeriod(2020, 2)).toEqual({ start: "2020-02-01", end: "2020-02-29" });
  });

  it("moves a period back a year, 29 February to 28 February", () => {
    expect(previousYear({ start: "2020-02-29", end: "2020-06-30" })).toEqual({
      start: "2019-02-28",
      end: "2019-06-30",
    });
    fc.assert(fc.property(yearAndPeriod, ([, period]) => isValidPeriod(previousYear(period))));
  });

  it("refuses impossible dates and reversed periods", () => {
    expect(isValidPeriod({ start: "2021-02-29", end: "2021-03-01" })).toBe(false);
    expect(isValidPeriod({ start: "2020-06-30", end: "2020-01-01" })).toBe(false);
    expect(isValidPeriod({ start: "2020-01-01", end: "2020-06-30" })).toBe(true);
  });
});
