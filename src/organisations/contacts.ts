import { findRole, findUserById } from "../accounts/repository.js";
import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput, notFound } from "../platform/http/errors.js";
import { deleteContact, findOrganisation, insertContact } from "./repository.js";

export type ContactOptions = { tenant: Tenant; organisationId: string; userId: string };

/** Makes a user with the role "kontaktperson för insatsägare" act for the organisation: they then see its insatser. */
export async function addContact({ tenant, organisationId, userId }: ContactOptions) {
  const associationId = tenant.association.id;
  const organisation = await findOrganisation(tenant.tx, associationId, organisationId);
  if (!organisation) throw notFound();
  if ((await findRole(tenant.tx, associationId, userId)) !== "owner_contact") {
    throw invalidInput([{ path: "userId", message: "Välj en användare med rollen Kontaktperson för insatsägare." }]);
  }
  await insertContact(tenant.tx, associationId, organisationId, userId);
  const user = await findUserById(tenant.tx, userId);
  await audit(tenant, "organisation.contact_add", { type: "organisation", id: organisationId }, { user: user?.email });
}

export async function removeContact({ tenant, organisationId, userId }: ContactOptions) {
  const associationId = tenant.association.id;
  if (!(await deleteContact(tenant.tx, associationId, organisationId, userId))) throw notFound();
  const user = await findUserById(tenant.tx, userId);
  await audit(
    tenant,
    "organisation.contact_remove",
    { type: "organisation", id: organisationId },
    { user: user?.email },
  );
}
