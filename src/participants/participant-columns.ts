import type { Gender } from "../platform/db/schema.js";
import { genderNames, type ParticipantCode } from "./codes.js";
import { formatPersonalNumber } from "./personal-number.js";

/**
 * The one column set of a participant file: the export writes it and the import reads it, so that a file exported
 * from one insats can be imported into another. Keys are the fields of enrolmentInput and exitInput, so that an
 * error about a field lands in its column.
 */
export const participantColumns = [
  { key: "personalNumber", header: "personnummer", synonyms: ["personnr", "pnr", "samordningsnummer"] },
  { key: "name", header: "namn", synonyms: ["fullständigt namn", "för och efternamn"] },
  { key: "gender", header: "kön", synonyms: ["gender"] },
  { key: "birthYear", header: "födelseår", synonyms: ["född år"] },
  { key: "enrolledOn", header: "inskriven", synonyms: ["inskrivningsdatum", "inskriven datum", "startdatum"] },
  { key: "referrerMemberId", header: "remittent", synonyms: ["aktualiserad av", "remitterad av", "medlem"] },
  {
    key: "incomeSourceAtEnrolment",
    header: "försörjning_start",
    synonyms: ["försörjning vid start", "försörjning vid inskrivning", "försörjning"],
  },
  { key: "targetAtStart", header: "mål_vid_start", synonyms: ["mål", "mål vid inskrivning"] },
  { key: "consentOn", header: "samtycke_datum", synonyms: ["samtycke", "samtyckesdatum", "samtycke lämnat"] },
  { key: "consentVersion", header: "samtycke_version", synonyms: ["samtyckesversion"] },
  { key: "exitedOn", header: "avslutad", synonyms: ["avslutsdatum", "utskriven", "utskrivningsdatum", "slutdatum"] },
  { key: "exitReason", header: "avslutsorsak", synonyms: ["orsak till avslut", "utfall"] },
  { key: "incomeSourceAtExit", header: "försörjning_avslut", synonyms: ["försörjning vid avslut"] },
] as const;

export type ColumnKey = (typeof participantColumns)[number]["key"];

/** Columns that every file must have: an enrolment needs its date and the income source at start. */
export const requiredColumns: readonly ColumnKey[] = ["enrolledOn", "incomeSourceAtEnrolment"];

export const columnHeader = (key: ColumnKey) => participantColumns.find((column) => column.key === key)?.header ?? key;

export const isColumnKey = (value: string): value is ColumnKey =>
  participantColumns.some((column) => column.key === value);

/** Headers compare without case, accents, spaces, "_" or "-": "Försörjning start" is försörjning_start. */
export function normaliseHeader(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[\s_\-.]+/g, " ")
    .trim();
}

const headerIndex = new Map<string, ColumnKey>(
  participantColumns.flatMap((column) =>
    [column.header, ...column.synonyms].map((name) => [normaliseHeader(name), column.key] as const),
  ),
);

/** Which column each header of a file is: null for a header that is no column (or one already taken). */
export type Mapping = (ColumnKey | null)[];

export function autoMapping(headers: readonly string[]): Mapping {
  const taken = new Set<ColumnKey>();
  return headers.map((header) => {
    const key = headerIndex.get(normaliseHeader(header));
    if (!key || taken.has(key)) return null;
    taken.add(key);
    return key;
  });
}

/** Problems with a mapping as a whole, which no row can be checked without. */
export function mappingErrors(mapping: Mapping): string[] {
  const errors: string[] = [];
  for (const column of participantColumns) {
    const count = mapping.filter((key) => key === column.key).length;
    if (count > 1) errors.push(`Kolumnen ${column.header} är vald för ${count} rubriker: välj den för en.`);
  }
  for (const key of requiredColumns) {
    if (!mapping.includes(key)) {
      errors.push(`Filen saknar kolumnen ${columnHeader(key)}: välj vilken rubrik som är ${columnHeader(key)}.`);
    }
  }
  return errors;
}

/** A spreadsheet program runs a cell that starts like a formula; the export quotes it and the import unquotes it. */
const FORMULA_START = /^[=+\-@\t\r]/;
export const protectFormula = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);
const unprotectFormula = (text: string) =>
  text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;

/** One row of a file as text per column; columns the file does not have are absent. */
export type RawRecord = Partial<Record<ColumnKey, string>>;

export function rawRecord(row: readonly string[], mapping: Mapping): RawRecord {
  const record: RawRecord = {};
  for (const [index, key] of mapping.entries()) {
    if (key) record[key] = unprotectFormula((row[index] ?? "").trim());
  }
  return record;
}

const genderWords = new Map<string, Gender>([
  ...Object.entries(genderNames).map(([gender, name]) => [normaliseHeader(name), gender as Gender] as const),
  ...(["woman", "man", "other_unknown"] as const).map((gender) => [normaliseHeader(gender), gender] as const),
  ["k", "woman"],
  ["kvinna", "woman"],
  ["m", "man"],
  ["annat", "other_unknown"],
  ["okand", "other_unknown"],
  ["uppgift saknas", "other_unknown"],
]);

/** Gender as the file writes it (Kvinna, K, man, annat …): "" when empty, undefined when not understood. */
export function readGender(text: string): Gender | "" | undefined {
  if (text === "") return "";
  return genderWords.get(normaliseHeader(text));
}

// Built once per code list, not once per cell: an import reads three codes in each of up to 100 000 rows.
const codeIndexes = new WeakMap<readonly ParticipantCode[], Map<string, string>>();

/** A code written as its code or its label, any case; undefined when the list has no such entry. */
export function readCode(codes: readonly ParticipantCode[], text: string): string | undefined {
  let index = codeIndexes.get(codes);
  if (!index) {
    index = new Map(
      codes.flatMap((entry) => [
        [normaliseHeader(entry.label), entry.code],
        [normaliseHeader(entry.code), entry.code],
      ]),
    );
    codeIndexes.set(codes, index);
  }
  return index.get(normaliseHeader(text));
}

/** What an exported row is made of: an enrolment, its referrer's name and, for who may see it, the identity. */
export type ExportRow = {
  identity: { personalNumber: string; name: string | null } | undefined;
  gender: Gender;
  birthYear: number | null;
  enrolledOn: string;
  referrerName: string | null;
  incomeSourceAtEnrolment: string;
  targetAtStart: string | null;
  consentOn: string | null;
  consentVersion: string | null;
  exitedOn: string | null;
  exitReason: string | null;
  incomeSourceAtExit: string | null;
};

/** The row's cells in column order, as the import reads them back. */
export function exportCells(row: ExportRow): string[] {
  const values: Record<ColumnKey, string | number | null> = {
    personalNumber: row.identity ? formatPersonalNumber(row.identity.personalNumber) : null,
    name: row.identity?.name ?? null,
    gender: genderNames[row.gender],
    birthYear: row.birthYear,
    enrolledOn: row.enrolledOn,
    referrerMemberId: row.referrerName,
    incomeSourceAtEnrolment: row.incomeSourceAtEnrolment,
    targetAtStart: row.targetAtStart,
    consentOn: row.consentOn,
    consentVersion: row.consentVersion,
    exitedOn: row.exitedOn,
    exitReason: row.exitReason,
    incomeSourceAtExit: row.incomeSourceAtExit,
  };
  return participantColumns.map((column) => String(values[column.key] ?? ""));
}
