import { z } from "zod";
import { audit } from "../audit/record.js";
import { interventionKinds, partnerRoles } from "../interventions/intervention-input.js";
import {
  insertIntervention,
  insertStatusChange,
  listInterventions,
  replaceGrants,
  updateStatus,
  upsertPartner,
} from "../interventions/repository.js";
import { findOrganisationByName, insertOrganisation } from "../organisations/repository.js";
import type { Tenant } from "../platform/http/env.js";
import { type FieldError, invalidInput } from "../platform/http/errors.js";
import { toFieldErrors } from "../platform/http/validation.js";
import { amountOre, isoDate } from "./answer-model.js";
import { insertReport, moveReport } from "./repository.js";
import { resolveTemplate } from "./templates.js";
import { validateAnswers } from "./validate-answers.js";

/**
 * The documented import format (docs/report-import.md): reports in the same shapes as the API, each with the insats
 * it belongs to, so that a förbund's legacy reports can be brought in. All or nothing, with an error per field.
 */
const importedReport = z.object({
  /** Where the report came from, e.g. "HT-1" or a file name: kept on the report. */
  sourceId: z.string().trim().min(1).max(100),
  insats: z.object({
    name: z.string().trim().min(1, "Ange insatsens namn.").max(200, "Högst 200 tecken."),
    ownerName: z.string().trim().min(1, "Ange insatsägaren.").max(200, "Högst 200 tecken."),
    kind: z.enum(interventionKinds).default("individual"),
    periodStart: isoDate,
    periodEnd: isoDate,
    grantedOre: amountOre.optional(),
    partners: z
      .array(z.object({ name: z.string().trim().min(1).max(200), role: z.enum(partnerRoles) }))
      .max(30)
      .default([]),
  }),
  report: z.object({
    kind: z.enum(["interim", "final"]),
    templateKey: z.string().min(1).max(200),
    status: z.enum(["submitted", "approved"]).default("approved"),
    answers: z.record(z.string(), z.unknown()),
  }),
});

export const reportImportFile = z.object({
  format: z.literal("samordna.reports.v1", { error: 'Ange format: "samordna.reports.v1".' }),
  reports: z.array(importedReport).min(1, "Filen innehåller inga rapporter.").max(1000),
});
export type ReportImportFile = z.input<typeof reportImportFile>;

export type ImportReportsOptions = { tenant: Tenant; file: unknown };

/**
 * Imports reports with their insatser. An insats is matched by name or created (as avslutad, or slutrapport
 * godkänd for an approved slutrapport), its organisations by name or created. Any error anywhere writes nothing.
 */
export async function importReports({ tenant, file }: ImportReportsOptions) {
  const parsed = reportImportFile.safeParse(file);
  if (!parsed.success) throw invalidInput(toFieldErrors(parsed.error));
  const associationId = tenant.association.id;
  const errors: FieldError[] = [];
  const templates = await Promise.all(
    parsed.data.reports.map(async (entry, index) => {
      const template = await resolveTemplate(tenant, entry.report.templateKey).catch(() => undefined);
      if (!template) {
        errors.push({ path: `reports.${index}.report.templateKey`, message: "Mallen finns inte." });
        return undefined;
      }
      for (const [key, list] of Object.entries(validateAnswers(template, entry.report.answers, { mode: "draft" }))) {
        for (const error of list) {
          errors.push({
            path: [`reports.${index}.report.answers`, key, error.path].filter(Boolean).join("."),
            message: error.message,
          });
        }
      }
      if (entry.insats.periodEnd < entry.insats.periodStart) {
        errors.push({ path: `reports.${index}.insats.periodEnd`, message: "Slutdatum kan inte vara före startdatum." });
      }
      return template;
    }),
  );
  if (errors.length > 0) throw invalidInput(errors);

  const organisationId = async (name: string) =>
    (await findOrganisationByName(tenant.tx, associationId, name))?.id ??
    (await insertOrganisation(tenant.tx, associationId, { name })).id;
  const existing = await listInterventions(tenant.tx, associationId, {});
  const imported: { sourceId: string; reportId: string; interventionId: string }[] = [];
  for (const [index, entry] of parsed.data.reports.entries()) {
    const template = templates[index];
    if (!template) continue;
    const { insats, report } = entry;
    let interventionId = existing.find((row) => row.name.toLowerCase() === insats.name.toLowerCase())?.id;
    if (!interventionId) {
      const status = report.kind === "final" && report.status === "approved" ? "final_report_approved" : "ended";
      const created = await insertIntervention(tenant.tx, associationId, {
        name: insats.name,
        ownerOrganisationId: await organisationId(insats.ownerName),
        kind: insats.kind,
        startDate: insats.periodStart,
        endDate: insats.periodEnd,
      });
      interventionId = created.id;
      await updateStatus(tenant.tx, associationId, created.id, "draft", status);
      await insertStatusChange(tenant.tx, associationId, {
        interventionId,
        from: null,
        to: status,
        user: tenant.user,
        comment: `Importerad från ${entry.sourceId}`,
      });
      if (insats.grantedOre) {
        // A legacy report states one granted total: it is recorded on the insats's first year.
        const year = Number(insats.periodStart.slice(0, 4));
        await replaceGrants(tenant.tx, associationId, interventionId, [{ year, amountOre: BigInt(insats.grantedOre) }]);
      }
      for (const partner of insats.partners) {
        const partnerId = await organisationId(partner.name);
        if (partnerId === created.owner_organisation_id) continue;
        await upsertPartner(tenant.tx, associationId, interventionId, {
          organisationId: partnerId,
          role: partner.role,
        });
      }
      existing.push({ ...created, owner_name: insats.ownerName, granted_ore: 0n });
    }
    const row = await insertReport(tenant.tx, associationId, {
      interventionId,
      kind: report.kind,
      templateKey: template.key,
      template,
      answers: report.answers,
      importedFrom: entry.sourceId,
    });
    await moveReport(tenant.tx, associationId, row.id, ["draft"], { status: report.status });
    imported.push({ sourceId: entry.sourceId, reportId: row.id, interventionId });
  }
  await audit(
    tenant,
    "report.import",
    { type: "report_import", id: imported[0]?.sourceId ?? "" },
    { reports: imported.map((entry) => entry.sourceId) },
  );
  return imported;
}
