import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput } from "../platform/http/errors.js";
import { loadEnrolment } from "./access.js";
import { anonymiseParticipants, hasStandingConsent, recordConsentWithdrawal } from "./repository.js";

export type WithdrawConsentOptions = {
  tenant: Tenant;
  interventionId: string;
  enrolmentId: string;
  withdrawnOn: string;
};

/**
 * The participant withdraws the consent. When no other enrolment of the person still rests on a consent, the identity
 * is erased at once; what remains are pseudonymous rows that keep the insats' statistics whole.
 */
export async function withdrawConsent({ tenant, interventionId, enrolmentId, withdrawnOn }: WithdrawConsentOptions) {
  const { enrolment } = await loadEnrolment(tenant, interventionId, enrolmentId);
  if (enrolment.consent_on === null) {
    throw invalidInput([{ path: "withdrawnOn", message: "Inskrivningen har inget registrerat samtycke." }]);
  }
  if (enrolment.consent_withdrawn_on !== null) {
    throw invalidInput([{ path: "withdrawnOn", message: "Samtycket är redan återkallat." }]);
  }
  if (withdrawnOn < enrolment.consent_on) {
    throw invalidInput([
      { path: "withdrawnOn", message: `Återkallelsen kan inte vara före samtycket (${enrolment.consent_on}).` },
    ]);
  }
  const associationId = tenant.association.id;
  await recordConsentWithdrawal(tenant.tx, associationId, enrolment.id, withdrawnOn);
  const anonymised = !(await hasStandingConsent(tenant.tx, associationId, enrolment.participant_id));
  if (anonymised) await anonymiseParticipants(tenant.tx, associationId, [enrolment.participant_id]);
  await audit(
    tenant,
    "participant.consent_withdraw",
    { type: "enrolment", id: enrolment.id },
    {
      interventionId,
      withdrawnOn,
      anonymised,
    },
  );
  return { anonymised };
}
