import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError } from "../platform/http/errors.js";
import { loadIntervention } from "./access.js";
import type { DecisionInput } from "./application-input.js";
import { changeStatus } from "./change-status.js";
import type { GrantInput } from "./intervention-input.js";
import { updateDecision } from "./repository.js";
import { setGrants } from "./set-grants.js";

export type RecordDecisionOptions = {
  tenant: Tenant;
  interventionId: string;
  decision: DecisionInput;
  /** The granted money per year; ignored for a rejection. */
  grants: GrantInput[];
};

/**
 * Records the board's decision on an application in one step: paragraph, date, period and conditions, and either the
 * money granted per year (beviljad) or the motivation of the rejection (avslagen). All or nothing.
 */
export async function recordDecision({ tenant, interventionId, decision, grants }: RecordDecisionOptions) {
  const intervention = await loadIntervention(tenant, interventionId);
  if (intervention.status !== "in_preparation") {
    throw new AppError(
      409,
      "Beslutet kan inte registreras",
      "Bara en ansökan under beredning kan beviljas eller avslås.",
    );
  }
  await updateDecision(tenant.tx, tenant.association.id, interventionId, decision);
  await audit(
    tenant,
    "intervention.decision",
    { type: "intervention", id: interventionId },
    { outcome: decision.outcome, decisionSection: decision.decisionSection, decisionDate: decision.decisionDate },
  );
  if (decision.outcome === "granted") {
    await setGrants({ tenant, interventionId, grants });
    return changeStatus({ tenant, interventionId, to: "granted" });
  }
  return changeStatus({ tenant, interventionId, to: "rejected", comment: decision.motivation });
}
