import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput } from "../platform/http/errors.js";
import { loadIntervention } from "./access.js";
import type { GrantInput } from "./intervention-input.js";
import { replaceGrants, touchIntervention } from "./repository.js";

export type SetGrantsOptions = { tenant: Tenant; interventionId: string; grants: GrantInput[] };

/** The years of the insatstid: money can be granted for these only. */
export function yearsOf(period: { start_date: string; end_date: string }): number[] {
  const first = Number(period.start_date.slice(0, 4));
  const last = Number(period.end_date.slice(0, 4));
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/** Records the granted money per year (the board's decision); a year left out has nothing granted. */
export async function setGrants({ tenant, interventionId, grants }: SetGrantsOptions) {
  const intervention = await loadIntervention(tenant, interventionId);
  const years = yearsOf(intervention);
  const errors = grants.flatMap((grant, index) => {
    if (!years.includes(grant.year)) {
      return [{ path: `grants.${index}.year`, message: `${grant.year} ligger utanför insatstiden.` }];
    }
    if (grants.findIndex((other) => other.year === grant.year) !== index) {
      return [{ path: `grants.${index}.year`, message: `${grant.year} finns med två gånger.` }];
    }
    return [];
  });
  if (errors.length > 0) throw invalidInput(errors);
  const kept = grants.filter((grant) => grant.amountOre > 0n);
  await replaceGrants(tenant.tx, tenant.association.id, interventionId, kept);
  await touchIntervention(tenant.tx, tenant.association.id, interventionId);
  await audit(
    tenant,
    "intervention.grants_set",
    { type: "intervention", id: interventionId },
    { grants: kept.map((grant) => ({ year: grant.year, amountOre: grant.amountOre.toString() })) },
  );
}
