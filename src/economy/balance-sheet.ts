import type { BalanceLine } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { AccountMapping, isBalanceAccount } from "./mapping.js";
import { sum } from "./periods.js";
import { listMappingRules } from "./repository.js";
import {
  hasActiveImport,
  importBalances,
  type LedgerSum,
  ledgerAccountNames,
  ledgerSums,
} from "./statement-repository.js";
import { balanceLines } from "./structure.js";

/**
 * The balance sheet at a date against the previous year-end: each balance account's opening balance (#IB of the
 * year's active import) plus what is booked up to the date, placed on a line by its rule or its BAS range. Assets
 * are the balance itself, equity and liabilities the balance negated. The totals are compared, never forced: a
 * difference is reported as it is.
 */

export type BalanceAccount = { account: string; name: string | null; amount: bigint };

export type BalanceColumn = {
  date: string;
  lines: Record<BalanceLine, { amount: bigint; accounts: BalanceAccount[] }>;
  /** Ingående, periodens resultat (null when the year's result is not known) and utgående eget kapital. */
  equity: { opening: bigint; result: bigint | null; closing: bigint };
  totalAssets: bigint;
  totalEquityAndLiabilities: bigint;
  /** SUMMA TILLGÅNGAR − SUMMA EGET KAPITAL OCH SKULDER; 0 when the books balance. */
  difference: bigint;
};

export type BalanceSheet = {
  date: string;
  year: number;
  /** Whether the year's opening balances were found (#IB of its import, or #UB of the year before). */
  hasOpening: boolean;
  current: BalanceColumn;
  previous: BalanceColumn;
};

const sides = new Map(balanceLines.map((line) => [line.key, line.side]));

/** The result of ledger rows: the negated sum of the result accounts (classes 3–8), as the books close it. */
export function resultOf(rows: readonly LedgerSum[]): bigint {
  return -sum(rows.filter((row) => row.account !== null && !isBalanceAccount(row.account)).map((row) => row.amountOre));
}

function column(
  date: string,
  balances: ReadonlyMap<string, bigint>,
  mapping: AccountMapping,
  names: ReadonlyMap<string, string>,
  equity: { closed: boolean; result: bigint | null },
): BalanceColumn {
  const lines = Object.fromEntries(
    balanceLines.map((line) => [line.key, { amount: 0n, accounts: [] as BalanceAccount[] }]),
  ) as Record<BalanceLine, { amount: bigint; accounts: BalanceAccount[] }>;
  for (const [account, balance] of [...balances].sort(([a], [b]) => a.localeCompare(b))) {
    const target = mapping.resolve(account, null);
    if (target.kind !== "balance") continue;
    const amount = sides.get(target.balanceLine) === "asset" ? balance : -balance;
    const line = lines[target.balanceLine];
    line.amount += amount;
    line.accounts.push({ account, name: names.get(account) ?? null, amount });
  }
  // At a year-end the year's result is already in the equity accounts; within a year it is still in the result ones.
  const booked = lines.equity.amount;
  const result = equity.result;
  const split = equity.closed
    ? { opening: booked - (result ?? 0n), result, closing: booked }
    : { opening: booked, result, closing: booked + (result ?? 0n) };
  const totalAssets = lines.fixed_assets.amount + lines.receivables.amount + lines.cash.amount;
  const totalEquityAndLiabilities =
    split.closing + lines.long_term_liabilities.amount + lines.current_liabilities.amount;
  return {
    date,
    lines,
    equity: split,
    totalAssets,
    totalEquityAndLiabilities,
    difference: totalAssets - totalEquityAndLiabilities,
  };
}

/** The balances a year opens with: its import's #IB, or else the #UB of the year before's import. */
async function openingBalances(tx: Tx, associationId: string, year: number) {
  return (
    (await importBalances(tx, associationId, { year, kind: "opening", yearIndex: 0 })) ??
    (await importBalances(tx, associationId, { year: year - 1, kind: "closing", yearIndex: 0 }))
  );
}

/** The previous year's result: from its imports, or from the #RES -1 balances of this year's file. */
async function previousResult(tx: Tx, associationId: string, year: number): Promise<bigint | null> {
  const previous = { start: `${year - 1}-01-01`, end: `${year - 1}-12-31` };
  if (await hasActiveImport(tx, associationId, previous))
    return resultOf(await ledgerSums(tx, associationId, previous));
  const results = await importBalances(tx, associationId, { year, kind: "result", yearIndex: -1 });
  return results && results.size > 0 ? -sum(results.values()) : null;
}

export async function balanceSheet(tx: Tx, associationId: string, date: string): Promise<BalanceSheet> {
  const year = Number(date.slice(0, 4));
  const mapping = new AccountMapping(await listMappingRules(tx, associationId));
  const names = await ledgerAccountNames(tx, associationId);
  const opening = await openingBalances(tx, associationId, year);
  const rows = await ledgerSums(tx, associationId, { start: `${year}-01-01`, end: date });
  const balances = new Map(opening ?? []);
  for (const row of rows) {
    if (row.account === null || !isBalanceAccount(row.account)) continue;
    balances.set(row.account, (balances.get(row.account) ?? 0n) + row.amountOre);
  }
  return {
    date,
    year,
    hasOpening: opening !== undefined,
    current: column(date, balances, mapping, names, { closed: false, result: resultOf(rows) }),
    previous: column(`${year - 1}-12-31`, opening ?? new Map(), mapping, names, {
      closed: true,
      result: await previousResult(tx, associationId, year),
    }),
  };
}
