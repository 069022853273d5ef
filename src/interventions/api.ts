import { z } from "zod";
import type { Tenant } from "../platform/http/env.js";
import type { Routes } from "../platform/http/routes.js";
import { loadIntervention, visibleOwners } from "./access.js";
import { commentBody, decisionBody, goalBody, goalLevels, goalStatuses, revisionBody } from "./application-input.js";
import { setBudget } from "./budget.js";
import { changeStatus } from "./change-status.js";
import { addComment } from "./comments.js";
import { costCategories } from "./cost-categories.js";
import { createIntervention } from "./create-intervention.js";
import { removeGoal, saveGoal, strikeGoal } from "./goals.js";
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
import { recordDecision } from "./record-decision.js";
import {
  listBudget,
  listComments,
  listGoalRevisions,
  listGoals,
  listGrants,
  listInterventions,
  listPartners,
  listStatusChanges,
} from "./repository.js";
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
  background: z.string().nullable(),
  purpose: z.string().nullable(),
  method: z.string().nullable(),
  plannedParticipants: z.object({
    women: z.number().int().nullable(),
    men: z.number().int().nullable(),
    genderUnknown: z.number().int().nullable(),
  }),
  status,
  grants: z.array(z.object({ year: z.number().int(), amountOre: ore })),
  goals: z.array(
    z.object({
      id: z.uuid(),
      level: z.enum(goalLevels),
      text: z.string(),
      targetValue: z.number().int().nullable(),
      unit: z.string().nullable(),
      status: z.enum(goalStatuses),
    }),
  ),
  budget: z.array(z.object({ year: z.number().int(), costCategory: z.enum(costCategories), amountOre: ore })),
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
const goalParams = z.object({ interventionId: z.uuid(), goalId: z.uuid() });
/** Once the insats is granted, a goal changes only with a revision: date, reason and decision. */
const goalChangeBody = goalBody.safeExtend({ revision: revisionBody.optional() });
const amountOre = grantsBody.shape.grants.element.shape.amountOre;
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
    background: intervention.background,
    purpose: intervention.purpose,
    method: intervention.method,
    plannedParticipants: {
      women: intervention.planned_women,
      men: intervention.planned_men,
      genderUnknown: intervention.planned_gender_unknown,
    },
    status: intervention.status,
    grants: (await listGrants(tenant.tx, associationId, interventionId)).map((grant) => ({
      year: grant.year,
      amountOre: grant.amount_ore,
    })),
    goals: (await listGoals(tenant.tx, associationId, interventionId)).map((goal) => ({
      id: goal.id,
      level: goal.level,
      text: goal.text,
      targetValue: goal.target_value,
      unit: goal.unit,
      status: goal.status,
    })),
    budget: (await listBudget(tenant.tx, associationId, interventionId)).map((line) => ({
      year: line.year,
      costCategory: line.cost_category,
      amountOre: line.amount_ore,
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

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/goals",
    operationId: "addGoal",
    summary: "Add a goal: to the application while it is drafted, or by revision once the insats is granted",
    tag,
    permission: "intervention.write",
    params: interventionParams,
    body: goalChangeBody,
    response: interventionSchema,
    status: 201,
    handler: async ({ tenant, params, body }) => {
      const { revision, ...goal } = body;
      await saveGoal({ tenant, interventionId: params.interventionId, goal, revision });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "put",
    path: "/interventions/{interventionId}/goals/{goalId}",
    operationId: "changeGoal",
    summary: "Change a goal; once the insats is granted only staff may, with a revision",
    tag,
    permission: "intervention.write",
    params: goalParams,
    body: goalChangeBody,
    response: interventionSchema,
    handler: async ({ tenant, params, body }) => {
      const { revision, ...goal } = body;
      await saveGoal({ tenant, ...params, goal, revision });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "delete",
    path: "/interventions/{interventionId}/goals/{goalId}",
    operationId: "removeGoal",
    summary: "Remove a goal from an application that is not yet granted",
    tag,
    permission: "intervention.write",
    params: goalParams,
    response: interventionSchema,
    handler: async ({ tenant, params }) => {
      await removeGoal({ tenant, ...params });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/goals/{goalId}/strike",
    operationId: "strikeGoal",
    summary: "Strike a granted goal, with the revision's date, reason and decision",
    tag,
    permission: "intervention.manage",
    params: goalParams,
    body: revisionBody,
    response: interventionSchema,
    handler: async ({ tenant, params, body }) => {
      await strikeGoal({ tenant, ...params, revision: body });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/goal-revisions",
    operationId: "listGoalRevisions",
    summary: "How the granted goals changed: when, why, on whose decision, and what they said before",
    tag,
    permission: "intervention.read",
    params: interventionParams,
    response: z.object({
      items: z.array(
        z.object({
          goalId: z.uuid(),
          change: z.enum(["added", "changed", "struck"]),
          revisedOn: date,
          reason: z.string(),
          decisionReference: z.string().nullable(),
          previousText: z.string().nullable(),
          recordedBy: z.string(),
        }),
      ),
    }),
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      const rows = await listGoalRevisions(tenant.tx, tenant.association.id, params.interventionId);
      return {
        items: rows.map((row) => ({
          goalId: row.goal_id,
          change: row.change,
          revisedOn: row.revised_on,
          reason: row.reason,
          decisionReference: row.decision_reference,
          previousText: row.previous_text,
          recordedBy: row.recorded_by_label,
        })),
      };
    },
  });

  api.add(router, {
    method: "put",
    path: "/interventions/{interventionId}/budget",
    operationId: "setBudget",
    summary: "Replace the applied budget: an amount per kostnadsslag and year of the insatstid",
    tag,
    permission: "intervention.write",
    params: interventionParams,
    body: z.object({
      lines: z
        .array(
          z.object({ year: z.number().int().min(2000).max(2100), costCategory: z.enum(costCategories), amountOre }),
        )
        .max(200),
    }),
    response: interventionSchema,
    handler: async ({ tenant, params, body }) => {
      await setBudget({
        tenant,
        interventionId: params.interventionId,
        lines: body.lines.map((line) => ({ ...line, amountOre: BigInt(line.amountOre) })),
      });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/comments",
    operationId: "listComments",
    summary: "The conversation about the application",
    tag,
    permission: "intervention.read",
    params: interventionParams,
    response: z.object({
      items: z.array(z.object({ body: z.string(), writtenBy: z.string(), writtenAt: z.string() })),
    }),
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      const rows = await listComments(tenant.tx, tenant.association.id, params.interventionId);
      return {
        items: rows.map((row) => ({
          body: row.body,
          writtenBy: row.written_by_label,
          writtenAt: row.written_at.toISOString(),
        })),
      };
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/comments",
    operationId: "addComment",
    summary: "Write in the conversation about the application",
    tag,
    permission: "intervention.write",
    params: interventionParams,
    body: commentBody,
    response: interventionSchema,
    status: 201,
    handler: async ({ tenant, params, body }) => {
      await addComment({ tenant, interventionId: params.interventionId, body: body.body });
      return present(tenant, params.interventionId);
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/decision",
    operationId: "recordDecision",
    summary: "Record the board's decision on an application under preparation: granted (with grants) or rejected",
    tag,
    permission: "intervention.manage",
    params: interventionParams,
    body: decisionBody.safeExtend({ grants: grantsBody.shape.grants.optional() }),
    response: interventionSchema,
    status: 201,
    handler: async ({ tenant, params, body }) => {
      const { grants, ...decision } = body;
      await recordDecision({
        tenant,
        interventionId: params.interventionId,
        decision,
        grants: (grants ?? []).map((grant) => ({ year: grant.year, amountOre: BigInt(grant.amountOre) })),
      });
      return present(tenant, params.interventionId);
    },
  });
}
