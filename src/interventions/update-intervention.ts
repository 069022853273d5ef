import { audit } from "../audit/record.js";
import { findOrganisation } from "../organisations/repository.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, invalidInput } from "../platform/http/errors.js";
import { assertMayEdit, assertOwnerInput, isStaff, loadIntervention } from "./access.js";
import type { InterventionInput } from "./intervention-input.js";
import { interventionColumns, updateIntervention as updateInterventionRow } from "./repository.js";

export type UpdateInterventionOptions = {
  tenant: Tenant;
  interventionId: string;
  /** The version the user started from: a change made by someone else since then is a conflict, not overwritten. */
  version: number;
  input: InterventionInput;
};

export const EDIT_CONFLICT =
  "Någon annan har ändrat insatsen sedan du öppnade den. Dina ändringar är inte sparade men finns kvar i formuläret: " +
  "jämför med den senaste versionen och spara igen.";

export async function updateIntervention({ tenant, interventionId, version, input }: UpdateInterventionOptions) {
  const associationId = tenant.association.id;
  const current = await loadIntervention(tenant, interventionId);
  assertMayEdit(tenant, current.status);
  await assertOwnerInput(tenant, input);
  // The insatsägare's contact never sees the förbund's own fields, so their values stay as they were.
  const values: InterventionInput = isStaff(tenant)
    ? input
    : {
        ...input,
        conditions: current.conditions ?? undefined,
        registryNumber: current.registry_number ?? undefined,
        decisionSection: current.decision_section ?? undefined,
        decisionDate: current.decision_date ?? undefined,
      };
  if (!(await findOrganisation(tenant.tx, associationId, values.ownerOrganisationId))) {
    throw invalidInput([{ path: "ownerOrganisationId", message: "Välj insatsägare i listan." }]);
  }
  const updated = await updateInterventionRow(tenant.tx, associationId, interventionId, version, values);
  if (!updated) throw conflict(EDIT_CONFLICT);
  const previous: Record<string, unknown> = current;
  const changed = Object.entries(interventionColumns(values))
    .filter(([column, value]) => String(value ?? "") !== String(previous[column] ?? ""))
    .map(([column]) => column);
  await audit(tenant, "intervention.update", { type: "intervention", id: interventionId }, { changed });
  return updated;
}
