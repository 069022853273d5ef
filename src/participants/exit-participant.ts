import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, type FieldError, invalidInput } from "../platform/http/errors.js";
import { loadEnrolment } from "./access.js";
import { codeLists } from "./codes.js";
import type { ExitInput } from "./participant-input.js";
import { recordExit } from "./repository.js";

export const ENROLMENT_CONFLICT =
  "Deltagarens uppgifter har ändrats av någon annan sedan du öppnade sidan. Dina uppgifter finns kvar i formuläret: jämför och spara igen.";

export type ExitParticipantOptions = {
  tenant: Tenant;
  interventionId: string;
  enrolmentId: string;
  /** The version the writer saw (optimistic locking). */
  version: number;
  input: ExitInput;
};

/** Utskrivning: exit date, reason and income source at exit. A recorded exit can be corrected the same way. */
export async function exitParticipant({ tenant, interventionId, enrolmentId, version, input }: ExitParticipantOptions) {
  const { enrolment } = await loadEnrolment(tenant, interventionId, enrolmentId);
  const codes = await codeLists(tenant.tx, tenant.association.id);
  const errors: FieldError[] = [];
  if (input.exitedOn < enrolment.enrolled_on) {
    errors.push({ path: "exitedOn", message: `Avslutet kan inte vara före inskrivningen (${enrolment.enrolled_on}).` });
  }
  if (!codes.exit_reason.some((code) => code.code === input.exitReason)) {
    errors.push({ path: "exitReason", message: "Okänd avslutsorsak: välj ur listan." });
  }
  if (!codes.income_source.some((code) => code.code === input.incomeSourceAtExit)) {
    errors.push({ path: "incomeSourceAtExit", message: "Okänd försörjning: välj ur listan." });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const updated = await recordExit(tenant.tx, tenant.association.id, enrolment.id, version, input);
  if (!updated) throw conflict(ENROLMENT_CONFLICT);
  await audit(
    tenant,
    "participant.exit",
    { type: "enrolment", id: enrolment.id },
    { interventionId, exitedOn: input.exitedOn, exitReason: input.exitReason },
  );
  return updated;
}
