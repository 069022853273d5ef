import type { Context } from "hono";
import { z } from "zod";
import { listAssociationUsers } from "../accounts/repository.js";
import { findMember, listMembers } from "../associations/repository.js";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { can } from "../platform/auth/policy.js";
import type { TenantEnv } from "../platform/http/env.js";
import { type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readForm, uuid } from "../platform/http/validation.js";
import { registerOrganisationApi } from "./api.js";
import { addContact, removeContact } from "./contacts.js";
import { organisationBody } from "./organisation-input.js";
import { findOrganisation, listContacts, listOrganisations } from "./repository.js";
import { saveOrganisation } from "./save-organisation.js";
import { OrganisationFormPage, OrganisationPage, OrganisationsPage } from "./views.js";

async function loadOrganisation(c: Context<TenantEnv>) {
  const tenant = c.get("tenant");
  const organisation = await findOrganisation(tenant.tx, tenant.association.id, idParam(c, "organisationId"));
  if (!organisation) throw notFound();
  return organisation;
}

async function renderOrganisation(c: Context<TenantEnv>, errors?: FieldError[]) {
  const tenant = c.get("tenant");
  const organisation = await loadOrganisation(c);
  const associationId = tenant.association.id;
  const canWrite = can(tenant.role, "organisation.write");
  const member = organisation.member_id
    ? await findMember(tenant.tx, associationId, organisation.member_id)
    : undefined;
  const contacts = canWrite ? await listContacts(tenant.tx, associationId, organisation.id) : [];
  const candidates = canWrite
    ? (await listAssociationUsers(tenant.tx, associationId)).filter(
        (user) => user.role === "owner_contact" && !contacts.some((contact) => contact.id === user.id),
      )
    : [];
  return renderPage(
    c,
    organisation.name,
    <OrganisationPage
      base={baseOf(c)}
      csrfToken={c.get("csrfToken")}
      organisation={organisation}
      memberName={member?.name}
      contacts={contacts}
      candidates={candidates}
      canWrite={canWrite}
      errors={errors}
    />,
    errors ? 422 : 200,
  );
}

export function registerOrganisationRoutes(routes: Routes) {
  const { association: router } = routes;

  associationPage(router, "GET", "/organisations", "organisation.read", async (c) => {
    const tenant = c.get("tenant");
    return renderPage(
      c,
      "Organisationer",
      <OrganisationsPage
        base={baseOf(c)}
        organisations={await listOrganisations(tenant.tx, tenant.association.id)}
        canWrite={can(tenant.role, "organisation.write")}
      />,
    );
  });

  const renderForm = async (
    c: Context<TenantEnv>,
    options: {
      organisation?: Awaited<ReturnType<typeof loadOrganisation>>;
      values?: Record<string, string>;
      errors?: FieldError[];
    },
  ) => {
    const tenant = c.get("tenant");
    return renderPage(
      c,
      options.organisation ? `Ändra ${options.organisation.name}` : "Lägg till organisation",
      <OrganisationFormPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        members={await listMembers(tenant.tx, tenant.association.id)}
        organisation={options.organisation}
        values={options.values}
        errors={options.errors}
      />,
      options.errors ? 422 : 200,
    );
  };

  associationPage(router, "GET", "/organisations/new", "organisation.write", (c) => renderForm(c, {}));

  associationPage(router, "POST", "/organisations", "organisation.write", async (c) => {
    const form = await readForm(c.req, organisationBody);
    if (!form.ok) return renderForm(c, { values: form.values, errors: form.errors });
    try {
      const organisation = await saveOrganisation({ tenant: c.get("tenant"), input: form.data });
      return redirectWithFlash(c, `${baseOf(c)}/organisations/${organisation.id}`, `${organisation.name} är tillagd.`);
    } catch (error) {
      return renderForm(c, { values: form.values, errors: await formErrorsOf(error) });
    }
  });

  associationPage(router, "GET", "/organisations/:organisationId", "organisation.read", (c) => renderOrganisation(c));

  associationPage(router, "GET", "/organisations/:organisationId/edit", "organisation.write", async (c) =>
    renderForm(c, { organisation: await loadOrganisation(c) }),
  );

  associationPage(router, "POST", "/organisations/:organisationId", "organisation.write", async (c) => {
    const organisation = await loadOrganisation(c);
    const form = await readForm(c.req, organisationBody);
    if (!form.ok) return renderForm(c, { organisation, values: form.values, errors: form.errors });
    try {
      const saved = await saveOrganisation({
        tenant: c.get("tenant"),
        organisationId: organisation.id,
        input: form.data,
      });
      return redirectWithFlash(c, `${baseOf(c)}/organisations/${saved.id}`, `${saved.name} är sparad.`);
    } catch (error) {
      return renderForm(c, { organisation, values: form.values, errors: await formErrorsOf(error) });
    }
  });

  associationPage(router, "POST", "/organisations/:organisationId/contacts", "organisation.write", async (c) => {
    const organisation = await loadOrganisation(c);
    const form = await readForm(c.req, z.object({ userId: uuid.or(z.literal("")) }));
    const userId = form.ok ? form.data.userId : "";
    if (userId === "") return renderOrganisation(c, [{ path: "userId", message: "Välj en användare." }]);
    try {
      await addContact({ tenant: c.get("tenant"), organisationId: organisation.id, userId });
    } catch (error) {
      return renderOrganisation(c, await formErrorsOf(error));
    }
    return redirectWithFlash(c, `${baseOf(c)}/organisations/${organisation.id}`, "Kontaktpersonen är kopplad.");
  });

  associationPage(
    router,
    "POST",
    "/organisations/:organisationId/contacts/:userId/delete",
    "organisation.write",
    async (c) => {
      const organisation = await loadOrganisation(c);
      await removeContact({ tenant: c.get("tenant"), organisationId: organisation.id, userId: idParam(c, "userId") });
      return redirectWithFlash(c, `${baseOf(c)}/organisations/${organisation.id}`, "Kontaktpersonen är borttagen.");
    },
  );

  registerOrganisationApi(routes);
}
