import type { Tx } from "../platform/db/scope.js";
import { balanceSheet } from "./balance-sheet.js";
import { type InsatsFigures, incomeStatement } from "./income-statement.js";
import type { Period } from "./periods.js";
import { findEconomySettings } from "./repository.js";
import { contributionTotal } from "./statement-repository.js";

/**
 * Key figures of a period: how the costs divide between individinriktade and strukturinriktade insatser and
 * administration; eget kapital against Nationella rådet's recommendation (a ceiling of a share of the year's
 * contributions) with the least the förbund must spend this year to end at the ceiling; and how much of each
 * insats's granted money is used.
 */

export type Share = { amount: bigint; share: number | null };

export type KeyFigures = {
  period: Period;
  year: number;
  totalCosts: bigint;
  costShares: { individual: Share; structural: Share; administration: Share; unmapped: Share };
  equity: {
    ceilingBasisPoints: number;
    contributions: bigint;
    ceiling: bigint;
    /** Eget kapital at the previous year-end, at the period's end, and as forecast for the year's end. */
    opening: bigint;
    date: string;
    atDate: bigint;
    forecastResult: bigint;
    forecastEquity: bigint;
    /** forecastEquity − ceiling: positive is more than the recommendation allows. */
    excess: bigint;
    expectedIncome: bigint;
    /** opening + expected income − ceiling: the costs that bring the year's end to the ceiling. */
    minimumCosts: bigint;
    budgetCosts: bigint;
    forecastCosts: bigint;
  };
  insatser: InsatsFigures[];
};

const shareOf = (amount: bigint, total: bigint): Share => ({
  amount,
  share: total === 0n ? null : Number(amount) / Number(total),
});

export async function keyFigures(tx: Tx, associationId: string, period: Period): Promise<KeyFigures> {
  const statement = await incomeStatement(tx, associationId, period);
  const sheet = await balanceSheet(tx, associationId, period.end);
  const { year } = statement;
  const section = (key: string) => statement.sections.find((item) => item.key === key)?.figures.actual ?? 0n;
  const totalCosts = statement.totals.costs.actual;
  const settings = await findEconomySettings(tx, associationId);
  const contributions = await contributionTotal(tx, associationId, year);
  const ceiling = (contributions * BigInt(settings.equityCeilingBasisPoints)) / 10000n;
  const opening = sheet.previous.equity.closing;
  const forecastResult = statement.totals.result.forecast;
  const forecastEquity = opening + forecastResult;
  const expectedIncome = statement.totals.income.forecast + statement.totals.financial.forecast;
  return {
    period,
    year,
    totalCosts,
    costShares: {
      individual: shareOf(section("individual"), totalCosts),
      structural: shareOf(section("structural"), totalCosts),
      administration: shareOf(section("administration"), totalCosts),
      unmapped: shareOf(statement.unmapped.figures.actual, totalCosts),
    },
    equity: {
      ceilingBasisPoints: settings.equityCeilingBasisPoints,
      contributions,
      ceiling,
      opening,
      date: period.end,
      atDate: sheet.current.equity.closing,
      forecastResult,
      forecastEquity,
      excess: forecastEquity - ceiling,
      expectedIncome,
      minimumCosts: opening + expectedIncome - ceiling,
      budgetCosts: statement.totals.costs.yearBudget,
      forecastCosts: statement.totals.costs.forecast,
    },
    insatser: statement.insatser,
  };
}
