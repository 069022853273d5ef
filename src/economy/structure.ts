import type { BalanceLine, BudgetSection } from "../platform/db/schema.js";

/**
 * The budget structure every förbund shares (its lines are the association's own): income from the members and
 * others, costs for individinriktade and strukturinriktade insatser and for administration, and financial items.
 * `nature` says whether a positive amount adds to or draws from the result.
 */
export const sections: { key: BudgetSection; name: string; total: string; nature: "income" | "cost" }[] = [
  { key: "income", name: "Intäkter", total: "Summa intäkter", nature: "income" },
  {
    key: "individual",
    name: "Individinriktade insatser",
    total: "Summa individinriktade insatser",
    nature: "cost",
  },
  {
    key: "structural",
    name: "Strukturinriktade insatser",
    total: "Summa strukturinriktade insatser",
    nature: "cost",
  },
  { key: "administration", name: "Administration", total: "Summa administration", nature: "cost" },
  { key: "financial_income", name: "Finansiella intäkter", total: "Summa finansiella intäkter", nature: "income" },
  { key: "financial_cost", name: "Finansiella kostnader", total: "Summa finansiella kostnader", nature: "cost" },
];

export const sectionNames = Object.fromEntries(sections.map((section) => [section.key, section.name])) as Record<
  BudgetSection,
  string
>;

export const costSections: BudgetSection[] = ["individual", "structural", "administration"];

export function natureOf(section: BudgetSection): "income" | "cost" {
  return section === "income" || section === "financial_income" ? "income" : "cost";
}

/** Lines a new association starts with besides one per member and one per granted insats. */
export const defaultLines: { section: BudgetSection; name: string }[] = [
  { section: "income", name: "Övriga intäkter" },
  { section: "individual", name: "Utrymme för nya insatser" },
  { section: "administration", name: "Styrelse (arvoden, sociala avgifter, utbildning)" },
  { section: "administration", name: "Personal och inhyrd personal" },
  { section: "administration", name: "Lokaler" },
  { section: "administration", name: "Övriga administrationskostnader" },
  { section: "financial_income", name: "Finansiella intäkter" },
  { section: "financial_cost", name: "Finansiella kostnader" },
];

export const balanceLines: { key: BalanceLine; name: string; side: "asset" | "equity" | "liability" }[] = [
  { key: "fixed_assets", name: "Anläggningstillgångar", side: "asset" },
  { key: "receivables", name: "Fordringar", side: "asset" },
  { key: "cash", name: "Kassa och bank", side: "asset" },
  { key: "equity", name: "Eget kapital", side: "equity" },
  { key: "long_term_liabilities", name: "Långfristiga skulder", side: "liability" },
  { key: "current_liabilities", name: "Kortfristiga skulder", side: "liability" },
];

export const balanceLineNames = Object.fromEntries(balanceLines.map((line) => [line.key, line.name])) as Record<
  BalanceLine,
  string
>;
