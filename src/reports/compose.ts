import { type Block, type Cell, cell, type ExportDocument, type FieldRow } from "../platform/export/document.js";
import { formatKronor, formatPercent } from "../platform/ui/format.js";
import type { AnswerValue, PartyRow, ReportAnswers, SectionAnswer, Signature } from "./answer-model.js";
import { costTotals, fundsBranch, participantCounts, unusedOre } from "./derived.js";
import {
  type FieldDefinition,
  type FieldSource,
  genderNames,
  genders,
  type SectionDefinition,
  type SectionOf,
  type TemplateVersion,
  walkSections,
} from "./template-model.js";
import { isAnswered } from "./validate-answers.js";

/**
 * A report as the shared export document (ADR 0010), laid out as the förbund printed its template: every heading with
 * its number and every prompt in the printed order, each followed by the answer, so the PDF or Word file reads like the
 * filled-in paper form. Unanswered sections keep their prompts and blank values, so the form stays complete. Text
 * comes from the template, the answers and the insats; numbers that can be computed (Summa, unused funds, totals,
 * shares) are computed here and never taken from answers.
 */

/** An organisation of the insats as its record holds it. */
export type PartyFacts = Omit<PartyRow, "role" | "organisationId" | "organisationName"> & {
  /** Lets answers that name the organisation by id print its name. */
  id?: string;
  name: string;
};

/**
 * What the insats record holds, printed where the template marks a field with a `source` and in party lists the
 * report leaves unanswered. Dates are 'YYYY-MM-DD'; money is öre.
 */
export type ReportFacts = {
  name: string;
  periodStart?: string;
  periodEnd?: string;
  /** The period as a legacy report wrote it: printed only when neither date could be read. */
  periodRaw?: string;
  /** Last day of intake of participants. */
  intakeEnd?: string;
  grantedOre?: bigint | null;
  usedOre?: bigint | null;
  /** The förbund's diarienummer and ankomstdatum, when kept on the insats rather than typed into the report. */
  registryNumber?: string;
  arrivalDate?: string;
  owner?: PartyFacts;
  partners?: PartyFacts[];
};

export type ReportAssociation = {
  name: string;
  /** Printed in the template's contact block, found by title (e.g. "förbundschef"). */
  contacts?: { title: string; name: string; email?: string; phone?: string }[];
  postalAddress?: string;
};

export type ComposeOptions = {
  template: TemplateVersion;
  answers: ReportAnswers;
  facts: ReportFacts;
  association: ReportAssociation;
};

const NOT_APPLICABLE = "Ej aktuellt";
const TOTAL = "Summa";

type Context = Omit<ComposeOptions, "template"> & {
  /** Organisation ids and names as answers refer to them → the name to print. */
  organisationName: (reference: string) => string;
};
type Level = 2 | 3 | 4;

export function composeReport(options: ComposeOptions): ExportDocument {
  const { template, facts, association } = options;
  const parties = [facts.owner, ...(facts.partners ?? [])].filter((party) => party !== undefined);
  const context: Context = {
    ...options,
    organisationName: (reference) => parties.find((party) => party.id === reference)?.name ?? reference,
  };
  // Text printed at the foot of every page of the paper form goes where the renderers repeat it on every page.
  const footer = [...walkSections(template.sections)]
    .flatMap((section) =>
      section.type === "static_text" && section.config.placement !== "cover" ? section.config.paragraphs : [],
    )
    .join(" ");
  return {
    title: `${template.title} – ${facts.name}`,
    lang: "sv-SE",
    author: association.name,
    subject: template.subtitle ? `${template.title} – ${template.subtitle}` : template.title,
    header: association.name,
    ...(footer ? { footer } : {}),
    blocks: [
      { type: "heading", level: 1, text: template.title },
      ...(template.subtitle ? [paragraph(template.subtitle, "strong")] : []),
      ...template.sections.flatMap((section) => sectionBlocks(section, 0, context)),
    ],
  };
}

/** As printed: "4.1 Insatsens mål"; undefined for a section printed without a heading. */
export function printedHeading(section: SectionDefinition): string | undefined {
  const text = [section.number, section.heading].filter(Boolean).join(" ");
  return text || undefined;
}

function sectionBlocks(section: SectionDefinition, depth: number, context: Context): Block[] {
  const level = Math.min(depth + 2, 4) as Level;
  const answer = context.answers[section.key];
  const headingInTable = section.type === "goal_table" && section.config.headingInTable && !answer?.notApplicable;
  const heading = printedHeading(section);
  const intro: Block[] = headingInTable
    ? []
    : [
        ...(heading ? [{ type: "heading", level, text: heading } as const] : []),
        ...section.prompts.map((prompt) => paragraph(prompt, "hint")),
      ];
  return [
    ...intro,
    ...(answer?.notApplicable
      ? [paragraph(NOT_APPLICABLE)]
      : [...rawTextBlocks(section, answer), ...body(section, answer, level, context)]),
    ...(section.children ?? []).flatMap((child) => sectionBlocks(child, depth + 1, context)),
  ];
}

/** The legacy text a value was read from stands in for the value where the value says nothing. */
function rawTextBlocks(section: SectionDefinition, answer: SectionAnswer | undefined): Block[] {
  if (!answer?.rawText || section.type === "group" || section.type === "static_text") return [];
  return answer.value !== undefined && isAnswered(section, answer.value) ? [] : textBlocks(answer.rawText);
}

function body(section: SectionDefinition, answer: SectionAnswer | undefined, level: Level, context: Context): Block[] {
  const value = answer?.value;
  switch (section.type) {
    case "group":
      return [];
    case "static_text":
      return staticText(section, context);
    case "office_fields":
      return officeFields(section, value as AnswerValue<"office_fields"> | undefined, context.facts);
    case "field_group":
      return fieldGroup(section, value as AnswerValue<"field_group"> | undefined, context.facts);
    case "party_list":
      return partyList(section, value as AnswerValue<"party_list"> | undefined, context);
    case "free_text":
      return freeText(value as AnswerValue<"free_text"> | undefined, context);
    case "goal_table":
      return goals(section, value as AnswerValue<"goal_table"> | undefined);
    case "cost_table":
      return costs(section, value as AnswerValue<"cost_table"> | undefined);
    case "funds_summary":
      return funds(section, value as AnswerValue<"funds_summary"> | undefined, level, context.facts);
    case "participant_stats":
      return participants(section, value as AnswerValue<"participant_stats"> | undefined);
    case "gender_equality":
      return textBlocks((value as AnswerValue<"gender_equality"> | undefined)?.text);
    case "signature_block":
      return signatures(section, value as AnswerValue<"signature_block"> | undefined, context);
    case "attachments": {
      const files = (value as AnswerValue<"attachments"> | undefined)?.files ?? [];
      if (files.length === 0) return [];
      return [
        { type: "list", items: files.map((file) => (file.caption ? `${file.name} – ${file.caption}` : file.name)) },
      ];
    }
  }
}

const paragraph = (text: string, style?: "hint" | "strong"): Block =>
  style ? { type: "paragraph", text, style } : { type: "paragraph", text };

/** A typed answer keeps its paragraphs; the renderers print a paragraph's text on lines of their own. */
function textBlocks(text: string | undefined): Block[] {
  return (text ?? "")
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => paragraph(line));
}

/** The renderers print "label: value", so a printed label's own colon ("Insatsens namn:") is left to them. */
const fieldLabel = (label: string) => label.replace(/:\s*$/, "");
const field = (label: string, value: string | undefined): FieldRow => ({
  label: fieldLabel(label),
  value: value ?? "",
});
const fields = (rows: FieldRow[]): Block[] => (rows.length > 0 ? [{ type: "fields", rows }] : []);
const kronor = (ore: bigint | string | null | undefined) =>
  ore === undefined || ore === null ? "" : formatKronor(BigInt(ore));
/** Kronor as a spreadsheet gets them. */
const kronorCell = (ore: bigint | string | null | undefined): Cell =>
  ore === undefined || ore === null ? cell("") : cell(formatKronor(BigInt(ore)), Number(ore) / 100);
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type ContactField = NonNullable<SectionOf<"static_text">["config"]["contactBlock"]>["fields"][number];

function staticText(section: SectionOf<"static_text">, { association }: Context): Block[] {
  if (section.config.placement !== "cover") return [];
  const contacts = section.config.contactBlock;
  return [
    ...section.config.paragraphs.map((text) => paragraph(text)),
    ...(contacts?.contacts ?? []).map(({ title }) => {
      const contact = association.contacts?.find((candidate) => candidate.title.toLowerCase() === title.toLowerCase());
      const values: Record<ContactField, string | undefined> = {
        name: contact?.name,
        title: contact?.title ?? title,
        association: association.name,
        postal_address: association.postalAddress,
        email: contact?.email,
        phone: contact?.phone,
      };
      return paragraph(capitalised((contacts?.fields ?? []).flatMap((key) => values[key] ?? []).join(", ")));
    }),
  ];
}

function officeFields(
  section: SectionOf<"office_fields">,
  value: AnswerValue<"office_fields"> | undefined,
  facts: ReportFacts,
): Block[] {
  const values = {
    registry_number: value?.registryNumber ?? facts.registryNumber,
    signature: value?.signature,
    arrival_date: value?.arrivalDate ?? facts.arrivalDate,
  };
  return fields(section.config.fields.map((office) => field(office.label, values[office.field])));
}

function sourced(source: FieldSource, facts: ReportFacts): unknown {
  switch (source) {
    case "name":
      return facts.name;
    case "period":
      return { start: facts.periodStart, end: facts.periodEnd };
    case "granted":
      return facts.grantedOre;
    case "used":
      return facts.usedOre;
    case "intake_end":
      return facts.intakeEnd;
  }
}

/**
 * A labelled field prints as "label: value"; a field without a label is the only field of its section, whose heading
 * labels it, so its value prints as text below the heading.
 */
function fieldGroup(
  section: SectionOf<"field_group">,
  value: AnswerValue<"field_group"> | undefined,
  facts: ReportFacts,
): Block[] {
  const blocks: Block[] = [];
  const rows: FieldRow[] = [];
  const flush = () => blocks.push(...fields(rows.splice(0)));
  for (const definition of section.config.fields) {
    const raw = definition.source ? sourced(definition.source, facts) : value?.[definition.key];
    if (definition.kind === "date_range" && definition.rendering?.style === "split") {
      const range = (raw ?? {}) as { start?: string; end?: string };
      rows.push(field(definition.rendering.startLabel, range.start), field(definition.rendering.endLabel, range.end));
      if (!range.start && !range.end && definition.source === "period" && facts.periodRaw) {
        flush();
        blocks.push(paragraph(facts.periodRaw));
      }
      continue;
    }
    const text = fieldText(definition, raw, facts);
    if (definition.label) rows.push(field(definition.label, text));
    else {
      flush();
      if (text) blocks.push(paragraph(text));
    }
  }
  flush();
  return blocks;
}

function fieldText(definition: FieldDefinition, raw: unknown, facts: ReportFacts): string {
  switch (definition.kind) {
    case "money":
      return typeof raw === "bigint" || typeof raw === "string" ? kronor(raw) : "";
    case "date_range": {
      const range = (raw ?? {}) as { start?: string; end?: string };
      if (!range.start && !range.end) return (definition.source === "period" && facts.periodRaw) || "";
      const format = definition.rendering?.style === "single" ? definition.rendering.format : "{start} – {end}";
      return format.replace("{start}", range.start ?? "").replace("{end}", range.end ?? "");
    }
    default:
      return typeof raw === "string" ? raw : "";
  }
}

function partyRowsOf(facts: ReportFacts): PartyRow[] {
  const row = (role: PartyRow["role"], { id, name, ...contact }: PartyFacts): PartyRow => ({
    role,
    ...contact,
    ...(id ? { organisationId: id } : {}),
    organisationName: name,
  });
  return [
    ...(facts.owner ? [row("owner", facts.owner)] : []),
    ...(facts.partners ?? []).map((partner) => row("partner", partner)),
  ];
}

/** Every printed slot of every role, blank where no party fills it, and a further block for each party beyond them. */
function partyList(section: SectionOf<"party_list">, value: AnswerValue<"party_list"> | undefined, context: Context) {
  const rows = value?.rows ?? partyRowsOf(context.facts);
  let printed = 0;
  return section.config.roles.flatMap((role) => {
    const filled = rows.filter((row) => row.role === role.role);
    return Array.from({ length: Math.max(role.slots, filled.length) }, (_, index): Block => {
      const row = filled[index];
      printed++;
      const label = fieldLabel(role.organisationLabel);
      const name = row ? (row.organisationName ?? context.organisationName(row.organisationId ?? "")) : "";
      return {
        type: "fields",
        rows: [
          field(section.config.numbering === "numbered" ? `${printed}. ${label}` : label, name),
          ...role.columns.map((column) => field(column.label, row?.[column.column])),
        ],
      };
    });
  });
}

function freeText(value: AnswerValue<"free_text"> | undefined, context: Context): Block[] {
  return [
    ...textBlocks(value?.text),
    ...Object.entries(value?.byParty ?? {}).flatMap(([party, text]) =>
      textBlocks(`${context.organisationName(party)}: ${text}`),
    ),
  ];
}

function goals(section: SectionOf<"goal_table">, value: AnswerValue<"goal_table"> | undefined): Block[] {
  const { columns, statuses, render } = section.config;
  const rows = value?.rows ?? [];
  // The report's own words on whether the goal was reached come before the template's word for the status.
  const attainment = (row: (typeof rows)[number]) =>
    row.achievedRaw ?? statuses.find((status) => status.status === row.status)?.label ?? row.status ?? "";
  // A level ("Övergripande projektmål", "Delmål") is printed once, above the goals it groups.
  const startsLevel = (index: number) => rows[index]!.level && rows[index]!.level !== rows[index - 1]?.level;

  if (render === "table") {
    const body = rows.flatMap((row, index) => [
      ...(startsLevel(index) ? [[{ text: row.level!, strong: true }, cell(""), cell("")]] : []),
      [cell(row.goal), cell(attainment(row)), cell(row.outcome ?? "")],
    ]);
    return [
      {
        type: "table",
        columns: [
          // Wide enough for the report's own words on attainment ("Ja, i de fall som …").
          { header: columns.goal, width: 4 },
          { header: columns.status, width: 3 },
          { header: columns.outcome, width: 4 },
        ],
        // A blank row leaves room to write on an unanswered form.
        rows: body.length > 0 ? body : [[cell(""), cell(""), cell("")]],
      },
    ];
  }
  return rows.flatMap((row, index) => {
    const level = startsLevel(index) ? [paragraph(row.level!, "strong")] : [];
    const status = attainment(row);
    // Without labels, the goal in bold is what tells one goal's text from the next.
    if (render === "prose") {
      return [...level, paragraph(row.goal, "strong"), ...textBlocks(status), ...textBlocks(row.outcome)];
    }
    return [
      ...level,
      paragraph(`${columns.goal}: ${row.goal}`),
      ...(status ? [paragraph(`${columns.status}: ${status}`)] : []),
      ...(row.outcome ? [paragraph(`${columns.outcome}: ${row.outcome}`)] : []),
    ];
  });
}

function costs(section: SectionOf<"cost_table">, value: AnswerValue<"cost_table"> | undefined): Block[] {
  const { categoryHeader, columns, rows, totalLabel } = section.config;
  const answered = value?.rows ?? [];
  const totals = costTotals(answered);
  const amount = { budget: "budgetOre", outcome: "outcomeOre" } as const;
  return [
    {
      type: "table",
      columns: [
        { header: categoryHeader, width: 3 },
        ...columns.map((column) => ({ header: column.label, align: "right" as const, width: 1 })),
      ],
      rows: rows.map((category) => {
        const line = answered.find((row) => row.category === category.key);
        const printed = [category.label, category.hint].filter(Boolean).join(" ");
        return [
          cell(line?.specification ? `${printed}: ${line.specification}` : printed),
          ...columns.map((column) => kronorCell(line?.[amount[column.column]])),
        ];
      }),
      footerRows: [[cell(totalLabel), ...columns.map((column) => kronorCell(totals[amount[column.column]]))]],
    },
  ];
}

/**
 * The branch that the amounts choose, or every branch when they are unknown, as on paper; a branch the report
 * answered anyway is printed too, so no answer is left out.
 */
function funds(
  section: SectionOf<"funds_summary">,
  value: AnswerValue<"funds_summary"> | undefined,
  level: Level,
  facts: ReportFacts,
): Block[] {
  const { config } = section;
  const branch = fundsBranch(facts.grantedOre, facts.usedOre);
  const amountsKnown = facts.grantedOre != null || facts.usedOre != null;
  const answerTo = (key: string) => value?.answers?.[key];
  return [
    ...(config.text ? textBlocks(value?.text) : []),
    ...(amountsKnown
      ? fields([
          field("Beviljade medel", kronor(facts.grantedOre)),
          field("Utnyttjade medel", kronor(facts.usedOre)),
          field("Ej utnyttjade medel", kronor(unusedOre(facts.grantedOre, facts.usedOre))),
        ])
      : []),
    ...(config.returned
      ? fields([field("Återfört belopp", kronor(value?.returnedOre)), field("Återfört den", value?.returnedDate)])
      : []),
    ...config.branches
      .filter(
        (candidate) =>
          branch === undefined ||
          candidate.when === branch ||
          candidate.questions.some((question) => answerTo(question.key)?.trim()),
      )
      .flatMap((candidate) => {
        const heading = [candidate.number, candidate.heading].filter(Boolean).join(" ");
        return [
          ...(heading ? [{ type: "heading", level: Math.min(level + 1, 4) as Level, text: heading } as const] : []),
          ...candidate.questions.flatMap((question) => [
            paragraph([question.number, question.text].filter(Boolean).join(" "), "hint"),
            ...textBlocks(answerTo(question.key)),
          ]),
        ];
      }),
  ];
}

/** A count, with its share of all participants when there are any. */
const countWithShare = (count: number | null, total: number | null) =>
  count === null ? "" : total ? `${count} (${formatPercent(count / total)})` : String(count);

function participants(
  section: SectionOf<"participant_stats">,
  value: AnswerValue<"participant_stats"> | undefined,
): Block[] {
  const { outcomes, render } = section.config;
  const rows = value?.rows ?? [];
  const countsOf = (key: string) => participantCounts(rows.filter((row) => row.outcome === key));
  if (render === "total") {
    return outcomes.flatMap((outcome) => {
      const counts = countsOf(outcome.key);
      return [
        ...(outcomes.length > 1 ? [paragraph(outcome.label, "strong")] : []),
        ...fields([
          ...genders.map((gender) => field(genderNames[gender], countWithShare(counts[gender], counts.total))),
          field(TOTAL, counts.total === null ? "" : String(counts.total)),
        ]),
      ];
    });
  }
  // Only a table where each participant has exactly one outcome can be summed, or give shares of the sum.
  const totals = value?.exclusive ? participantCounts(rows) : undefined;
  const count = (number: number | null) => (number === null ? cell("") : cell(String(number), number));
  const share = (number: number | null) =>
    number === null || !totals?.total
      ? cell("")
      : cell(formatPercent(number / totals.total), (100 * number) / totals.total);
  return [
    {
      type: "table",
      columns: [
        { header: "Utfall", width: 3 },
        ...genders.map((gender) => ({ header: genderNames[gender], align: "right" as const, width: 1 })),
        { header: TOTAL, align: "right", width: 1 },
        { header: "Andel", align: "right", width: 1 },
      ],
      rows: outcomes.map((outcome) => {
        const counts = countsOf(outcome.key);
        return [
          cell(outcome.label),
          ...genders.map((gender) => count(counts[gender])),
          count(counts.total),
          share(counts.total),
        ];
      }),
      ...(totals
        ? {
            footerRows: [
              [
                cell(TOTAL),
                ...genders.map((gender) => count(totals[gender])),
                count(totals.total),
                share(totals.total),
              ],
            ],
          }
        : {}),
    },
  ];
}

/**
 * Fills the template's slots in the report's order: a slot of the signer's own role, else a "party" slot; a signer
 * without a role is not taken for the insatsägare while another slot is free. A signer beyond the printed slots gets
 * one more like the last of its role, so no signature is left out.
 */
function signatures(
  section: SectionOf<"signature_block">,
  value: AnswerValue<"signature_block"> | undefined,
  context: Context,
): Block[] {
  const slots = section.config.slots.map((slot) => ({ slot, signature: undefined as Signature | undefined }));
  for (const signature of value?.signatures ?? []) {
    const preferences: ((role: string) => boolean)[] = signature.role
      ? [(role) => role === signature.role, (role) => role === "party"]
      : [(role) => role !== "owner", () => true];
    const free = preferences
      .map((fits) => slots.find((candidate) => !candidate.signature && fits(candidate.slot.role)))
      .find(Boolean);
    if (free) free.signature = signature;
    else {
      const like =
        section.config.slots.findLast((slot) => slot.role === signature.role) ?? section.config.slots.at(-1)!;
      slots.push({ slot: like, signature });
    }
  }
  const lineValue = (line: (typeof section.config.slots)[number]["lines"][number]["field"], signature?: Signature) => {
    const date = signature?.date ?? signature?.dateRaw;
    switch (line) {
      case "organisation":
        return signature?.organisation ? context.organisationName(signature.organisation) : "";
      case "place_date":
        return [signature?.place, date].filter(Boolean).join(" ");
      case "date":
        return date ?? "";
      case "name":
        return signature?.name ?? "";
      case "name_clarification":
        return signature?.nameClarification ?? "";
    }
  };
  return [
    {
      type: "signatures",
      columns: section.config.columns,
      slots: slots.map(({ slot, signature }) => ({
        lines: slot.lines.map((line) => ({ label: line.label, value: lineValue(line.field, signature) })),
      })),
    },
  ];
}
