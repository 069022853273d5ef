import { z } from "zod";
import { listMembers } from "../associations/repository.js";
import { audit } from "../audit/record.js";
import type { Keyring } from "../platform/crypto/keyring.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput, notFound } from "../platform/http/errors.js";
import { requiredText, uuid } from "../platform/http/validation.js";
import { codeLists, genderNames, labelOf } from "./codes.js";
import { identityHash, pseudonym, revealIdentity } from "./identity.js";
import { followUpKindNames } from "./participant-input.js";
import { formatPersonalNumber, parsePersonalNumber } from "./personal-number.js";
import {
  anonymiseParticipants,
  findParticipant,
  findParticipantByHash,
  findParticipantSettings,
  listEnrolmentsOfParticipant,
  listFollowUps,
} from "./repository.js";

/**
 * Requests from a registered person (GDPR art. 15 and 17): find them by personnummer, export everything the
 * association holds about them, or erase their identity. Only the förbund's administrator (participant_privacy.manage)
 * gets here; the personnummer arrives in a POST body and is never written anywhere, the participant's id stands in
 * for it afterwards.
 */

export const privacySearchForm = z.object({
  personalNumber: requiredText("Ange personens personnummer eller samordningsnummer.", 20),
});

export const participantForm = z.object({ participantId: uuid });

export const eraseForm = participantForm.extend({
  confirm: z.literal("yes", { error: "Kryssa i att du förstår att personuppgifterna raderas för gott." }),
});

export type Person = Awaited<ReturnType<typeof personOf>>;

/** The participant and every enrolment of theirs, across all insatser of the association. */
export async function personOf(tenant: Tenant, participantId: string) {
  const participant = await findParticipant(tenant.tx, tenant.association.id, participantId);
  if (!participant) throw notFound();
  const enrolments = await listEnrolmentsOfParticipant(tenant.tx, tenant.association.id, participantId);
  return { participant, enrolments };
}

/** The person with this personnummer, recognised by the keyed hash; undefined when the association has no such. */
export async function findPerson(tenant: Tenant, keyring: Keyring, personalNumber: string) {
  const parsed = parsePersonalNumber(personalNumber);
  if (!parsed.ok) throw invalidInput([{ path: "personalNumber", message: parsed.message }]);
  const settings = await findParticipantSettings(tenant.tx, tenant.association.id);
  if (!settings) return undefined;
  const hash = await identityHash(tenant.tx, keyring, tenant.association.id, parsed.value.normalised, settings);
  const participant = await findParticipantByHash(tenant.tx, tenant.association.id, hash);
  if (!participant) return undefined;
  await audit(tenant, "participant.privacy_search", { type: "participant", id: participant.id });
  return personOf(tenant, participant.id);
}

/** Registerutdrag: the identity (its read audited by revealIdentity), enrolments and follow-ups, with readable codes. */
export async function exportPerson(tenant: Tenant, keyring: Keyring, participantId: string) {
  const { participant, enrolments } = await personOf(tenant, participantId);
  const identity = await revealIdentity({ tenant, keyring, participantId, purpose: "gdpr_export" });
  const codes = await codeLists(tenant.tx, tenant.association.id);
  const members = await listMembers(tenant.tx, tenant.association.id);
  const memberName = (id: string | null) => members.find((member) => member.id === id)?.name ?? null;
  const exportedEnrolments = [];
  for (const enrolment of enrolments) {
    const followUps = await listFollowUps(tenant.tx, tenant.association.id, enrolment.id);
    exportedEnrolments.push({
      intervention: enrolment.intervention_name,
      enrolledOn: enrolment.enrolled_on,
      referrer: memberName(enrolment.referrer_member_id),
      incomeSourceAtEnrolment: labelOf(codes.income_source, enrolment.income_source_at_enrolment),
      targetAtStart: enrolment.target_at_start,
      consentOn: enrolment.consent_on,
      consentVersion: enrolment.consent_version,
      consentWithdrawnOn: enrolment.consent_withdrawn_on,
      exitedOn: enrolment.exited_on,
      exitReason: labelOf(codes.exit_reason, enrolment.exit_reason) || null,
      incomeSourceAtExit: labelOf(codes.income_source, enrolment.income_source_at_exit) || null,
      followUps: followUps.map((followUp) => ({
        kind: followUpKindNames[followUp.kind],
        followedUpOn: followUp.followed_up_on,
        outcome: labelOf(codes.exit_reason, followUp.outcome),
        incomeSource: labelOf(codes.income_source, followUp.income_source) || null,
      })),
    });
  }
  const exported = {
    association: tenant.association.name,
    exportedAt: new Date().toISOString(),
    participant: {
      pseudonym: pseudonym(participant),
      personalNumber: identity ? formatPersonalNumber(identity.personalNumber) : null,
      name: identity?.name ?? null,
      gender: genderNames[participant.gender],
      birthYear: participant.birth_year,
      registeredAt: participant.created_at.toISOString(),
      anonymisedAt: participant.anonymised_at?.toISOString() ?? null,
    },
    enrolments: exportedEnrolments,
  };
  await audit(
    tenant,
    "participant.export",
    { type: "participant", id: participant.id },
    { participant: participant.number, enrolments: enrolments.length },
  );
  return exported;
}

/**
 * Radering: removes the identity and the hash that recognises the person now, rather than at the end of the retention
 * time. The pseudonymous enrolments stay, so that the insatser's statistics do not change.
 */
export async function erasePerson(tenant: Tenant, participantId: string) {
  const { participant } = await personOf(tenant, participantId);
  await anonymiseParticipants(tenant.tx, tenant.association.id, [participant.id]);
  await audit(
    tenant,
    "participant.erase",
    { type: "participant", id: participant.id },
    { participant: participant.number },
  );
  return participant;
}
