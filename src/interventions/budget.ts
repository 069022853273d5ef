import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput } from "../platform/http/errors.js";
import { assertMayEdit, loadIntervention } from "./access.js";
import type { BudgetLine } from "./application-input.js";
import { replaceBudget, touchIntervention } from "./repository.js";
import { yearsOf } from "./set-grants.js";

export type SetBudgetOptions = { tenant: Tenant; interventionId: string; lines: BudgetLine[] };

/** The applied budget per kostnadsslag and year of the insatstid; a line left out or zero has no budget. */
export async function setBudget({ tenant, interventionId, lines }: SetBudgetOptions) {
  const intervention = await loadIntervention(tenant, interventionId);
  assertMayEdit(tenant, intervention.status);
  const years = yearsOf(intervention);
  const errors = lines.flatMap((line, index) =>
    years.includes(line.year)
      ? lines.findIndex((other) => other.year === line.year && other.costCategory === line.costCategory) === index
        ? []
        : [{ path: `lines.${index}`, message: `${line.year} har samma kostnadsslag två gånger.` }]
      : [{ path: `lines.${index}.year`, message: `${line.year} ligger utanför insatstiden.` }],
  );
  if (errors.length > 0) throw invalidInput(errors);
  const kept = lines.filter((line) => line.amountOre > 0n);
  await replaceBudget(tenant.tx, tenant.association.id, interventionId, kept);
  await touchIntervention(tenant.tx, tenant.association.id, interventionId);
  await audit(tenant, "intervention.budget_set", { type: "intervention", id: interventionId }, { lines: kept.length });
}
