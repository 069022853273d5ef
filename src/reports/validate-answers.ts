import type { z } from "zod";
import type { FieldError } from "../platform/http/errors.js";
import { toFieldErrors } from "../platform/http/validation.js";
import {
  type AnsweredSectionType,
  type AnswerValue,
  amountOre,
  dateRange,
  emailAddress,
  isoDate,
  type PartyRow,
  phoneNumber,
  type SectionAnswer,
  sectionAnswer,
  text,
  valueSchemas,
} from "./answer-model.js";
import { fundsBranch, type Ore } from "./derived.js";
import {
  type FieldDefinition,
  type SectionDefinition,
  type SectionOf,
  sectionsByKey,
  type TemplateVersion,
} from "./template-model.js";

export type ValidationMode = "draft" | "submit";
export type ValidationOptions = {
  /** draft saves whatever is well-formed; submit also demands every required section and signer. */
  mode: ValidationMode;
  /** The insats's amounts, to tell which funds branch applies. */
  amounts?: { grantedOre?: Ore | null; usedOre?: Ore | null };
};
/** Field errors per section key; empty when the answers are valid. Paths are relative to the section's answer. */
export type AnswerErrors = Record<string, FieldError[]>;

const UNANSWERED = "Besvara avsnittet eller markera det som ej aktuellt.";

type Answered = Extract<SectionDefinition, { type: AnsweredSectionType }>;
const takesAnswers = (section: SectionDefinition): section is Answered =>
  section.type !== "group" && section.type !== "static_text";

export function validateAnswers(template: TemplateVersion, answers: unknown, options: ValidationOptions): AnswerErrors {
  const errors: AnswerErrors = {};
  const report = (key: string, path: string, message: string) => {
    errors[key] ??= [];
    errors[key].push({ path, message });
  };
  if (typeof answers !== "object" || answers === null || Array.isArray(answers)) {
    report("", "", "Svaren saknas.");
    return errors;
  }
  const sections = sectionsByKey(template);
  const parsed = new Map<string, SectionAnswer>();

  for (const [key, raw] of Object.entries(answers)) {
    const section = sections.get(key);
    if (!section) {
      report(key, "", "Avsnittet finns inte i mallen.");
      continue;
    }
    if (!takesAnswers(section)) {
      report(key, "", "Avsnittet tar inte emot svar.");
      continue;
    }
    const envelope = sectionAnswer.safeParse(raw);
    if (!envelope.success) {
      for (const error of toFieldErrors(envelope.error)) report(key, error.path, error.message);
      continue;
    }
    const answer = envelope.data;
    if (answer.value !== undefined) {
      const value = (valueSchemas[section.type] as z.ZodType).safeParse(answer.value);
      if (!value.success) {
        for (const error of toFieldErrors(value.error)) report(key, joinPath("value", error.path), error.message);
        continue;
      }
      answer.value = value.data;
      for (const error of checkAgainstTemplate(section, value.data, options)) {
        report(key, joinPath("value", error.path), error.message);
      }
    }
    parsed.set(key, answer);
  }

  if (options.mode === "submit") {
    for (const section of sections.values()) {
      if (!takesAnswers(section)) continue;
      const answer = parsed.get(section.key);
      if (answer?.notApplicable) {
        if (answer.value !== undefined && isAnswered(section, answer.value)) {
          report(section.key, "notApplicable", "Ett avsnitt som är ej aktuellt kan inte också ha svar.");
        }
        continue;
      }
      if (section.required && !(answer?.value !== undefined && isAnswered(section, answer.value))) {
        if (!errors[section.key]) report(section.key, "", UNANSWERED);
        continue;
      }
      if (section.type === "signature_block" && answer?.value !== undefined) {
        const signatures = answer.value as AnswerValue<"signature_block">;
        for (const message of missingSigners(section, signatures, partiesOf(template, parsed))) {
          report(section.key, "value.signatures", message);
        }
      }
    }
  }
  return errors;
}

const joinPath = (...parts: string[]) => parts.filter(Boolean).join(".");

/** Whether a value says something; a section that only shows insats data counts as answered. */
export function isAnswered(section: Answered, value: unknown): boolean {
  const filled = (text: string | undefined) => text !== undefined && text.trim() !== "";
  switch (section.type) {
    case "free_text": {
      const answer = value as AnswerValue<"free_text">;
      return filled(answer.text) || Object.values(answer.byParty ?? {}).some(filled);
    }
    case "gender_equality":
      return filled((value as AnswerValue<"gender_equality">).text);
    case "goal_table":
      return (value as AnswerValue<"goal_table">).rows.length > 0;
    case "cost_table":
      return (value as AnswerValue<"cost_table">).rows.some((row) => row.budgetOre ?? row.outcomeOre);
    case "funds_summary": {
      const answer = value as AnswerValue<"funds_summary">;
      return filled(answer.text) || Object.values(answer.answers ?? {}).some(filled) || !!answer.returnedOre;
    }
    case "party_list":
      return (value as AnswerValue<"party_list">).rows.length > 0;
    case "participant_stats":
      return (value as AnswerValue<"participant_stats">).rows.length > 0;
    case "signature_block":
      return (value as AnswerValue<"signature_block">).signatures.length > 0;
    case "attachments":
      return (value as AnswerValue<"attachments">).files.length > 0;
    case "office_fields":
      return Object.values(value as object).some((field) => field !== undefined);
    case "field_group": {
      const answer = value as AnswerValue<"field_group">;
      return section.config.fields.every((field) => field.source || !field.required || answer[field.key] !== undefined);
    }
  }
}

function checkAgainstTemplate(section: Answered, value: unknown, options: ValidationOptions): FieldError[] {
  switch (section.type) {
    case "field_group":
      return checkFields(section.config.fields, value as AnswerValue<"field_group">, options.mode);
    case "free_text":
      return !section.config.perParty && (value as AnswerValue<"free_text">).byParty
        ? [{ path: "byParty", message: "Avsnittet besvaras inte per part." }]
        : [];
    case "goal_table":
      return checkGoals(section, value as AnswerValue<"goal_table">, options.mode);
    case "cost_table":
      return checkCostRows(section, value as AnswerValue<"cost_table">);
    case "funds_summary":
      return checkFunds(section, value as AnswerValue<"funds_summary">, options);
    case "party_list":
      return checkParties(section, value as AnswerValue<"party_list">, options.mode);
    case "participant_stats": {
      const outcomes = new Set(section.config.outcomes.map((outcome) => outcome.key));
      return (value as AnswerValue<"participant_stats">).rows.flatMap((row, index) =>
        outcomes.has(row.outcome) ? [] : [{ path: `rows.${index}.outcome`, message: "Okänt utfall." }],
      );
    }
    case "attachments":
      return (value as AnswerValue<"attachments">).files.length > section.config.maxFiles
        ? [{ path: "files", message: `Högst ${section.config.maxFiles} bilagor.` }]
        : [];
    default:
      return [];
  }
}

const fieldSchemas: Record<FieldDefinition["kind"], z.ZodType> = {
  text: text(2000),
  date: isoDate,
  date_range: dateRange,
  money: amountOre,
  email: emailAddress,
  phone: phoneNumber,
  postal: text(200),
};

function checkFields(fields: readonly FieldDefinition[], value: AnswerValue<"field_group">, mode: ValidationMode) {
  const errors: FieldError[] = [];
  const byKey = new Map(fields.map((field) => [field.key, field]));
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = byKey.get(key);
    if (!field) errors.push({ path: key, message: "Fältet finns inte i mallen." });
    else if (field.source) errors.push({ path: key, message: "Uppgiften hämtas från insatsen och skrivs inte här." });
    else {
      const result = fieldSchemas[field.kind].safeParse(fieldValue);
      if (!result.success)
        errors.push(...toFieldErrors(result.error).map((e) => ({ ...e, path: joinPath(key, e.path) })));
    }
  }
  if (mode === "submit") {
    for (const field of fields) {
      if (field.required && !field.source && value[field.key] === undefined) {
        errors.push({ path: field.key, message: `Fyll i ${field.label?.replace(/:$/, "") ?? "fältet"}.` });
      }
    }
  }
  return errors;
}

function checkGoals(section: SectionOf<"goal_table">, value: AnswerValue<"goal_table">, mode: ValidationMode) {
  if (mode === "draft") return [];
  const allowed = new Set(section.config.statuses.map((status) => status.status));
  return value.rows.flatMap((row, index): FieldError[] => {
    if (!row.status) return [{ path: `rows.${index}.status`, message: "Ange om målet har uppnåtts." }];
    if (!allowed.has(row.status)) {
      const labels = section.config.statuses.map((status) => status.label).join(", ");
      return [{ path: `rows.${index}.status`, message: `Välj något av: ${labels}.` }];
    }
    return [];
  });
}

function checkCostRows(section: SectionOf<"cost_table">, value: AnswerValue<"cost_table">) {
  const categories = new Set(section.config.rows.map((row) => row.key));
  const seen = new Set<string>();
  return value.rows.flatMap((row, index): FieldError[] => {
    const path = `rows.${index}.category`;
    if (!categories.has(row.category)) return [{ path, message: "Okänt kostnadsslag." }];
    if (seen.has(row.category)) return [{ path, message: "Kostnadsslaget finns redan i tabellen." }];
    seen.add(row.category);
    return [];
  });
}

function checkFunds(
  section: SectionOf<"funds_summary">,
  value: AnswerValue<"funds_summary">,
  options: ValidationOptions,
) {
  const errors: FieldError[] = [];
  if (!section.config.text && value.text !== undefined) {
    errors.push({ path: "text", message: "Avsnittet har ingen egen fritext; besvara frågorna." });
  }
  const questions = new Map(
    section.config.branches.flatMap((branch) => branch.questions.map((question) => [question.key, branch.when])),
  );
  for (const key of Object.keys(value.answers ?? {})) {
    if (!questions.has(key)) errors.push({ path: `answers.${key}`, message: "Frågan finns inte i mallen." });
  }
  const branch = fundsBranch(options.amounts?.grantedOre, options.amounts?.usedOre);
  if (options.mode === "submit" && branch) {
    for (const [key, when] of questions) {
      const answered = (value.answers?.[key] ?? "").trim() !== "";
      if (when === branch && !answered) errors.push({ path: `answers.${key}`, message: "Besvara frågan." });
      if (when !== branch && answered) {
        const message =
          branch === "unused_positive"
            ? "Frågan gäller bara när beviljade medel är helt utnyttjade."
            : "Frågan gäller bara när beviljade medel inte är helt utnyttjade.";
        errors.push({ path: `answers.${key}`, message });
      }
    }
  }
  return errors;
}

function checkParties(section: SectionOf<"party_list">, value: AnswerValue<"party_list">, mode: ValidationMode) {
  const roles = new Set(section.config.roles.map((role) => role.role));
  const errors: FieldError[] = value.rows.flatMap((row, index) =>
    roles.has(row.role) ? [] : [{ path: `rows.${index}.role`, message: "Rollen finns inte i mallen." }],
  );
  const owners = value.rows.filter((row) => row.role === "owner").length;
  if (mode === "submit" && roles.has("owner") && owners !== 1) {
    errors.push({ path: "rows", message: "Ange exakt en insatsägare." });
  }
  return errors;
}

function partiesOf(template: TemplateVersion, answers: Map<string, SectionAnswer>): PartyRow[] {
  return [...sectionsByKey(template).values()]
    .filter((section) => section.type === "party_list")
    .flatMap((section) => (answers.get(section.key)?.value as AnswerValue<"party_list"> | undefined)?.rows ?? []);
}

function missingSigners(
  section: SectionOf<"signature_block">,
  value: AnswerValue<"signature_block">,
  parties: PartyRow[],
): string[] {
  const signed = value.signatures.filter((signature) => signature.date && (signature.name || signature.organisation));
  if (section.config.requiredSigners === "informant") {
    return signed.some((signature) => signature.name) ? [] : ["Uppgiftslämnarens namn och datum saknas."];
  }
  const required = section.config.requiredSigners === "owner" ? parties.filter((p) => p.role === "owner") : parties;
  const signedBy = new Set(signed.map((signature) => signature.organisation));
  return required
    .filter((party) => !signedBy.has(party.organisationId) && !signedBy.has(party.organisationName))
    .map((party) => `${party.organisationName ?? "En part"} har inte skrivit under med datum.`);
}
