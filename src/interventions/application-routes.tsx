import type { Context } from "hono";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import type { TenantEnv } from "../platform/http/env.js";
import { type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readEach, readForm } from "../platform/http/validation.js";
import { isStaff, loadIntervention } from "./access.js";
import { commentBody, decisionBody, goalBody, type RevisionInput, revisionBody } from "./application-input.js";
import { BudgetFormPage, budgetFieldName, DecisionFormPage, GoalFormPage } from "./application-views.js";
import { setBudget } from "./budget.js";
import { addComment } from "./comments.js";
import { costCategories } from "./cost-categories.js";
import { renderIntervention } from "./detail-page.js";
import { goalsAreGranted, removeGoal, saveGoal, strikeGoal } from "./goals.js";
import { parseKronor } from "./intervention-input.js";
import { recordDecision } from "./record-decision.js";
import { findGoal, listBudget } from "./repository.js";
import { yearsOf } from "./set-grants.js";

type Detail = Awaited<ReturnType<typeof loadIntervention>>;

const pathOf = (c: Context<TenantEnv>, intervention: { id: string }) => `${baseOf(c)}/interventions/${intervention.id}`;

/** Granted money per year as the grants and decision forms post it: `year-2026` in whole kronor. */
export function readGrantFields(body: Record<string, unknown>, years: number[]) {
  const { values, errors, entries } = readEach(body, years, {
    name: (year) => `year-${year}`,
    parse: parseKronor,
    message: (year) => `Ange beloppet för ${year} i hela kronor, högst 10 000 000 000.`,
    optional: true,
  });
  return { values, errors, grants: entries.map(({ key, value }) => ({ year: key, amountOre: value })) };
}

/** A goal form with its revision fields when the insats is granted: both are read, and all errors shown at once. */
async function readGoalForm(c: Context<TenantEnv>, intervention: Detail) {
  const goal = await readForm(c.req, goalBody);
  // Only staff revise granted goals; anyone else is refused by the use case, not told to fill in a revision.
  const revised = goalsAreGranted(intervention.status) && isStaff(c.get("tenant"));
  const revision = revised ? await readForm(c.req, revisionBody) : undefined;
  const errors = [...(goal.ok ? [] : goal.errors), ...(revision && !revision.ok ? revision.errors : [])];
  return { goal, revision: revision?.ok ? (revision.data as RevisionInput) : undefined, errors, values: goal.values };
}

export function registerApplicationRoutes({ association: router }: Routes) {
  associationPage(router, "POST", "/interventions/:interventionId/goals", "intervention.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const form = await readGoalForm(c, intervention);
    const problem = (errors: FieldError[]) =>
      renderIntervention(c, intervention, { errors, values: form.values, status: 422 });
    if (!form.goal.ok || form.errors.length > 0) return problem(form.errors);
    try {
      await saveGoal({ tenant, interventionId: intervention.id, goal: form.goal.data, revision: form.revision });
    } catch (error) {
      return problem(await formErrorsOf(error));
    }
    return redirectWithFlash(c, pathOf(c, intervention), "Målet är sparat.");
  });

  const renderGoalForm = (
    c: Context<TenantEnv>,
    intervention: Detail,
    goal: NonNullable<Awaited<ReturnType<typeof findGoal>>>,
    values: Record<string, string>,
    errors?: FieldError[],
  ) =>
    renderPage(
      c,
      "Mål",
      <GoalFormPage
        path={pathOf(c, intervention)}
        csrfToken={c.get("csrfToken")}
        intervention={intervention}
        goal={goal}
        revise={goalsAreGranted(intervention.status)}
        values={values}
        errors={errors}
      />,
      errors ? 422 : 200,
    );

  const loadGoal = async (c: Context<TenantEnv>) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const goal = await findGoal(tenant.tx, tenant.association.id, intervention.id, idParam(c, "goalId"));
    if (!goal) throw notFound();
    return { intervention, goal };
  };

  associationPage(router, "GET", "/interventions/:interventionId/goals/:goalId", "intervention.write", async (c) => {
    const { intervention, goal } = await loadGoal(c);
    return renderGoalForm(c, intervention, goal, {
      level: goal.level,
      text: goal.text,
      targetValue: goal.target_value?.toString() ?? "",
      unit: goal.unit ?? "",
    });
  });

  associationPage(router, "POST", "/interventions/:interventionId/goals/:goalId", "intervention.write", async (c) => {
    const { intervention, goal } = await loadGoal(c);
    const form = await readGoalForm(c, intervention);
    if (!form.goal.ok || form.errors.length > 0) return renderGoalForm(c, intervention, goal, form.values, form.errors);
    try {
      await saveGoal({
        tenant: c.get("tenant"),
        interventionId: intervention.id,
        goalId: goal.id,
        goal: form.goal.data,
        revision: form.revision,
      });
    } catch (error) {
      return renderGoalForm(c, intervention, goal, form.values, await formErrorsOf(error));
    }
    return redirectWithFlash(c, pathOf(c, intervention), "Målet är sparat.");
  });

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/goals/:goalId/strike",
    "intervention.manage",
    async (c) => {
      const { intervention, goal } = await loadGoal(c);
      const form = await readForm(c.req, revisionBody);
      const goalValues = { level: goal.level, text: goal.text };
      if (!form.ok) return renderGoalForm(c, intervention, goal, goalValues, form.errors);
      try {
        await strikeGoal({
          tenant: c.get("tenant"),
          interventionId: intervention.id,
          goalId: goal.id,
          revision: form.data,
        });
      } catch (error) {
        return renderGoalForm(c, intervention, goal, goalValues, await formErrorsOf(error));
      }
      return redirectWithFlash(c, pathOf(c, intervention), "Målet är struket.");
    },
  );

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/goals/:goalId/delete",
    "intervention.write",
    async (c) => {
      const { intervention, goal } = await loadGoal(c);
      await removeGoal({ tenant: c.get("tenant"), interventionId: intervention.id, goalId: goal.id });
      return redirectWithFlash(c, pathOf(c, intervention), "Målet är borttaget.");
    },
  );

  const renderBudgetForm = (
    c: Context<TenantEnv>,
    intervention: Detail,
    values: Record<string, string>,
    errors?: FieldError[],
  ) =>
    renderPage(
      c,
      "Budget",
      <BudgetFormPage
        path={pathOf(c, intervention)}
        csrfToken={c.get("csrfToken")}
        intervention={intervention}
        years={yearsOf(intervention)}
        values={values}
        errors={errors}
      />,
      errors ? 422 : 200,
    );

  associationPage(router, "GET", "/interventions/:interventionId/budget", "intervention.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const lines = await listBudget(tenant.tx, tenant.association.id, intervention.id);
    const values = Object.fromEntries(
      lines.map((line) => [budgetFieldName(line.year, line.cost_category), String(line.amount_ore / 100n)]),
    );
    return renderBudgetForm(c, intervention, values);
  });

  associationPage(router, "POST", "/interventions/:interventionId/budget", "intervention.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const cells = yearsOf(intervention).flatMap((year) =>
      costCategories.map((costCategory) => ({ year, costCategory })),
    );
    const { values, errors, entries } = readEach(await c.req.parseBody(), cells, {
      name: (cell) => budgetFieldName(cell.year, cell.costCategory),
      parse: parseKronor,
      message: (cell) => `Ange beloppet för ${cell.year} i hela kronor, högst 10 000 000 000.`,
      optional: true,
    });
    if (errors.length > 0) return renderBudgetForm(c, intervention, values, errors);
    try {
      await setBudget({
        tenant,
        interventionId: intervention.id,
        lines: entries.map(({ key, value }) => ({ ...key, amountOre: value })),
      });
    } catch (error) {
      return renderBudgetForm(c, intervention, values, await formErrorsOf(error));
    }
    return redirectWithFlash(c, pathOf(c, intervention), "Budgeten är sparad.");
  });

  associationPage(router, "POST", "/interventions/:interventionId/comments", "intervention.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const form = await readForm(c.req, commentBody);
    if (!form.ok) return renderIntervention(c, intervention, { errors: form.errors, values: form.values, status: 422 });
    await addComment({ tenant, interventionId: intervention.id, body: form.data.body });
    return redirectWithFlash(c, `${pathOf(c, intervention)}#comments-heading`, "Kommentaren är skickad.");
  });

  const renderDecisionForm = (
    c: Context<TenantEnv>,
    intervention: Detail,
    values: Record<string, string>,
    errors?: FieldError[],
  ) =>
    renderPage(
      c,
      "Beslut",
      <DecisionFormPage
        path={pathOf(c, intervention)}
        csrfToken={c.get("csrfToken")}
        intervention={intervention}
        years={yearsOf(intervention)}
        values={values}
        errors={errors}
      />,
      errors ? 422 : 200,
    );

  associationPage(router, "GET", "/interventions/:interventionId/decision", "intervention.manage", async (c) => {
    const intervention = await loadIntervention(c.get("tenant"), idParam(c, "interventionId"));
    return renderDecisionForm(c, intervention, {
      decisionSection: intervention.decision_section ?? "",
      decisionDate: intervention.decision_date ?? "",
      startDate: intervention.start_date,
      endDate: intervention.end_date,
      conditions: intervention.conditions ?? "",
    });
  });

  associationPage(router, "POST", "/interventions/:interventionId/decision", "intervention.manage", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const form = await readForm(c.req, decisionBody);
    const grants = readGrantFields(await c.req.parseBody(), yearsOf(intervention));
    const values = { ...form.values, ...grants.values };
    const errors = [...(form.ok ? [] : form.errors), ...grants.errors];
    if (!form.ok || errors.length > 0) return renderDecisionForm(c, intervention, values, errors);
    try {
      await recordDecision({ tenant, interventionId: intervention.id, decision: form.data, grants: grants.grants });
    } catch (error) {
      return renderDecisionForm(c, intervention, values, await formErrorsOf(error));
    }
    return redirectWithFlash(
      c,
      pathOf(c, intervention),
      form.data.outcome === "granted"
        ? "Beslutet är registrerat: ansökan är beviljad."
        : "Beslutet är registrerat: ansökan är avslagen.",
    );
  });
}
