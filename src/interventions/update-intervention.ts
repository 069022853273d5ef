import { audit } from "../audit/record.js";
import { findOrganisation } from "../organisations/repository.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, invalidInput } from "../platform/http/errors.js";
import { assertMayEdit, assertOwnerInput, isStaff, loadIntervention } from "./access.js";
import type { InterventionInput } from "./intervention-input.js";
import { updateIntervention as updateInterventionRow } from "./repository.js";

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
  const changed = (Object.keys(values) as (keyof InterventionInput)[]).filter(
    (key) => String(values[key] ?? "") !== String(previousValue(current, key) ?? ""),
  );
  await audit(tenant, "intervention.update", { type: "intervention", id: interventionId }, { changed });
  return updated;
}

function previousValue(current: Awaited<ReturnType<typeof loadIntervention>>, key: keyof InterventionInput) {
  const columns: Record<keyof InterventionInput, unknown> = {
    name: current.name,
    ownerOrganisationId: current.owner_organisation_id,
    kind: current.kind,
    targetGroup: current.target_group,
    startDate: current.start_date,
    endDate: current.end_date,
    intakeEndDate: current.intake_end_date,
    conditions: current.conditions,
    registryNumber: current.registry_number,
    decisionSection: current.decision_section,
    decisionDate: current.decision_date,
  };
  return columns[key];
}
