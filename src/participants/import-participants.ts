import { listMembers } from "../associations/repository.js";
import { audit } from "../audit/record.js";
import type { Keyring } from "../platform/crypto/keyring.js";
import type { Tenant } from "../platform/http/env.js";
import type { FieldError } from "../platform/http/errors.js";
import { toFieldErrors } from "../platform/http/validation.js";
import type { Table } from "../platform/import/table-file.js";
import type { CodeLists } from "./codes.js";
import { type EnrolmentContext, enrolmentContext, enrolmentErrors, OVERLAP_MESSAGE } from "./enrol-participant.js";
import { type Identity, identityHasher, participantSettings, storeIdentities } from "./identity.js";
import { type Mapping, mappingErrors, type RawRecord, rawRecord, readCode, readGender } from "./participant-columns.js";
import { type EnrolmentInput, type ExitInput, enrolmentInput, exitInput } from "./participant-input.js";
import { parsePersonalNumber } from "./personal-number.js";
import {
  enrolmentPeriodsByHash,
  findParticipantsByHashes,
  insertEnrolments,
  insertParticipants,
  updateParticipantDetails,
} from "./repository.js";

/**
 * Bulk import of an insats's participants from a file (participant-columns.ts): every row is checked as the
 * enrolment form checks one, plus duplicates within the file and overlaps with enrolments already recorded, and the
 * file is written all or nothing, in bulk, in the request's transaction.
 */

/** A row that passed every check: what the enrolment and exit forms would have sent. */
export type ImportRow = { index: number; enrolment: EnrolmentInput; exit: ExitInput | null };

export type ImportCheck = {
  /** Problems with the file as a whole (e.g. a missing column); rows are not checked then. */
  fileErrors: string[];
  /** Per row (index into table.rows) with a problem, the problems; messages never repeat a personnummer. */
  rowErrors: Map<number, FieldError[]>;
  /** The valid rows, in the order they are written: by enrolment date, so earlier periods exist before later ones. */
  rows: ImportRow[];
};

/** The file's line of a data row, as the user finds it in Excel: the header is line 1. */
export const lineOf = (index: number) => index + 2;

const codeChoices = (codes: CodeLists[keyof CodeLists]) =>
  codes
    .filter((code) => code.active)
    .map((code) => code.code)
    .join(", ");

/** Members by their name in lower case, as a file may write it. */
type Members = Map<string, { id: string; name: string }>;

const memberNames = (members: Members) => [...members.values()].map((member) => member.name).join(", ");

type Prepared = { index: number; personalNumber: string | null; enrolment: EnrolmentInput; exit: ExitInput | null };

/**
 * One row against the schemas and the insats: the words of the file (Kvinna, a member's name, a code or its label)
 * are read into the form's values first, so that both share one set of rules.
 */
async function checkRow(
  tenant: Tenant,
  context: EnrolmentContext,
  members: Members,
  raw: RawRecord,
): Promise<{ errors: FieldError[]; prepared?: Omit<Prepared, "index"> }> {
  const errors: FieldError[] = [];
  const { codes } = context;
  const gender = readGender(raw.gender ?? "");
  if (gender === undefined) errors.push({ path: "gender", message: "Skriv kön som Kvinna, Man eller Annat." });
  const referrer = raw.referrerMemberId ?? "";
  const referrerMemberId = referrer === "" ? "" : members.get(referrer.toLowerCase())?.id;
  if (referrerMemberId === undefined) {
    errors.push({
      path: "referrerMemberId",
      message: `Okänd remittent: skriv namnet på en av förbundets medlemmar (${memberNames(members)}).`,
    });
  }
  const codeOf = (path: string, list: CodeLists[keyof CodeLists], text: string | undefined, name: string) => {
    if (!text) return "";
    const code = readCode(list, text);
    if (code === undefined) errors.push({ path, message: `Okänd ${name}. Skriv en av koderna ${codeChoices(list)}.` });
    // The unknown text goes on to the schema, so that the rest of the row is still checked.
    return code ?? text;
  };
  const incomeSourceAtEnrolment = codeOf(
    "incomeSourceAtEnrolment",
    codes.income_source,
    raw.incomeSourceAtEnrolment,
    "försörjning",
  );
  const read = enrolmentInput.safeParse({
    personalNumber: raw.personalNumber ?? "",
    name: raw.name ?? "",
    gender: gender ?? "",
    birthYear: raw.birthYear ?? "",
    enrolledOn: raw.enrolledOn ?? "",
    referrerMemberId: referrerMemberId ?? "",
    incomeSourceAtEnrolment,
    targetAtStart: raw.targetAtStart ?? "",
    consentOn: raw.consentOn ?? "",
    consentVersion: raw.consentVersion ?? "",
  });
  const exitGiven = [raw.exitedOn, raw.exitReason, raw.incomeSourceAtExit].some((value) => value);
  const exitRead = exitGiven
    ? exitInput.safeParse({
        exitedOn: raw.exitedOn ?? "",
        exitReason: codeOf("exitReason", codes.exit_reason, raw.exitReason, "avslutsorsak"),
        incomeSourceAtExit: codeOf("incomeSourceAtExit", codes.income_source, raw.incomeSourceAtExit, "försörjning"),
      })
    : undefined;
  // A cell already reported above is not reported again by the schema as empty.
  const add = (found: FieldError[]) => {
    for (const error of found) if (!errors.some((known) => known.path === error.path)) errors.push(error);
  };
  if (!read.success) add(toFieldErrors(read.error));
  if (exitRead && !exitRead.success) add(toFieldErrors(exitRead.error));
  if (!read.success || (exitRead && !exitRead.success)) {
    const personalNumber = raw.personalNumber ? parsePersonalNumber(raw.personalNumber) : undefined;
    if (personalNumber && !personalNumber.ok) add([{ path: "personalNumber", message: personalNumber.message }]);
    return { errors };
  }
  // The referrer was found in the association's member list above: no need to look each one up again.
  add(await enrolmentErrors(tenant, context, { ...read.data, referrerMemberId: null }));
  const exit = exitRead?.data ?? null;
  if (exit && exit.exitedOn < read.data.enrolledOn) {
    add([{ path: "exitedOn", message: "Avslutet kan inte vara före inskrivningen." }]);
  }
  if (errors.length > 0) return { errors };
  const parsed = read.data.personalNumber === null ? undefined : parsePersonalNumber(read.data.personalNumber);
  return {
    errors,
    prepared: { personalNumber: parsed?.ok ? parsed.value.normalised : null, enrolment: read.data, exit },
  };
}

type Period = { from: string; to: string | null; line?: number };

/** As enrolParticipant decides: an earlier enrolment that has not ended before this one starts is an overlap. */
const overlaps = (period: Period, enrolledOn: string) => period.to === null || period.to >= enrolledOn;

/**
 * Duplicates in the file and overlaps with recorded enrolments, found the way enrolParticipant will find them
 * when the rows are written in date order, but with one query for the whole insats instead of one per row.
 */
async function overlapErrors(
  tenant: Tenant,
  keyring: Keyring,
  interventionId: string,
  prepared: Prepared[],
  rowErrors: Map<number, FieldError[]>,
) {
  const associationId = tenant.association.id;
  const recognisable = prepared.filter((row) => row.personalNumber !== null);
  if (recognisable.length === 0) return;
  const hashOf = await identityHasher(tenant.tx, keyring, associationId);
  const recorded = new Map<string, Period[]>();
  for (const period of await enrolmentPeriodsByHash(tenant.tx, associationId, interventionId)) {
    const key = Buffer.from(period.identity_hash ?? []).toString("hex");
    recorded.set(key, [...(recorded.get(key) ?? []), { from: period.enrolled_on, to: period.exited_on }]);
  }
  const inFile = new Map<string, Period[]>();
  for (const row of recognisable) {
    const number = row.personalNumber as string;
    const hash = hashOf(number).toString("hex");
    const enrolledOn = row.enrolment.enrolledOn;
    const earlier = (inFile.get(number) ?? []).find((period) => overlaps(period, enrolledOn));
    const message = (recorded.get(hash) ?? []).some((period) => overlaps(period, enrolledOn))
      ? OVERLAP_MESSAGE
      : earlier && `Personen finns också på rad ${earlier.line} under en del av samma period.`;
    if (message) {
      rowErrors.set(row.index, [{ path: "enrolledOn", message }]);
      continue;
    }
    const period = { from: enrolledOn, to: row.exit?.exitedOn ?? null, line: lineOf(row.index) };
    inFile.set(number, [...(inFile.get(number) ?? []), period]);
  }
}

export async function checkImport(options: {
  tenant: Tenant;
  keyring: Keyring;
  interventionId: string;
  table: Table;
  mapping: Mapping;
  context?: EnrolmentContext;
}): Promise<ImportCheck & { context: EnrolmentContext }> {
  const { tenant, keyring, interventionId, table, mapping } = options;
  const context = options.context ?? (await enrolmentContext(tenant, interventionId));
  const fileErrors = mappingErrors(mapping);
  const rowErrors = new Map<number, FieldError[]>();
  if (fileErrors.length > 0) return { fileErrors, rowErrors, rows: [], context };
  const members = new Map(
    (await listMembers(tenant.tx, tenant.association.id)).map((member) => [
      member.name.toLowerCase(),
      { id: member.id, name: member.name },
    ]),
  );
  const prepared: Prepared[] = [];
  for (const [index, row] of table.rows.entries()) {
    const checked = await checkRow(tenant, context, members, rawRecord(row, mapping));
    if (checked.prepared) prepared.push({ index, ...checked.prepared });
    else rowErrors.set(index, checked.errors);
  }
  prepared.sort((a, b) => a.enrolment.enrolledOn.localeCompare(b.enrolment.enrolledOn) || a.index - b.index);
  await overlapErrors(tenant, keyring, interventionId, prepared, rowErrors);
  const rows = prepared
    .filter((row) => !rowErrors.has(row.index))
    .map(({ index, enrolment, exit }) => ({ index, enrolment, exit }));
  return { fileErrors, rowErrors, rows, context };
}

/**
 * Writes checked rows in bulk, as enrolParticipant would one by one: a person already known in the association (by
 * the keyed hash) or earlier in the file is the same participant; everyone else becomes a new one. A few statements
 * per thousand rows instead of a dozen per row.
 */
async function writeRows(tenant: Tenant, keyring: Keyring, interventionId: string, rows: ImportRow[]) {
  const { tx } = tenant;
  const associationId = tenant.association.id;
  const settings = await participantSettings(tx, keyring, associationId, true);
  const hash = await identityHasher(tx, keyring, associationId, settings);
  const people = rows.map((row) => {
    const parsed =
      row.enrolment.personalNumber === null ? undefined : parsePersonalNumber(row.enrolment.personalNumber);
    const number = parsed?.ok ? parsed.value : undefined;
    return {
      row,
      number,
      key: number && hash(number.normalised).toString("hex"),
      details: {
        gender: row.enrolment.gender ?? number?.gender ?? "other_unknown",
        birthYear: row.enrolment.birthYear ?? number?.birthYear ?? null,
      },
    };
  });
  const keys = [...new Set(people.flatMap((person) => (person.key ? [person.key] : [])))];
  const byKey = new Map<string, { id: string }>();
  const hashes = keys.map((key) => Buffer.from(key, "hex"));
  for (const participant of await findParticipantsByHashes(tx, associationId, hashes)) {
    byKey.set(Buffer.from(participant.identity_hash ?? []).toString("hex"), participant);
  }
  const known = new Set(byKey.keys());
  const seen = new Set(known);
  const newcomers = people.filter((person) => {
    if (person.key === undefined) return true;
    if (seen.has(person.key)) return false;
    seen.add(person.key);
    return true;
  });
  const inserted = await insertParticipants(
    tx,
    associationId,
    newcomers.map((person) => ({
      identityHash: person.key === undefined ? null : Buffer.from(person.key, "hex"),
      ...person.details,
    })),
  );
  const participantOf = new Map<(typeof people)[number], { id: string }>();
  for (const [index, person] of newcomers.entries()) {
    const participant = inserted[index] as { id: string };
    if (person.key) byKey.set(person.key, participant);
    participantOf.set(person, participant);
  }
  const idOf = (person: (typeof people)[number]) =>
    (person.key ? byKey.get(person.key) : participantOf.get(person))?.id as string;
  for (const person of people) {
    if (person.key && known.has(person.key)) {
      await updateParticipantDetails(tx, associationId, idOf(person), person.details);
    }
  }
  const identities = new Map<string, Identity>();
  for (const person of people) {
    if (person.number) {
      identities.set(idOf(person), { personalNumber: person.number.normalised, name: person.row.enrolment.name });
    }
  }
  await storeIdentities(
    tx,
    keyring,
    associationId,
    [...identities].map(([participantId, identity]) => ({ participantId, identity })),
  );
  await insertEnrolments(
    tx,
    associationId,
    people.map((person) => {
      const { enrolment } = person.row;
      return {
        values: {
          participantId: idOf(person),
          interventionId,
          enrolledOn: enrolment.enrolledOn,
          referrerMemberId: enrolment.referrerMemberId,
          incomeSourceAtEnrolment: enrolment.incomeSourceAtEnrolment,
          targetAtStart: enrolment.targetAtStart,
          consentOn: enrolment.consentOn,
          consentVersion: enrolment.consentOn === null ? null : (enrolment.consentVersion ?? settings.consent_version),
        },
        exit: person.row.exit,
      };
    }),
    tenant.user.id,
  );
}

/**
 * Writes every row, or nothing: the association's participant settings are locked first, so that no enrolment
 * elsewhere can slip in between the check and the write.
 */
export async function importParticipants(options: {
  tenant: Tenant;
  keyring: Keyring;
  interventionId: string;
  table: Table;
  mapping: Mapping;
  context?: EnrolmentContext;
}): Promise<ImportCheck & { imported: number }> {
  const { tenant, keyring, interventionId } = options;
  await participantSettings(tenant.tx, keyring, tenant.association.id, true);
  const check = await checkImport(options);
  if (check.fileErrors.length > 0 || check.rowErrors.size > 0) return { ...check, imported: 0 };
  await writeRows(tenant, keyring, interventionId, check.rows);
  await audit(tenant, "participant.import", { type: "intervention", id: interventionId }, { rows: check.rows.length });
  return { ...check, imported: check.rows.length };
}
