import type { Context } from "hono";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { isStaff, loadIntervention } from "../interventions/access.js";
import { costCategories } from "../interventions/cost-categories.js";
import { parseKronor } from "../interventions/intervention-input.js";
import { can } from "../platform/auth/policy.js";
import type { TenantEnv } from "../platform/http/env.js";
import { type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readEach, readForm } from "../platform/http/validation.js";
import { registerRequisitionApi } from "./api.js";
import { decideRequisition, overGrant } from "./decide-requisition.js";
import { moneyPerYear } from "./money.js";
import { registerPortfolioRoutes } from "./portfolio.js";
import { recordRepayment } from "./record-repayment.js";
import { findRequisition, listRepayments, listRequisitionLines, listRequisitions } from "./repository.js";
import { repaymentForm, requisitionDecisionBody, requisitionForm } from "./requisition-input.js";
import { acceptsRequisitions, REQUISITION_CONFLICT, submitRequisition } from "./submit-requisition.js";
import { amountFieldName, RequisitionFormPage, RequisitionPage, RequisitionsPage } from "./views.js";

type Insats = Awaited<ReturnType<typeof loadIntervention>>;

const pathOf = (c: Context<TenantEnv>, intervention: { id: string }) => `${baseOf(c)}/interventions/${intervention.id}`;

const amountMessage = "Ange beloppet i hela kronor, högst 10 000 000 000.";

/** A requisition form: the period and note, and an amount per kostnadsslag; every error shown at once. */
async function readRequisitionForm(c: Context<TenantEnv>) {
  const form = await readForm(c.req, requisitionForm);
  const amounts = readEach(await c.req.parseBody(), costCategories, {
    name: amountFieldName,
    parse: parseKronor,
    message: () => amountMessage,
    optional: true,
  });
  const values = { ...form.values, ...amounts.values };
  const errors = [...(form.ok ? [] : form.errors), ...amounts.errors];
  if (!form.ok || errors.length > 0) return { ok: false as const, values, errors };
  const lines = amounts.entries.map(({ key, value }) => ({ costCategory: key, amountOre: value }));
  return { ok: true as const, values, input: { ...form.data, lines } };
}

async function renderRequisitions(
  c: Context<TenantEnv>,
  intervention: Insats,
  problem?: { values: Record<string, string>; errors: FieldError[] },
) {
  const tenant = c.get("tenant");
  const associationId = tenant.association.id;
  return renderPage(
    c,
    "Rekvisitioner och återföringar",
    <RequisitionsPage
      path={pathOf(c, intervention)}
      csrfToken={c.get("csrfToken")}
      intervention={intervention}
      money={await moneyPerYear(tenant.tx, associationId, intervention.id)}
      requisitions={await listRequisitions(tenant.tx, associationId, intervention.id)}
      repayments={await listRepayments(tenant.tx, associationId, intervention.id)}
      mayRequisition={can(tenant.role, "intervention.write") && acceptsRequisitions(intervention.status)}
      isStaff={isStaff(tenant)}
      values={problem?.values}
      errors={problem?.errors}
    />,
    problem ? 422 : 200,
  );
}

export function registerRequisitionRoutes(routes: Routes) {
  const { association: router } = routes;

  associationPage(router, "GET", "/interventions/:interventionId/requisitions", "intervention.read", async (c) =>
    renderRequisitions(c, await loadIntervention(c.get("tenant"), idParam(c, "interventionId"))),
  );

  const renderForm = (
    c: Context<TenantEnv>,
    intervention: Insats,
    values: Record<string, string>,
    errors?: FieldError[],
  ) =>
    renderPage(
      c,
      "Ny rekvisition",
      <RequisitionFormPage
        path={pathOf(c, intervention)}
        csrfToken={c.get("csrfToken")}
        intervention={intervention}
        values={values}
        errors={errors}
      />,
      errors ? 422 : 200,
    );

  associationPage(router, "GET", "/interventions/:interventionId/requisitions/new", "intervention.write", async (c) =>
    renderForm(c, await loadIntervention(c.get("tenant"), idParam(c, "interventionId")), {}),
  );

  associationPage(router, "POST", "/interventions/:interventionId/requisitions", "intervention.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const form = await readRequisitionForm(c);
    if (!form.ok) return renderForm(c, intervention, form.values, form.errors);
    try {
      const requisition = await submitRequisition({ tenant, interventionId: intervention.id, input: form.input });
      return redirectWithFlash(
        c,
        `${pathOf(c, intervention)}/requisitions/${requisition.id}`,
        "Rekvisitionen är inskickad.",
      );
    } catch (error) {
      return renderForm(c, intervention, form.values, await formErrorsOf(error));
    }
  });

  const renderRequisition = async (
    c: Context<TenantEnv>,
    intervention: Insats,
    requisitionId: string,
    problem?: { values: Record<string, string>; errors: FieldError[]; status: 409 | 422 },
  ) => {
    const tenant = c.get("tenant");
    const requisition = await findRequisition(tenant.tx, tenant.association.id, intervention.id, requisitionId);
    if (!requisition) throw notFound();
    return renderPage(
      c,
      "Rekvisition",
      <RequisitionPage
        path={pathOf(c, intervention)}
        csrfToken={c.get("csrfToken")}
        intervention={intervention}
        requisition={requisition}
        lines={await listRequisitionLines(tenant.tx, tenant.association.id, requisition.id)}
        overGrant={await overGrant(tenant, intervention.id, requisition.id)}
        mayDecide={isStaff(tenant)}
        mayResubmit={can(tenant.role, "intervention.write")}
        values={problem?.values}
        errors={problem?.errors}
      />,
      problem?.status ?? 200,
    );
  };

  associationPage(
    router,
    "GET",
    "/interventions/:interventionId/requisitions/:requisitionId",
    "intervention.read",
    async (c) =>
      renderRequisition(
        c,
        await loadIntervention(c.get("tenant"), idParam(c, "interventionId")),
        idParam(c, "requisitionId"),
      ),
  );

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/requisitions/:requisitionId",
    "intervention.write",
    async (c) => {
      const tenant = c.get("tenant");
      const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
      const requisitionId = idParam(c, "requisitionId");
      const form = await readRequisitionForm(c);
      if (!form.ok) return renderRequisition(c, intervention, requisitionId, { ...form, status: 422 });
      const version = Number((await c.req.parseBody()).version);
      try {
        await submitRequisition({
          tenant,
          interventionId: intervention.id,
          input: form.input,
          resubmit: { requisitionId, version: Number.isInteger(version) ? version : 0 },
        });
      } catch (error) {
        const errors = await formErrorsOf(error);
        const conflict = errors.some((e) => e.message === REQUISITION_CONFLICT);
        return renderRequisition(c, intervention, requisitionId, {
          values: form.values,
          errors,
          status: conflict ? 409 : 422,
        });
      }
      return redirectWithFlash(
        c,
        `${pathOf(c, intervention)}/requisitions/${requisitionId}`,
        "Rekvisitionen är inskickad igen.",
      );
    },
  );

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/requisitions/:requisitionId/decision",
    "intervention.manage",
    async (c) => {
      const tenant = c.get("tenant");
      const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
      const requisitionId = idParam(c, "requisitionId");
      const form = await readForm(c.req, requisitionDecisionBody);
      if (!form.ok) return renderRequisition(c, intervention, requisitionId, { ...form, status: 422 });
      try {
        const decided = await decideRequisition({
          tenant,
          interventionId: intervention.id,
          requisitionId,
          decision: form.data,
        });
        return redirectWithFlash(
          c,
          `${pathOf(c, intervention)}/requisitions`,
          decided.status === "approved" ? "Rekvisitionen är godkänd." : "Rekvisitionen är återsänd.",
        );
      } catch (error) {
        return renderRequisition(c, intervention, requisitionId, {
          values: form.values,
          errors: await formErrorsOf(error),
          status: 422,
        });
      }
    },
  );

  associationPage(router, "POST", "/interventions/:interventionId/repayments", "intervention.manage", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const form = await readForm(c.req, repaymentForm);
    const amount = readEach(await c.req.parseBody(), ["amount"], {
      name: (name) => name,
      parse: (text) => {
        const ore = parseKronor(text);
        return ore && ore > 0n ? ore : undefined;
      },
      message: () => "Ange beloppet i hela kronor, större än noll och högst 10 000 000 000.",
    });
    const values = { ...form.values, ...amount.values };
    const errors = [...(form.ok ? [] : form.errors), ...amount.errors];
    const amountOre = amount.entries[0]?.value;
    if (!form.ok || amountOre === undefined || errors.length > 0) {
      return renderRequisitions(c, intervention, { values, errors });
    }
    try {
      await recordRepayment({ tenant, interventionId: intervention.id, input: { ...form.data, amountOre } });
    } catch (error) {
      return renderRequisitions(c, intervention, { values, errors: await formErrorsOf(error) });
    }
    return redirectWithFlash(c, `${pathOf(c, intervention)}/requisitions`, "Återföringen är registrerad.");
  });

  registerRequisitionApi(routes);
  registerPortfolioRoutes(routes);
}
