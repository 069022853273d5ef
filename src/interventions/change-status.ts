import { audit } from "../audit/record.js";
import type { InterventionStatus } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, conflict, forbidden, invalidInput } from "../platform/http/errors.js";
import { isStaff, loadIntervention } from "./access.js";
import { findTransition, interventionStatuses, statusNames } from "./lifecycle.js";
import { insertStatusChange, listGrants, updateStatus } from "./repository.js";

export type ChangeStatusOptions = {
  tenant: Tenant;
  interventionId: string;
  to: string;
  comment?: string | undefined;
};

/** Moves an insats one step in its lifecycle, if that step is legal, allowed to the caller and complete. */
export async function changeStatus({ tenant, interventionId, to, comment }: ChangeStatusOptions) {
  const associationId = tenant.association.id;
  const intervention = await loadIntervention(tenant, interventionId);
  const target = interventionStatuses.find((status) => status === to) as InterventionStatus | undefined;
  if (!target) throw invalidInput([{ path: "to", message: "Okänd status." }]);
  const transition = findTransition(intervention.status, target);
  if (!transition) {
    throw new AppError(
      409,
      "Statusen kan inte ändras så",
      `En insats som är ${statusNames[intervention.status].toLowerCase()} kan inte bli ${statusNames[target].toLowerCase()}.`,
    );
  }
  if (transition.by === "staff" && !isStaff(tenant)) throw forbidden();
  if (transition.needs === "comment" && !comment) {
    throw invalidInput([{ path: "comment", message: "Skriv en motivering: den visas för insatsägaren." }]);
  }
  if (transition.needs === "decision") await assertDecisionRecorded(tenant, intervention);
  const updated = await updateStatus(tenant.tx, associationId, interventionId, intervention.status, target);
  if (!updated) throw conflict("Någon annan har just ändrat insatsens status. Ladda om sidan och försök igen.");
  await insertStatusChange(tenant.tx, associationId, {
    interventionId,
    from: intervention.status,
    to: target,
    user: tenant.user,
    comment,
  });
  await audit(
    tenant,
    "intervention.status_change",
    { type: "intervention", id: interventionId },
    { from: intervention.status, to: target },
  );
  return updated;
}

/** Beviljad needs the decision on record: its date and paragraph, and money granted for some year. */
async function assertDecisionRecorded(
  tenant: Tenant,
  intervention: { id: string; decision_date: string | null; decision_section: string | null },
) {
  const grants = await listGrants(tenant.tx, tenant.association.id, intervention.id);
  const errors = [];
  if (!intervention.decision_date || !intervention.decision_section) {
    errors.push({
      path: "decisionDate",
      message: "Ange beslutets paragraf och datum under Ändra innan insatsen beviljas.",
    });
  }
  if (!grants.some((grant) => grant.amount_ore > 0n)) {
    errors.push({ path: "grants", message: "Ange beviljade medel innan insatsen beviljas." });
  }
  if (errors.length > 0) throw invalidInput(errors);
}
