import { z } from "zod";
import { audit } from "../audit/record.js";
import type { Keyring } from "../platform/crypto/keyring.js";
import type { ParticipantCodeList } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { type FieldError, invalidInput } from "../platform/http/errors.js";
import { parseOrThrow, requiredText } from "../platform/http/validation.js";
import { builtInCodes, codeLists } from "./codes.js";
import { participantSettings } from "./identity.js";
import {
  findParticipantSettings,
  participantCodesInUse,
  replaceParticipantCodes,
  updateParticipantSettings,
} from "./repository.js";

/**
 * Deltagarinställningar: how long identities are kept after the last exit, the version of the consent text new
 * enrolments record, and the association's own code lists, each code reported as one of the national codes.
 */

export const codeListKinds = ["income_source", "exit_reason"] as const satisfies readonly ParticipantCodeList[];

/** One row of a code list as the form shows and posts it; a row whose code is not saved yet is a new code. */
export type CodeRow = { code: string; label: string; nationalCode: string; active: boolean; remove: boolean };

export type SettingsForm = {
  retentionYears: string;
  consentVersion: string;
  lists: Record<ParticipantCodeList, CodeRow[]>;
};

/** Field names, shared by the form and the error paths: "income_source.3.label". */
export const codeField = (list: ParticipantCodeList, index: number, field: keyof CodeRow) =>
  `${list}.${index}.${field}`;

const retentionMessage = "Ange gallringstiden i hela år, 1–50.";

const codeRow = z.object({
  code: z.string().regex(/^[a-z0-9_]{1,40}$/, "Skriv koden med små bokstäver a–z, siffror och _ (högst 40 tecken)."),
  label: requiredText("Ange en benämning.", 100),
  nationalCode: z.string(),
  active: z.boolean(),
  remove: z.boolean(),
});

const settingsInput = z.object({
  retentionYears: z.coerce
    .number({ error: retentionMessage })
    .int(retentionMessage)
    .min(1, retentionMessage)
    .max(50, retentionMessage),
  consentVersion: requiredText("Ange samtyckestextens version, t.ex. 2026-1.", 40),
  income_source: z.array(codeRow),
  exit_reason: z.array(codeRow),
});

/** What the settings page shows: the saved settings (defaults before the first enrolment) and the codes in use. */
export async function settingsState(tenant: Tenant) {
  const { tx, association } = tenant;
  const settings = await findParticipantSettings(tx, association.id);
  const codes = await codeLists(tx, association.id);
  const form: SettingsForm = {
    retentionYears: String(settings?.retention_years ?? 5),
    consentVersion: settings?.consent_version ?? "1",
    lists: {
      income_source: codes.income_source.map((code) => ({ ...code, remove: false })),
      exit_reason: codes.exit_reason.map((code) => ({ ...code, remove: false })),
    },
  };
  const inUse = {
    income_source: await participantCodesInUse(tx, association.id, "income_source"),
    exit_reason: await participantCodesInUse(tx, association.id, "exit_reason"),
  };
  return { form, saved: codes, inUse };
}

export type SettingsState = Awaited<ReturnType<typeof settingsState>>;

/** The posted form as typed, rows in their posted order; the blank row for a new code is left out when empty. */
export function readSettingsForm(body: Record<string, unknown>): SettingsForm {
  const text = (name: string) => {
    const value = body[name];
    return typeof value === "string" ? value.trim() : "";
  };
  const rows = (list: ParticipantCodeList) => {
    const result: CodeRow[] = [];
    for (let index = 0; typeof body[codeField(list, index, "code")] === "string"; index += 1) {
      const row = {
        code: text(codeField(list, index, "code")),
        label: text(codeField(list, index, "label")),
        nationalCode: text(codeField(list, index, "nationalCode")),
        active: body[codeField(list, index, "active")] !== undefined,
        remove: body[codeField(list, index, "remove")] !== undefined,
      };
      if (row.code !== "" || row.label !== "") result.push(row);
    }
    return result;
  };
  return {
    retentionYears: text("retentionYears"),
    consentVersion: text("consentVersion"),
    lists: { income_source: rows("income_source"), exit_reason: rows("exit_reason") },
  };
}

/** The checks a schema cannot make: national codes, duplicates, codes in use, and at least one code to choose. */
function codeListErrors(list: ParticipantCodeList, rows: CodeRow[], inUse: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  const national = new Set(builtInCodes(list).map((code) => code.code));
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    if (!national.has(row.nationalCode)) {
      errors.push({
        path: codeField(list, index, "nationalCode"),
        message: "Välj vilken nationell kod koden räknas som.",
      });
    }
    if (seen.has(row.code))
      errors.push({ path: codeField(list, index, "code"), message: "Koden finns redan i listan." });
    seen.add(row.code);
    if (row.remove && inUse.has(row.code)) {
      errors.push({
        path: codeField(list, index, "remove"),
        message: `”${row.label}” används i inskrivningar eller uppföljningar och kan bara inaktiveras, inte tas bort.`,
      });
    }
  }
  const kept = rows.filter((row) => !row.remove);
  for (const code of inUse) {
    if (!kept.some((row) => row.code === code) && !rows.some((row) => row.code === code)) {
      errors.push({ path: "form", message: `Koden ${code} används och kan bara inaktiveras, inte tas bort.` });
    }
  }
  if (!kept.some((row) => row.active)) {
    errors.push({ path: codeField(list, 0, "active"), message: "Minst en kod i listan behöver vara aktiv." });
  }
  return errors;
}

/** Saves everything at once, or nothing: every problem is reported together with the field it belongs to. */
export async function saveParticipantSettings(tenant: Tenant, keyring: Keyring, form: SettingsForm) {
  const { tx, association } = tenant;
  const input = parseOrThrow(settingsInput, {
    retentionYears: form.retentionYears,
    consentVersion: form.consentVersion,
    ...form.lists,
  });
  const errors: FieldError[] = [];
  for (const list of codeListKinds) {
    errors.push(...codeListErrors(list, input[list], await participantCodesInUse(tx, association.id, list)));
  }
  if (errors.length > 0) throw invalidInput(errors);
  await participantSettings(tx, keyring, association.id);
  await updateParticipantSettings(tx, association.id, input);
  for (const list of codeListKinds) {
    await replaceParticipantCodes(
      tx,
      association.id,
      list,
      input[list].filter((row) => !row.remove),
    );
  }
  await audit(tenant, "participant.settings_update", undefined, {
    retentionYears: input.retentionYears,
    consentVersion: input.consentVersion,
    incomeSourceCodes: input.income_source.filter((row) => !row.remove).length,
    exitReasonCodes: input.exit_reason.filter((row) => !row.remove).length,
  });
}
