import { z } from "zod";
import { loadIntervention } from "../interventions/access.js";
import type { Tenant } from "../platform/http/env.js";
import { forbidden } from "../platform/http/errors.js";
import type { Routes } from "../platform/http/routes.js";
import { loadEnrolment } from "./access.js";
import { codeLists } from "./codes.js";
import { enrolParticipant } from "./enrol-participant.js";
import { exitParticipant } from "./exit-participant.js";
import { mayReadIdentity, pseudonym, revealIdentity } from "./identity.js";
import {
  consentWithdrawalInput,
  enrolmentInput,
  exitInput,
  followUpInput,
  followUpKinds,
  genders,
  guidanceCaseInput,
} from "./participant-input.js";
import { recordFollowUp } from "./record-follow-up.js";
import { recordGuidanceCases } from "./record-guidance-cases.js";
import { type Enrolment, listEnrolments, listFollowUps, listGuidanceCaseCounts } from "./repository.js";
import { withdrawConsent } from "./withdraw-consent.js";

const date = z.string().meta({ description: "Calendar date, YYYY-MM-DD" });
const code = z.string().meta({ description: "A code from the association's code lists (GET /participant-codes)" });

/** Pseudonymous: what statistics and follow-up need, never the personnummer or the name. */
const enrolmentSchema = z.object({
  id: z.uuid(),
  version: z.number().int().meta({ description: "Send it back with an exit; a stale version gives 409" }),
  participantId: z.uuid(),
  participant: z.string().meta({ description: 'The pseudonym, "D-<number>", unique within the association' }),
  gender: z.enum(genders),
  birthYear: z.number().int().nullable(),
  hasIdentity: z
    .boolean()
    .meta({ description: "Whether a personnummer is on record (readable with include=identity)" }),
  anonymised: z.boolean().meta({ description: "The identity has been erased; the pseudonymous rows remain" }),
  enrolledOn: date,
  referrerMemberId: z.uuid().nullable(),
  incomeSourceAtEnrolment: code,
  consentOn: date.nullable(),
  consentVersion: z.string().nullable(),
  consentWithdrawnOn: date.nullable(),
  exitedOn: date.nullable(),
  exitReason: code.nullable(),
  incomeSourceAtExit: code.nullable(),
});

const enrolmentDetailSchema = enrolmentSchema.safeExtend({
  targetAtStart: z.string().nullable(),
  followUps: z.array(
    z.object({
      kind: z.enum(followUpKinds),
      followedUpOn: date,
      outcome: code,
      incomeSource: code.nullable(),
    }),
  ),
  identity: z
    .object({ personalNumber: z.string(), name: z.string().nullable() })
    .nullable()
    .optional()
    .meta({ description: "Only with include=identity; null when none is on record. Every read is audited." }),
});

const guidanceCaseSchema = z.object({
  id: z.uuid(),
  periodStart: date,
  periodEnd: date,
  women: z.number().int(),
  men: z.number().int(),
  genderUnknown: z.number().int(),
  note: z.string().nullable(),
  recordedAt: z.string().meta({ description: "ISO 8601 timestamp" }),
});

const codeSchema = z.array(
  z.object({ code: z.string(), label: z.string(), nationalCode: z.string(), active: z.boolean() }),
);

const interventionParams = z.object({ interventionId: z.uuid() });
const enrolmentParams = z.object({ interventionId: z.uuid(), enrolmentId: z.uuid() });

const presentEnrolment = (row: Enrolment) => ({
  id: row.id,
  version: row.version,
  participantId: row.participant_id,
  participant: pseudonym(row),
  gender: row.gender,
  birthYear: row.birth_year,
  hasIdentity: row.has_identity,
  anonymised: row.anonymised_at !== null,
  enrolledOn: row.enrolled_on,
  referrerMemberId: row.referrer_member_id,
  incomeSourceAtEnrolment: row.income_source_at_enrolment,
  consentOn: row.consent_on,
  consentVersion: row.consent_version,
  consentWithdrawnOn: row.consent_withdrawn_on,
  exitedOn: row.exited_on,
  exitReason: row.exit_reason,
  incomeSourceAtExit: row.income_source_at_exit,
});

const presentGuidanceCases = (row: Awaited<ReturnType<typeof listGuidanceCaseCounts>>[number]) => ({
  id: row.id,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  women: row.women,
  men: row.men,
  genderUnknown: row.gender_unknown,
  note: row.note,
  recordedAt: row.recorded_at,
});

async function presentDetail(tenant: Tenant, interventionId: string, enrolmentId: string) {
  const { enrolment } = await loadEnrolment(tenant, interventionId, enrolmentId);
  const followUps = await listFollowUps(tenant.tx, tenant.association.id, enrolment.id);
  return {
    ...presentEnrolment(enrolment),
    targetAtStart: enrolment.target_at_start,
    followUps: followUps.map((row) => ({
      kind: row.kind,
      followedUpOn: row.followed_up_on,
      outcome: row.outcome,
      incomeSource: row.income_source,
    })),
  };
}

export function registerParticipantApi({ association: router, api }: Routes) {
  const tag = "participants";

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/enrolments",
    operationId: "listEnrolments",
    summary: "The insats's enrolments (pseudonymous), latest first; status=active or exited filters them",
    tag,
    permission: "participant.read",
    params: interventionParams,
    query: z.object({ status: z.enum(["active", "exited"]).optional() }),
    response: z.object({ items: z.array(enrolmentSchema) }),
    handler: async ({ tenant, params, query }) => {
      await loadIntervention(tenant, params.interventionId);
      const rows = await listEnrolments(tenant.tx, tenant.association.id, params.interventionId, {
        active: query.status === undefined ? undefined : query.status === "active",
      });
      return { items: rows.map(presentEnrolment) };
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/enrolments",
    operationId: "enrolParticipant",
    summary:
      "Enrol a participant; with a personnummer (and consent) the person is recognised across the association's insatser",
    tag,
    permission: "participant.write",
    params: interventionParams,
    body: enrolmentInput,
    response: enrolmentDetailSchema,
    status: 201,
    handler: async ({ tenant, params, body, c }) => {
      const { enrolment } = await enrolParticipant({
        tenant,
        keyring: c.get("deps").keyring,
        interventionId: params.interventionId,
        input: body,
      });
      return presentDetail(tenant, params.interventionId, enrolment.id);
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/enrolments/{enrolmentId}",
    operationId: "getEnrolment",
    summary:
      "One enrolment with its follow-ups; include=identity adds the personnummer and name (admin and the insatsägare's contact only, audited)",
    tag,
    permission: "participant.read",
    params: enrolmentParams,
    query: z.object({ include: z.enum(["identity"]).optional() }),
    response: enrolmentDetailSchema,
    handler: async ({ tenant, params, query, c }) => {
      const detail = await presentDetail(tenant, params.interventionId, params.enrolmentId);
      if (query.include !== "identity") return detail;
      if (!mayReadIdentity(tenant)) throw forbidden();
      const identity = await revealIdentity({
        tenant,
        keyring: c.get("deps").keyring,
        participantId: detail.participantId,
        purpose: "api:getEnrolment",
      });
      return { ...detail, identity: identity ?? null };
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/enrolments/{enrolmentId}/exit",
    operationId: "exitParticipant",
    summary: "Record (or correct) the exit: date, reason and income source; needs the version it was read at",
    tag,
    permission: "participant.write",
    params: enrolmentParams,
    body: exitInput.safeExtend({ version: z.number().int().min(1) }),
    response: enrolmentDetailSchema,
    handler: async ({ tenant, params, body }) => {
      const { version, ...input } = body;
      await exitParticipant({ tenant, ...params, version, input });
      return presentDetail(tenant, params.interventionId, params.enrolmentId);
    },
  });

  api.add(router, {
    method: "put",
    path: "/interventions/{interventionId}/enrolments/{enrolmentId}/follow-ups/{kind}",
    operationId: "recordFollowUp",
    summary: "Record (or correct) the follow-up 90 days or 12 months after the exit",
    tag,
    permission: "participant.write",
    params: enrolmentParams.safeExtend({ kind: followUpInput.shape.kind }),
    body: followUpInput.omit({ kind: true }),
    response: enrolmentDetailSchema,
    handler: async ({ tenant, params, body }) => {
      const { kind, ...ids } = params;
      await recordFollowUp({ tenant, ...ids, input: { ...body, kind } });
      return presentDetail(tenant, params.interventionId, params.enrolmentId);
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/enrolments/{enrolmentId}/consent-withdrawal",
    operationId: "withdrawConsent",
    summary: "The participant withdraws the consent; without another standing consent the identity is erased at once",
    tag,
    permission: "participant.write",
    params: enrolmentParams,
    body: consentWithdrawalInput,
    response: enrolmentDetailSchema,
    handler: async ({ tenant, params, body }) => {
      await withdrawConsent({ tenant, ...params, withdrawnOn: body.withdrawnOn });
      return presentDetail(tenant, params.interventionId, params.enrolmentId);
    },
  });

  api.add(router, {
    method: "get",
    path: "/interventions/{interventionId}/guidance-cases",
    operationId: "listGuidanceCases",
    summary: "Lotsärenden: anonymous case counts by gender per period",
    tag,
    permission: "participant.read",
    params: interventionParams,
    response: z.object({ items: z.array(guidanceCaseSchema) }),
    handler: async ({ tenant, params }) => {
      await loadIntervention(tenant, params.interventionId);
      const rows = await listGuidanceCaseCounts(tenant.tx, tenant.association.id, params.interventionId);
      return { items: rows.map(presentGuidanceCases) };
    },
  });

  api.add(router, {
    method: "post",
    path: "/interventions/{interventionId}/guidance-cases",
    operationId: "recordGuidanceCases",
    summary: "Record the lotsärenden of a period, by gender",
    tag,
    permission: "participant.write",
    params: interventionParams,
    body: guidanceCaseInput,
    response: guidanceCaseSchema,
    status: 201,
    handler: async ({ tenant, params, body }) =>
      presentGuidanceCases(await recordGuidanceCases({ tenant, interventionId: params.interventionId, input: body })),
  });

  api.add(router, {
    method: "get",
    path: "/participant-codes",
    operationId: "listParticipantCodes",
    summary: "The association's code lists for income source (försörjning) and exit reason (avslutsorsak)",
    tag,
    permission: "participant.read",
    response: z.object({ incomeSource: codeSchema, exitReason: codeSchema }),
    handler: async ({ tenant }) => {
      const lists = await codeLists(tenant.tx, tenant.association.id);
      return { incomeSource: lists.income_source, exitReason: lists.exit_reason };
    },
  });
}
