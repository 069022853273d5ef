import { audit } from "../audit/record.js";
import { loadIntervention } from "../interventions/access.js";
import type { Tenant } from "../platform/http/env.js";
import type { GuidanceCaseInput } from "./participant-input.js";
import { insertGuidanceCaseCount } from "./repository.js";

export type RecordGuidanceCasesOptions = { tenant: Tenant; interventionId: string; input: GuidanceCaseInput };

/** Lotsärenden: anonymous case counts by gender for a period, kept apart from the participants. */
export async function recordGuidanceCases({ tenant, interventionId, input }: RecordGuidanceCasesOptions) {
  const intervention = await loadIntervention(tenant, interventionId);
  const row = await insertGuidanceCaseCount(tenant.tx, tenant.association.id, intervention.id, input, tenant.user.id);
  await audit(
    tenant,
    "participant.guidance_cases",
    { type: "guidance_case_count", id: row.id },
    {
      interventionId,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      total: input.women + input.men + input.genderUnknown,
    },
  );
  return row;
}
