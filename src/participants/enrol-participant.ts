import { findMember } from "../associations/repository.js";
import { audit } from "../audit/record.js";
import { loadIntervention } from "../interventions/access.js";
import type { Keyring } from "../platform/crypto/keyring.js";
import type { Intervention } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, type FieldError, invalidInput } from "../platform/http/errors.js";
import { type CodeLists, codeLists } from "./codes.js";
import { participantSettings, recognisePerson } from "./identity.js";
import type { EnrolmentInput } from "./participant-input.js";
import { parsePersonalNumber } from "./personal-number.js";
import { insertEnrolment, overlappingEnrolments } from "./repository.js";

export type EnrolParticipantOptions = {
  tenant: Tenant;
  keyring: Keyring;
  interventionId: string;
  input: EnrolmentInput;
  /** Already loaded by a caller enrolling many (bulk import). */
  context?: EnrolmentContext;
};

/** What every enrolment in one insats is checked against, loaded once per request or import. */
export type EnrolmentContext = { intervention: Intervention; codes: CodeLists };

export async function enrolmentContext(tenant: Tenant, interventionId: string): Promise<EnrolmentContext> {
  const intervention = await loadIntervention(tenant, interventionId);
  if (intervention.kind !== "individual") {
    throw new AppError(
      409,
      "Deltagare kan inte skrivas in",
      "Deltagare följs upp i individinriktade insatser. Strukturinriktade insatser redovisar antal, t.ex. lotsärenden.",
    );
  }
  return { intervention, codes: await codeLists(tenant.tx, tenant.association.id) };
}

const knownCode = (codes: CodeLists[keyof CodeLists], code: string) =>
  codes.some((entry) => entry.code === code && entry.active);

/** Input checks that need the insats and the association's code lists; every problem is reported at once. */
export async function enrolmentErrors(
  tenant: Tenant,
  { intervention, codes }: EnrolmentContext,
  input: EnrolmentInput,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.personalNumber !== null) {
    const parsed = parsePersonalNumber(input.personalNumber);
    if (!parsed.ok) errors.push({ path: "personalNumber", message: parsed.message });
    if (input.consentOn === null) {
      errors.push({
        path: "consentOn",
        message: "Ange när deltagaren samtyckte: personnummer registreras med samtycke.",
      });
    }
  } else {
    if (input.gender === null) errors.push({ path: "gender", message: "Välj kön (eller Annat / uppgift saknas)." });
    if (input.name !== null) {
      errors.push({ path: "name", message: "Namn registreras bara tillsammans med personnummer." });
    }
  }
  if (input.enrolledOn < intervention.start_date || input.enrolledOn > intervention.end_date) {
    errors.push({
      path: "enrolledOn",
      message: `Inskrivningen ska ligga inom insatstiden ${intervention.start_date} – ${intervention.end_date}.`,
    });
  }
  if (input.consentOn !== null && input.consentOn > input.enrolledOn) {
    errors.push({ path: "consentOn", message: "Samtycket ska vara lämnat senast vid inskrivningen." });
  }
  if (!knownCode(codes.income_source, input.incomeSourceAtEnrolment)) {
    errors.push({ path: "incomeSourceAtEnrolment", message: "Okänd försörjning: välj ur listan." });
  }
  if (
    input.referrerMemberId !== null &&
    !(await findMember(tenant.tx, tenant.association.id, input.referrerMemberId))
  ) {
    errors.push({ path: "referrerMemberId", message: "Välj en av förbundets medlemmar." });
  }
  return errors;
}

export const OVERLAP_MESSAGE = "Personen är redan inskriven i insatsen under en del av perioden.";

/**
 * Inskrivning: recognises a person already known in the association by the keyed hash of the personnummer (so the
 * same person in several insatser is one participant), or creates a participant; refuses an enrolment that overlaps
 * another of the same person in the same insats.
 */
export async function enrolParticipant({ tenant, keyring, interventionId, input, context }: EnrolParticipantOptions) {
  const associationId = tenant.association.id;
  context ??= await enrolmentContext(tenant, interventionId);
  const errors = await enrolmentErrors(tenant, context, input);
  if (errors.length > 0) throw invalidInput(errors);
  const settings = await participantSettings(tenant.tx, keyring, associationId, true);
  const parsed = input.personalNumber === null ? undefined : parsePersonalNumber(input.personalNumber);
  const number = parsed?.ok ? parsed.value : undefined;
  const details = {
    gender: input.gender ?? number?.gender ?? "other_unknown",
    birthYear: input.birthYear ?? number?.birthYear ?? null,
  };
  const { participant, known } = await recognisePerson(
    tenant.tx,
    keyring,
    associationId,
    { personalNumber: number?.normalised ?? null, name: input.name, ...details },
    { settings, updateDetails: input.gender !== null || input.birthYear !== null },
  );
  // The request's transaction rolls back whatever was written for the person when this refuses.
  if (known) {
    const overlaps = await overlappingEnrolments(
      tenant.tx,
      associationId,
      participant.id,
      interventionId,
      input.enrolledOn,
      null,
    );
    if (overlaps.length > 0) throw invalidInput([{ path: "enrolledOn", message: OVERLAP_MESSAGE }]);
  }
  const enrolment = await insertEnrolment(
    tenant.tx,
    associationId,
    {
      participantId: participant.id,
      interventionId,
      enrolledOn: input.enrolledOn,
      referrerMemberId: input.referrerMemberId,
      incomeSourceAtEnrolment: input.incomeSourceAtEnrolment,
      targetAtStart: input.targetAtStart,
      consentOn: input.consentOn,
      consentVersion: input.consentOn === null ? null : (input.consentVersion ?? settings.consent_version),
    },
    tenant.user.id,
  );
  await audit(
    tenant,
    "participant.enrol",
    { type: "enrolment", id: enrolment.id },
    { interventionId, participant: participant.number, withIdentity: number !== undefined },
  );
  return { enrolment, participant };
}
