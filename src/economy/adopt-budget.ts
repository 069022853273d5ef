import { z } from "zod";
import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { requiredText } from "../platform/http/validation.js";
import { recordBudgetDecision } from "./budget-repository.js";
import { isValidPeriod } from "./periods.js";
import { ensureFiscalYear } from "./repository.js";
import { claimFiscalYear } from "./save-budget.js";

/**
 * The board adopts a budget year together with two plan years: the year is recorded as adopted with the decision's
 * date and reference ("§ 582"); the plan years are created if needed and stay plan years until they are adopted.
 */

export const decisionDate = z
  .string({ error: "Ange beslutsdatum som ÅÅÅÅ-MM-DD." })
  .trim()
  .refine((value) => isValidPeriod({ start: value, end: value }), "Ange beslutsdatum som ÅÅÅÅ-MM-DD.");

export const decisionReference = requiredText("Ange beslutets paragraf, t.ex. § 582.", 200);

export const adoptBody = z.object({
  adoptedOn: decisionDate,
  decision: decisionReference,
  version: z.coerce.number({ error: "Versionen saknas." }).int().min(0),
});

export const PLAN_YEARS = 2;

export async function adoptBudget({
  tenant,
  year,
  input,
}: {
  tenant: Tenant;
  year: number;
  input: z.output<typeof adoptBody>;
}) {
  const associationId = tenant.association.id;
  const before = await claimFiscalYear(tenant, year, input.version);
  for (let plan = 1; plan <= PLAN_YEARS; plan++) await ensureFiscalYear(tenant.tx, associationId, year + plan);
  await recordBudgetDecision(tenant.tx, associationId, year, { adoptedOn: input.adoptedOn, reference: input.decision });
  await audit(
    tenant,
    "economy.budget.adopt",
    { type: "fiscal_year", id: String(year) },
    { year, adoptedOn: input.adoptedOn, decision: input.decision, previous: before?.budgetDecision ?? null },
  );
}
