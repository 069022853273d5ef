import { z } from "zod";
import { loadIntervention } from "../interventions/access.js";
import { calendarDate } from "../interventions/intervention-input.js";
import type { Tenant } from "../platform/http/env.js";
import { notFound } from "../platform/http/errors.js";
import type { Routes } from "../platform/http/routes.js";
import { type DownloadFormat, downloadTypes, reportDocument, reportFile } from "./export-report.js";
import { importReports, reportImportFile } from "./import-reports.js";
import { loadFacts } from "./prefill.js";
import { loadReport } from "./report-access.js";
import { listReports } from "./repository.js";
import { approveReport, registerReportArrival, returnReport } from "./review-report.js";
import { saveReport } from "./save-report.js";
import { startReport } from "./start-report.js";
import { submitReport } from "./submit-report.js";
import { copyTemplate, reportKinds, saveTemplate, setDefaultTemplate, templateChoices } from "./templates.js";

const reportStatus = z.enum(["draft", "submitted", "returned", "approved"]);
const reportSchema = z.object({
  id: z.uuid(),
  version: z.number().int().meta({ description: "Send it back with a change; a stale version gives 409" }),
  kind: z.enum(reportKinds),
  templateKey: z.string(),
  status: reportStatus,
  answers: z.record(z.string(), z.unknown()).meta({
    description: "Per section key: { value, notApplicable, rawText, parseNotes }; money as öre in a digit string",
  }),
  submittedAt: z.string().nullable(),
  arrivalDate: z.string().nullable(),
  registryNumber: z.string().nullable(),
  decisionComment: z.string().nullable(),
  importedFrom: z.string().nullable(),
});

const interventionParams = z.object({ interventionId: z.uuid() });
const reportParams = z.object({ interventionId: z.uuid(), reportId: z.uuid() });

async function present(tenant: Tenant, interventionId: string, reportId: string) {
  const { report } = await loadReport(tenant, interventionId, reportId);
  return {
    id: report.id,
    version: report.version,
    kind: report.kind,
    templateKey: report.template_key,
    status: report.status,
    answers: report.answers,
    submittedAt: report.submitted_at,
    arrivalDate: report.arrival_date,
    registryNumber: report.registry_number,
    decisionComment: report.decision_comment,
    importedFrom: report.imported_from,
  };
}

async function exported(tenant: Tenant, params: z.output<typeof reportParams>, format: DownloadFormat) {
  const loaded = await loadReport(tenant, params.interventionId, params.reportId);
  const document = reportDocument({
    association: tenant.association,
    report: loaded.report,
    template: loaded.template,
    facts: await loadFacts(tenant.tx, tenant.association.id, loaded.intervention),
  });
  const bytes = await reportFile(document, format);
  if (!bytes) throw notFound();
  const kind = loaded.report.kind === "final" ? "slutrapport" : "delrapport";
  return { bytes, fileName: `${kind}-${loaded.report.id}.${format}` };
}

export function registerReportApi({ association: router, api }: Routes) {
  const tag = "reports";
  const file = z.object({ bytes: z.instanceof(Uint8Array), fileName: z.string() });

  // Downloads first: `{reportId}.pdf` must reach its own route before the JSON route for `{reportId}`.
  const summaries: Record<DownloadFormat, string> = {
    pdf: "The report as a tagged PDF/UA document",
    docx: "The report as an editable Word document",
    xlsx: "The report's tables (goals, costs, participants) as a spreadsheet with typed numbers; 404 if it has none",
  };
  for (const format of ["pdf", "docx", "xlsx"] as const) {
    api.add(router, {
      method: "get",
      path: `/interventions/{interventionId}/reports/{reportId}.${format}`,
      operationId: `downloadReport${format[0]?.toUpperCase()}${format.slice(1)}`,
      summary: summaries[format],
      tag,
      permission: "intervention.read",
      params: reportParams,
      response: file,
      file: { contentType: downloadTypes[format] },
      handler: ({ tenant, params }) => exported(tenant, params, format),
    });
  }

  api.add(router, {
    method: "get",
    path: "/report-templates",
    operationId: "listReportTemplates",
    summary: "The templates reports can be written on: the built-in seed forms and the association's own",
    tag,
    permission: "intervention.read",
    response: z.object({
      items: z.array(
        z.object({
          key: z.string(),
          title: z.string(),
          association: z.string(),
          kind: z.string(),
          builtin: z.boolean(),
          reportCount: z.number().int(),
          definition: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
    handler: async ({ tenant }) => ({
      items: (await templateChoices(tenant)).map((choice) => ({
        key: choice.template.key,
        title: choice.template.title,
        association: choice.template.association,
        kind: choice.template.kind,
        builtin: choice.builtin,
        reportCount: choice.reportCount,
        definition: choice.template as unknown as Record<string, unknown>,
      })),
    }),
  });

  const templateKeyQuery = z.object({ key: z.string().min(1).max(200) });
  const templateSchema = z.object({ key: z.string(), definition: z.record(z.string(), z.unknown()) });
  const presentTemplate = (definition: object) => ({
    key: (definition as { key: string }).key,
    definition: definition as Record<string, unknown>,
  });

  api.add(router, {
    method: "post",
    path: "/report-templates",
    operationId: "copyReportTemplate",
    summary: "Copy a template under a new key, to change its labels, order or sections",
    tag,
    permission: "report_template.manage",
    body: z.object({
      fromKey: z.string().min(1).max(200),
      key: z.string().min(1).max(200),
      title: z.string().min(1).max(200),
    }),
    response: templateSchema,
    status: 201,
    handler: async ({ tenant, body }) => presentTemplate(await copyTemplate({ tenant, ...body })),
  });

  api.add(router, {
    method: "put",
    path: "/report-templates/definition",
    operationId: "saveReportTemplate",
    summary:
      "Replace an own template's definition (keys contain slashes, so the key is a query parameter); refused once a report uses it",
    tag,
    permission: "report_template.manage",
    query: templateKeyQuery,
    body: z.object({ definition: z.record(z.string(), z.unknown()) }),
    response: templateSchema,
    handler: async ({ tenant, query, body }) =>
      presentTemplate(await saveTemplate({ tenant, key: query.key, definition: body.definition })),
  });

  api.add(router, {
    method: "put",
    path: "/report-templates/defaults",
    operationId: "setDefaultReportTemplate",
    summary: "Choose the template new reports of a kind (interim, final) start on",
    tag,
    permission: "report_template.manage",
    body: z.object({ kind: z.enum(reportKinds), key: z.string().min(1).max(200) }),
    response: z.object({ kind: z.enum(reportKinds), key: z.string() }),
    handler: async ({ tenant, body }) => {
      await setDefaultTemplate({ tenant, ...body });
      return body;
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/reports",
    operationId: "listReports",
    summary: "The insats's delrapporter and slutrapport",
    tag,
    permission: "intervention.read",
    params: interventionParams,
    response: z.object({ items: z.array(reportSchema) }),
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      const rows = await listReports(tenant.tx, tenant.association.id, params.interventionId);
      return { items: await Promise.all(rows.map((row) => present(tenant, params.interventionId, row.id))) };
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/reports",
    operationId: "startReport",
    summary: "Start a report on a template (default: the association's), prefilled from the insats",
    tag,
    permission: "intervention.write",
    params: interventionParams,
    body: z.object({ kind: z.enum(reportKinds), templateKey: z.string().max(200).optional() }),
    response: reportSchema,
    status: 201,
    handler: async ({ tenant, params, body }) => {
      const report = await startReport({ tenant, interventionId: params.interventionId, ...body });
      return present(tenant, params.interventionId, report.id);
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/reports/{reportId}",
    operationId: "getReport",
    summary: "One report with its answers",
    tag,
    permission: "intervention.read",
    params: reportParams,
    response: reportSchema,
    handler: ({ tenant, params }) => present(tenant, params.interventionId, params.reportId),
  });

  api.add(router, {
    method: "put",
    path: "/interventions/{interventionId}/reports/{reportId}",
    operationId: "saveReport",
    summary: "Save a draft's answers; needs the version it was read at",
    tag,
    permission: "intervention.write",
    params: reportParams,
    body: z.object({ version: z.number().int().min(1), answers: z.record(z.string(), z.unknown()) }),
    response: reportSchema,
    handler: async ({ tenant, params, body }) => {
      await saveReport({ tenant, ...params, ...body });
      return present(tenant, params.interventionId, params.reportId);
    },
  });

  const step = (
    name: "submit" | "approve" | "return" | "arrival",
    summary: string,
    permission: "intervention.write" | "intervention.manage",
    body: z.ZodObject,
    run: (tenant: Tenant, params: z.output<typeof reportParams>, body: Record<string, unknown>) => Promise<unknown>,
  ) =>
    api.add(router, {
      method: "post",
      path: `/interventions/{interventionId}/reports/{reportId}/${name}`,
      operationId: `${name}Report`,
      summary,
      tag,
      permission,
      params: reportParams,
      body,
      response: reportSchema,
      handler: async ({ tenant, params, body: input }) => {
        await run(tenant, params, input as Record<string, unknown>);
        return present(tenant, params.interventionId, params.reportId);
      },
    });

  step(
    "submit",
    "Hand the report in; every required section answered or ej aktuellt",
    "intervention.write",
    z.object({}),
    (tenant, params) => submitReport({ tenant, ...params }),
  );
  step("approve", "Approve a handed-in report", "intervention.manage", z.object({}), (tenant, params) =>
    approveReport({ tenant, ...params }),
  );
  step(
    "return",
    "Return a handed-in report to the insatsägare with what to change",
    "intervention.manage",
    z.object({ comment: z.string().trim().min(1).max(4000) }),
    (tenant, params, body) => returnReport({ tenant, ...params, comment: body.comment as string }),
  );
  step(
    "arrival",
    "Register the report's arrival: ankomstdatum and diarienummer",
    "intervention.manage",
    z.object({
      arrivalDate: calendarDate("Ange ankomstdatum som ÅÅÅÅ-MM-DD."),
      registryNumber: z.string().max(50).optional(),
    }),
    (tenant, params, body) =>
      registerReportArrival({
        tenant,
        ...params,
        arrivalDate: body.arrivalDate as string,
        registryNumber: body.registryNumber as string | undefined,
      }),
  );

  api.add(router, {
    method: "post",
    path: "/report-imports",
    operationId: "importReports",
    summary: "Import reports with their insatser (format samordna.reports.v1, docs/report-import.md); all or nothing",
    tag,
    permission: "intervention.manage",
    body: reportImportFile,
    response: z.object({
      items: z.array(z.object({ sourceId: z.string(), reportId: z.uuid(), interventionId: z.uuid() })),
    }),
    status: 201,
    handler: async ({ tenant, body }) => ({ items: await importReports({ tenant, file: body }) }),
  });
}
