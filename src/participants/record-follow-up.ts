import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { type FieldError, invalidInput } from "../platform/http/errors.js";
import { loadEnrolment } from "./access.js";
import { codeLists } from "./codes.js";
import type { FollowUpInput } from "./participant-input.js";
import { upsertFollowUp } from "./repository.js";

export type RecordFollowUpOptions = {
  tenant: Tenant;
  interventionId: string;
  enrolmentId: string;
  input: FollowUpInput;
};

/** Uppföljning 90 days or 12 months after exit: what the person does then. Recording it again corrects it. */
export async function recordFollowUp({ tenant, interventionId, enrolmentId, input }: RecordFollowUpOptions) {
  const { enrolment } = await loadEnrolment(tenant, interventionId, enrolmentId);
  const codes = await codeLists(tenant.tx, tenant.association.id);
  const errors: FieldError[] = [];
  if (enrolment.exited_on === null) {
    errors.push({ path: "kind", message: "Uppföljning görs efter avslut: registrera avslutet först." });
  } else if (input.followedUpOn < enrolment.exited_on) {
    errors.push({
      path: "followedUpOn",
      message: `Uppföljningen kan inte vara före avslutet (${enrolment.exited_on}).`,
    });
  }
  if (!codes.exit_reason.some((code) => code.code === input.outcome)) {
    errors.push({ path: "outcome", message: "Okänt utfall: välj ur listan." });
  }
  if (input.incomeSource !== null && !codes.income_source.some((code) => code.code === input.incomeSource)) {
    errors.push({ path: "incomeSource", message: "Okänd försörjning: välj ur listan." });
  }
  if (errors.length > 0) throw invalidInput(errors);
  await upsertFollowUp(tenant.tx, tenant.association.id, enrolment.id, input);
  await audit(
    tenant,
    "participant.follow_up",
    { type: "enrolment", id: enrolment.id },
    {
      interventionId,
      kind: input.kind,
      outcome: input.outcome,
    },
  );
}
