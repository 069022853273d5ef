import { sql } from "kysely";
import type { BalanceKind } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import type { Period } from "./periods.js";

/**
 * What the statements read: the active imports' ledger summed in SQL per account, object and line (a statement never
 * loads transactions one by one), their balances, the budget's months, grants and contributions. Only active imports
 * (replaced_at is null) count.
 */

export type LedgerSum = { account: string | null; objectCode: string | null; lineId: string | null; amountOre: bigint };

/** Ledger rows (debit positive) and table rows (natural sign, on a line) of the period, summed. */
export async function ledgerSums(tx: Tx, associationId: string, period: Period): Promise<LedgerSum[]> {
  const rows = await sql<{ account: string | null; object_code: string | null; line_id: string | null; sum: bigint }>`
    select t.account, t.object_code, t.line_id, sum(t.amount_ore) as sum
    from actual_transaction t
    join actuals_import i on i.association_id = t.association_id and i.id = t.import_id
    where t.association_id = ${associationId}::uuid and i.replaced_at is null
      and t.booked_on between ${period.start}::date and ${period.end}::date
    group by t.account, t.object_code, t.line_id`.execute(tx);
  return rows.rows.map((row) => ({
    account: row.account,
    objectCode: row.object_code,
    lineId: row.line_id,
    amountOre: BigInt(row.sum),
  }));
}

/** Whether any active import covers a day of the period: otherwise a period has no utfall, rather than zero. */
export async function hasActiveImport(tx: Tx, associationId: string, period: Period): Promise<boolean> {
  const row = await tx
    .selectFrom("actuals_import")
    .select("id")
    .where("association_id", "=", associationId)
    .where("replaced_at", "is", null)
    .where("period_start", "<=", period.end)
    .where("period_end", ">=", period.start)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** #IB/#UB/#RES balances per account of the active SIE import of a year; undefined when there is none. */
export async function importBalances(
  tx: Tx,
  associationId: string,
  query: { year: number; kind: BalanceKind; yearIndex: number },
): Promise<Map<string, bigint> | undefined> {
  const active = await tx
    .selectFrom("actuals_import")
    .select("id")
    .where("association_id", "=", associationId)
    .where("replaced_at", "is", null)
    .where("source", "=", "sie")
    .where("year", "=", query.year)
    .execute();
  if (active.length === 0) return undefined;
  const rows = await tx
    .selectFrom("actual_balance")
    .select(["account", (eb) => eb.fn.sum<bigint>("amount_ore").as("sum")])
    .where("association_id", "=", associationId)
    .where(
      "import_id",
      "in",
      active.map((row) => row.id),
    )
    .where("kind", "=", query.kind)
    .where("year_index", "=", query.yearIndex)
    .groupBy("account")
    .execute();
  return new Map(rows.map((row) => [row.account, BigInt(row.sum)]));
}

export async function ledgerAccountNames(tx: Tx, associationId: string): Promise<Map<string, string>> {
  const rows = await tx
    .selectFrom("ledger_account")
    .select(["number", "name"])
    .where("association_id", "=", associationId)
    .execute();
  return new Map(rows.map((row) => [row.number, row.name]));
}

export type YearMonths = { budget: Map<string, bigint[]>; forecast: Map<string, bigint[]> };

/** Every line's twelve months of budget and of forecast for a year; a line without a forecast has no entry. */
export async function yearMonths(tx: Tx, associationId: string, year: number): Promise<YearMonths> {
  const rows = await tx
    .selectFrom("budget_amount")
    .select(["scenario", "line_id", "month", "amount_ore"])
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .execute();
  const result: YearMonths = { budget: new Map(), forecast: new Map() };
  for (const row of rows) {
    const byLine = result[row.scenario];
    const months = byLine.get(row.line_id) ?? Array<bigint>(12).fill(0n);
    months[row.month - 1] = row.amount_ore;
    byLine.set(row.line_id, months);
  }
  return result;
}

/** Granted money per insats for a year. */
export async function grantsForYear(tx: Tx, associationId: string, year: number): Promise<Map<string, bigint>> {
  const rows = await tx
    .selectFrom("intervention_grant")
    .select(["intervention_id", (eb) => eb.fn.sum<bigint>("amount_ore").as("sum")])
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .groupBy("intervention_id")
    .execute();
  return new Map(rows.map((row) => [row.intervention_id, BigInt(row.sum)]));
}

/** The year's contributions: the decided total, or the members' decided amounts when no total is entered. */
export async function contributionTotal(tx: Tx, associationId: string, year: number): Promise<bigint> {
  const fiscal = await tx
    .selectFrom("fiscal_year")
    .select("total_contribution_ore")
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .executeTakeFirst();
  if (fiscal && fiscal.total_contribution_ore > 0n) return fiscal.total_contribution_ore;
  const decided = await tx
    .selectFrom("member_contribution")
    .select((eb) => eb.fn.sum<bigint | null>("decided_ore").as("sum"))
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .executeTakeFirst();
  return BigInt(decided?.sum ?? 0);
}
