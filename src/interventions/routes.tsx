import type { Context } from "hono";
import { z } from "zod";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { listOrganisations } from "../organisations/repository.js";
import { can } from "../platform/auth/policy.js";
import type { TenantEnv } from "../platform/http/env.js";
import type { FieldError } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readForm } from "../platform/http/validation.js";
import { isStaff, loadIntervention, visibleOwners } from "./access.js";
import { registerInterventionApi } from "./api.js";
import { readGrantFields, registerApplicationRoutes } from "./application-routes.js";
import { changeStatus } from "./change-status.js";
import { createIntervention } from "./create-intervention.js";
import { renderIntervention } from "./detail-page.js";
import { interventionBody, interventionKinds, interventionUpdateBody, partnerBody } from "./intervention-input.js";
import { interventionStatuses, statusNames } from "./lifecycle.js";
import { removePartner, savePartner } from "./partners.js";
import { listGrants, listInterventions } from "./repository.js";
import { setGrants, yearsOf } from "./set-grants.js";
import { EDIT_CONFLICT, updateIntervention } from "./update-intervention.js";
import { GrantsFormPage, InterventionFormPage, InterventionsPage } from "./views.js";

type Detail = Awaited<ReturnType<typeof loadIntervention>>;

const listFilter = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(interventionStatuses).optional().catch(undefined),
  owner: z.uuid().optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  kind: z.enum(interventionKinds).optional().catch(undefined),
});

/** The organisations the caller may choose as insatsägare: all for staff, its own for an insatsägare's contact. */
async function ownerOptions(c: Context<TenantEnv>) {
  const tenant = c.get("tenant");
  const owners = await visibleOwners(tenant);
  return (await listOrganisations(tenant.tx, tenant.association.id))
    .filter((organisation) => !owners || owners.includes(organisation.id))
    .map((organisation) => ({ value: organisation.id, label: organisation.name }));
}

const formValues = (intervention: Detail): Record<string, string> => ({
  version: String(intervention.version),
  name: intervention.name,
  ownerOrganisationId: intervention.owner_organisation_id,
  kind: intervention.kind,
  targetGroup: intervention.target_group ?? "",
  background: intervention.background ?? "",
  purpose: intervention.purpose ?? "",
  method: intervention.method ?? "",
  plannedWomen: intervention.planned_women?.toString() ?? "",
  plannedMen: intervention.planned_men?.toString() ?? "",
  plannedGenderUnknown: intervention.planned_gender_unknown?.toString() ?? "",
  startDate: intervention.start_date,
  endDate: intervention.end_date,
  intakeEndDate: intervention.intake_end_date ?? "",
  registryNumber: intervention.registry_number ?? "",
  decisionSection: intervention.decision_section ?? "",
  decisionDate: intervention.decision_date ?? "",
  conditions: intervention.conditions ?? "",
});

export function registerInterventionRoutes(routes: Routes) {
  const { association: router } = routes;

  associationPage(router, "GET", "/interventions", "intervention.read", async (c) => {
    const tenant = c.get("tenant");
    const filter = listFilter.parse(c.req.query());
    const rows = await listInterventions(tenant.tx, tenant.association.id, {
      q: filter.q || undefined,
      status: filter.status,
      ownerOrganisationId: filter.owner,
      year: filter.year,
      kind: filter.kind,
      visibleTo: await visibleOwners(tenant),
    });
    const thisYear = new Date().getFullYear();
    return renderPage(
      c,
      "Insatser",
      <InterventionsPage
        base={baseOf(c)}
        rows={rows}
        filter={Object.fromEntries(Object.entries(filter).map(([key, value]) => [key, String(value ?? "")]))}
        owners={await ownerOptions(c)}
        years={Array.from({ length: 12 }, (_, index) => thisYear + 2 - index)}
        canCreate={can(tenant.role, "intervention.write")}
        canSeePortfolio={can(tenant.role, "report.read")}
        isStaff={isStaff(tenant)}
      />,
    );
  });

  const renderForm = async (
    c: Context<TenantEnv>,
    options: { intervention?: Detail; values: Record<string, string>; errors?: FieldError[]; status?: 409 | 422 },
  ) =>
    renderPage(
      c,
      options.intervention ? `Ändra ${options.intervention.name}` : "Ny insats",
      <InterventionFormPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        intervention={options.intervention}
        owners={await ownerOptions(c)}
        isStaff={isStaff(c.get("tenant"))}
        values={options.values}
        errors={options.errors}
      />,
      options.errors ? (options.status ?? 422) : 200,
    );

  associationPage(router, "GET", "/interventions/new", "intervention.write", async (c) => {
    const owners = await ownerOptions(c);
    return renderForm(c, { values: owners.length === 1 ? { ownerOrganisationId: owners[0]?.value ?? "" } : {} });
  });

  associationPage(router, "POST", "/interventions", "intervention.write", async (c) => {
    const form = await readForm(c.req, interventionBody);
    if (!form.ok) return renderForm(c, { values: form.values, errors: form.errors });
    try {
      const intervention = await createIntervention({ tenant: c.get("tenant"), input: form.data });
      return redirectWithFlash(
        c,
        `${baseOf(c)}/interventions/${intervention.id}`,
        `${intervention.name} är registrerad som utkast.`,
      );
    } catch (error) {
      return renderForm(c, { values: form.values, errors: await formErrorsOf(error) });
    }
  });

  associationPage(router, "GET", "/interventions/:interventionId", "intervention.read", async (c) =>
    renderIntervention(c, await loadIntervention(c.get("tenant"), idParam(c, "interventionId"))),
  );

  associationPage(router, "GET", "/interventions/:interventionId/edit", "intervention.write", async (c) => {
    const intervention = await loadIntervention(c.get("tenant"), idParam(c, "interventionId"));
    return renderForm(c, { intervention, values: formValues(intervention) });
  });

  associationPage(router, "POST", "/interventions/:interventionId", "intervention.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const form = await readForm(c.req, interventionUpdateBody);
    if (!form.ok) return renderForm(c, { intervention, values: form.values, errors: form.errors });
    const { version, ...input } = form.data;
    try {
      await updateIntervention({ tenant, interventionId: intervention.id, version, input });
    } catch (error) {
      const errors = await formErrorsOf(error);
      // On a conflict the form keeps the user's text but takes the new version: saving again is a deliberate choice.
      const conflict = errors.some((e) => e.message === EDIT_CONFLICT);
      const values = conflict ? { ...form.values, version: String(intervention.version) } : form.values;
      return renderForm(c, { intervention, values, errors, status: conflict ? 409 : 422 });
    }
    return redirectWithFlash(c, `${baseOf(c)}/interventions/${intervention.id}`, "Insatsen är sparad.");
  });

  associationPage(router, "POST", "/interventions/:interventionId/status", "intervention.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const body = await c.req.parseBody();
    const to = typeof body.to === "string" ? body.to : "";
    const commentField = `comment-${to}`;
    const rawComment = typeof body[commentField] === "string" ? (body[commentField] as string).trim() : "";
    try {
      const updated = await changeStatus({
        tenant,
        interventionId: intervention.id,
        to,
        comment: rawComment === "" ? undefined : rawComment.slice(0, 4000),
      });
      return redirectWithFlash(
        c,
        `${baseOf(c)}/interventions/${intervention.id}`,
        `Insatsen är nu ${statusNames[updated.status].toLowerCase()}.`,
      );
    } catch (error) {
      // Each move has its own form on the page: its errors point there (a missing decision, at the move itself).
      const errors = (await formErrorsOf(error)).map((e) => ({
        ...e,
        path: e.path === "comment" ? commentField : `to-${to}`,
      }));
      return renderIntervention(c, intervention, { errors, status: 422 });
    }
  });

  associationPage(router, "GET", "/interventions/:interventionId/grants", "intervention.manage", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const grants = await listGrants(tenant.tx, tenant.association.id, intervention.id);
    const values = Object.fromEntries(grants.map((grant) => [`year-${grant.year}`, String(grant.amount_ore / 100n)]));
    return renderPage(
      c,
      "Beviljade medel",
      <GrantsFormPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        intervention={intervention}
        years={yearsOf(intervention)}
        values={values}
      />,
    );
  });

  associationPage(router, "POST", "/interventions/:interventionId/grants", "intervention.manage", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const years = yearsOf(intervention);
    const { values, errors, grants } = readGrantFields(await c.req.parseBody(), years);
    const rerender = (problems: FieldError[]) =>
      renderPage(
        c,
        "Beviljade medel",
        <GrantsFormPage
          base={baseOf(c)}
          csrfToken={c.get("csrfToken")}
          intervention={intervention}
          years={years}
          values={values}
          errors={problems}
        />,
        422,
      );
    if (errors.length > 0) return rerender(errors);
    try {
      await setGrants({ tenant, interventionId: intervention.id, grants });
    } catch (error) {
      return rerender(await formErrorsOf(error));
    }
    return redirectWithFlash(c, `${baseOf(c)}/interventions/${intervention.id}`, "Beviljade medel är sparade.");
  });

  associationPage(router, "POST", "/interventions/:interventionId/partners", "intervention.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const form = await readForm(c.req, partnerBody);
    const problem = (errors: FieldError[]) =>
      renderIntervention(c, intervention, { errors, values: form.values, status: 422 });
    if (!form.ok) return problem(form.errors);
    try {
      await savePartner({ tenant, interventionId: intervention.id, partner: form.data });
    } catch (error) {
      return problem(await formErrorsOf(error));
    }
    return redirectWithFlash(c, `${baseOf(c)}/interventions/${intervention.id}`, "Parten är sparad.");
  });

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/partners/:organisationId/delete",
    "intervention.write",
    async (c) => {
      const tenant = c.get("tenant");
      const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
      await removePartner({ tenant, interventionId: intervention.id, organisationId: idParam(c, "organisationId") });
      return redirectWithFlash(c, `${baseOf(c)}/interventions/${intervention.id}`, "Parten är borttagen.");
    },
  );

  registerApplicationRoutes(routes);
  registerInterventionApi(routes);
}
