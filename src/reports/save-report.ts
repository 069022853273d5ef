import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, conflict } from "../platform/http/errors.js";
import { loadReport, throwAnswerErrors } from "./report-access.js";
import { updateAnswers } from "./repository.js";
import { validateAnswers } from "./validate-answers.js";

export const REPORT_CONFLICT =
  "Någon annan har sparat rapporten sedan du öppnade den. Dina svar är inte sparade men finns kvar i formuläret: " +
  "jämför med den senaste versionen och spara igen.";

export type SaveReportOptions = {
  tenant: Tenant;
  interventionId: string;
  reportId: string;
  /** The version the writer started from; a save by someone else since then is a conflict, never overwritten. */
  version: number;
  answers: unknown;
};

/** Saves a draft: whatever is well-formed, so that the writer can come back to it; nothing is demanded yet. */
export async function saveReport({ tenant, interventionId, reportId, version, answers }: SaveReportOptions) {
  const { report, template } = await loadReport(tenant, interventionId, reportId);
  if (report.status !== "draft" && report.status !== "returned") {
    throw new AppError(409, "Rapporten är inlämnad", "En inlämnad rapport ändras inte. Förbundet kan återsända den.");
  }
  throwAnswerErrors(validateAnswers(template, answers, { mode: "draft" }));
  const saved = await updateAnswers(tenant.tx, tenant.association.id, reportId, version, answers);
  if (!saved) throw conflict(REPORT_CONFLICT);
  await audit(tenant, "report.save", { type: "report", id: reportId }, { interventionId });
  return saved;
}
