import { audit } from "../audit/record.js";
import { loadIntervention } from "../interventions/access.js";
import type { Tenant } from "../platform/http/env.js";
import { insertRepayment } from "./repository.js";
import type { RepaymentInput } from "./requisition-input.js";

export type RecordRepaymentOptions = { tenant: Tenant; interventionId: string; input: RepaymentInput };

/** Records återföring of unused money: amount, date and the decision it rests on. */
export async function recordRepayment({ tenant, interventionId, input }: RecordRepaymentOptions) {
  await loadIntervention(tenant, interventionId);
  const repayment = await insertRepayment(tenant.tx, tenant.association.id, interventionId, input, tenant.user);
  await audit(
    tenant,
    "repayment.record",
    { type: "repayment", id: repayment.id },
    { interventionId, amountOre: input.amountOre.toString(), repaidOn: input.repaidOn },
  );
  return repayment;
}
