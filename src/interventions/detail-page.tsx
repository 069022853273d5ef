import type { Context } from "hono";
import { baseOf } from "../associations/routes.js";
import { listOrganisations } from "../organisations/repository.js";
import type { TenantEnv } from "../platform/http/env.js";
import type { FieldError } from "../platform/http/errors.js";
import { renderPage } from "../platform/http/render.js";
import { isStaff, type loadIntervention } from "./access.js";
import { goalsAreGranted } from "./goals.js";
import { ownerMayEdit, transitionsFrom } from "./lifecycle.js";
import {
  listBudget,
  listComments,
  listGoalRevisions,
  listGoals,
  listGrants,
  listPartners,
  listStatusChanges,
} from "./repository.js";
import { InterventionPage } from "./views.js";

type Detail = Awaited<ReturnType<typeof loadIntervention>>;

/** The insats page, also re-rendered with the errors of any of the forms on it. */
export async function renderIntervention(
  c: Context<TenantEnv>,
  intervention: Detail,
  problem?: { errors: FieldError[]; values?: Record<string, string>; status: 409 | 422 },
) {
  const tenant = c.get("tenant");
  const associationId = tenant.association.id;
  const staff = isStaff(tenant);
  const [grants, partners, history, organisations] = [
    await listGrants(tenant.tx, associationId, intervention.id),
    await listPartners(tenant.tx, associationId, intervention.id),
    await listStatusChanges(tenant.tx, associationId, intervention.id),
    await listOrganisations(tenant.tx, associationId),
  ];
  const application = {
    goals: await listGoals(tenant.tx, associationId, intervention.id),
    revisions: await listGoalRevisions(tenant.tx, associationId, intervention.id),
    budget: await listBudget(tenant.tx, associationId, intervention.id),
    comments: await listComments(tenant.tx, associationId, intervention.id),
  };
  return renderPage(
    c,
    intervention.name,
    <InterventionPage
      base={baseOf(c)}
      csrfToken={c.get("csrfToken")}
      intervention={intervention}
      grants={grants}
      partners={partners}
      history={history}
      moves={transitionsFrom(intervention.status, staff)}
      application={application}
      mayEdit={staff || ownerMayEdit(intervention.status)}
      mayRevise={staff && goalsAreGranted(intervention.status)}
      isStaff={staff}
      organisations={organisations
        .filter((organisation) => organisation.id !== intervention.owner_organisation_id)
        .map((organisation) => ({ value: organisation.id, label: organisation.name }))}
      errors={problem?.errors}
      values={problem?.values}
    />,
    problem?.status ?? 200,
  );
}
