import { sql } from "kysely";
import type { FollowUpKind, Gender, ParticipantCodeList } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";

/**
 * All SQL of participants (deltagare) except statistics (statistics-repository.ts). Functions that touch
 * participant_identity are few and named for it, so that a reader can see every place an identity is read.
 */

/**
 * With `lock`, the row stays locked to the end of the transaction: enrolments take it first, so that two of them
 * cannot both create the same person or overlapping enrolments.
 */
export function findParticipantSettings(tx: Tx, associationId: string, lock = false) {
  const query = tx.selectFrom("participant_settings").selectAll().where("association_id", "=", associationId);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function insertParticipantSettings(tx: Tx, associationId: string, pseudonymKey: Uint8Array) {
  await tx
    .insertInto("participant_settings")
    .values({ association_id: associationId, pseudonym_key: pseudonymKey })
    .onConflict((conflict) => conflict.column("association_id").doNothing())
    .execute();
}

export async function updateParticipantSettings(
  tx: Tx,
  associationId: string,
  settings: { retentionYears: number; consentVersion: string },
) {
  await tx
    .updateTable("participant_settings")
    .set({ retention_years: settings.retentionYears, consent_version: settings.consentVersion })
    .where("association_id", "=", associationId)
    .execute();
}

/**
 * Reserves `count` pseudonym numbers and returns the first; the row lock serialises concurrent enrolments, so numbers
 * never repeat.
 */
async function reserveParticipantNumbers(tx: Tx, associationId: string, count: number): Promise<number> {
  const row = await tx
    .updateTable("participant_settings")
    .set({ last_number: sql`last_number + ${count}` })
    .where("association_id", "=", associationId)
    .returning("last_number")
    .executeTakeFirstOrThrow();
  return row.last_number - count + 1;
}

/** Rows per multi-row statement: well below PostgreSQL's 65 535 parameters for the widest table here. */
const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) result.push(items.slice(start, start + CHUNK));
  return result;
}

export function findParticipantByHash(tx: Tx, associationId: string, identityHash: Uint8Array) {
  return tx
    .selectFrom("participant")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("identity_hash", "=", identityHash)
    .executeTakeFirst();
}

export function findParticipant(tx: Tx, associationId: string, participantId: string) {
  return tx
    .selectFrom("participant")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("id", "=", participantId)
    .executeTakeFirst();
}

export type NewParticipant = { identityHash: Uint8Array | null; gender: Gender; birthYear: number | null };

export async function insertParticipant(tx: Tx, associationId: string, values: NewParticipant) {
  const [participant] = await insertParticipants(tx, associationId, [values]);
  if (!participant) throw new Error("participant was not inserted");
  return participant;
}

/** New participants with consecutive pseudonym numbers, in the order given. */
export async function insertParticipants(tx: Tx, associationId: string, values: NewParticipant[]) {
  if (values.length === 0) return [];
  const first = await reserveParticipantNumbers(tx, associationId, values.length);
  const inserted = [];
  for (const [index, chunk] of chunks(values).entries()) {
    const rows = await tx
      .insertInto("participant")
      .values(
        chunk.map((value, offset) => ({
          association_id: associationId,
          number: first + index * CHUNK + offset,
          identity_hash: value.identityHash,
          gender: value.gender,
          birth_year: value.birthYear,
        })),
      )
      .returningAll()
      .execute();
    inserted.push(...rows.sort((a, b) => a.number - b.number));
  }
  return inserted;
}

export async function findParticipantsByHashes(tx: Tx, associationId: string, hashes: Uint8Array[]) {
  const found = [];
  for (const chunk of chunks(hashes)) {
    found.push(
      ...(await tx
        .selectFrom("participant")
        .selectAll()
        .where("association_id", "=", associationId)
        .where("identity_hash", "in", chunk)
        .execute()),
    );
  }
  return found;
}

export async function updateParticipantDetails(
  tx: Tx,
  associationId: string,
  participantId: string,
  values: { gender: Gender; birthYear: number | null },
) {
  await tx
    .updateTable("participant")
    .set({ gender: values.gender, birth_year: values.birthYear })
    .where("association_id", "=", associationId)
    .where("id", "=", participantId)
    .execute();
}

export async function upsertIdentityCiphertexts(
  tx: Tx,
  associationId: string,
  identities: { participantId: string; ciphertext: Uint8Array }[],
) {
  for (const chunk of chunks(identities)) {
    await tx
      .insertInto("participant_identity")
      .values(
        chunk.map(({ participantId, ciphertext }) => ({
          association_id: associationId,
          participant_id: participantId,
          ciphertext,
        })),
      )
      .onConflict((conflict) =>
        conflict
          .columns(["association_id", "participant_id"])
          .doUpdateSet({ ciphertext: (eb) => eb.ref("excluded.ciphertext") }),
      )
      .execute();
  }
}

export function readIdentityCiphertext(tx: Tx, associationId: string, participantId: string) {
  return tx
    .selectFrom("participant_identity")
    .select("ciphertext")
    .where("association_id", "=", associationId)
    .where("participant_id", "=", participantId)
    .executeTakeFirst();
}

/** Many identities at once (an export): one query instead of one per participant. */
export function readIdentityCiphertexts(tx: Tx, associationId: string, participantIds: string[]) {
  if (participantIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom("participant_identity")
    .select(["participant_id", "ciphertext"])
    .where("association_id", "=", associationId)
    .where("participant_id", "=", sql<string>`any(${participantIds}::uuid[])`)
    .execute();
}

/** Removes the identity and the hash that recognises it; the pseudonymous rows stay for statistics. */
export async function anonymiseParticipants(tx: Tx, associationId: string, participantIds: string[]) {
  if (participantIds.length === 0) return;
  await tx
    .deleteFrom("participant_identity")
    .where("association_id", "=", associationId)
    .where("participant_id", "in", participantIds)
    .execute();
  await tx
    .updateTable("enrolment")
    .set({ target_at_start: null })
    .where("association_id", "=", associationId)
    .where("participant_id", "in", participantIds)
    .execute();
  await tx
    .updateTable("participant")
    .set({ identity_hash: null, anonymised_at: sql`now()` })
    .where("association_id", "=", associationId)
    .where("id", "in", participantIds)
    .execute();
}

/**
 * Participants whose identity is due for anonymisation: not yet anonymised, every enrolment ended, and the last exit
 * at least `retention_years` (the association's setting) before `today`.
 */
export async function participantsDueForAnonymisation(tx: Tx, associationId: string, today: string) {
  const rows = await sql<{ id: string }>`
    select p.id from participant p
    join participant_settings s on s.association_id = p.association_id
    where p.association_id = ${associationId} and p.anonymised_at is null
      and not exists (select 1 from enrolment e where e.association_id = p.association_id
        and e.participant_id = p.id and e.exited_on is null)
      and (select max(e.exited_on) from enrolment e where e.association_id = p.association_id
        and e.participant_id = p.id) <= (${today}::date - make_interval(years => s.retention_years))::date`.execute(tx);
  return rows.rows.map((row) => row.id);
}

export function listParticipantCodes(tx: Tx, associationId: string, list: ParticipantCodeList) {
  return tx
    .selectFrom("participant_code")
    .select(["code", "label", "national_code as nationalCode", "active"])
    .where("association_id", "=", associationId)
    .where("list", "=", list)
    .orderBy("position")
    .execute();
}

/** The codes of a list that enrolments or follow-ups refer to: these can be deactivated but not removed. */
export async function participantCodesInUse(tx: Tx, associationId: string, list: ParticipantCodeList) {
  const rows =
    list === "income_source"
      ? await sql<{ code: string }>`
          select income_source_at_enrolment as code from enrolment where association_id = ${associationId}
          union select income_source_at_exit from enrolment where association_id = ${associationId}
          union select income_source from follow_up where association_id = ${associationId}`.execute(tx)
      : await sql<{ code: string }>`
          select exit_reason as code from enrolment where association_id = ${associationId}
          union select outcome from follow_up where association_id = ${associationId}`.execute(tx);
  return new Set(rows.rows.map((row) => row.code).filter((code) => code !== null));
}

export async function replaceParticipantCodes(
  tx: Tx,
  associationId: string,
  list: ParticipantCodeList,
  codes: { code: string; label: string; nationalCode: string; active: boolean }[],
) {
  await tx
    .deleteFrom("participant_code")
    .where("association_id", "=", associationId)
    .where("list", "=", list)
    .execute();
  if (codes.length === 0) return;
  await tx
    .insertInto("participant_code")
    .values(
      codes.map((code, position) => ({
        association_id: associationId,
        list,
        code: code.code,
        label: code.label,
        national_code: code.nationalCode,
        position,
        active: code.active,
      })),
    )
    .execute();
}

export type EnrolmentValues = {
  participantId: string;
  interventionId: string;
  enrolledOn: string;
  referrerMemberId: string | null;
  incomeSourceAtEnrolment: string;
  targetAtStart: string | null;
  consentOn: string | null;
  consentVersion: string | null;
};

const enrolmentRow = (associationId: string, values: EnrolmentValues, createdBy: string | null) => ({
  association_id: associationId,
  participant_id: values.participantId,
  intervention_id: values.interventionId,
  enrolled_on: values.enrolledOn,
  referrer_member_id: values.referrerMemberId,
  income_source_at_enrolment: values.incomeSourceAtEnrolment,
  target_at_start: values.targetAtStart,
  consent_on: values.consentOn,
  consent_version: values.consentVersion,
  created_by: createdBy,
});

export function insertEnrolment(tx: Tx, associationId: string, values: EnrolmentValues, createdBy: string | null) {
  return tx
    .insertInto("enrolment")
    .values(enrolmentRow(associationId, values, createdBy))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type ExitValues = { exitedOn: string; exitReason: string; incomeSourceAtExit: string };

/** Enrolments of a bulk import, each with its exit if the file gives one. */
export async function insertEnrolments(
  tx: Tx,
  associationId: string,
  rows: { values: EnrolmentValues; exit: ExitValues | null }[],
  createdBy: string,
) {
  for (const chunk of chunks(rows)) {
    await tx
      .insertInto("enrolment")
      .values(
        chunk.map(({ values, exit }) => ({
          ...enrolmentRow(associationId, values, createdBy),
          exited_on: exit?.exitedOn ?? null,
          exit_reason: exit?.exitReason ?? null,
          income_source_at_exit: exit?.incomeSourceAtExit ?? null,
        })),
      )
      .execute();
  }
}

/** The person's enrolments in the insats that overlap [from, to] (to = null: open-ended). */
export function overlappingEnrolments(
  tx: Tx,
  associationId: string,
  participantId: string,
  interventionId: string,
  from: string,
  to: string | null,
) {
  let query = tx
    .selectFrom("enrolment")
    .select(["id", "enrolled_on", "exited_on"])
    .where("association_id", "=", associationId)
    .where("participant_id", "=", participantId)
    .where("intervention_id", "=", interventionId)
    .where((eb) => eb.or([eb("exited_on", "is", null), eb("exited_on", ">=", from)]));
  if (to !== null) query = query.where("enrolled_on", "<=", to);
  return query.execute();
}

/** The periods of the recognisable people enrolled in an insats, by keyed hash: what a bulk import checks overlaps against. */
export function enrolmentPeriodsByHash(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("enrolment as e")
    .innerJoin("participant as p", (join) =>
      join.onRef("p.association_id", "=", "e.association_id").onRef("p.id", "=", "e.participant_id"),
    )
    .select(["p.identity_hash", "e.enrolled_on", "e.exited_on"])
    .where("e.association_id", "=", associationId)
    .where("e.intervention_id", "=", interventionId)
    .where("p.identity_hash", "is not", null)
    .execute();
}

const enrolmentColumns = [
  "e.id",
  "e.participant_id",
  "e.intervention_id",
  "e.enrolled_on",
  "e.referrer_member_id",
  "e.income_source_at_enrolment",
  "e.target_at_start",
  "e.consent_on",
  "e.consent_version",
  "e.consent_withdrawn_on",
  "e.exited_on",
  "e.exit_reason",
  "e.income_source_at_exit",
  "e.version",
  "p.number",
  "p.gender",
  "p.birth_year",
  "p.anonymised_at",
] as const;

export function findEnrolment(tx: Tx, associationId: string, interventionId: string, enrolmentId: string) {
  return tx
    .selectFrom("enrolment as e")
    .innerJoin("participant as p", (join) =>
      join.onRef("p.association_id", "=", "e.association_id").onRef("p.id", "=", "e.participant_id"),
    )
    .select(enrolmentColumns)
    .select(sql<boolean>`p.identity_hash is not null`.as("has_identity"))
    .where("e.association_id", "=", associationId)
    .where("e.intervention_id", "=", interventionId)
    .where("e.id", "=", enrolmentId)
    .executeTakeFirst();
}

export type Enrolment = NonNullable<Awaited<ReturnType<typeof findEnrolment>>>;

export function listEnrolments(
  tx: Tx,
  associationId: string,
  interventionId: string,
  filter: { active?: boolean | undefined } = {},
) {
  let query = tx
    .selectFrom("enrolment as e")
    .innerJoin("participant as p", (join) =>
      join.onRef("p.association_id", "=", "e.association_id").onRef("p.id", "=", "e.participant_id"),
    )
    .select(enrolmentColumns)
    .select(sql<boolean>`p.identity_hash is not null`.as("has_identity"))
    .where("e.association_id", "=", associationId)
    .where("e.intervention_id", "=", interventionId);
  if (filter.active !== undefined) query = query.where("e.exited_on", filter.active ? "is" : "is not", null);
  return query.orderBy("e.enrolled_on", "desc").orderBy("p.number", "desc").execute();
}

/** Every enrolment of a person in the association, for recognising them and for a GDPR export. */
export function listEnrolmentsOfParticipant(tx: Tx, associationId: string, participantId: string) {
  return tx
    .selectFrom("enrolment as e")
    .innerJoin("participant as p", (join) =>
      join.onRef("p.association_id", "=", "e.association_id").onRef("p.id", "=", "e.participant_id"),
    )
    .innerJoin("intervention as i", (join) =>
      join.onRef("i.association_id", "=", "e.association_id").onRef("i.id", "=", "e.intervention_id"),
    )
    .select(enrolmentColumns)
    .select(["i.name as intervention_name", "i.owner_organisation_id"])
    .select(sql<boolean>`p.identity_hash is not null`.as("has_identity"))
    .where("e.association_id", "=", associationId)
    .where("e.participant_id", "=", participantId)
    .orderBy("e.enrolled_on")
    .execute();
}

export function recordExit(tx: Tx, associationId: string, enrolmentId: string, version: number, exit: ExitValues) {
  return tx
    .updateTable("enrolment")
    .set({
      exited_on: exit.exitedOn,
      exit_reason: exit.exitReason,
      income_source_at_exit: exit.incomeSourceAtExit,
      version: sql`version + 1`,
    })
    .where("association_id", "=", associationId)
    .where("id", "=", enrolmentId)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

export function recordConsentWithdrawal(tx: Tx, associationId: string, enrolmentId: string, withdrawnOn: string) {
  return tx
    .updateTable("enrolment")
    .set({ consent_withdrawn_on: withdrawnOn, version: sql`version + 1` })
    .where("association_id", "=", associationId)
    .where("id", "=", enrolmentId)
    .returning(["id"])
    .executeTakeFirst();
}

/** Whether any enrolment of the person still rests on a consent that has not been withdrawn. */
export async function hasStandingConsent(tx: Tx, associationId: string, participantId: string) {
  const row = await tx
    .selectFrom("enrolment")
    .select("id")
    .where("association_id", "=", associationId)
    .where("participant_id", "=", participantId)
    .where("consent_on", "is not", null)
    .where("consent_withdrawn_on", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}

export function listFollowUps(tx: Tx, associationId: string, enrolmentId: string) {
  return tx
    .selectFrom("follow_up")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("enrolment_id", "=", enrolmentId)
    .orderBy("followed_up_on")
    .execute();
}

export async function upsertFollowUp(
  tx: Tx,
  associationId: string,
  enrolmentId: string,
  followUp: { kind: FollowUpKind; followedUpOn: string; outcome: string; incomeSource: string | null },
) {
  const values = {
    followed_up_on: followUp.followedUpOn,
    outcome: followUp.outcome,
    income_source: followUp.incomeSource,
  };
  await tx
    .insertInto("follow_up")
    .values({ association_id: associationId, enrolment_id: enrolmentId, kind: followUp.kind, ...values })
    .onConflict((conflict) => conflict.columns(["association_id", "enrolment_id", "kind"]).doUpdateSet(values))
    .execute();
}

export function listGuidanceCaseCounts(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("guidance_case_count")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .orderBy("period_start")
    .execute();
}

export function insertGuidanceCaseCount(
  tx: Tx,
  associationId: string,
  interventionId: string,
  values: {
    periodStart: string;
    periodEnd: string;
    women: number;
    men: number;
    genderUnknown: number;
    note: string | null;
  },
  recordedBy: string | null,
) {
  return tx
    .insertInto("guidance_case_count")
    .values({
      association_id: associationId,
      intervention_id: interventionId,
      period_start: values.periodStart,
      period_end: values.periodEnd,
      women: values.women,
      men: values.men,
      gender_unknown: values.genderUnknown,
      note: values.note,
      recorded_by: recordedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Active (not exited) and all enrolments per insats, for the insatser given. */
export async function countEnrolments(tx: Tx, associationId: string, interventionIds: string[]) {
  if (interventionIds.length === 0) return new Map<string, { active: number; total: number }>();
  const rows = await tx
    .selectFrom("enrolment")
    .select([
      "intervention_id",
      sql<number>`(count(*) filter (where exited_on is null))::int`.as("active"),
      sql<number>`count(*)::int`.as("total"),
    ])
    .where("association_id", "=", associationId)
    .where("intervention_id", "in", interventionIds)
    .groupBy("intervention_id")
    .execute();
  return new Map(rows.map((row) => [row.intervention_id, { active: row.active, total: row.total }]));
}
