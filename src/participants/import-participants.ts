import { listMembers } from "../associations/repository.js";
import { audit } from "../audit/record.js";
import type { Keyring } from "../platform/crypto/keyring.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, type FieldError } from "../platform/http/errors.js";
import { toFieldErrors } from "../platform/http/validation.js";
import type { Table } from "../platform/import/table-file.js";
import type { CodeLists } from "./codes.js";
import {
  type EnrolmentContext,
  enrolmentContext,
  enrolmentErrors,
  enrolParticipant,
  OVERLAP_MESSAGE,
} from "./enrol-participant.js";
import { exitParticipant } from "./exit-participant.js";
import { identityHash, participantSettings } from "./identity.js";
import { type Mapping, mappingErrors, type RawRecord, rawRecord, readCode, readGender } from "./participant-columns.js";
import { type EnrolmentInput, type ExitInput, enrolmentInput, exitInput } from "./participant-input.js";
import { parsePersonalNumber } from "./personal-number.js";
import { enrolmentPeriodsByHash } from "./repository.js";

/**
 * Bulk import of an insats's participants from a file (participant-columns.ts): every row is checked as the
 * enrolment form checks one, plus duplicates within the file and overlaps with enrolments already recorded, and the
 * file is written all or nothing, one enrolParticipant (and exitParticipant) per row in the request's transaction.
 */

/** A row that passed every check: what enrolParticipant and exitParticipant get. */
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
  const settings = await participantSettings(tenant.tx, keyring, associationId);
  const recorded = new Map<string, Period[]>();
  for (const period of await enrolmentPeriodsByHash(tenant.tx, associationId, interventionId)) {
    const key = Buffer.from(period.identity_hash ?? []).toString("hex");
    recorded.set(key, [...(recorded.get(key) ?? []), { from: period.enrolled_on, to: period.exited_on }]);
  }
  const inFile = new Map<string, Period[]>();
  for (const row of recognisable) {
    const number = row.personalNumber as string;
    const hash = (await identityHash(tenant.tx, keyring, associationId, number, settings)).toString("hex");
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
 * Writes every row, or nothing: the first row that enrolParticipant still refuses (say, another user enrolled the
 * same person meanwhile) is reported like a checked one, and the caller answers with an error status, which rolls
 * the request's transaction back.
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
  const check = await checkImport(options);
  if (check.fileErrors.length > 0 || check.rowErrors.size > 0) return { ...check, imported: 0 };
  for (const row of check.rows) {
    try {
      const { enrolment } = await enrolParticipant({
        tenant,
        keyring,
        interventionId,
        input: row.enrolment,
        context: check.context,
      });
      if (row.exit) {
        await exitParticipant({
          tenant,
          interventionId,
          enrolmentId: enrolment.id,
          version: enrolment.version,
          input: row.exit,
        });
      }
    } catch (error) {
      if (!(error instanceof AppError) || error.fieldErrors.length === 0) throw error;
      check.rowErrors.set(row.index, error.fieldErrors);
      return { ...check, imported: 0 };
    }
  }
  await audit(tenant, "participant.import", { type: "intervention", id: interventionId }, { rows: check.rows.length });
  return { ...check, imported: check.rows.length };
}
