import type { BudgetSection } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { AccountMapping, isBalanceAccount } from "./mapping.js";
import { amountForPeriod, type Period, previousYear, sum, yearPeriod } from "./periods.js";
import {
  type BudgetLineRow,
  type EconomySettings,
  findEconomySettings,
  listBudgetLines,
  listMappingRules,
} from "./repository.js";
import {
  grantsForYear,
  hasActiveImport,
  importBalances,
  type LedgerSum,
  ledgerAccountNames,
  ledgerSums,
  yearMonths,
} from "./statement-repository.js";
import { natureOf, sections } from "./structure.js";
import { emptySectionAmounts, type Subtotals, subtotalNames, subtotals } from "./subtotals.js";

/**
 * The income statement of a period within one year: per budget line utfall, budget for the period, avvikelse (with
 * the association's sign), årsbudget, prognos and the same period a year earlier; every subtotal from subtotals.ts.
 * Result accounts that no rule maps are a row of their own, counted as costs, so the result equals the books.
 */

export type Figures = {
  actual: bigint;
  budget: bigint;
  variance: bigint;
  yearBudget: bigint;
  forecast: bigint;
  /** null when there is no utfall for the same period a year earlier. */
  previous: bigint | null;
};

type Column = "actual" | "budget" | "yearBudget" | "forecast" | "previous";
const columns: Column[] = ["actual", "budget", "yearBudget", "forecast", "previous"];

export type StatementLine = {
  id: string;
  name: string;
  section: BudgetSection;
  interventionId: string | null;
  memberId: string | null;
  figures: Figures;
};

export type StatementSection = {
  key: BudgetSection;
  name: string;
  total: string;
  nature: "income" | "cost";
  lines: StatementLine[];
  figures: Figures;
};

export type UnmappedAccount = { account: string; name: string | null; actual: bigint; previous: bigint | null };

export type InsatsFigures = {
  lineId: string;
  interventionId: string;
  name: string;
  granted: bigint;
  budget: bigint;
  actual: bigint;
  variance: bigint;
  /** utfall ÷ beviljat; null when nothing is granted. */
  usedShare: number | null;
};

export type TotalKey = keyof typeof subtotalNames;

export type IncomeStatement = {
  period: Period;
  year: number;
  previousPeriod: Period;
  previousSource: "imports" | "result_balances" | null;
  varianceSign: EconomySettings["varianceSign"];
  sections: StatementSection[];
  unmapped: { figures: Figures; accounts: UnmappedAccount[] };
  totals: Record<TotalKey, Figures>;
  insatser: InsatsFigures[];
};

export const varianceHeadings: Record<EconomySettings["varianceSign"], string> = {
  actual_minus_budget: "Avvikelse = utfall − budget",
  budget_minus_actual: "Avvikelse = budget − utfall",
};

export function variance(sign: EconomySettings["varianceSign"], actual: bigint, budget: bigint): bigint {
  return sign === "actual_minus_budget" ? actual - budget : budget - actual;
}

/** A period a statement can show: whole days within one calendar year (budgets are kept per year). */
export function periodYear(period: Period): number {
  return Number(period.start.slice(0, 4));
}

export type ResolvedActuals = { lines: Map<string, bigint>; unmapped: Map<string, bigint> };

/**
 * Ledger and table rows placed on budget lines with their natural sign: an income line's utfall is the negated sum
 * of its accounts (credit), a cost line's the sum. Balance accounts are left out; result accounts that no rule maps
 * are kept per account, debit positive.
 */
export function resolveActuals(
  rows: readonly LedgerSum[],
  mapping: AccountMapping,
  lines: ReadonlyMap<string, BudgetLineRow>,
): ResolvedActuals {
  const resolved: ResolvedActuals = { lines: new Map(), unmapped: new Map() };
  const add = (map: Map<string, bigint>, key: string, amount: bigint) => map.set(key, (map.get(key) ?? 0n) + amount);
  for (const row of rows) {
    if (row.lineId !== null) {
      add(resolved.lines, row.lineId, row.amountOre);
      continue;
    }
    if (row.account === null) continue;
    const target = mapping.resolve(row.account, row.objectCode);
    const line = target.kind === "line" ? lines.get(target.lineId) : undefined;
    if (line) add(resolved.lines, line.id, natureOf(line.section) === "income" ? -row.amountOre : row.amountOre);
    else if (!isBalanceAccount(row.account)) add(resolved.unmapped, row.account, row.amountOre);
  }
  return resolved;
}

function totalsOf(values: ReadonlyMap<string, bigint>, lines: readonly BudgetLineRow[], unmapped: bigint): Subtotals {
  const bySection = emptySectionAmounts();
  for (const line of lines) bySection[line.section] += values.get(line.id) ?? 0n;
  return subtotals(bySection, unmapped);
}

export type StatementContext = {
  lines: BudgetLineRow[];
  byId: Map<string, BudgetLineRow>;
  mapping: AccountMapping;
  settings: EconomySettings;
};

export async function statementContext(tx: Tx, associationId: string): Promise<StatementContext> {
  const lines = await listBudgetLines(tx, associationId);
  return {
    lines,
    byId: new Map(lines.map((line) => [line.id, line])),
    mapping: new AccountMapping(await listMappingRules(tx, associationId)),
    settings: await findEconomySettings(tx, associationId),
  };
}

/**
 * The same period a year earlier: from that year's imports, or, for a whole year without them, from the #RES -1
 * balances the current year's SIE file carries.
 */
async function previousActuals(
  tx: Tx,
  associationId: string,
  period: Period,
  context: StatementContext,
): Promise<{ resolved: ResolvedActuals | null; source: IncomeStatement["previousSource"] }> {
  const previous = previousYear(period);
  if (await hasActiveImport(tx, associationId, previous)) {
    const rows = await ledgerSums(tx, associationId, previous);
    return { resolved: resolveActuals(rows, context.mapping, context.byId), source: "imports" };
  }
  const year = periodYear(period);
  const whole = yearPeriod(year);
  if (period.start === whole.start && period.end === whole.end) {
    const results = await importBalances(tx, associationId, { year, kind: "result", yearIndex: -1 });
    if (results && results.size > 0) {
      const rows = [...results].map(([account, amountOre]) => ({ account, objectCode: null, lineId: null, amountOre }));
      return { resolved: resolveActuals(rows, context.mapping, context.byId), source: "result_balances" };
    }
  }
  return { resolved: null, source: null };
}

export async function incomeStatement(tx: Tx, associationId: string, period: Period): Promise<IncomeStatement> {
  const context = await statementContext(tx, associationId);
  const { lines, settings } = context;
  const year = periodYear(period);
  const actual = resolveActuals(await ledgerSums(tx, associationId, period), context.mapping, context.byId);
  const previous = await previousActuals(tx, associationId, period, context);
  const months = await yearMonths(tx, associationId, year);
  const grants = await grantsForYear(tx, associationId, year);
  const names = await ledgerAccountNames(tx, associationId);

  const values: Record<Column, Map<string, bigint>> = {
    actual: actual.lines,
    budget: new Map(),
    yearBudget: new Map(),
    forecast: new Map(),
    previous: previous.resolved?.lines ?? new Map(),
  };
  for (const line of lines) {
    const budget = months.budget.get(line.id) ?? [];
    values.budget.set(line.id, amountForPeriod(budget, year, period));
    values.yearBudget.set(line.id, sum(budget));
    values.forecast.set(line.id, sum(months.forecast.get(line.id) ?? budget));
  }
  const unmappedOf = (column: Column) =>
    column === "actual"
      ? sum(actual.unmapped.values())
      : column === "previous"
        ? sum(previous.resolved?.unmapped.values() ?? [])
        : 0n;
  const totals = Object.fromEntries(
    columns.map((column) => [column, totalsOf(values[column], lines, unmappedOf(column))]),
  ) as Record<Column, Subtotals>;

  const hasPrevious = previous.resolved !== null;
  const figures = (pick: (column: Column) => bigint): Figures => {
    const actualValue = pick("actual");
    const budget = pick("budget");
    return {
      actual: actualValue,
      budget,
      variance: variance(settings.varianceSign, actualValue, budget),
      yearBudget: pick("yearBudget"),
      forecast: pick("forecast"),
      previous: hasPrevious ? pick("previous") : null,
    };
  };

  const statementSections = sections.map((section) => ({
    key: section.key,
    name: section.name,
    total: section.total,
    nature: section.nature,
    lines: lines
      .filter((line) => line.section === section.key)
      .map((line) => ({
        id: line.id,
        name: line.name,
        section: line.section,
        interventionId: line.interventionId,
        memberId: line.memberId,
        figures: figures((column) => values[column].get(line.id) ?? 0n),
      })),
    figures: figures((column) => totals[column].sections[section.key]),
  }));

  const unmappedAccounts = [...new Set([...actual.unmapped.keys(), ...(previous.resolved?.unmapped.keys() ?? [])])]
    .sort()
    .map((account) => ({
      account,
      name: names.get(account) ?? null,
      actual: actual.unmapped.get(account) ?? 0n,
      previous: hasPrevious ? (previous.resolved?.unmapped.get(account) ?? 0n) : null,
    }));

  const insatser = lines
    .filter((line) => line.interventionId !== null)
    .map((line) => {
      const granted = grants.get(line.interventionId as string) ?? 0n;
      const lineActual = values.actual.get(line.id) ?? 0n;
      const budget = values.budget.get(line.id) ?? 0n;
      return {
        lineId: line.id,
        interventionId: line.interventionId as string,
        name: line.name,
        granted,
        budget,
        actual: lineActual,
        variance: variance(settings.varianceSign, lineActual, budget),
        usedShare: granted === 0n ? null : Number(lineActual) / Number(granted),
      };
    });

  return {
    period,
    year,
    previousPeriod: previousYear(period),
    previousSource: previous.source,
    varianceSign: settings.varianceSign,
    sections: statementSections,
    unmapped: { figures: figures(unmappedOf), accounts: unmappedAccounts },
    totals: Object.fromEntries(
      (Object.keys(subtotalNames) as TotalKey[]).map((key) => [key, figures((column) => totals[column][key])]),
    ) as Record<TotalKey, Figures>,
    insatser,
  };
}
