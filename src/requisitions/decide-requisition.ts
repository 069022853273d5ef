import { audit } from "../audit/record.js";
import { loadIntervention } from "../interventions/access.js";
import { listGrants } from "../interventions/repository.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, invalidInput, notFound } from "../platform/http/errors.js";
import { formatKronor } from "../platform/ui/format.js";
import { approvedPerYear, decideRequisition as decide, findRequisition, listRequisitionLines } from "./repository.js";
import type { RequisitionDecisionInput } from "./requisition-input.js";

export type DecideRequisitionOptions = {
  tenant: Tenant;
  interventionId: string;
  requisitionId: string;
  decision: RequisitionDecisionInput;
};

/** What is left of the grant before this requisition, and by how much the requisition would exceed it. */
export async function overGrant(tenant: Tenant, interventionId: string, requisitionId: string) {
  const associationId = tenant.association.id;
  const granted = (await listGrants(tenant.tx, associationId, interventionId)).reduce(
    (sum, grant) => sum + grant.amount_ore,
    0n,
  );
  const used = (await approvedPerYear(tenant.tx, associationId, interventionId)).reduce(
    (sum, year) => sum + year.amount_ore,
    0n,
  );
  const claimed = (await listRequisitionLines(tenant.tx, associationId, requisitionId)).reduce(
    (sum, line) => sum + line.amount_ore,
    0n,
  );
  const excess = used + claimed - granted;
  return { remainingOre: granted - used, excessOre: excess > 0n ? excess : 0n };
}

/** The förbund approves a requisition (beyond the grant only with a stated reason) or returns it with a comment. */
export async function decideRequisition({ tenant, interventionId, requisitionId, decision }: DecideRequisitionOptions) {
  await loadIntervention(tenant, interventionId);
  const requisition = await findRequisition(tenant.tx, tenant.association.id, interventionId, requisitionId);
  if (!requisition) throw notFound();
  if (requisition.status !== "submitted") throw conflict("Rekvisitionen är redan behandlad.");
  if (decision.decision === "return" && !decision.comment) {
    throw invalidInput([
      { path: "comment", message: "Skriv varför rekvisitionen återsänds: det visas för insatsägaren." },
    ]);
  }
  let overGrantReason: string | undefined;
  if (decision.decision === "approve") {
    const { excessOre } = await overGrant(tenant, interventionId, requisitionId);
    if (excessOre > 0n) {
      if (!decision.overGrantReason) {
        throw invalidInput([
          {
            path: "overGrantReason",
            message: `Rekvisitionen överstiger beviljade medel med ${formatKronor(excessOre)}. Ange skälet för att godkänna ändå.`,
          },
        ]);
      }
      overGrantReason = decision.overGrantReason;
    }
  }
  const decided = await decide(tenant.tx, tenant.association.id, requisitionId, {
    status: decision.decision === "approve" ? "approved" : "returned",
    comment: decision.comment,
    overGrantReason,
    user: tenant.user,
  });
  if (!decided) throw conflict("Någon annan har just behandlat rekvisitionen. Ladda om sidan.");
  await audit(
    tenant,
    decision.decision === "approve" ? "requisition.approve" : "requisition.return",
    { type: "requisition", id: requisitionId },
    { interventionId, overGrant: overGrantReason !== undefined },
  );
  return decided;
}
