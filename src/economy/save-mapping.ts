import { z } from "zod";
import { audit } from "../audit/record.js";
import type { BalanceLine } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { type FieldError, invalidInput, notFound } from "../platform/http/errors.js";
import {
  deleteAllMappingRules,
  deleteMappingRule,
  type MappingRuleInput,
  upsertMappingRule,
} from "./imports-repository.js";
import { isBalanceAccount } from "./mapping.js";
import { listBudgetLines } from "./repository.js";
import { balanceLines } from "./structure.js";

/**
 * Rules that place the bookkeeping's accounts on budget lines (result accounts) and balance-sheet lines (balance
 * accounts). They are read when a statement is made, so saving one changes every statement at once, imports included.
 */

const balanceLineKeys = balanceLines.map((line) => line.key) as [BalanceLine, ...BalanceLine[]];

const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

export const mappingRuleSchema = z.object({
  account: z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z]{1,20}$/, "Kontonumret ska vara 1–20 siffror eller bokstäver, t.ex. 4010.")
      .nullable()
      .default(null),
  ),
  objectCode: z.preprocess(
    blankToNull,
    z.string().trim().max(40, "Objektkoden får vara högst 40 tecken.").nullable().default(null),
  ),
  lineId: z.preprocess(blankToNull, z.uuid("Välj en rad i budgeten.").nullable().default(null)),
  balanceLine: z.preprocess(
    blankToNull,
    z.enum(balanceLineKeys, { error: "Välj en rad i balansräkningen." }).nullable().default(null),
  ),
});

export type MappingRuleFields = z.output<typeof mappingRuleSchema>;

/** What a rule may say: an object only matters on result accounts, which belong on budget lines. */
function ruleErrors(rule: MappingRuleFields, lineIds: Set<string>, prefix = ""): FieldError[] {
  const path = (name: string) => `${prefix}${name}`;
  if (rule.account === null && rule.objectCode === null) {
    return [{ path: path("account"), message: "Ange ett konto, ett objekt eller båda." }];
  }
  if ((rule.lineId === null) === (rule.balanceLine === null)) {
    return [{ path: path("target"), message: "Välj en rad i budgeten eller en rad i balansräkningen." }];
  }
  const balance = rule.account !== null && isBalanceAccount(rule.account);
  if (balance && rule.objectCode !== null) {
    return [
      {
        path: path("objectCode"),
        message: `Konto ${rule.account} är ett balanskonto; objekt används bara för resultatkonton (klass 3–8).`,
      },
    ];
  }
  if (balance && rule.balanceLine === null) {
    return [
      { path: path("target"), message: `Konto ${rule.account} är ett balanskonto: välj en rad i balansräkningen.` },
    ];
  }
  if (!balance && rule.lineId === null) {
    return [
      {
        path: path("target"),
        message:
          rule.account === null
            ? "Ett objekt kan bara kopplas till en rad i budgeten."
            : `Konto ${rule.account} är ett resultatkonto: välj en rad i budgeten.`,
      },
    ];
  }
  if (rule.lineId !== null && !lineIds.has(rule.lineId)) {
    return [{ path: path("target"), message: "Raden finns inte i budgetstrukturen." }];
  }
  return [];
}

const toInput = (rule: MappingRuleFields): MappingRuleInput => ({
  account: rule.account,
  objectCode: rule.objectCode,
  lineId: rule.lineId,
  balanceLine: rule.balanceLine,
});

async function knownLineIds(tenant: Tenant) {
  return new Set((await listBudgetLines(tenant.tx, tenant.association.id)).map((line) => line.id));
}

export async function saveMappingRule(tenant: Tenant, rule: MappingRuleFields): Promise<string> {
  const errors = ruleErrors(rule, await knownLineIds(tenant));
  if (errors.length > 0) throw invalidInput(errors);
  const id = await upsertMappingRule(tenant.tx, tenant.association.id, toInput(rule));
  await audit(tenant, "economy.mapping.save", { type: "account_mapping", id }, toInput(rule));
  return id;
}

/** The API's bulk form: all rules checked first, then written; "replace" removes every rule the list does not name. */
export async function saveMappingRules(
  tenant: Tenant,
  rules: MappingRuleFields[],
  mode: "replace" | "upsert",
): Promise<string[]> {
  const lineIds = await knownLineIds(tenant);
  const errors = rules.flatMap((rule, index) => ruleErrors(rule, lineIds, `rules.${index}.`));
  const keys = rules.map((rule) => `${rule.account ?? ""}\u0000${rule.objectCode ?? ""}`);
  keys.forEach((key, index) => {
    if (keys.indexOf(key) !== index) {
      errors.push({ path: `rules.${index}`, message: "Samma konto och objekt förekommer två gånger i listan." });
    }
  });
  if (errors.length > 0) throw invalidInput(errors);
  const removed = mode === "replace" ? await deleteAllMappingRules(tenant.tx, tenant.association.id) : 0;
  const ids = [];
  for (const rule of rules) ids.push(await upsertMappingRule(tenant.tx, tenant.association.id, toInput(rule)));
  await audit(tenant, "economy.mapping.replace", undefined, { mode, rules: rules.length, removed });
  return ids;
}

export async function removeMappingRule(tenant: Tenant, id: string) {
  const removed = await deleteMappingRule(tenant.tx, tenant.association.id, id);
  if (!removed) throw notFound();
  await audit(
    tenant,
    "economy.mapping.delete",
    { type: "account_mapping", id },
    {
      account: removed.account,
      objectCode: removed.object_code,
      lineId: removed.line_id,
      balanceLine: removed.balance_line,
    },
  );
}
