import type { Gender, ParticipantCodeList } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { listParticipantCodes } from "./repository.js";

export type ParticipantCode = { code: string; label: string; nationalCode: string; active: boolean };

export const genderNames: Record<Gender, string> = {
  woman: "Kvinna",
  man: "Man",
  other_unknown: "Annat / uppgift saknas",
};

/** Försörjning vid start and vid avslut (glossary), as the national follow-up names them. */
const incomeSources: [string, string][] = [
  ["sjukpenning", "Sjukpenning"],
  ["sjuk_aktivitetsersattning", "Sjuk- eller aktivitetsersättning"],
  ["forsorjningsstod", "Försörjningsstöd"],
  ["arbetsloshetsersattning", "Arbetslöshetsersättning"],
  ["aktivitetsstod", "Aktivitetsstöd / utvecklingsersättning"],
  ["lon", "Lön"],
  ["studiemedel", "Studiemedel"],
  ["annan", "Annan försörjning"],
  ["ingen", "Ingen ersättning"],
  ["okand", "Uppgift saknas"],
];

/** Avslutsorsak / utfall (issue [3] and slutrapport-templates.md §3.3). */
const exitReasons: [string, string][] = [
  ["arbete", "Arbete"],
  ["arbete_med_stod", "Arbete med stöd"],
  ["studier", "Studier"],
  ["arbetssokande", "Arbetssökande"],
  ["annan_insats", "Annan insats"],
  ["sjukskrivning", "Sjukskrivning"],
  ["flytt", "Flytt"],
  ["avbrott", "Avbrott"],
  ["annat", "Annat"],
];

const builtIn: Record<ParticipantCodeList, ParticipantCode[]> = {
  income_source: incomeSources.map(([code, label]) => ({ code, label, nationalCode: code, active: true })),
  exit_reason: exitReasons.map(([code, label]) => ({ code, label, nationalCode: code, active: true })),
};

export const codeListNames: Record<ParticipantCodeList, string> = {
  income_source: "Försörjning",
  exit_reason: "Avslutsorsak",
};

/** The national codes that count as "till arbete eller studier", the share the reports ask for. */
export const workOrStudies = new Set(["arbete", "arbete_med_stod", "studier"]);

export const builtInCodes = (list: ParticipantCodeList) => builtIn[list];

/** The association's own list where it has one, else the built-in one. */
export async function codeList(tx: Tx, associationId: string, list: ParticipantCodeList): Promise<ParticipantCode[]> {
  const own = await listParticipantCodes(tx, associationId, list);
  return own.length > 0 ? own : builtIn[list];
}

export type CodeLists = Record<ParticipantCodeList, ParticipantCode[]>;

export async function codeLists(tx: Tx, associationId: string): Promise<CodeLists> {
  return {
    income_source: await codeList(tx, associationId, "income_source"),
    exit_reason: await codeList(tx, associationId, "exit_reason"),
  };
}

export const labelOf = (codes: ParticipantCode[], code: string | null) =>
  code === null ? "" : (codes.find((entry) => entry.code === code)?.label ?? code);
