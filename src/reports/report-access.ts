import { loadIntervention } from "../interventions/access.js";
import type { Tenant } from "../platform/http/env.js";
import { type FieldError, invalidInput, notFound } from "../platform/http/errors.js";
import { findReport } from "./repository.js";
import { type TemplateVersion, templateVersion } from "./template-model.js";
import type { AnswerErrors } from "./validate-answers.js";

/** The report with its insats, if the caller may see the insats; otherwise the same 404 as for no report at all. */
export async function loadReport(tenant: Tenant, interventionId: string, reportId: string) {
  const intervention = await loadIntervention(tenant, interventionId);
  const report = await findReport(tenant.tx, tenant.association.id, interventionId, reportId);
  if (!report) throw notFound();
  // The template was validated when the report was started; parsing restores its defaults and types.
  const template: TemplateVersion = templateVersion.parse(report.template);
  return { intervention, report, template };
}

/** Answer errors per section as field errors: "goals.rows.0.goal", so the form and the API can point at them. */
export function throwAnswerErrors(errors: AnswerErrors) {
  const fieldErrors: FieldError[] = Object.entries(errors).flatMap(([key, list]) =>
    list.map((error) => ({ path: [key, error.path].filter(Boolean).join("."), message: error.message })),
  );
  if (fieldErrors.length > 0) throw invalidInput(fieldErrors);
}
