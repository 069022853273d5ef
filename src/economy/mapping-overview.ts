import type { Tenant } from "../platform/http/env.js";
import {
  activeImportAccounts,
  activeLedgerAmounts,
  type ImportSummary,
  listImports,
  listLedgerNames,
} from "./imports-repository.js";
import { AccountMapping, isBalanceAccount, type Target } from "./mapping.js";
import { yearPeriod } from "./periods.js";
import { type BudgetLineRow, listBudgetLines, listMappingRules } from "./repository.js";
import { balanceLineNames, sectionNames } from "./structure.js";

/**
 * Where every account of the active imports lands under the current rules, with the rule that placed it. Result
 * accounts that no rule places come first: their amounts would otherwise be missing from the budget lines (the
 * statements show them as unmapped, never drop them).
 */

export const ruleNames: Record<Exclude<Target, { kind: "unmapped" }>["rule"], string> = {
  account_object: "konto + objekt",
  object: "objekt",
  account: "konto",
  bas: "BAS-intervall",
};

export type AccountRow = {
  account: string;
  accountName: string | null;
  objectCode: string | null;
  objectName: string | null;
  /** Booked in the year on active imports, debit positive. */
  amountOre: bigint;
  balance: boolean;
  target: Target;
  targetName: string | null;
};

export function targetName(target: Target, lines: Map<string, BudgetLineRow>): string | null {
  if (target.kind === "balance") return balanceLineNames[target.balanceLine];
  if (target.kind === "line") {
    const line = lines.get(target.lineId);
    return line ? `${line.name} (${sectionNames[line.section]})` : null;
  }
  return null;
}

async function mappingContext(tenant: Tenant) {
  const [rules, lines] = await Promise.all([
    listMappingRules(tenant.tx, tenant.association.id),
    listBudgetLines(tenant.tx, tenant.association.id),
  ]);
  return { rules, lines, mapping: new AccountMapping(rules), lineById: new Map(lines.map((line) => [line.id, line])) };
}

/** The year whose amounts the page shows when none is asked for: that of the newest active import. */
export function defaultYear(imports: ImportSummary[]): number {
  return imports.find((entry) => entry.replacedAt === null)?.year ?? new Date().getFullYear();
}

export async function mappingOverview(tenant: Tenant, year: number | undefined) {
  const associationId = tenant.association.id;
  const shownYear = year ?? defaultYear(await listImports(tenant.tx, associationId));
  const [{ rules, lines, mapping, lineById }, amounts, names] = await Promise.all([
    mappingContext(tenant),
    activeLedgerAmounts(tenant.tx, associationId, yearPeriod(shownYear)),
    listLedgerNames(tenant.tx, associationId),
  ]);
  const accounts: AccountRow[] = amounts.map((row) => {
    const target = mapping.resolve(row.account, row.objectCode);
    return {
      ...row,
      accountName: names.accounts.get(row.account) ?? null,
      objectName: row.objectCode === null ? null : (names.objects.get(row.objectCode) ?? null),
      balance: isBalanceAccount(row.account),
      target,
      targetName: targetName(target, lineById),
    };
  });
  const unmapped = accounts.filter((row) => row.target.kind === "unmapped");
  const ordered = [...unmapped, ...accounts.filter((row) => row.target.kind !== "unmapped")];
  const unmappedResult = unmapped.filter((row) => !row.balance);
  return {
    year: shownYear,
    rules: rules.map((rule) => ({
      ...rule,
      targetName:
        rule.lineId !== null
          ? targetName({ kind: "line", lineId: rule.lineId, rule: "account" }, lineById)
          : rule.balanceLine !== null
            ? balanceLineNames[rule.balanceLine]
            : null,
    })),
    lines,
    accounts: ordered,
    unmapped,
    unmappedAmountOre: unmappedResult.reduce((sum, row) => sum + row.amountOre, 0n),
    objects: [...names.objects].map(([code, name]) => ({ code, name })),
  };
}

/** The imports, newest first, each with how many of its accounts (with objects) the mapping does not place. */
export async function importsOverview(tenant: Tenant) {
  const associationId = tenant.association.id;
  const [imports, pairs, { mapping }] = await Promise.all([
    listImports(tenant.tx, associationId),
    activeImportAccounts(tenant.tx, associationId),
    mappingContext(tenant),
  ]);
  const unmapped = new Map<string, Set<string>>();
  for (const pair of pairs) {
    if (mapping.resolve(pair.account, pair.objectCode).kind !== "unmapped") continue;
    const set = unmapped.get(pair.importId) ?? new Set();
    set.add(pair.account);
    unmapped.set(pair.importId, set);
  }
  return imports.map((entry) => ({
    ...entry,
    unmappedAccounts: entry.replacedAt === null ? (unmapped.get(entry.id)?.size ?? 0) : null,
  }));
}
