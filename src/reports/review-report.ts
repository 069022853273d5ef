import { audit } from "../audit/record.js";
import { changeStatus } from "../interventions/change-status.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, invalidInput } from "../platform/http/errors.js";
import { loadReport } from "./report-access.js";
import { moveReport, registerArrival } from "./repository.js";

type ReviewOptions = { tenant: Tenant; interventionId: string; reportId: string };

/** The förbund's note of arrival: ankomstdatum and diarienummer, as the office fields of a form print them. */
export async function registerReportArrival(
  options: ReviewOptions & { arrivalDate: string; registryNumber?: string | undefined },
) {
  const { tenant, interventionId, reportId } = options;
  await loadReport(tenant, interventionId, reportId);
  await registerArrival(tenant.tx, tenant.association.id, reportId, options);
  await audit(tenant, "report.arrival", { type: "report", id: reportId }, { arrivalDate: options.arrivalDate });
}

/** Approves a handed-in report; an approved slutrapport completes the insats. */
export async function approveReport({ tenant, interventionId, reportId }: ReviewOptions) {
  const { report } = await loadReport(tenant, interventionId, reportId);
  const moved = await moveReport(tenant.tx, tenant.association.id, reportId, ["submitted"], {
    status: "approved",
    decidedBy: tenant.user.name,
  });
  if (!moved) throw conflict("Bara en inlämnad rapport kan godkännas.");
  if (report.kind === "final") await changeStatus({ tenant, interventionId, to: "final_report_approved" });
  await audit(tenant, "report.approve", { type: "report", id: reportId }, { interventionId });
  return moved;
}

/** Returns a handed-in report to the insatsägare with what needs to change; its answers stay as they were. */
export async function returnReport({
  tenant,
  interventionId,
  reportId,
  comment,
}: ReviewOptions & { comment?: string | undefined }) {
  if (!comment) {
    throw invalidInput([{ path: "comment", message: "Skriv vad som behöver ändras: det visas för insatsägaren." }]);
  }
  const { report } = await loadReport(tenant, interventionId, reportId);
  const moved = await moveReport(tenant.tx, tenant.association.id, reportId, ["submitted"], {
    status: "returned",
    decidedBy: tenant.user.name,
    decisionComment: comment,
  });
  if (!moved) throw conflict("Bara en inlämnad rapport kan återsändas.");
  if (report.kind === "final") await changeStatus({ tenant, interventionId, to: "ended", comment });
  await audit(tenant, "report.return", { type: "report", id: reportId }, { interventionId });
  return moved;
}
