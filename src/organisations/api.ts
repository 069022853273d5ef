import { z } from "zod";
import type { Organisation } from "../platform/db/schema.js";
import { notFound } from "../platform/http/errors.js";
import type { Routes } from "../platform/http/routes.js";
import { organisationBody } from "./organisation-input.js";
import { findOrganisation, listOrganisations } from "./repository.js";
import { saveOrganisation } from "./save-organisation.js";

const organisationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  memberId: z.uuid().nullable().meta({ description: "The member it is or belongs to; null for a non-member" }),
  organisationNumber: z.string().nullable(),
});

const organisationParams = z.object({ organisationId: z.uuid() });

const present = (organisation: Pick<Organisation, "id" | "name" | "member_id" | "organisation_number">) => ({
  id: organisation.id,
  name: organisation.name,
  memberId: organisation.member_id,
  organisationNumber: organisation.organisation_number,
});

export function registerOrganisationApi({ association: router, api }: Routes) {
  api.add(router, {
    method: "get",
    path: "/organisations",
    operationId: "listOrganisations",
    summary: "Organisations that own or take part in insatser (members, their units, non-members)",
    tag: "organisations",
    permission: "organisation.read",
    response: z.object({ items: z.array(organisationSchema) }),
    handler: async ({ tenant }) => ({
      items: (await listOrganisations(tenant.tx, tenant.association.id)).map(present),
    }),
  });

  api.add(router, {
    method: "post",
    path: "/organisations",
    operationId: "createOrganisation",
    summary: "Register an organisation",
    tag: "organisations",
    permission: "organisation.write",
    body: organisationBody,
    response: organisationSchema,
    status: 201,
    handler: async ({ tenant, body }) => present(await saveOrganisation({ tenant, input: body })),
  });

  api.add(router, {
    method: "get",
    path: "/organisations/{organisationId}",
    operationId: "getOrganisation",
    summary: "One organisation",
    tag: "organisations",
    permission: "organisation.read",
    params: organisationParams,
    response: organisationSchema,
    handler: async ({ tenant, params }) => {
      const organisation = await findOrganisation(tenant.tx, tenant.association.id, params.organisationId);
      if (!organisation) throw notFound();
      return present(organisation);
    },
  });

  api.add(router, {
    method: "put",
    path: "/organisations/{organisationId}",
    operationId: "updateOrganisation",
    summary: "Replace an organisation's details",
    tag: "organisations",
    permission: "organisation.write",
    params: organisationParams,
    body: organisationBody,
    response: organisationSchema,
    handler: async ({ tenant, params, body }) =>
      present(await saveOrganisation({ tenant, organisationId: params.organisationId, input: body })),
  });
}
