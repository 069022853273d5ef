import { audit } from "../audit/record.js";
import { findOrganisation } from "../organisations/repository.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput, notFound } from "../platform/http/errors.js";
import { assertMayEdit, loadIntervention } from "./access.js";
import type { PartnerInput } from "./intervention-input.js";
import { deletePartner, touchIntervention, upsertPartner } from "./repository.js";

export type SavePartnerOptions = { tenant: Tenant; interventionId: string; partner: PartnerInput };

/** Adds a medsökande or samverkanspart to the insats, or changes its role and contact. */
export async function savePartner({ tenant, interventionId, partner }: SavePartnerOptions) {
  const intervention = await loadIntervention(tenant, interventionId);
  assertMayEdit(tenant, intervention.status);
  if (!(await findOrganisation(tenant.tx, tenant.association.id, partner.organisationId))) {
    throw invalidInput([{ path: "organisationId", message: "Välj organisation i listan." }]);
  }
  if (partner.organisationId === intervention.owner_organisation_id) {
    throw invalidInput([{ path: "organisationId", message: "Insatsägaren kan inte också vara part i sin insats." }]);
  }
  await upsertPartner(tenant.tx, tenant.association.id, interventionId, partner);
  await touchIntervention(tenant.tx, tenant.association.id, interventionId);
  await audit(
    tenant,
    "intervention.partner_save",
    { type: "intervention", id: interventionId },
    { organisationId: partner.organisationId, role: partner.role },
  );
}

export type RemovePartnerOptions = { tenant: Tenant; interventionId: string; organisationId: string };

export async function removePartner({ tenant, interventionId, organisationId }: RemovePartnerOptions) {
  const intervention = await loadIntervention(tenant, interventionId);
  assertMayEdit(tenant, intervention.status);
  if (!(await deletePartner(tenant.tx, tenant.association.id, interventionId, organisationId))) throw notFound();
  await touchIntervention(tenant.tx, tenant.association.id, interventionId);
  await audit(tenant, "intervention.partner_remove", { type: "intervention", id: interventionId }, { organisationId });
}
