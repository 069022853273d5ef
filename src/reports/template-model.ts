import { z } from "zod";

/**
 * A report template version: an ordered tree of section definitions, each of one type from a small catalogue, with
 * the labels exactly as the förbund printed them (see the Slutrapport templates analysis). Templates are data, so an
 * association can get its own form without code; a version never changes once reports use it.
 */

export const SECTION_KEY_PATTERN = /^[a-z0-9_.-]+$/;
const sectionKey = z
  .string()
  .regex(SECTION_KEY_PATTERN, "Nyckeln får bara innehålla a–z, 0–9, punkt, bindestreck och understreck.");
const printedText = z.string().min(1, "Texten får inte vara tom.").max(2000, "Högst 2 000 tecken.");

export const partyRoles = ["owner", "partner"] as const;
export type PartyRole = (typeof partyRoles)[number];

export const goalStatuses = ["uppnått", "delvis uppnått", "ej uppnått", "struket", "ej bedömt"] as const;
export type GoalStatus = (typeof goalStatuses)[number];

export const genders = ["woman", "man", "unknown"] as const;
export type Gender = (typeof genders)[number];
export const genderNames: Record<Gender, string> = { woman: "Kvinna", man: "Man", unknown: "Uppgift saknas" };

/** unused = beviljat − utnyttjat; an overspend counts as fully used. */
export const fundsConditions = ["unused_zero", "unused_positive"] as const;
export type FundsCondition = (typeof fundsConditions)[number];

const staticTextConfig = z.object({
  placement: z.enum(["cover", "footer", "every_page"]),
  paragraphs: z.array(printedText).default([]),
  /** Filled from the association's settings when printed: templates never hold personal names. */
  contactBlock: z
    .object({
      contacts: z.array(z.object({ title: printedText })).min(1),
      fields: z.array(z.enum(["name", "title", "association", "postal_address", "email", "phone"])).min(1),
    })
    .optional(),
  /** e.g. "Sida {n}({N})" */
  pageNumber: printedText.optional(),
});

const officeFieldsConfig = z.object({
  /** Only the förbund's staff see and fill these in. */
  staffOnly: z.literal(true),
  fields: z.array(z.object({ field: z.enum(["registry_number", "signature", "arrival_date"]), label: printedText })),
});

/** Fields that the insats record already holds: shown in the report, never typed into it. */
export const fieldSources = ["name", "period", "granted", "used", "intake_end"] as const;
export type FieldSource = (typeof fieldSources)[number];

export const fieldKinds = ["text", "date", "date_range", "money", "email", "phone", "postal"] as const;
export type FieldKind = (typeof fieldKinds)[number];

const fieldDefinition = z.object({
  key: sectionKey,
  kind: z.enum(fieldKinds),
  /** Omitted when the section heading labels the only field (a two-column form: heading cell, answer cell). */
  label: printedText.optional(),
  /** Input format hint such as "åååå-mm-dd"; the printed label stays as it is. */
  hint: printedText.optional(),
  source: z.enum(fieldSources).optional(),
  required: z.boolean().optional(),
  /** date_range only: one field printed as e.g. "{start}—{end}", or two labelled lines. */
  rendering: z
    .discriminatedUnion("style", [
      z.object({ style: z.literal("single"), format: printedText }),
      z.object({ style: z.literal("split"), startLabel: printedText, endLabel: printedText }),
    ])
    .optional(),
});
export type FieldDefinition = z.infer<typeof fieldDefinition>;

const fieldGroupConfig = z.object({
  /** inline prints "Label: value" on one line; stacked prints the label above the value. */
  layout: z.enum(["inline", "stacked"]),
  fields: z.array(fieldDefinition).min(1),
});

export const partyColumns = ["workplace", "contactName", "email", "phone", "postalCode", "postalAddress"] as const;
export type PartyColumn = (typeof partyColumns)[number];

const partyListConfig = z.object({
  roles: z
    .array(
      z.object({
        role: z.enum(partyRoles),
        organisationLabel: printedText,
        /** Empty blocks printed on a blank form. */
        slots: z.number().int().min(1).max(20),
        columns: z.array(z.object({ column: z.enum(partyColumns), label: printedText })).default([]),
      }),
    )
    .min(1),
  /** "numbered" prints "1. Organisation:", "2. Organisation:" … across all roles. */
  numbering: z.enum(["none", "numbered"]),
});

const freeTextConfig = z.object({
  /** Offers one answer per party, as "respektive samverkanspart" questions ask. */
  perParty: z.boolean().default(false),
});

const goalTableConfig = z.object({
  /** Column headers as printed for table; labels of the parts for paragraphs and prose. */
  columns: z.object({ goal: printedText, status: printedText, outcome: printedText }),
  /** The printed first column header carries the number, heading and prompt, so they are not printed above. */
  headingInTable: z.boolean().default(false),
  /** The statuses a submitted report may use, with the words the template prints for them. */
  statuses: z.array(z.object({ status: z.enum(goalStatuses), label: printedText })).min(1),
  render: z.enum(["table", "paragraphs", "prose"]),
});

const costTableConfig = z.object({
  categoryHeader: printedText,
  columns: z.array(z.object({ column: z.enum(["budget", "outcome"]), label: printedText })).min(1),
  /** Printed as `${label} ${hint}`; the specification is typed after it. */
  rows: z.array(z.object({ key: sectionKey, label: printedText, hint: printedText.optional() })).min(1),
  /** The computed Summa row: never typed. */
  totalLabel: printedText,
});

const fundsSummaryConfig = z.object({
  /** Whether the section's own heading and prompts take a free-text answer (UL) or only introduce the branches (GB). */
  text: z.boolean(),
  /** Whether the form asks for the återfört belopp and date. */
  returned: z.boolean(),
  branches: z.array(
    z.object({
      when: z.enum(fundsConditions),
      number: z.string().optional(),
      heading: printedText.optional(),
      questions: z.array(z.object({ key: sectionKey, number: z.string().optional(), text: printedText })).min(1),
    }),
  ),
});

const participantStatsConfig = z.object({
  outcomes: z.array(z.object({ key: sectionKey, label: printedText })).min(1),
  /** "total" asks only for the number of participants (by kön), "table" for every outcome × kön. */
  render: z.enum(["table", "total"]),
});

const genderEqualityConfig = z.object({
  /** The participant_stats section whose counts by kön the answer can refer to. */
  statsSection: sectionKey.optional(),
});

export const signatureLineFields = ["organisation", "place_date", "date", "name", "name_clarification"] as const;

const signatureBlockConfig = z.object({
  layout: z.enum(["list", "grid"]),
  columns: z.union([z.literal(1), z.literal(2)]),
  slots: z
    .array(
      z.object({
        role: z.enum([...partyRoles, "party", "informant"]),
        lines: z.array(z.object({ field: z.enum(signatureLineFields), label: printedText })).min(1),
      }),
    )
    .min(1),
  /** all_parties: every party of the party list signs; informant: the one who submits (uppgiftslämnare). */
  requiredSigners: z.enum(["all_parties", "owner", "informant"]),
});

const attachmentsConfig = z.object({ maxFiles: z.number().int().min(1).max(20) });

const base = {
  key: sectionKey,
  /** As printed: "4." for a main section, "4.1" below it. */
  number: z
    .string()
    .regex(/^\d+(\.\d+)*\.?$/, "Ange numret som 4. eller 4.1.")
    .optional(),
  heading: printedText.optional(),
  prompts: z.array(printedText).default([]),
  required: z.boolean().optional(),
};

const sectionVariant = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("group"), config: z.object({}).default({}) }),
  z.object({ ...base, type: z.literal("static_text"), config: staticTextConfig }),
  z.object({ ...base, type: z.literal("office_fields"), config: officeFieldsConfig }),
  z.object({ ...base, type: z.literal("field_group"), config: fieldGroupConfig }),
  z.object({ ...base, type: z.literal("party_list"), config: partyListConfig }),
  z.object({ ...base, type: z.literal("free_text"), config: freeTextConfig.default({ perParty: false }) }),
  z.object({ ...base, type: z.literal("goal_table"), config: goalTableConfig }),
  z.object({ ...base, type: z.literal("cost_table"), config: costTableConfig }),
  z.object({ ...base, type: z.literal("funds_summary"), config: fundsSummaryConfig }),
  z.object({ ...base, type: z.literal("participant_stats"), config: participantStatsConfig }),
  z.object({ ...base, type: z.literal("gender_equality"), config: genderEqualityConfig.default({}) }),
  z.object({ ...base, type: z.literal("signature_block"), config: signatureBlockConfig }),
  z.object({ ...base, type: z.literal("attachments"), config: attachmentsConfig }),
]);

type SectionVariant = z.output<typeof sectionVariant>;
export type SectionDefinition = SectionVariant & { children?: SectionDefinition[] };
export type SectionType = SectionDefinition["type"];
export type SectionOf<T extends SectionType> = Extract<SectionDefinition, { type: T }>;

export const sectionDefinition: z.ZodType<SectionDefinition> = z.lazy(() =>
  sectionVariant.and(z.object({ children: z.array(sectionDefinition).optional() })),
);

export const templateVersion = z
  .object({
    key: z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+)+$/, "Ange nyckeln som förbund/mall, t.ex. gavleborg/slutrapport."),
    association: printedText,
    title: printedText,
    subtitle: printedText.optional(),
    kind: z.enum(["delrapport", "slutrapport"]),
    sections: z.array(sectionDefinition).min(1),
  })
  .superRefine((template, ctx) => {
    const sections = [...walkSections(template.sections)];
    const problems = [
      ...duplicates(sections.map((section) => section.key)).map((key) => `Nyckeln ${key} används flera gånger.`),
      ...sections.flatMap((section) =>
        duplicates(innerKeys(section)).map((key) => `Nyckeln ${key} används flera gånger i avsnittet ${section.key}.`),
      ),
      ...sections.flatMap((section) => {
        const target = section.type === "gender_equality" ? section.config.statsSection : undefined;
        if (!target) return [];
        return sections.find((candidate) => candidate.key === target)?.type !== "participant_stats"
          ? [`Avsnittet ${section.key} hänvisar till ${target}, som inte är deltagarstatistik.`]
          : [];
      }),
    ];
    for (const message of problems) ctx.addIssue({ code: "custom", path: ["sections"], message });
  });

const duplicates = (keys: string[]) => [...new Set(keys.filter((key, index) => keys.indexOf(key) !== index))];

/** Keys that answers use inside a section: fields, kostnadsslag, branch questions, outcomes. */
function innerKeys(section: SectionDefinition): string[] {
  switch (section.type) {
    case "field_group":
      return section.config.fields.map((field) => field.key);
    case "cost_table":
      return section.config.rows.map((row) => row.key);
    case "funds_summary":
      return section.config.branches.flatMap((branch) => branch.questions.map((question) => question.key));
    case "participant_stats":
      return section.config.outcomes.map((outcome) => outcome.key);
    default:
      return [];
  }
}
export type TemplateVersion = z.output<typeof templateVersion>;

/** Depth-first in printed order. */
export function* walkSections(sections: readonly SectionDefinition[]): Generator<SectionDefinition> {
  for (const section of sections) {
    yield section;
    if (section.children) yield* walkSections(section.children);
  }
}

export function sectionsByKey(template: TemplateVersion): Map<string, SectionDefinition> {
  return new Map([...walkSections(template.sections)].map((section) => [section.key, section]));
}

/** The catalogue as an admin chooses from it. */
export const sectionTypes: readonly { type: SectionType; name: string; description: string }[] = [
  { type: "group", name: "Avsnitt", description: "En numrerad rubrik som samlar underavsnitt." },
  { type: "static_text", name: "Fast text", description: "Instruktioner, förbundets kontaktuppgifter, sidfot." },
  { type: "office_fields", name: "Förbundets noteringar", description: "Diarienummer, signatur och ankomstdatum." },
  { type: "field_group", name: "Uppgifter", description: "Namn, datum, tidsperiod, belopp, e-post, telefon, adress." },
  { type: "party_list", name: "Parter", description: "Insatsägare och samverkansparter med kontaktuppgifter." },
  { type: "free_text", name: "Fritext", description: "En fråga som besvaras med text, även per part." },
  { type: "goal_table", name: "Mål och resultat", description: "Mål med måluppfyllelse och utfall." },
  { type: "cost_table", name: "Kostnadsredovisning", description: "Kostnadsslag med budget, utfall och summa." },
  {
    type: "funds_summary",
    name: "Utnyttjade medel",
    description: "Frågor om beviljade, utnyttjade och återförda medel.",
  },
  { type: "participant_stats", name: "Deltagare", description: "Antal deltagare per utfall och kön." },
  {
    type: "gender_equality",
    name: "Jämställdhet",
    description: "Påverkas utfall/resultat av ett jämställdhetsperspektiv?",
  },
  { type: "signature_block", name: "Underskrifter", description: "Ort, datum och namn för varje part." },
  { type: "attachments", name: "Bilagor", description: "Bifogade filer med beskrivning." },
];
