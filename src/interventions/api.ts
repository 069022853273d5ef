import { z } from "zod";
import type { Tenant } from "../platform/http/env.js";
import type { Routes } from "../platform/http/routes.js";
import { loadIntervention, visibleOwners } from "./access.js";
import { changeStatus } from "./change-status.js";
import { createIntervention } from "./create-intervention.js";
import {
  grantsBody,
  interventionBody,
  interventionKinds,
  interventionUpdateBody,
  partnerBody,
  partnerRoles,
} from "./intervention-input.js";
import { interventionStatuses } from "./lifecycle.js";
import { removePartner, savePartner } from "./partners.js";
import { listGrants, listInterventions, listPartners, listStatusChanges } from "./repository.js";
import { setGrants } from "./set-grants.js";
import { updateIntervention } from "./update-intervention.js";

const date = z.string().meta({ description: "Calendar date, YYYY-MM-DD" });
const status = z.enum(interventionStatuses);
const ore = z.number().int().meta({ description: "Amount in öre (1 kr = 100 öre)" });

const summarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  ownerName: z.string(),
  kind: z.enum(interventionKinds),
  status,
  startDate: date,
  endDate: date,
  registryNumber: z.string().nullable(),
  grantedOre: ore,
});

const interventionSchema = z.object({
  id: z.uuid(),
  version: z.number().int().meta({ description: "Send it back with a change; a stale version gives 409" }),
  name: z.string(),
  ownerOrganisationId: z.uuid(),
  ownerName: z.string(),
  kind: z.enum(interventionKinds),
  targetGroup: z.string().nullable(),
  startDate: date,
  endDate: date,
  intakeEndDate: date.nullable(),
  conditions: z.string().nullable(),
  registryNumber: z.string().nullable(),
  decisionSection: z.string().nullable(),
  decisionDate: date.nullable(),
  status,
  grants: z.array(z.object({ year: z.number().int(), amountOre: ore })),
  partners: z.array(
    z.object({
      organisationId: z.uuid(),
      organisationName: z.string(),
      role: z.enum(partnerRoles),
      contactName: z.string().nullable(),
      contactEmail: z.string().nullable(),
    }),
  ),
});

const statusChangeSchema = z.object({
  from: status.nullable(),
  to: status,
  changedAt: z.string().meta({ description: "ISO 8601 timestamp" }),
  changedBy: z.string(),
  comment: z.string().nullable(),
});

const interventionParams = z.object({ interventionId: z.uuid() });
const partnerParams = z.object({ interventionId: z.uuid(), organisationId: z.uuid() });

async function present(tenant: Tenant, interventionId: string) {
  const intervention = await loadIntervention(tenant, interventionId);
  const associationId = tenant.association.id;
  return {
    id: intervention.id,
    version: intervention.version,
    name: intervention.name,
    ownerOrganisationId: intervention.owner_organisation_id,
    ownerName: intervention.owner_name,
    kind: intervention.kind,
    targetGroup: intervention.target_group,
    startDate: intervention.start_date,
    endDate: intervention.end_date,
    intakeEndDate: intervention.intake_end_date,
    conditions: intervention.conditions,
    registryNumber: intervention.registry_number,
    decisionSection: intervention.decision_section,
    decisionDate: intervention.decision_date,
    status: intervention.status,
    grants: (await listGrants(tenant.tx, associationId, interventionId)).map((grant) => ({
      year: grant.year,
      amountOre: grant.amount_ore,
    })),
    partners: (await listPartners(tenant.tx, associationId, interventionId)).map((partner) => ({
      organisationId: partner.organisation_id,
      organisationName: partner.organisation_name,
      role: partner.role,
      contactName: partner.contact_name,
      contactEmail: partner.contact_email,
    })),
  };
}

export function registerInterventionApi({ association: router, api }: Routes) {
  const tag = "interventions";

  api.add(router, {
    method: "get",
    path: "/interventions",
    operationId: "listInterventions",
    summary: "Insatser, filtered; an insatsägare's contact sees those of its own organisations only",
    tag,
    permission: "intervention.read",
    query: z.object({
      q: z.string().max(200).optional(),
      status: status.optional(),
      ownerOrganisationId: z.uuid().optional(),
      year: z.coerce.number().int().min(2000).max(2100).optional(),
      kind: z.enum(interventionKinds).optional(),
    }),
    response: z.object({ items: z.array(summarySchema) }),
    handler: async ({ tenant, query }) => ({
      items: (
        await listInterventions(tenant.tx, tenant.association.id, { ...query, visibleTo: await visibleOwners(tenant) })
      ).map((row) => ({
        id: row.id,
        name: row.name,
        ownerName: row.owner_name,
        kind: row.kind,
        status: row.status,
        startDate: row.start_date,
        endDate: row.end_date,
        registryNumber: row.registry_number,
        grantedOre: row.granted_ore,
      })),
    }),
  });

  api.add(router, {
    method: "post",
    path: "/interventions",
    operationId: "createIntervention",
    summary: "Register an insats (as a draft)",
    tag,
    permission: "intervention.write",
    body: interventionBody,
    response: interventionSchema,
    status: 201,
    handler: async ({ tenant, body }) => present(tenant, (await createIntervention({ tenant, input: body })).id),
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}",
    operationId: "getIntervention",
    summary: "One insats with its grants and partners",
    tag,
    permission: "intervention.read",
    params: interventionParams,
    response: interventionSchema,
    handler: async ({ tenant, params }) => present(tenant, params.interventionId),
  });

  api.add(router, {
    method: "put",
    path: "/interventions/{interventionId}",
    operationId: "updateIntervention",
    summary: "Replace an insats's details; needs the version it was read at",
    tag,
    permission: "intervention.write",
    params: interventionParams,
    body: interventionUpdateBody,
    response: interventionSchema,
    handler: async ({ tenant, params, body }) => {
      const { version, ...input } = body;
      await updateIntervention({ tenant, interventionId: params.interventionId, version, input });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/status-changes",
    operationId: "listStatusChanges",
    summary: "The insats's lifecycle so far: who moved it, when, and why",
    tag,
    permission: "intervention.read",
    params: interventionParams,
    response: z.object({ items: z.array(statusChangeSchema) }),
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      const changes = await listStatusChanges(tenant.tx, tenant.association.id, params.interventionId);
      return {
        items: changes.map((change) => ({
          from: change.from_status,
          to: change.to_status,
          changedAt: change.changed_at,
          changedBy: change.changed_by_label,
          comment: change.comment,
        })),
      };
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/status-changes",
    operationId: "changeStatus",
    summary: "Move the insats one legal step (e.g. to submitted); returns and rejections need a comment",
    tag,
    permission: "intervention.write",
    params: interventionParams,
    body: z.object({ to: status, comment: z.string().trim().min(1).max(4000).optional() }),
    response: interventionSchema,
    status: 201,
    handler: async ({ tenant, params, body }) => {
      await changeStatus({ tenant, interventionId: params.interventionId, to: body.to, comment: body.comment });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "put",
    path: "/interventions/{interventionId}/grants",
    operationId: "setGrants",
    summary: "Set the granted money per year of the insatstid (the board's decision)",
    tag,
    permission: "intervention.manage",
    params: interventionParams,
    body: grantsBody,
    response: interventionSchema,
    handler: async ({ tenant, params, body }) => {
      await setGrants({
        tenant,
        interventionId: params.interventionId,
        grants: body.grants.map((grant) => ({ year: grant.year, amountOre: BigInt(grant.amountOre) })),
      });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "put",
    path: "/interventions/{interventionId}/partners/{organisationId}",
    operationId: "savePartner",
    summary: "Add or change a medsökande or samverkanspart",
    tag,
    permission: "intervention.write",
    params: partnerParams,
    body: partnerBody.omit({ organisationId: true }),
    response: interventionSchema,
    handler: async ({ tenant, params, body }) => {
      await savePartner({
        tenant,
        interventionId: params.interventionId,
        partner: { ...body, organisationId: params.organisationId },
      });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "delete",
    path: "/interventions/{interventionId}/partners/{organisationId}",
    operationId: "removePartner",
    summary: "Remove a partner from the insats",
    tag,
    permission: "intervention.write",
    params: partnerParams,
    response: interventionSchema,
    handler: async ({ tenant, params }) => {
      await removePartner({ tenant, ...params });
      return present(tenant, params.interventionId);
    },
  });
}
