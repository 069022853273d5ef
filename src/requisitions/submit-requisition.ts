import { audit } from "../audit/record.js";
import { loadIntervention } from "../interventions/access.js";
import type { InterventionStatus } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, conflict, invalidInput, notFound } from "../platform/http/errors.js";
import { findRequisition, insertRequisition, resubmitRequisition } from "./repository.js";
import type { RequisitionInput } from "./requisition-input.js";

/** Money is claimed from the grant until the insats is over and its final report is under way. */
export const acceptsRequisitions = (status: InterventionStatus) =>
  status === "granted" || status === "ongoing" || status === "ended";

export const REQUISITION_CONFLICT =
  "Rekvisitionen har ändrats av någon annan sedan du öppnade den. Dina uppgifter finns kvar i formuläret: jämför och skicka igen.";

export type SubmitRequisitionOptions = {
  tenant: Tenant;
  interventionId: string;
  input: RequisitionInput;
  /** A returned requisition sent again, with the version the writer saw. */
  resubmit?: { requisitionId: string; version: number } | undefined;
};

/** The insatsägare claims its costs for a period; the förbund then approves or returns the claim. */
export async function submitRequisition({ tenant, interventionId, input, resubmit }: SubmitRequisitionOptions) {
  const associationId = tenant.association.id;
  const intervention = await loadIntervention(tenant, interventionId);
  if (!acceptsRequisitions(intervention.status)) {
    throw new AppError(
      409,
      "Rekvisition kan inte lämnas",
      "Rekvisitioner lämnas för beviljade insatser, från beviljandet till dess slutrapporten lämnas in.",
    );
  }
  const errors = [];
  if (input.periodStart < intervention.start_date || input.periodEnd > intervention.end_date) {
    errors.push({
      path: "periodStart",
      message: `Perioden ska ligga inom insatstiden ${intervention.start_date} – ${intervention.end_date}.`,
    });
  }
  if (!input.lines.some((line) => line.amountOre > 0n)) {
    errors.push({ path: "lines", message: "Ange kostnader för minst ett kostnadsslag." });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const lines = { ...input, lines: input.lines.filter((line) => line.amountOre > 0n) };
  let requisition: Awaited<ReturnType<typeof insertRequisition>> | undefined;
  if (resubmit) {
    if (!(await findRequisition(tenant.tx, associationId, interventionId, resubmit.requisitionId))) throw notFound();
    requisition = await resubmitRequisition(
      tenant.tx,
      associationId,
      resubmit.requisitionId,
      resubmit.version,
      lines,
      tenant.user,
    );
    if (!requisition) throw conflict(REQUISITION_CONFLICT);
  } else {
    requisition = await insertRequisition(tenant.tx, associationId, interventionId, lines, tenant.user);
  }
  await audit(
    tenant,
    resubmit ? "requisition.resubmit" : "requisition.submit",
    { type: "requisition", id: requisition.id },
    { interventionId, periodStart: input.periodStart, periodEnd: input.periodEnd },
  );
  return requisition;
}
