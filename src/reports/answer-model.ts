import { z } from "zod";
// For zod's own issues (unknown keys, wrong types) in Swedish.
import "../platform/http/validation.js";
import { goalStatuses, partyRoles } from "./template-model.js";

/**
 * What a report stores per section key. Answers are kept as JSON, so money is a string of decimal digits in öre
 * ("87721200" = 877 212 kr): exact at any size, unlike a JSON number, and turned into bigint only to compute.
 * Every answer can be marked "ej aktuellt" and keeps the legacy text it came from with notes on what did not parse.
 */

export const MAX_TEXT = 20_000;
/** 10 000 000 000 kr, as for grants. */
export const MAX_AMOUNT_ORE = 1_000_000_000_000n;

const limit = (max: number) => `Högst ${max.toLocaleString("sv-SE")} tecken.`;
export const text = (max = MAX_TEXT) => z.string({ error: "Ange en text." }).max(max, limit(max));

export const isoDate = z.iso.date({ error: "Ange datumet som ÅÅÅÅ-MM-DD." });

export const amountOre = z.string({ error: "Ange beloppet i öre som ett heltal." }).superRefine((value, ctx) => {
  if (/^-\s*\d/.test(value)) {
    ctx.addIssue({ code: "custom", message: "Beloppet kan inte vara negativt." });
  } else if (!/^(0|[1-9]\d*)$/.test(value)) {
    ctx.addIssue({ code: "custom", message: "Ange beloppet i öre som ett heltal." });
  } else if (BigInt(value) > MAX_AMOUNT_ORE) {
    ctx.addIssue({ code: "custom", message: "Beloppet kan vara högst 10 000 000 000 kr." });
  }
});

export const emailAddress = z.email("Ange en giltig e-postadress, t.ex. namn@exempel.se.");
export const phoneNumber = z
  .string()
  .regex(/^\+?[\d\s-]{5,20}$/, "Ange telefonnumret med siffror, t.ex. 070-123 45 67.");
export const dateRange = z
  .strictObject({ start: isoDate.optional(), end: isoDate.optional() })
  .refine((range) => !range.start || !range.end || range.start <= range.end, {
    message: "Slutdatum kan inte vara före startdatum.",
    path: ["end"],
  });

const count = z
  .number({ error: "Ange antalet som ett heltal." })
  .int("Ange antalet som ett heltal.")
  .min(0, "Antalet kan inte vara negativt.")
  .max(10_000_000, "Antalet är orimligt stort.");

export const freeTextValue = z.strictObject({
  text: text().optional(),
  /** One answer per party, keyed by the organisation's id, or its name when imported. */
  byParty: z.record(z.string().min(1).max(200), text()).optional(),
});

export const goalRow = z.strictObject({
  /** Group label such as "Övergripande projektmål" or "Delmål". */
  level: text(500).optional(),
  goal: text().min(1, "Ange målet."),
  /** Absent when the report does not say. */
  status: z
    .enum(goalStatuses, { error: "Välj uppnått, delvis uppnått, ej uppnått, struket eller ej bedömt." })
    .optional(),
  /** The report's own words, e.g. "Ja, i de fall …" or "JA/NEJ". */
  achievedRaw: text(2000).optional(),
  outcome: text().optional(),
  targetValue: z.number().finite().optional(),
  actualValue: z.number().finite().optional(),
  unit: text(50).optional(),
});
export const goalTableValue = z.strictObject({ rows: z.array(goalRow).max(200, "Högst 200 mål.") });

export const costRow = z.strictObject({
  category: z.string().min(1, "Välj kostnadsslag."),
  specification: text(500).optional(),
  budgetOre: amountOre.optional(),
  outcomeOre: amountOre.optional(),
});
export const costTableValue = z.strictObject({ rows: z.array(costRow).max(50) });

export const fundsValue = z.strictObject({
  text: text().optional(),
  returnedOre: amountOre.optional(),
  returnedDate: isoDate.optional(),
  /** Answers to the branch questions, by question key. */
  answers: z.record(z.string(), text()).optional(),
});

export const partyRow = z
  .strictObject({
    role: z.enum(partyRoles, { error: "Välj insatsägare eller samverkanspart." }),
    organisationId: z.uuid("Välj organisation.").optional(),
    /** The name as written, when the organisation is not (yet) in the registry. */
    organisationName: text(200).optional(),
    workplace: text(200).optional(),
    contactName: text(200).optional(),
    email: emailAddress.optional(),
    phone: phoneNumber.optional(),
    postalCode: text(50).optional(),
    postalAddress: text(200).optional(),
  })
  .refine((row) => row.organisationId || row.organisationName, {
    message: "Ange organisationen.",
    path: ["organisationName"],
  });
export const partyListValue = z.strictObject({ rows: z.array(partyRow).max(50) });

export const participantRow = z.strictObject({
  outcome: z.string().min(1, "Välj utfall."),
  woman: count.optional(),
  man: count.optional(),
  unknown: count.optional(),
});
export const participantStatsValue = z.strictObject({
  rows: z.array(participantRow).max(100),
  /** Whether every participant is counted under exactly one outcome; non-exclusive rows are never summed. */
  exclusive: z.boolean().optional(),
});

export const genderEqualityValue = z.strictObject({ text: text().optional() });

export const signature = z.strictObject({
  role: z.enum([...partyRoles, "party", "informant"]).optional(),
  /** Organisation id, or its name as written. */
  organisation: text(200).optional(),
  place: text(100).optional(),
  date: isoDate.optional(),
  /** The date as written when it could not be read, e.g. "22/12" or "Timrå 2021/16". */
  dateRaw: text(100).optional(),
  name: text(200).optional(),
  nameClarification: text(200).optional(),
});
export const signatureBlockValue = z.strictObject({ signatures: z.array(signature).max(30) });

export const officeFieldsValue = z.strictObject({
  registryNumber: text(50).optional(),
  signature: text(50).optional(),
  arrivalDate: isoDate.optional(),
});

export const attachmentsValue = z.strictObject({
  files: z.array(z.strictObject({ fileId: z.uuid(), name: text(255).min(1), caption: text(500).optional() })),
});

/** Field values by key: a string, or { start, end } for a date range; which kind each must be is in the template. */
export const fieldGroupValue = z.record(z.string(), z.unknown());

export const valueSchemas = {
  office_fields: officeFieldsValue,
  field_group: fieldGroupValue,
  party_list: partyListValue,
  free_text: freeTextValue,
  goal_table: goalTableValue,
  cost_table: costTableValue,
  funds_summary: fundsValue,
  participant_stats: participantStatsValue,
  gender_equality: genderEqualityValue,
  signature_block: signatureBlockValue,
  attachments: attachmentsValue,
} as const;
export type AnsweredSectionType = keyof typeof valueSchemas;
export type AnswerValue<T extends AnsweredSectionType> = z.output<(typeof valueSchemas)[T]>;

export type FreeTextValue = AnswerValue<"free_text">;
export type GoalRow = z.output<typeof goalRow>;
export type CostRow = z.output<typeof costRow>;
export type FundsValue = AnswerValue<"funds_summary">;
export type PartyRow = z.output<typeof partyRow>;
export type ParticipantRow = z.output<typeof participantRow>;
export type Signature = z.output<typeof signature>;

export const sectionAnswer = z.strictObject({
  value: z.unknown().optional(),
  /** "Ej aktuellt": the section is answered by saying it does not apply, instead of deleting the prompt. */
  notApplicable: z.boolean().optional(),
  /** The legacy text the value was read from. */
  rawText: text().optional(),
  parseNotes: z.array(text(2000)).max(100).optional(),
});
export type SectionAnswer<V = unknown> = Omit<z.output<typeof sectionAnswer>, "value"> & { value?: V };
export type ReportAnswers = Record<string, SectionAnswer>;
