import { audit } from "../audit/record.js";
import { loadIntervention } from "../interventions/access.js";
import type { InterventionStatus, ReportKind } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError } from "../platform/http/errors.js";
import { loadFacts, prefillAnswers } from "./prefill.js";
import { insertReport, listReports } from "./repository.js";
import { defaultTemplateKey, resolveTemplate } from "./templates.js";

const reportableStatuses: Record<ReportKind, readonly InterventionStatus[]> = {
  interim: ["granted", "ongoing"],
  final: ["ongoing", "ended"],
};

export type StartReportOptions = {
  tenant: Tenant;
  interventionId: string;
  kind: ReportKind;
  /** Another template than the association's default for the kind. */
  templateKey?: string | undefined;
};

/** Starts a delrapport or the slutrapport on a template, prefilled with the insats's goals, parties and money. */
export async function startReport({ tenant, interventionId, kind, templateKey }: StartReportOptions) {
  const intervention = await loadIntervention(tenant, interventionId);
  if (!reportableStatuses[kind].includes(intervention.status)) {
    throw new AppError(
      409,
      "Rapporten kan inte påbörjas",
      kind === "final"
        ? "En slutrapport skrivs för en pågående eller avslutad insats."
        : "En delrapport skrivs för en beviljad eller pågående insats.",
    );
  }
  const existing = await listReports(tenant.tx, tenant.association.id, interventionId);
  if (kind === "final" && existing.some((report) => report.kind === "final")) {
    throw new AppError(409, "Slutrapporten finns redan", "Insatsen har redan en slutrapport: fortsätt på den.");
  }
  const key = templateKey ?? (await defaultTemplateKey(tenant, kind));
  const template = await resolveTemplate(tenant, key);
  const facts = await loadFacts(tenant.tx, tenant.association.id, intervention);
  const report = await insertReport(tenant.tx, tenant.association.id, {
    interventionId,
    kind,
    templateKey: key,
    template,
    answers: prefillAnswers(template, facts),
  });
  await audit(tenant, "report.start", { type: "report", id: report.id }, { interventionId, kind, templateKey: key });
  return report;
}
