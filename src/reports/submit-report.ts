import { audit } from "../audit/record.js";
import { changeStatus } from "../interventions/change-status.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, conflict } from "../platform/http/errors.js";
import { loadFacts } from "./prefill.js";
import { loadReport, throwAnswerErrors } from "./report-access.js";
import { moveReport } from "./repository.js";
import { validateAnswers } from "./validate-answers.js";

export type SubmitReportOptions = { tenant: Tenant; interventionId: string; reportId: string };

/**
 * Hands the report in: every required section answered or marked ej aktuellt, the funds branch that the amounts
 * choose, the signers the template asks for. A slutrapport is handed in once the insats has ended.
 */
export async function submitReport({ tenant, interventionId, reportId }: SubmitReportOptions) {
  const { intervention, report, template } = await loadReport(tenant, interventionId, reportId);
  if (report.status !== "draft" && report.status !== "returned") {
    throw conflict("Rapporten är redan inlämnad.");
  }
  if (report.kind === "final" && intervention.status !== "ended") {
    throw new AppError(
      409,
      "Slutrapporten kan inte lämnas in än",
      "En slutrapport lämnas in när insatsen är avslutad. Spara den som utkast så länge.",
    );
  }
  const facts = await loadFacts(tenant.tx, tenant.association.id, intervention);
  throwAnswerErrors(
    validateAnswers(template, report.answers, {
      mode: "submit",
      amounts: { grantedOre: facts.grantedOre, usedOre: facts.usedOre },
    }),
  );
  const moved = await moveReport(tenant.tx, tenant.association.id, reportId, ["draft", "returned"], {
    status: "submitted",
    submittedBy: tenant.user.name,
  });
  if (!moved) throw conflict("Någon annan har just ändrat rapporten. Ladda om sidan.");
  if (report.kind === "final") await changeStatus({ tenant, interventionId, to: "final_report_submitted" });
  await audit(tenant, "report.submit", { type: "report", id: reportId }, { interventionId, kind: report.kind });
  return moved;
}
