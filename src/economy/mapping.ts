import type { BalanceLine } from "../platform/db/schema.js";

/**
 * Which line an account's amount belongs to. Rules name an account, an object (the per-insats object of the
 * bookkeeping), or both; the most specific wins: account and object, then object alone (result accounts only, so
 * that an insats's object does not pull its receivables into the income statement), then account alone. Balance
 * accounts without a rule follow the BAS ranges, result accounts without one are unmapped and listed, never dropped.
 */

export type MappingRule = {
  account: string | null;
  objectCode: string | null;
  lineId: string | null;
  balanceLine: BalanceLine | null;
};

export type Target =
  | { kind: "line"; lineId: string; rule: "account_object" | "object" | "account" }
  | { kind: "balance"; balanceLine: BalanceLine; rule: "account" | "bas" }
  | { kind: "unmapped" };

/** BAS: classes 1 and 2 are the balance sheet, 3–8 the income statement. */
export function isBalanceAccount(account: string): boolean {
  return account.startsWith("1") || account.startsWith("2");
}

/** The balance-sheet line a BAS account falls in by its number. */
export function basBalanceLine(account: string): BalanceLine | undefined {
  const group = Number(account.slice(0, 2));
  if (!/^\d{2}/.test(account)) return undefined;
  if (group >= 10 && group <= 13) return "fixed_assets";
  if (group >= 14 && group <= 17) return "receivables";
  if (group >= 18 && group <= 19) return "cash";
  if (group === 20) return "equity";
  if (group >= 21 && group <= 23) return "long_term_liabilities";
  if (group >= 24 && group <= 29) return "current_liabilities";
  return undefined;
}

export class AccountMapping {
  private readonly byAccountObject = new Map<string, MappingRule>();
  private readonly byObject = new Map<string, MappingRule>();
  private readonly byAccount = new Map<string, MappingRule>();

  constructor(rules: readonly MappingRule[]) {
    for (const rule of rules) {
      if (rule.account !== null && rule.objectCode !== null)
        this.byAccountObject.set(`${rule.account}\u0000${rule.objectCode}`, rule);
      else if (rule.objectCode !== null) this.byObject.set(rule.objectCode, rule);
      else if (rule.account !== null) this.byAccount.set(rule.account, rule);
    }
  }

  resolve(account: string, objectCode: string | null): Target {
    const balance = isBalanceAccount(account);
    if (objectCode !== null && !balance) {
      const exact = this.byAccountObject.get(`${account}\u0000${objectCode}`);
      if (exact?.lineId) return { kind: "line", lineId: exact.lineId, rule: "account_object" };
      const object = this.byObject.get(objectCode);
      if (object?.lineId) return { kind: "line", lineId: object.lineId, rule: "object" };
    }
    const rule = this.byAccount.get(account);
    if (rule?.lineId) return { kind: "line", lineId: rule.lineId, rule: "account" };
    if (rule?.balanceLine) return { kind: "balance", balanceLine: rule.balanceLine, rule: "account" };
    if (balance) {
      const bas = basBalanceLine(account);
      if (bas) return { kind: "balance", balanceLine: bas, rule: "bas" };
    }
    return { kind: "unmapped" };
  }
}
