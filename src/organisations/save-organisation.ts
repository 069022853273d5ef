import { findMember } from "../associations/repository.js";
import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, invalidInput, notFound } from "../platform/http/errors.js";
import type { OrganisationBody } from "./organisation-input.js";
import { findOrganisationByName, insertOrganisation, updateOrganisation } from "./repository.js";

export type SaveOrganisationOptions = { tenant: Tenant; organisationId?: string; input: OrganisationBody };

/** Registers a new organisation, or changes one (organisationId given); names are unique within the association. */
export async function saveOrganisation({ tenant, organisationId, input }: SaveOrganisationOptions) {
  const associationId = tenant.association.id;
  const sameName = await findOrganisationByName(tenant.tx, associationId, input.name);
  if (sameName && sameName.id !== organisationId) {
    throw conflict("Det finns redan en organisation med det namnet.", [
      { path: "name", message: "Namnet används redan." },
    ]);
  }
  if (input.memberId && !(await findMember(tenant.tx, associationId, input.memberId))) {
    throw invalidInput([{ path: "memberId", message: "Välj en medlem i listan." }]);
  }
  const saved = organisationId
    ? await updateOrganisation(tenant.tx, associationId, organisationId, input)
    : await insertOrganisation(tenant.tx, associationId, input);
  if (!saved) throw notFound();
  await audit(
    tenant,
    organisationId ? "organisation.update" : "organisation.create",
    { type: "organisation", id: saved.id },
    { name: saved.name, memberId: saved.member_id },
  );
  return saved;
}
