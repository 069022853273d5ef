import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDocx } from "../../test/support/docx-text.js";
import { readPdf } from "../../test/support/pdf-text.js";
import type { Block, ExportDocument } from "../platform/export/document.js";
import { renderDocx } from "../platform/export/docx.js";
import { ExportHtml } from "../platform/export/html.js";
import { renderPdf } from "../platform/export/pdf.js";
import { formatKronor } from "../platform/ui/format.js";
import type { AnswerValue, ReportAnswers } from "./answer-model.js";
import { gavleborg } from "./builtin/gavleborg.js";
import { harnosandTimra } from "./builtin/harnosand-timra.js";
import { findBuiltinTemplate } from "./builtin/index.js";
import { composeReport, printedHeading, type ReportAssociation, type ReportFacts } from "./compose.js";
import { costTotals } from "./derived.js";
import { fromLegacyReport } from "./legacy.js";
import { type TemplateVersion, templateVersion, walkSections } from "./template-model.js";

/**
 * Golden tests: three legacy reports, one per built-in template, composed and printed as PDF and DOCX, then read back
 * as text. The committed texts in test/fixtures/golden/ show the printed result line by line, so a change in layout
 * shows up as a diff in review. After a deliberate change, regenerate them and read the diff:
 *
 *     UPDATE_GOLDEN=1 npx vitest run src/reports/compose
 *
 * KEEP_PDF=1 also writes the PDFs to /tmp/golden-<id>.pdf, to look at (`pdftoppm -png -r 50`).
 */
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";
const goldenDirectory = new URL("../../test/fixtures/golden/", import.meta.url);

const fixtures: { id: string }[] = JSON.parse(
  readFileSync(new URL("../../test/fixtures/slutrapporter.json", import.meta.url), "utf8"),
);

/** Fictional: the fixtures hold no personal data, and neither do these. */
const association = (template: TemplateVersion): ReportAssociation => ({
  name: template.association,
  contacts: [{ title: "förbundschef", name: "Åsa Exempelsson", email: "forbundschef@example.se" }],
});

function composeLegacy(id: string) {
  const conversion = fromLegacyReport(fixtures.find((report) => report.id === id));
  const { insats } = conversion;
  const template = findBuiltinTemplate(conversion.templateKey)!;
  const facts: ReportFacts = {
    name: insats.name,
    periodStart: insats.periodStart,
    periodEnd: insats.periodEnd,
    periodRaw: insats.periodRaw,
    intakeEnd: insats.intakeEnd,
    grantedOre: insats.grantedOre,
    usedOre: insats.usedOre,
    ...(insats.ownerName ? { owner: { name: insats.ownerName } } : {}),
    partners: insats.partners.map((partner) => ({ name: partner.name })),
  };
  const doc = composeReport({ template, answers: conversion.answers, facts, association: association(template) });
  return { conversion, template, facts, doc };
}

/** pdfjs reads no-break spaces (877 212 kr) back as plain ones, and a wrapped paragraph as lines. */
const plain = (text: string) => text.replace(/\s+/g, " ").trim();

/** Fails unless every string occurs in `text`, each after the one before it. */
function expectInOrder(text: string, expected: string[]) {
  const flat = plain(text);
  let from = 0;
  for (const string of expected.map(plain)) {
    const at = flat.indexOf(string, from);
    expect(at, `"${string}" efter "${flat.slice(Math.max(0, from - 60), from)}"`).toBeGreaterThanOrEqual(0);
    from = at + string.length;
  }
}

/** Words, split also after a slash or hyphen, where the PDF may break a line ("använts/" "utförts"). */
const tokens = (text: string) => plain(text).split(/ |(?<=[/-])(?=\S)/);

/**
 * The same for a PDF, where the lines of the cells of one table row, and a long field label beside its value, are
 * read across the columns: a string's words must follow each other with at most a few other words between them.
 */
function expectWordsInOrder(text: string, expected: string[], maxGap = 30) {
  const words = tokens(text);
  let from = 0;
  for (const string of expected) {
    const wanted = tokens(string);
    let end = -1;
    for (let start = words.indexOf(wanted[0]!, from); start >= 0 && end < 0; ) {
      let at = start;
      for (const word of wanted.slice(1)) {
        const next = words.indexOf(word, at + 1);
        at = next >= 0 && next - at <= maxGap ? next : -1;
        if (at < 0) break;
      }
      if (at >= 0) end = at + 1;
      else start = words.indexOf(wanted[0]!, start + 1);
    }
    expect(end, `"${string}" efter "${words.slice(Math.max(0, from - 10), from).join(" ")}"`).toBeGreaterThan(0);
    from = end;
  }
}

/**
 * What the template prints, in its order, derived from the template alone: headings with their numbers, prompts,
 * field labels, cost rows with their hints, funds branches and their questions.
 */
function printedTemplateTexts(template: TemplateVersion): string[] {
  const label = (text: string) => `${text.replace(/:$/, "")}:`;
  return [...walkSections(template.sections)].flatMap((section): string[] => {
    const heading = printedHeading(section);
    const intro = [...(heading ? [heading] : []), ...section.prompts];
    switch (section.type) {
      case "goal_table":
        return section.config.headingInTable ? [section.config.columns.goal] : intro;
      case "field_group":
        return [
          ...intro,
          ...section.config.fields.flatMap((field) =>
            field.rendering?.style === "split"
              ? [label(field.rendering.startLabel), label(field.rendering.endLabel)]
              : field.label
                ? [label(field.label)]
                : [],
          ),
        ];
      case "office_fields":
        return section.config.fields.map((field) => label(field.label));
      case "cost_table":
        return [
          ...intro,
          section.config.categoryHeader,
          ...section.config.rows.map((row) => [row.label, row.hint].filter(Boolean).join(" ")),
          section.config.totalLabel,
        ];
      // The three reports leave no branch out: their amounts are unknown, or the report answered both.
      case "funds_summary":
        return [
          ...intro,
          ...section.config.branches.flatMap((branch) => [
            ...(branch.number || branch.heading ? [[branch.number, branch.heading].filter(Boolean).join(" ")] : []),
            ...branch.questions.map((question) => [question.number, question.text].filter(Boolean).join(" ")),
          ]),
        ];
      default:
        return intro;
    }
  });
}

/** Every value the report holds, as printed. */
function printedValues({ conversion, template, facts }: ReturnType<typeof composeLegacy>): string[] {
  const { answers } = conversion;
  const values: (string | undefined)[] = [facts.name, facts.intakeEnd];
  if (facts.grantedOre) values.push(formatKronor(facts.grantedOre));
  if (facts.usedOre) values.push(formatKronor(facts.usedOre));
  for (const section of walkSections(template.sections)) {
    const value = answers[section.key]?.value;
    if (value === undefined) continue;
    switch (section.type) {
      case "party_list":
        for (const row of (value as AnswerValue<"party_list">).rows) values.push(row.organisationName, row.workplace);
        break;
      case "free_text":
      case "gender_equality":
        values.push((value as AnswerValue<"free_text">).text);
        break;
      case "goal_table":
        for (const row of (value as AnswerValue<"goal_table">).rows) {
          values.push(row.level, row.goal, row.achievedRaw, row.outcome);
        }
        break;
      case "cost_table": {
        const { rows } = value as AnswerValue<"cost_table">;
        for (const row of rows) values.push(row.specification, ...[row.budgetOre, row.outcomeOre].map(kronorOrNone));
        const totals = costTotals(rows);
        values.push(kronorOrNone(totals.budgetOre), kronorOrNone(totals.outcomeOre));
        break;
      }
      case "funds_summary": {
        const funds = value as AnswerValue<"funds_summary">;
        values.push(funds.text, ...Object.values(funds.answers ?? {}));
        break;
      }
      case "signature_block":
        for (const signature of (value as AnswerValue<"signature_block">).signatures) {
          values.push(signature.place, signature.date ?? signature.dateRaw);
        }
        break;
    }
  }
  return values.filter((text): text is string => !!text);
}

const kronorOrNone = (ore: bigint | string | null | undefined) =>
  ore === undefined || ore === null ? undefined : formatKronor(BigInt(ore));

function compareGolden(name: string, actual: string) {
  const path = new URL(name, goldenDirectory);
  if (UPDATE_GOLDEN) {
    mkdirSync(goldenDirectory, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual, `${name}: UPDATE_GOLDEN=1 npx vitest run src/reports/compose`).toBe(readFileSync(path, "utf8"));
}

const goldenLines = (lines: string[]) => `${lines.map(plain).filter(Boolean).join("\n")}\n`;

describe.each(["HT-1", "UL-6", "GB-1"])("the printed slutrapport %s", async (id) => {
  const report = composeLegacy(id);
  const { template, doc } = report;
  const pdf = await renderPdf(doc);
  const read = await readPdf(pdf);
  const docx = readDocx(await renderDocx(doc));
  const docxText = docx.paragraphs.join("\n");
  if (process.env.KEEP_PDF === "1") writeFileSync(`/tmp/golden-${id}.pdf`, pdf);

  it("prints every heading and prompt of the template in its order, the title first", () => {
    const expected = [template.title, ...printedTemplateTexts(template)];
    expectWordsInOrder(read.text, expected);
    expectInOrder(docxText, expected);
    expect(doc.blocks[0]).toEqual({ type: "heading", level: 1, text: template.title });
  });

  it("matches the committed golden texts", () => {
    compareGolden(`${id}.pdf.txt`, goldenLines(read.pages.flatMap((page) => page.split("\n"))));
    compareGolden(`${id}.docx.txt`, goldenLines(docx.paragraphs));
  });

  it("prints every value of the report: name, period, amounts, goals, costs, parties and signatures", () => {
    const values = printedValues(report);
    expect(values.length).toBeGreaterThan(10);
    for (const value of values) {
      expectWordsInOrder(read.text, [value]);
      expect(plain(docxText)).toContain(plain(value));
    }
  });

  it("numbers every page 'Sida n (N)' and is a titled, tagged PDF in Swedish", () => {
    const count = read.pageCount;
    read.pages.forEach((page, index) => {
      const last = page.split("\n").at(-1)!;
      expect(last).toBe(plain(`${doc.footer ?? ""} Sida ${index + 1} (${count})`));
      expect(page.split("\n")[0]).toBe(template.association);
    });
    expect(read.title).toBe(doc.title);
    expect(read.language).toBe("sv-SE");
    expect(read.marked).toBe(true);
    const tables = doc.blocks.some((block) => block.type === "table") ? ["Table", "TH", "TD"] : [];
    expect(read.roles).toEqual(expect.arrayContaining(["H1", "H2", "P", ...tables]));
    expect(docx.parts.get("docProps/core.xml")).toContain(`<dc:title>${doc.title}</dc:title>`);
  });

  it("renders the headings as HTML headings", () => {
    const html = String(ExportHtml({ doc }));
    const headings = doc.blocks.filter((block) => block.type === "heading");
    expectInOrder(
      html,
      headings.map((heading) => `<h${heading.level}>${heading.text}</h${heading.level}>`),
    );
    const fromTemplate = [...walkSections(template.sections)].flatMap((section) => {
      const heading = printedHeading(section);
      return heading && !(section.type === "goal_table" && section.config.headingInTable) ? [heading] : [];
    });
    expect(headings.map((heading) => heading.text)).toEqual(expect.arrayContaining(fromTemplate));
  });
});

/** The model as lines a reader meets: "label: value" for fields and signature lines, cells joined by " | ". */
function lines(doc: ExportDocument): string[] {
  return doc.blocks.flatMap((block: Block): string[] => {
    switch (block.type) {
      case "heading":
      case "paragraph":
        return [block.text];
      case "fields":
        return block.rows.map((row) => `${row.label}: ${row.value}`.trim());
      case "table":
        return [
          block.columns.map((column) => ({ text: column.header })),
          ...block.rows,
          ...(block.footerRows ?? []),
        ].map((row) => row.map((cell) => cell.text).join(" | "));
      case "list":
        return block.items;
      case "signatures":
        return block.slots.flatMap((slot) => slot.lines.map((line) => `${line.label}: ${line.value}`.trim()));
      default:
        return [];
    }
  });
}

const compose = (template: TemplateVersion, answers: ReportAnswers = {}, facts: Partial<ReportFacts> = {}) =>
  composeReport({
    template,
    answers,
    facts: { name: "Steg för steg", ...facts },
    association: { name: template.association },
  });

describe("composeReport", () => {
  it("prints a blank form with every label, slot and cost row, and a blank Summa", () => {
    const printed = lines(compose(harnosandTimra));
    expectInOrder(printed.join("\n"), [
      "1. Insatsen",
      "Insatsens namn: Steg för steg",
      "Tidsperiod:",
      "Beviljat medel:",
      "Ansvarig för genomförande av insats - Organisation:",
      "Kontaktperson för insatsägare:",
      "E-post:",
      "Organisation - medsökande:",
      "4.1 Insatsens mål Ange uppsatta mål för insatsen | Har målet uppnåtts? Ja eller nej | Utfall/resultat",
      "Kostnadslag | Budget | Utfall",
      "Aktiviteter (ange typ av aktivitet t ex. möte, seminarier mm) |  | ",
      "Summa |  | ",
      "7. Underskrifter",
    ]);
    expect(printed.filter((line) => line === "Organisation - medsökande:")).toHaveLength(3);
    // Signature labels are printed beneath the line as they stand, colon included.
    expect(printed.filter((line) => line.startsWith("Ort och datum:"))).toHaveLength(4);
    expect(printed).not.toContain("4.1 Insatsens mål");
  });

  it("formats the period and money from the insats, and computes the Summa from the cost rows", () => {
    const printed = lines(
      compose(
        harnosandTimra,
        {
          costs: {
            value: {
              rows: [
                { category: "salaries", budgetOre: "74667100", outcomeOre: "74667100" },
                { category: "material", specification: "Träningskort", outcomeOre: "2500000" },
              ],
            },
          },
        },
        { periodStart: "2022-01-01", periodEnd: "2022-12-31", grantedOre: 87_721_200n },
      ),
    );
    expect(printed).toContain("Tidsperiod: 2022-01-01—2022-12-31");
    expect(printed).toContain(`Beviljat medel: ${formatKronor(87_721_200n)}`);
    expect(printed).toContain(`Lönekostnader | ${formatKronor(74_667_100n)} | ${formatKronor(74_667_100n)}`);
    expect(printed).toContain(`Material (ange typ av material): Träningskort |  | ${formatKronor(2_500_000n)}`);
    expect(printed).toContain(`Summa | ${formatKronor(74_667_100n)} | ${formatKronor(77_167_100n)}`);
    expect(formatKronor(87_721_200n)).toBe("877\u00a0212 kr");
  });

  it("gives the cost table's amounts to spreadsheets in kronor", () => {
    const doc = compose(harnosandTimra, {
      costs: { value: { rows: [{ category: "premises", budgetOre: "9754150" }] } },
    });
    const table = doc.blocks.find((block) => block.type === "table" && block.columns[0]!.header === "Kostnadslag");
    expect(table?.type === "table" && table.rows[3]![1]).toEqual({ text: formatKronor(9_754_150n), number: 97_541.5 });
    expect(table?.type === "table" && table.footerRows).toEqual([
      [{ text: "Summa" }, { text: formatKronor(9_754_150n), number: 97_541.5 }, { text: "" }],
    ]);
  });

  it("prints 'Ej aktuellt' after the heading and prompt, and a legacy text where the value says nothing", () => {
    const printed = lines(
      compose(harnosandTimra, {
        follow_up: { notApplicable: true },
        goals: { notApplicable: true },
        system_errors: { rawText: "Inga kända systemfel.\nSe bilaga." },
      }),
    );
    expectInOrder(printed.join("\n"), [
      "4.1 Insatsens mål",
      "Ange uppsatta mål för insatsen",
      "Ej aktuellt",
      "4.4 Beskriv uppföljning och utvärdering av målen",
      "Hur har arbetet med uppföljning och utvärdering genomförts och med vilka har det kommunicerats?",
      "Ej aktuellt",
      "5.5 Beskriv eventuella identifierade systemfel som påverkat utfall och resultat",
      "Inga kända systemfel.",
      "Se bilaga.",
    ]);
  });

  it("prints lessons per party as 'Organisation: text', naming registered organisations", () => {
    const id = "6f1d2c4e-0a8b-4f5e-9c3d-2b7a1e0f9d8c";
    const printed = lines(
      compose(
        harnosandTimra,
        { lessons: { value: { byParty: { [id]: "Tätare möten.", "Region Västernorrland": "Mer SIP." } } } },
        { owner: { id, name: "Timrå kommun" } },
      ),
    );
    expect(printed).toEqual(expect.arrayContaining(["Timrå kommun: Tätare möten.", "Region Västernorrland: Mer SIP."]));
    // The insats's parties fill the party list the report leaves unanswered.
    expect(printed).toContain("Ansvarig för genomförande av insats - Organisation: Timrå kommun");
  });

  it("chooses the funds branch by the amounts, computing the unused amount, and prints all when they are unknown", () => {
    const used = lines(compose(gavleborg, {}, { grantedOre: 10_000_000n, usedOre: 10_000_000n })).join("\n");
    expectInOrder(used, ["Ej utnyttjade medel: 0 kr", "7.1 Beviljade medel är helt utnyttjade", "7.1.1 Var den"]);
    expect(used).not.toContain("7.2 Beviljade medel är inte helt utnyttjade");
    const unused = lines(compose(gavleborg, {}, { grantedOre: 10_000_000n, usedOre: 9_699_700n })).join("\n");
    expect(unused).toContain(`Ej utnyttjade medel: ${formatKronor(300_300n)}`);
    expect(unused).not.toContain("7.1 Beviljade medel är helt utnyttjade");
    const unknown = lines(compose(gavleborg)).join("\n");
    expectInOrder(unknown, ["7.1 Beviljade medel är helt utnyttjade", "7.2 Beviljade medel är inte helt utnyttjade"]);
    expect(unknown).not.toContain("Ej utnyttjade medel");
  });

  it("puts the text printed on every page in the footer, and the contacts on the cover", () => {
    const doc = composeReport({
      template: gavleborg,
      answers: {},
      facts: { name: "Trisam" },
      association: {
        name: "Samordningsförbund Gävleborg",
        contacts: [{ title: "Förbundschef", name: "Åsa Exempelsson", email: "a@example.se", phone: "026-10 00 00" }],
      },
    });
    expect(doc.footer).toBe("På www.finsamgavleborg.se kan du läsa mer om hur du ansöker.");
    expect(lines(doc)).not.toContain(doc.footer);
    expectInOrder(lines(doc).join("\n"), [
      "Slutrapport",
      "Insats för samverkansmedel",
      "Diarienummer:",
      "Kontakt",
      "Åsa Exempelsson, Förbundschef, a@example.se, 026-10 00 00",
      "Verksamhetsutvecklare",
      "1. Allmänna uppgifter",
    ]);
  });

  it("fills signature slots by role and adds a slot for a signer beyond them", () => {
    const partner = (organisation: string) => ({ role: "partner" as const, organisation, place: "Uppsala" });
    const doc = compose(findBuiltinTemplate("uppsala-lan/slutrapport-samverkansinsatser-2017")!, {
      signatures: {
        value: {
          signatures: [
            ...["A", "B", "C", "D", "E"].map(partner),
            { role: "owner", place: "Enköping", dateRaw: "17/12", nameClarification: "Åsa Exempelsson" },
          ],
        },
      },
    });
    const block = doc.blocks.find((candidate) => candidate.type === "signatures");
    expect(block?.type === "signatures" && block.columns).toBe(2);
    const slots = block?.type === "signatures" ? block.slots : [];
    expect(slots).toHaveLength(6);
    expect(slots[0]!.lines).toEqual([
      { label: "Ort och datum", value: "Enköping 17/12" },
      { label: "Insatsägare (namn)", value: "" },
      { label: "Insatsägare (namnförtydligande)", value: "Åsa Exempelsson" },
    ]);
    expect(slots[5]!.lines[1]!.label).toBe("Samverkanspart (namn)");
  });

  it("counts participants by kön with computed totals and shares, summing only an exclusive table", () => {
    const template = templateVersion.parse({
      key: "exempel/slutrapport",
      association: "Samordningsförbundet Exempel",
      title: "Slutrapport",
      kind: "slutrapport",
      sections: [
        {
          key: "participants",
          number: "5.",
          heading: "Deltagare",
          type: "participant_stats",
          config: {
            outcomes: [
              { key: "work", label: "Arbete" },
              { key: "studies", label: "Studier" },
            ],
            render: "table",
          },
        },
      ],
    });
    const rows = [
      { outcome: "work", woman: 7, man: 4 },
      { outcome: "studies", woman: 50, man: 35, unknown: 1 },
    ];
    const exclusive = lines(compose(template, { participants: { value: { rows, exclusive: true } } }));
    expect(exclusive).toEqual(
      expect.arrayContaining([
        "Utfall | Kvinna | Man | Uppgift saknas | Summa | Andel",
        "Arbete | 7 | 4 |  | 11 | 11,3\u00a0%",
        "Studier | 50 | 35 | 1 | 86 | 88,7\u00a0%",
        "Summa | 57 | 39 | 1 | 97 | 100,0\u00a0%",
      ]),
    );
    const overlapping = lines(compose(template, { participants: { value: { rows } } }));
    expect(overlapping).toContain("Arbete | 7 | 4 |  | 11 | ");
    expect(overlapping.some((line) => line.startsWith("Summa |"))).toBe(false);
  });

  it("asks Uppsala's number of participants by kön, with each kön's share", () => {
    const printed = lines(
      compose(findBuiltinTemplate("uppsala-lan/slutrapport-samverkansinsatser-2017")!, {
        participants: { value: { rows: [{ outcome: "participants", woman: 29, man: 28 }] } },
      }),
    );
    expectInOrder(printed.join("\n"), [
      "Ange antal deltagare som deltagit i insatsen (ifall detta ej angivits under mål ovan):",
      "Kvinna: 29 (50,9\u00a0%)",
      "Man: 28 (49,1\u00a0%)",
      "Uppgift saknas:",
      "Summa: 57",
    ]);
  });
});
