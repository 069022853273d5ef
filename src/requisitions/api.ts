import { z } from "zod";
import { loadIntervention } from "../interventions/access.js";
import { costCategories } from "../interventions/cost-categories.js";
import type { Tenant } from "../platform/http/env.js";
import { notFound } from "../platform/http/errors.js";
import type { Routes } from "../platform/http/routes.js";
import { decideRequisition } from "./decide-requisition.js";
import { moneyPerYear } from "./money.js";
import { recordRepayment } from "./record-repayment.js";
import { findRequisition, listRepayments, listRequisitionLines, listRequisitions } from "./repository.js";
import { repaymentBody, requisitionBody, requisitionDecisionBody } from "./requisition-input.js";
import { submitRequisition } from "./submit-requisition.js";

const date = z.string().meta({ description: "Calendar date, YYYY-MM-DD" });
const ore = z.number().int().meta({ description: "Amount in öre (1 kr = 100 öre)" });
const requisitionStatus = z.enum(["submitted", "approved", "returned"]);

const requisitionSchema = z.object({
  id: z.uuid(),
  version: z.number().int(),
  periodStart: date,
  periodEnd: date,
  status: requisitionStatus,
  note: z.string().nullable(),
  submittedBy: z.string(),
  submittedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionComment: z.string().nullable(),
  overGrantReason: z.string().nullable(),
  lines: z.array(z.object({ costCategory: z.enum(costCategories), amountOre: ore })),
  totalOre: ore,
});

const moneySchema = z.object({
  years: z.array(
    z.object({ year: z.number().int(), grantedOre: ore, requisitionedOre: ore, remainingOre: ore, repaidOre: ore }),
  ),
});

const repaymentSchema = z.object({
  id: z.uuid(),
  amountOre: ore,
  repaidOn: date,
  decisionReference: z.string().nullable(),
  note: z.string().nullable(),
  recordedBy: z.string(),
});

const interventionParams = z.object({ interventionId: z.uuid() });
const requisitionParams = z.object({ interventionId: z.uuid(), requisitionId: z.uuid() });

async function present(tenant: Tenant, interventionId: string, requisitionId: string) {
  const requisition = await findRequisition(tenant.tx, tenant.association.id, interventionId, requisitionId);
  if (!requisition) throw notFound();
  const lines = await listRequisitionLines(tenant.tx, tenant.association.id, requisitionId);
  return {
    id: requisition.id,
    version: requisition.version,
    periodStart: requisition.period_start,
    periodEnd: requisition.period_end,
    status: requisition.status,
    note: requisition.note,
    submittedBy: requisition.submitted_by_label,
    submittedAt: requisition.submitted_at.toISOString(),
    decidedBy: requisition.decided_by_label,
    decidedAt: requisition.decided_at?.toISOString() ?? null,
    decisionComment: requisition.decision_comment,
    overGrantReason: requisition.over_grant_reason,
    lines: lines.map((line) => ({ costCategory: line.cost_category, amountOre: line.amount_ore })),
    totalOre: lines.reduce((sum, line) => sum + line.amount_ore, 0n),
  };
}

const presentRepayment = (row: Awaited<ReturnType<typeof listRepayments>>[number]) => ({
  id: row.id,
  amountOre: row.amount_ore,
  repaidOn: row.repaid_on,
  decisionReference: row.decision_reference,
  note: row.note,
  recordedBy: row.recorded_by_label,
});

const toInput = (body: z.output<typeof requisitionBody>) => ({
  ...body,
  lines: body.lines.map((line) => ({ costCategory: line.costCategory, amountOre: BigInt(line.amountOre) })),
});

export function registerRequisitionApi({ association: router, api }: Routes) {
  const tag = "requisitions";

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/money",
    operationId: "getInterventionMoney",
    summary: "Granted, requisitioned (approved), remaining and repaid money per calendar year",
    tag,
    permission: "intervention.read",
    params: interventionParams,
    response: moneySchema,
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      const years = await moneyPerYear(tenant.tx, tenant.association.id, params.interventionId);
      return { years: years.map((year) => ({ ...year, remainingOre: year.grantedOre - year.requisitionedOre })) };
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/requisitions",
    operationId: "listRequisitions",
    summary: "The insats's requisitions, oldest period first",
    tag,
    permission: "intervention.read",
    params: interventionParams,
    response: z.object({ items: z.array(requisitionSchema) }),
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      const rows = await listRequisitions(tenant.tx, tenant.association.id, params.interventionId);
      return { items: await Promise.all(rows.map((row) => present(tenant, params.interventionId, row.id))) };
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/requisitions",
    operationId: "submitRequisition",
    summary: "Claim the costs of a period within one calendar year, per kostnadsslag",
    tag,
    permission: "intervention.write",
    params: interventionParams,
    body: requisitionBody,
    response: requisitionSchema,
    status: 201,
    handler: async ({ tenant, params, body }) => {
      const requisition = await submitRequisition({
        tenant,
        interventionId: params.interventionId,
        input: toInput(body),
      });
      return present(tenant, params.interventionId, requisition.id);
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/requisitions/{requisitionId}",
    operationId: "getRequisition",
    summary: "One requisition with its lines",
    tag,
    permission: "intervention.read",
    params: requisitionParams,
    response: requisitionSchema,
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      return present(tenant, params.interventionId, params.requisitionId);
    },
  });

  api.add(router, {
    method: "put",
    path: "/interventions/{interventionId}/requisitions/{requisitionId}",
    operationId: "resubmitRequisition",
    summary: "Correct a returned requisition and send it again; needs the version it was read at",
    tag,
    permission: "intervention.write",
    params: requisitionParams,
    body: requisitionBody.safeExtend({ version: z.number().int().min(1) }),
    response: requisitionSchema,
    handler: async ({ tenant, params, body }) => {
      await submitRequisition({
        tenant,
        interventionId: params.interventionId,
        input: toInput(body),
        resubmit: { requisitionId: params.requisitionId, version: body.version },
      });
      return present(tenant, params.interventionId, params.requisitionId);
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/requisitions/{requisitionId}/decision",
    operationId: "decideRequisition",
    summary: "Approve (beyond the grant only with overGrantReason) or return (with comment) a requisition",
    tag,
    permission: "intervention.manage",
    params: requisitionParams,
    body: requisitionDecisionBody,
    response: requisitionSchema,
    handler: async ({ tenant, params, body }) => {
      await decideRequisition({ tenant, ...params, decision: body });
      return present(tenant, params.interventionId, params.requisitionId);
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/repayments",
    operationId: "listRepayments",
    summary: "Återföringar of unused money",
    tag,
    permission: "intervention.read",
    params: interventionParams,
    response: z.object({ items: z.array(repaymentSchema) }),
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      const rows = await listRepayments(tenant.tx, tenant.association.id, params.interventionId);
      return { items: rows.map(presentRepayment) };
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/repayments",
    operationId: "recordRepayment",
    summary: "Record unused money returned to the förbund",
    tag,
    permission: "intervention.manage",
    params: interventionParams,
    body: repaymentBody,
    response: repaymentSchema,
    status: 201,
    handler: async ({ tenant, params, body }) => {
      const row = await recordRepayment({
        tenant,
        interventionId: params.interventionId,
        input: { ...body, amountOre: BigInt(body.amountOre) },
      });
      return presentRepayment(row);
    },
  });
}
