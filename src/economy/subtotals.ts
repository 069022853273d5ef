import type { BudgetSection } from "../platform/db/schema.js";
import { sections } from "./structure.js";

/**
 * The subtotals of an income statement, always computed from the lines: per section, then summa intäkter and
 * kostnader, verksamhetens resultat, the financial items and the period's result. Amounts have their natural sign
 * (income positive on income lines, costs positive on cost lines). `unmapped` is the ledger's result-account amount
 * that no rule maps, debit positive, counted as a cost so that the result still equals the books.
 */

export type SectionAmounts = Record<BudgetSection, bigint>;

export type Subtotals = {
  sections: SectionAmounts;
  unmapped: bigint;
  income: bigint;
  costs: bigint;
  operatingResult: bigint;
  financial: bigint;
  result: bigint;
};

export const subtotalNames = {
  income: "Summa intäkter",
  costs: "Summa kostnader",
  operatingResult: "Verksamhetens resultat",
  financial: "Summa finansiella poster",
  result: "Periodens resultat",
} as const;

export function emptySectionAmounts(): SectionAmounts {
  return { income: 0n, individual: 0n, structural: 0n, administration: 0n, financial_income: 0n, financial_cost: 0n };
}

export function subtotals(bySection: SectionAmounts, unmapped = 0n): Subtotals {
  const income = bySection.income;
  const costs = bySection.individual + bySection.structural + bySection.administration + unmapped;
  const operatingResult = income - costs;
  const financial = bySection.financial_income - bySection.financial_cost;
  return {
    sections: bySection,
    unmapped,
    income,
    costs,
    operatingResult,
    financial,
    result: operatingResult + financial,
  };
}

/**
 * Every printed subtotal by the name a statement (or an imported table's control row) uses for it, so that a
 * "Summa …" row in an imported file can be checked against what its lines add up to.
 */
export function subtotalsByName(totals: Subtotals): Map<string, bigint> {
  const named = new Map<string, bigint>();
  for (const section of sections) named.set(section.total.toLowerCase(), totals.sections[section.key]);
  for (const [key, name] of Object.entries(subtotalNames)) {
    named.set(name.toLowerCase(), totals[key as keyof typeof subtotalNames]);
  }
  return named;
}
