import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Invoicing } from "../platform/db/schema.js";
import {
  expectedAmounts,
  instalmentStatus,
  invoiceTotals,
  invoicings,
  planInstalments,
  reschedule,
  type StoredInstalment,
  yearOverview,
} from "./contributions.js";
import { sum } from "./periods.js";

/** Shares in basis points that make exactly 100 %: the gaps between sorted cut points in 0..10000. */
const shares = fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 0, maxLength: 20 }).map((cuts) => {
  const points = [0, ...cuts.sort((a, b) => a - b), 10000];
  return points.slice(1).map((point, index) => point - (points[index] ?? 0));
});

const year = fc.integer({ min: 2000, max: 2100 });
const invoicing = fc.constantFrom(...invoicings);
/** A membership date within the year, or null for the whole year. */
const memberFromIn = (y: number) =>
  fc.option(
    fc.integer({ min: 0, max: 364 }).map((offset) => new Date(Date.UTC(y, 0, 1 + offset)).toISOString().slice(0, 10)),
  );

describe("expected amounts by the law's split", () => {
  it("add up exactly to any total, in whole kronor when the total is", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1_000_000_000_000n }), shares, (total, basisPoints) => {
        const parts = expectedAmounts(total, basisPoints) as bigint[];
        expect(parts).toHaveLength(basisPoints.length);
        expect(sum(parts)).toBe(total);
        if (total % 100n === 0n) for (const part of parts) expect(part % 100n).toBe(0n);
      }),
    );
  });

  it("give no member a part that differs from its exact share by a krona or more (largest remainder)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10_000_000_000n }), shares, (kronor, basisPoints) => {
        const total = kronor * 100n;
        const parts = expectedAmounts(total, basisPoints) as bigint[];
        parts.forEach((part, index) => {
          // |part − total·share/10000| < 100 öre, compared without rounding.
          const difference = part * 10000n - total * BigInt(basisPoints[index] ?? 0);
          expect(difference < 0n ? -difference : difference).toBeLessThan(100n * 10000n);
        });
      }),
    );
  });

  it("are not given for shares that do not make 100 %", () => {
    expect(expectedAmounts(602_800_000n, [5000, 2500, 2400])).toBeUndefined();
  });

  it("split the seeds' 2014 total as the law says (T6): 3 014 000 for the state where 2 976 000 was decided", () => {
    // Skellefteå and Norsjö share the kommuner's quarter 1 450 000 : 76 000, i.e. 23,75 % and 1,25 % of the whole.
    expect(expectedAmounts(602_800_000n, [5000, 2500, 2375, 125])).toEqual([
      301_400_000n,
      150_700_000n,
      143_165_000n,
      7_535_000n,
    ]);
  });
});

describe("instalments", () => {
  it("add up to the amount for any schedule and membership date, none due before the member joined", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1_000_000_000_000n }),
        year.chain((y) => fc.tuple(fc.constant(y), memberFromIn(y))),
        invoicing,
        (amount, [y, memberFrom], schedule) => {
          const instalments = planInstalments(amount, y, schedule, memberFrom);
          expect(sum(instalments.map((instalment) => instalment.amountOre))).toBe(amount);
          expect(instalments.length).toBeGreaterThan(0);
          for (const instalment of instalments) {
            expect(instalment.dueOn.slice(0, 4)).toBe(String(y));
            if (memberFrom) expect(instalment.dueOn >= memberFrom).toBe(true);
            if (amount % 100n === 0n) expect(instalment.amountOre % 100n).toBe(0n);
          }
        },
      ),
    );
  });

  it("are equal for a whole year and fall due on the last day of each period's first month", () => {
    expect(planInstalments(602_800_000n, 2014, "quarterly", null)).toEqual([
      { instalment: 1, dueOn: "2014-01-31", amountOre: 150_700_000n },
      { instalment: 2, dueOn: "2014-04-30", amountOre: 150_700_000n },
      { instalment: 3, dueOn: "2014-07-31", amountOre: 150_700_000n },
      { instalment: 4, dueOn: "2014-10-31", amountOre: 150_700_000n },
    ]);
    expect(planInstalments(7_600_000n, 2014, "half_yearly", null).map((i) => i.dueOn)).toEqual([
      "2014-01-31",
      "2014-07-31",
    ]);
    expect(planInstalments(7_600_000n, 2014, "yearly", null)).toEqual([
      { instalment: 1, dueOn: "2014-01-31", amountOre: 7_600_000n },
    ]);
  });

  it("start for a mid-year member at the end of its first month, a partly covered period weighted by its days", () => {
    expect(planInstalments(1_000_000n, 2020, "yearly", "2020-07-01")).toEqual([
      { instalment: 1, dueOn: "2020-07-31", amountOre: 1_000_000n },
    ]);
    expect(planInstalments(1_000_000n, 2020, "quarterly", "2020-07-01")).toEqual([
      { instalment: 3, dueOn: "2020-07-31", amountOre: 500_000n },
      { instalment: 4, dueOn: "2020-10-31", amountOre: 500_000n },
    ]);
    // Joined 15 May: 47 of the second quarter's 91 days, then two whole quarters.
    const mid = planInstalments(2_470_000n, 2020, "quarterly", "2020-05-15");
    expect(mid.map((i) => [i.instalment, i.dueOn])).toEqual([
      [2, "2020-05-31"],
      [3, "2020-07-31"],
      [4, "2020-10-31"],
    ]);
    expect(mid[1]?.amountOre).toBe(mid[2]?.amountOre);
    expect(mid[0]?.amountOre).toBeLessThan(mid[1]?.amountOre ?? 0n);
  });
});

const stored = (instalments: ReturnType<typeof planInstalments>): StoredInstalment[] =>
  instalments.map((instalment) => ({ ...instalment, invoicedOn: null, paidOn: null }));

describe("rescheduling", () => {
  const quarterly = stored(planInstalments(400_000n, 2014, "quarterly", null));
  const firstInvoiced = quarterly.map((instalment, index) =>
    index === 0 ? { ...instalment, invoicedOn: "2014-01-10", paidOn: "2014-01-30" } : instalment,
  );
  const base = { year: 2014, memberFrom: null, previousInvoicing: "quarterly" as Invoicing };

  it("plans anew while nothing is invoiced", () => {
    const result = reschedule({ ...base, amountOre: 600_000n, invoicing: "yearly", existing: quarterly });
    expect(result).toEqual({
      ok: true,
      instalments: [{ instalment: 1, dueOn: "2014-01-31", amountOre: 600_000n, invoicedOn: null, paidOn: null }],
    });
  });

  it("refuses a new schedule once an instalment is invoiced", () => {
    const result = reschedule({ ...base, amountOre: 400_000n, invoicing: "yearly", existing: firstInvoiced });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.field).toBe("invoicing");
      expect(result.message).toMatch(/redan fakturerad/);
    }
  });

  it("keeps invoiced instalments and spreads a new amount over the rest", () => {
    const result = reschedule({ ...base, amountOre: 700_000n, invoicing: "quarterly", existing: firstInvoiced });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.instalments[0]).toEqual(firstInvoiced[0]);
    expect(result.instalments.slice(1).map((i) => i.amountOre)).toEqual([200_000n, 200_000n, 200_000n]);
    expect(sum(result.instalments.map((i) => i.amountOre))).toBe(700_000n);
  });

  it("refuses an amount below what is already invoiced", () => {
    const result = reschedule({ ...base, amountOre: 50_000n, invoicing: "quarterly", existing: firstInvoiced });
    expect(result).toMatchObject({ ok: false, field: "decidedOre" });
  });
});

describe("status and sums", () => {
  const instalment: StoredInstalment = {
    instalment: 1,
    dueOn: "2020-07-31",
    amountOre: 100n,
    invoicedOn: null,
    paidOn: null,
  };

  it("derives planerad, fakturerad, betald and förfallen from the dates", () => {
    expect(instalmentStatus(instalment, "2020-07-01")).toBe("planned");
    expect(instalmentStatus({ ...instalment, invoicedOn: "2020-07-01" }, "2020-07-31")).toBe("invoiced");
    expect(instalmentStatus({ ...instalment, invoicedOn: "2020-07-01" }, "2020-08-01")).toBe("overdue");
    expect(instalmentStatus({ ...instalment, invoicedOn: "2020-07-01", paidOn: "2020-09-01" }, "2021-01-01")).toBe(
      "paid",
    );
  });

  it("sums invoiced, paid and outstanding", () => {
    expect(
      invoiceTotals([
        { ...instalment, amountOre: 300n, invoicedOn: "2020-01-01", paidOn: "2020-01-20" },
        { ...instalment, amountOre: 200n, invoicedOn: "2020-04-01" },
        { ...instalment, amountOre: 100n },
      ]),
    ).toEqual({ invoicedOre: 500n, paidOre: 300n, outstandingOre: 200n });
  });

  it("shows the decided sum against the total and each difference from the expected amount", () => {
    const member = (type: "fk" | "region" | "kommun", basisPoints: number, decidedOre: bigint) => ({
      memberId: `${type}-${basisPoints}`,
      name: type,
      type,
      basisPoints,
      memberFrom: null,
      decidedOre,
      invoicing: "yearly" as const,
      instalments: [],
    });
    const overview = yearOverview(
      602_800_000n,
      [
        member("fk", 5000, 297_600_000n),
        member("region", 2500, 152_600_000n),
        member("kommun", 2375, 145_000_000n),
        member("kommun", 125, 7_600_000n),
      ],
      "2015-01-01",
    );
    expect(overview.members.map((m) => m.differenceOre)).toEqual([-3_800_000n, 1_900_000n, 1_835_000n, 65_000n]);
    expect(overview.decidedSumOre).toBe(602_800_000n);
    expect(overview.decidedDifferenceOre).toBe(0n);
  });
});
