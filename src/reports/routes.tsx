import type { Context } from "hono";
import { z } from "zod";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { isStaff, loadIntervention } from "../interventions/access.js";
import { calendarDate } from "../interventions/intervention-input.js";
import { can } from "../platform/auth/policy.js";
import type { TenantEnv } from "../platform/http/env.js";
import { type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { optionalText, readForm } from "../platform/http/validation.js";
import type { ReportAnswers } from "./answer-model.js";
import { registerReportApi } from "./api.js";
import { type DownloadFormat, downloadTypes, reportDocument, reportFile } from "./export-report.js";
import { loadFacts } from "./prefill.js";
import { loadReport } from "./report-access.js";
import { type FormContext, readReportForm, sectionLabel } from "./report-form.js";
import { listReports, listTemplateDefaults } from "./repository.js";
import { approveReport, registerReportArrival, returnReport } from "./review-report.js";
import { REPORT_CONFLICT, saveReport } from "./save-report.js";
import { startReport } from "./start-report.js";
import { submitReport } from "./submit-report.js";
import { sectionsByKey } from "./template-model.js";
import { reportKinds, templateChoices } from "./templates.js";
import { PrintPage, ReportFormPage, ReportPage, ReportsPage } from "./views.js";

type Loaded = Awaited<ReturnType<typeof loadReport>>;

const pathOf = (c: Context<TenantEnv>, intervention: { id: string }) => `${baseOf(c)}/interventions/${intervention.id}`;

const startBody = z.object({
  kind: z.enum(reportKinds, { error: "Välj delrapport eller slutrapport." }),
  templateKey: optionalText(200),
});
const arrivalBody = z.object({
  arrivalDate: calendarDate("Ange ankomstdatum som ÅÅÅÅ-MM-DD."),
  registryNumber: optionalText(50),
});

/** Errors of the answers point at their section; the message says which section, as the summary lists them all. */
function sectionErrors(loaded: Loaded, errors: FieldError[]): FieldError[] {
  const sections = sectionsByKey(loaded.template);
  return errors.map((error) => {
    const key = error.path.split(".")[0] ?? "";
    const section = sections.get(key);
    return section ? { path: error.path, message: `${sectionLabel(section)}: ${error.message}` } : error;
  });
}

async function documentOf(c: Context<TenantEnv>, loaded: Loaded) {
  const tenant = c.get("tenant");
  return reportDocument({
    association: tenant.association,
    report: loaded.report,
    template: loaded.template,
    facts: await loadFacts(tenant.tx, tenant.association.id, loaded.intervention),
  });
}

async function formContext(c: Context<TenantEnv>, loaded: Loaded): Promise<FormContext> {
  const tenant = c.get("tenant");
  const facts = await loadFacts(tenant.tx, tenant.association.id, loaded.intervention);
  return {
    parties: [facts.owner, ...facts.partners].map((party) => ({ id: party.id, name: party.name })),
    grantedOre: facts.grantedOre,
    usedOre: facts.usedOre,
  };
}

/** The report's id, possibly with the download's extension: `…/reports/{id}.pdf` is the PDF of `…/reports/{id}`. */
function reportParam(c: Context<TenantEnv>): { id: string; extension?: DownloadFormat } {
  const match = /^([0-9a-f-]{36})(?:\.(pdf|docx|xlsx))?$/i.exec(c.req.param("reportId") ?? "");
  const id = z.uuid().safeParse(match?.[1]);
  if (!match || !id.success) throw notFound();
  return match[2] ? { id: id.data, extension: match[2] as DownloadFormat } : { id: id.data };
}

/** A file name people can keep: "slutrapport-jobbspar-exempelby.pdf". */
const fileName = (loaded: Loaded, extension: string) =>
  `${loaded.report.kind === "final" ? "slutrapport" : "delrapport"}-${loaded.intervention.name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60)}.${extension}`;

export function registerReportRoutes(routes: Routes) {
  const { association: router } = routes;
  registerReportApi(routes);
  const renderReports = async (c: Context<TenantEnv>, interventionId: string, errors?: FieldError[]) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, interventionId);
    const defaults = await listTemplateDefaults(tenant.tx, tenant.association.id);
    return renderPage(
      c,
      "Rapporter",
      <ReportsPage
        path={pathOf(c, intervention)}
        csrfToken={c.get("csrfToken")}
        intervention={intervention}
        reports={await listReports(tenant.tx, tenant.association.id, intervention.id)}
        templates={await templateChoices(tenant)}
        defaults={Object.fromEntries(defaults.map((row) => [row.kind, row.template_key]))}
        mayStart={can(tenant.role, "intervention.write")}
        errors={errors}
      />,
      errors ? 422 : 200,
    );
  };

  associationPage(router, "GET", "/interventions/:interventionId/reports", "intervention.read", (c) =>
    renderReports(c, idParam(c, "interventionId")),
  );

  associationPage(router, "POST", "/interventions/:interventionId/reports", "intervention.write", async (c) => {
    const interventionId = idParam(c, "interventionId");
    const form = await readForm(c.req, startBody);
    if (!form.ok) return renderReports(c, interventionId, form.errors);
    try {
      const report = await startReport({ tenant: c.get("tenant"), interventionId, ...form.data });
      return redirectWithFlash(
        c,
        `${baseOf(c)}/interventions/${interventionId}/reports/${report.id}/edit`,
        "Rapporten är påbörjad.",
      );
    } catch (error) {
      return renderReports(c, interventionId, await formErrorsOf(error));
    }
  });

  const load = (c: Context<TenantEnv>) => loadReport(c.get("tenant"), idParam(c, "interventionId"), reportParam(c).id);

  const renderReport = async (
    c: Context<TenantEnv>,
    loaded: Loaded,
    problem?: { errors: FieldError[]; values?: Record<string, string>; status: 409 | 422 },
  ) => {
    const tenant = c.get("tenant");
    return renderPage(
      c,
      loaded.template.title,
      <ReportPage
        path={pathOf(c, loaded.intervention)}
        csrfToken={c.get("csrfToken")}
        intervention={loaded.intervention}
        report={loaded.report}
        template={loaded.template}
        document={await documentOf(c, loaded)}
        mayEdit={can(tenant.role, "intervention.write")}
        isStaff={isStaff(tenant)}
        errors={problem ? sectionErrors(loaded, problem.errors) : undefined}
        values={problem?.values}
      />,
      problem?.status ?? 200,
    );
  };

  associationPage(router, "GET", "/interventions/:interventionId/reports/:reportId", "intervention.read", async (c) => {
    const loaded = await load(c);
    const { extension } = reportParam(c);
    if (!extension) return renderReport(c, loaded);
    const body = await reportFile(await documentOf(c, loaded), extension);
    if (!body) throw notFound();
    return c.body(new Uint8Array(body), 200, {
      "content-type": downloadTypes[extension],
      "content-disposition": `attachment; filename="${fileName(loaded, extension)}"`,
    });
  });

  associationPage(
    router,
    "GET",
    "/interventions/:interventionId/reports/:reportId/print",
    "intervention.read",
    async (c) => {
      const loaded = await load(c);
      return renderPage(c, loaded.template.title, <PrintPage document={await documentOf(c, loaded)} />);
    },
  );

  const renderForm = async (
    c: Context<TenantEnv>,
    loaded: Loaded,
    problem?: { answers: ReportAnswers; errors: FieldError[]; posted: Record<string, string>; status: 409 | 422 },
  ) =>
    renderPage(
      c,
      loaded.template.title,
      <ReportFormPage
        path={pathOf(c, loaded.intervention)}
        csrfToken={c.get("csrfToken")}
        intervention={loaded.intervention}
        report={loaded.report}
        template={loaded.template}
        answers={problem?.answers ?? (loaded.report.answers as ReportAnswers)}
        context={await formContext(c, loaded)}
        // After a conflict the form carries the newest version: saving again is then a deliberate overwrite.
        version={String(loaded.report.version)}
        errors={problem ? sectionErrors(loaded, problem.errors) : undefined}
        posted={problem?.posted}
      />,
      problem?.status ?? 200,
    );

  associationPage(
    router,
    "GET",
    "/interventions/:interventionId/reports/:reportId/edit",
    "intervention.write",
    async (c) => renderForm(c, await load(c)),
  );

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/reports/:reportId",
    "intervention.write",
    async (c) => {
      const loaded = await load(c);
      const body = Object.fromEntries(
        Object.entries(await c.req.parseBody()).filter(
          (entry): entry is [string, string] => typeof entry[1] === "string",
        ),
      );
      const { answers, errors } = readReportForm(
        loaded.template,
        body,
        loaded.report.answers as ReportAnswers,
        await formContext(c, loaded),
      );
      if (errors.length > 0) return renderForm(c, loaded, { answers, errors, posted: body, status: 422 });
      try {
        await saveReport({
          tenant: c.get("tenant"),
          interventionId: loaded.intervention.id,
          reportId: loaded.report.id,
          version: Number(body.version) || 0,
          answers,
        });
      } catch (error) {
        const problems = await formErrorsOf(error);
        const conflict = problems.some((problem) => problem.message === REPORT_CONFLICT);
        return renderForm(c, loaded, { answers, errors: problems, posted: body, status: conflict ? 409 : 422 });
      }
      return redirectWithFlash(
        c,
        `${pathOf(c, loaded.intervention)}/reports/${loaded.report.id}`,
        "Rapporten är sparad som utkast.",
      );
    },
  );

  const action = (
    path: string,
    permission: "intervention.write" | "intervention.manage",
    run: (
      c: Context<TenantEnv>,
      loaded: Loaded,
    ) => Promise<{ flash: string } | { errors: FieldError[]; values?: Record<string, string> }>,
  ) =>
    associationPage(
      router,
      "POST",
      `/interventions/:interventionId/reports/:reportId/${path}`,
      permission,
      async (c) => {
        const loaded = await load(c);
        let outcome: Awaited<ReturnType<typeof run>>;
        try {
          outcome = await run(c, loaded);
        } catch (error) {
          outcome = { errors: await formErrorsOf(error) };
        }
        if ("flash" in outcome) {
          return redirectWithFlash(c, `${pathOf(c, loaded.intervention)}/reports/${loaded.report.id}`, outcome.flash);
        }
        return renderReport(c, await load(c), { ...outcome, status: 422 });
      },
    );

  const ids = (c: Context<TenantEnv>, loaded: Loaded) => ({
    tenant: c.get("tenant"),
    interventionId: loaded.intervention.id,
    reportId: loaded.report.id,
  });

  action("submit", "intervention.write", async (c, loaded) => {
    await submitReport(ids(c, loaded));
    return { flash: "Rapporten är inlämnad till förbundet." };
  });

  action("arrival", "intervention.manage", async (c, loaded) => {
    const form = await readForm(c.req, arrivalBody);
    if (!form.ok) return { errors: form.errors, values: form.values };
    await registerReportArrival({ ...ids(c, loaded), ...form.data });
    return { flash: "Ankomsten är registrerad." };
  });

  action("approve", "intervention.manage", async (c, loaded) => {
    await approveReport(ids(c, loaded));
    return { flash: "Rapporten är godkänd." };
  });

  action("return", "intervention.manage", async (c, loaded) => {
    const form = await readForm(c.req, z.object({ comment: optionalText(4000) }));
    await returnReport({ ...ids(c, loaded), comment: form.ok ? form.data.comment : undefined });
    return { flash: "Rapporten är återsänd till insatsägaren." };
  });
}
