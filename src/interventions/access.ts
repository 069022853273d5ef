import { organisationIdsOfContact } from "../organisations/repository.js";
import { can } from "../platform/auth/policy.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, type FieldError, invalidInput, notFound } from "../platform/http/errors.js";
import { type InterventionInput, staffFields } from "./intervention-input.js";
import { ownerMayEdit } from "./lifecycle.js";
import { findIntervention } from "./repository.js";

/** Staff (admin, officer) handle every insats; an insatsägare's contact only those of its own organisations. */
export const isStaff = (tenant: Tenant) => can(tenant.role, "intervention.manage");

/** The owner organisations whose insatser the caller may see: undefined means all. */
export async function visibleOwners(tenant: Tenant): Promise<string[] | undefined> {
  if (isStaff(tenant)) return undefined;
  return organisationIdsOfContact(tenant.tx, tenant.association.id, tenant.user.id);
}

/** The insats if the caller may see it; otherwise the same 404 as for an insats that does not exist. */
export async function loadIntervention(tenant: Tenant, interventionId: string) {
  const intervention = await findIntervention(tenant.tx, tenant.association.id, interventionId);
  if (!intervention) throw notFound();
  const owners = await visibleOwners(tenant);
  if (owners && !owners.includes(intervention.owner_organisation_id)) throw notFound();
  return intervention;
}

/** The insatsägare's contact changes the application only while it is a draft; staff at any time. */
export function assertMayEdit(tenant: Tenant, status: Parameters<typeof ownerMayEdit>[0]) {
  if (!isStaff(tenant) && !ownerMayEdit(status)) {
    throw new AppError(
      403,
      "Insatsen kan inte ändras",
      "Ansökan är inskickad. Kontakta förbundet om något behöver ändras; de kan återsända den till dig.",
    );
  }
}

/** The insatsägare's contact may name only its own organisation as owner, and leaves the förbund's fields alone. */
export async function assertOwnerInput(tenant: Tenant, input: InterventionInput) {
  const owners = await visibleOwners(tenant);
  if (!owners) return;
  const errors: FieldError[] = staffFields
    .filter((field) => input[field] !== undefined)
    .map((field) => ({ path: field, message: "Fylls i av förbundet." }));
  if (!owners.includes(input.ownerOrganisationId)) {
    errors.push({ path: "ownerOrganisationId", message: "Välj en organisation som du är kontaktperson för." });
  }
  if (errors.length > 0) throw invalidInput(errors);
}
