import { audit } from "../audit/record.js";
import { findOrganisation } from "../organisations/repository.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput } from "../platform/http/errors.js";
import { assertOwnerInput } from "./access.js";
import type { InterventionInput } from "./intervention-input.js";
import { insertIntervention, insertStatusChange } from "./repository.js";

export type CreateInterventionOptions = { tenant: Tenant; input: InterventionInput };

/** Registers an insats as a draft: the insatsägare's application to be, or the förbund's record of an older one. */
export async function createIntervention({ tenant, input }: CreateInterventionOptions) {
  const associationId = tenant.association.id;
  await assertOwnerInput(tenant, input);
  if (!(await findOrganisation(tenant.tx, associationId, input.ownerOrganisationId))) {
    throw invalidInput([{ path: "ownerOrganisationId", message: "Välj insatsägare i listan." }]);
  }
  const intervention = await insertIntervention(tenant.tx, associationId, input);
  await insertStatusChange(tenant.tx, associationId, {
    interventionId: intervention.id,
    from: null,
    to: intervention.status,
    user: tenant.user,
  });
  await audit(
    tenant,
    "intervention.create",
    { type: "intervention", id: intervention.id },
    { name: intervention.name, kind: intervention.kind },
  );
  return intervention;
}
