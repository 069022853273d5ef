import { checkFundingShares, WHOLE } from "../associations/funding-shares.js";
import type { Invoicing, MemberType } from "../platform/db/schema.js";
import { allocateKronor } from "./allocate.js";
import { daysInMonth, overlapDays, type Period } from "./periods.js";

/**
 * Medlemsbidrag as rules without a database: the law's split of a year's total into each member's expected amount,
 * the instalments a member is invoiced in, and their status.
 */

export const invoicings = ["yearly", "half_yearly", "quarterly"] as const satisfies readonly Invoicing[];

export const invoicingNames: Record<Invoicing, string> = {
  yearly: "Helår",
  half_yearly: "Halvår",
  quarterly: "Kvartal",
};

/**
 * The members' expected amounts: the total split by their shares in whole kronor that add up exactly to the total
 * (largest remainder). Undefined while the shares do not make 100 %, since no split of them is the law's.
 */
export function expectedAmounts(totalOre: bigint, basisPoints: readonly number[]): bigint[] | undefined {
  if (basisPoints.reduce((sum, share) => sum + share, 0) !== WHOLE) return undefined;
  return allocateKronor(
    totalOre,
    basisPoints.map((share) => BigInt(share)),
  );
}

/** The amount a member is invoiced and budgeted: what was decided for it, or else the law's split. */
export const amountDue = (expectedOre: bigint | undefined, decidedOre: bigint | null) =>
  decidedOre ?? expectedOre ?? 0n;

/** The part of the year a member was a member: from the day it joined, or the whole year. */
export const membershipPeriod = (year: number, memberFrom: string | null): Period => ({
  start: memberFrom ?? `${year}-01-01`,
  end: `${year}-12-31`,
});

/** The periods each schedule invoices, by their first and last month; an instalment is numbered by its period. */
const scheduleMonths: Record<Invoicing, [number, number][]> = {
  yearly: [[1, 12]],
  half_yearly: [
    [1, 6],
    [7, 12],
  ],
  quarterly: [
    [1, 3],
    [4, 6],
    [7, 9],
    [10, 12],
  ],
};

const pad = (value: number) => String(value).padStart(2, "0");
const lastDayOfMonth = (year: number, month: number) => `${year}-${pad(month)}-${pad(daysInMonth(year, month))}`;

export type Instalment = { instalment: number; dueOn: string; amountOre: bigint };

type PlannedPeriod = { instalment: number; dueOn: string; weight: bigint };

/**
 * The instalments of a schedule that fall within the membership, each weighted by its days of membership relative to
 * its length, so that full periods get equal parts and a period the member joined in the middle of a smaller one.
 * An instalment falls due the last day of its period's first month, or of the month the member joined in.
 */
function plannedPeriods(year: number, invoicing: Invoicing, memberFrom: string | null): PlannedPeriod[] {
  const membership = membershipPeriod(year, memberFrom);
  const periods = scheduleMonths[invoicing].map(([first, last], index) => {
    const period = { start: `${year}-${pad(first)}-01`, end: lastDayOfMonth(year, last) };
    return { instalment: index + 1, period, length: BigInt(overlapDays(period, period)) };
  });
  const common = periods.reduce((product, { length }) => product * length, 1n);
  return periods
    .map(({ instalment, period, length }) => {
      const days = BigInt(overlapDays(period, membership));
      const start = period.start > membership.start ? period.start : membership.start;
      const dueOn = lastDayOfMonth(year, Number(start.slice(5, 7)));
      return { instalment, dueOn, weight: days * (common / length) };
    })
    .filter((planned) => planned.weight > 0n);
}

/** A member's year amount as instalments in whole kronor that add up exactly to it. */
export function planInstalments(
  amountOre: bigint,
  year: number,
  invoicing: Invoicing,
  memberFrom: string | null,
): Instalment[] {
  const planned = plannedPeriods(year, invoicing, memberFrom);
  const parts = allocateKronor(
    amountOre,
    planned.map((period) => period.weight),
  );
  return planned.map((period, index) => ({
    instalment: period.instalment,
    dueOn: period.dueOn,
    amountOre: parts[index] ?? 0n,
  }));
}

export type StoredInstalment = Instalment & { invoicedOn: string | null; paidOn: string | null };

export type Reschedule =
  | { ok: true; instalments: StoredInstalment[] }
  | { ok: false; field: "invoicing" | "memberFrom" | "decidedOre"; message: string };

/**
 * The instalments after a change of amount, schedule or membership date. Before anything is invoiced they are simply
 * planned anew. Once an instalment is invoiced it stays as invoiced: the schedule can no longer change, and a new
 * amount is spread over the instalments not yet invoiced, as long as there are any and they need not be negative.
 */
export function reschedule(options: {
  amountOre: bigint;
  year: number;
  invoicing: Invoicing;
  memberFrom: string | null;
  previousInvoicing: Invoicing | undefined;
  existing: readonly StoredInstalment[];
}): Reschedule {
  const { amountOre, year, invoicing, memberFrom } = options;
  const invoiced = options.existing.filter((instalment) => instalment.invoicedOn !== null);
  if (invoiced.length === 0) {
    return {
      ok: true,
      instalments: planInstalments(amountOre, year, invoicing, memberFrom).map((instalment) => ({
        ...instalment,
        invoicedOn: null,
        paidOn: null,
      })),
    };
  }
  const numbers = invoiced.map((instalment) => instalment.instalment).join(", ");
  if (options.previousInvoicing !== undefined && invoicing !== options.previousInvoicing) {
    return {
      ok: false,
      field: "invoicing",
      message: `Delbetalning ${numbers} är redan fakturerad, så faktureringen kan inte ändras från ${invoicingNames[
        options.previousInvoicing
      ].toLowerCase()} till ${invoicingNames[invoicing].toLowerCase()} detta år.`,
    };
  }
  const planned = plannedPeriods(year, invoicing, memberFrom);
  const invoicedNumbers = new Set(invoiced.map((instalment) => instalment.instalment));
  if (invoiced.some((instalment) => !planned.some((period) => period.instalment === instalment.instalment))) {
    return {
      ok: false,
      field: "memberFrom",
      message: `Delbetalning ${numbers} är redan fakturerad och ligger före det nya medlemsdatumet.`,
    };
  }
  const open = planned.filter((period) => !invoicedNumbers.has(period.instalment));
  const rest = amountOre - invoiced.reduce((sum, instalment) => sum + instalment.amountOre, 0n);
  if (rest < 0n || (open.length === 0 && rest !== 0n)) {
    return {
      ok: false,
      field: "decidedOre",
      message:
        open.length === 0
          ? "Alla delbetalningar är redan fakturerade, så beloppet kan inte ändras detta år."
          : "Beloppet är mindre än det som redan är fakturerat.",
    };
  }
  const parts = allocateKronor(
    rest,
    open.map((period) => period.weight),
  );
  const reopened = open.map((period, index) => ({
    instalment: period.instalment,
    dueOn: period.dueOn,
    amountOre: parts[index] ?? 0n,
    invoicedOn: null,
    paidOn: null,
  }));
  return {
    ok: true,
    instalments: [...invoiced, ...reopened].sort((a, b) => a.instalment - b.instalment),
  };
}

export type InstalmentStatus = "planned" | "invoiced" | "paid" | "overdue";

export const instalmentStatusNames: Record<InstalmentStatus, string> = {
  planned: "Planerad",
  invoiced: "Fakturerad",
  paid: "Betald",
  overdue: "Förfallen",
};

/** Derived, never stored: paid when paid, overdue once the due date has passed unpaid. */
export function instalmentStatus(instalment: StoredInstalment, today: string): InstalmentStatus {
  if (instalment.paidOn) return "paid";
  if (instalment.dueOn < today) return "overdue";
  return instalment.invoicedOn ? "invoiced" : "planned";
}

/** Invoiced, paid, and outstanding (invoiced but not paid) for a member's instalments. */
export function invoiceTotals(instalments: readonly StoredInstalment[]) {
  let invoicedOre = 0n;
  let paidOre = 0n;
  for (const instalment of instalments) {
    if (instalment.invoicedOn) invoicedOre += instalment.amountOre;
    if (instalment.paidOn) paidOre += instalment.amountOre;
  }
  return { invoicedOre, paidOre, outstandingOre: invoicedOre - paidOre };
}

/** The label of an instalment in its schedule: "Helår", "Halvår 2", "Kvartal 3". */
export function instalmentName(invoicing: Invoicing, instalment: number): string {
  return invoicing === "yearly" ? invoicingNames.yearly : `${invoicingNames[invoicing]} ${instalment}`;
}

type YearMember = {
  memberId: string;
  name: string;
  type: MemberType;
  basisPoints: number;
  memberFrom: string | null;
  decidedOre: bigint | null;
  invoicing: Invoicing;
  instalments: StoredInstalment[];
};

/**
 * Everything the year's page and API show, computed from what is stored: each member's expected amount by the law's
 * split, the difference of the decided amount from it, the instalments' status and sums, and the decided sum
 * against the total. Nothing here is ever stored.
 */
export function yearOverview(totalOre: bigint, members: readonly YearMember[], today: string) {
  const check = checkFundingShares(members.map((member) => ({ type: member.type, basisPoints: member.basisPoints })));
  const expected = expectedAmounts(
    totalOre,
    members.map((member) => member.basisPoints),
  );
  const rows = members.map((member, index) => {
    const expectedOre = check.ok ? expected?.[index] : undefined;
    const instalments = member.instalments.map((instalment) => ({
      ...instalment,
      status: instalmentStatus(instalment, today),
    }));
    return {
      ...member,
      expectedOre,
      differenceOre: member.decidedOre !== null && expectedOre !== undefined ? member.decidedOre - expectedOre : null,
      amountOre: amountDue(expectedOre, member.decidedOre),
      instalments,
      ...invoiceTotals(member.instalments),
    };
  });
  const decidedSumOre = rows.reduce((sum, row) => sum + (row.decidedOre ?? 0n), 0n);
  return {
    check,
    members: rows,
    decidedSumOre,
    /** Decided amounts against the total: a state share below half shows here unless others make up for it. */
    decidedDifferenceOre: decidedSumOre - totalOre,
    undecided: rows.filter((row) => row.decidedOre === null).length,
    amountSumOre: rows.reduce((sum, row) => sum + row.amountOre, 0n),
    invoicedOre: rows.reduce((sum, row) => sum + row.invoicedOre, 0n),
    paidOre: rows.reduce((sum, row) => sum + row.paidOre, 0n),
    outstandingOre: rows.reduce((sum, row) => sum + row.outstandingOre, 0n),
  };
}

export type YearOverview = ReturnType<typeof yearOverview>;
