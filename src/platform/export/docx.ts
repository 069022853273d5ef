import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  type IBorderOptions,
  LeaderType,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from "docx";
import type { Block, Cell, Column, ExportDocument, FieldRow, SignatureSlot } from "./document.js";

/**
 * Word document from the export model with docx (ADR 0010), for officials who edit what Samordna wrote: real heading
 * styles so the navigation pane and a table of contents work, table header rows that repeat on every page, and the
 * language set in the defaults so Word checks spelling in Swedish.
 */

// A4 and 2 cm margins, in twentieths of a point.
const PAGE = { width: 11906, height: 16838 };
const MARGIN = 1134;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;

// The app's palette (public/app.css); text colours keep at least 4.5:1 against white.
const TEXT = "1B1F23";
const MUTED = "4A5560";
const BRAND = "0B4F6C";
const RULE = "B6BFC8";
const SURFACE = "EEF2F5";

const ORDERED_LIST = "ordered-list";

const headings = {
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
  4: HeadingLevel.HEADING_4,
} as const;

const none: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
const line = (color: string, size = 4): IBorderOptions => ({ style: BorderStyle.SINGLE, size, color });

export function renderDocx(model: ExportDocument): Promise<Buffer> {
  let lists = 0;
  const children = model.blocks.flatMap((block) => {
    if (block.type === "list" && block.ordered) lists++;
    return blockToDocx(block, lists);
  });
  const heading = (size: number, color: string) => ({
    run: { size, bold: true, color },
    paragraph: { spacing: { before: 280, after: 100 }, keepNext: true, keepLines: true },
  });
  const document = new Document({
    title: model.title,
    creator: model.author ?? "Samordna",
    lastModifiedBy: "Samordna",
    ...(model.subject ? { subject: model.subject } : {}),
    styles: {
      default: {
        document: {
          run: { size: 21, color: TEXT, language: { value: model.lang } },
          paragraph: { spacing: { after: 120, line: 276 } },
        },
        heading1: heading(36, BRAND),
        heading2: heading(28, BRAND),
        heading3: heading(24, TEXT),
        heading4: heading(21, TEXT),
        caption: { run: { size: 21, bold: true, italics: false, color: TEXT }, paragraph: { keepNext: true } },
      },
    },
    numbering: {
      config: [
        {
          reference: ORDERED_LIST,
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: "%1.",
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: PAGE,
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 567, footer: 567 },
          },
        },
        ...(model.header
          ? {
              headers: {
                default: new Header({
                  children: [
                    new Paragraph({ children: [new TextRun({ text: model.header, size: 17, color: MUTED })] }),
                  ],
                }),
              },
            }
          : {}),
        footers: { default: pageFooter(model.footer) },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** `list` numbers the ordered lists, so each starts again at 1. */
function blockToDocx(block: Block, list: number): (Paragraph | Table)[] {
  switch (block.type) {
    case "heading":
      return [new Paragraph({ heading: headings[block.level], text: block.text })];
    case "paragraph": {
      const style = block.style ?? "normal";
      return [
        new Paragraph({
          children: [
            new TextRun({
              text: block.text,
              ...(style === "strong" ? { bold: true } : {}),
              ...(style === "hint" ? { size: 19, color: MUTED } : {}),
            }),
          ],
        }),
      ];
    }
    case "fields":
      return block.rows.map(fieldParagraph);
    case "table":
      return table(block.columns, block.rows, block.footerRows ?? [], block.caption);
    case "list":
      return block.items.map(
        (text) =>
          new Paragraph({
            text,
            spacing: { after: 60 },
            ...(block.ordered ? { numbering: { reference: ORDERED_LIST, level: 0, instance: list } } : {}),
            ...(block.ordered ? {} : { bullet: { level: 0 } }),
          }),
      );
    case "signatures":
      return [signatures(block.slots, block.columns)];
    case "pageBreak":
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

/** An empty value leaves an underscored tab to write on, which the reader can fill in in Word. */
function fieldParagraph(row: FieldRow) {
  return new Paragraph({
    spacing: { after: 60 },
    ...(row.value ? {} : { tabStops: [{ type: TabStopType.LEFT, position: 6800, leader: LeaderType.UNDERSCORE }] }),
    children: [
      new TextRun({ text: `${row.label}: `, bold: true }),
      row.value ? new TextRun(row.value) : new TextRun({ children: [new Tab()] }),
    ],
  });
}

function table(columns: Column[], rows: Cell[][], footerRows: Cell[][], caption: string | undefined) {
  const totalWeight = columns.reduce((sum, column) => sum + (column.width ?? 1), 0);
  const widths = columns.map((column) => Math.round((CONTENT_WIDTH * (column.width ?? 1)) / totalWeight));
  const row = (cells: Cell[], kind: "head" | "body" | "foot") =>
    new TableRow({
      cantSplit: true,
      ...(kind === "head" ? { tableHeader: true } : {}),
      children: columns.map((column, index) => {
        const cell = cells[index];
        return new TableCell({
          width: { size: widths[index]!, type: WidthType.DXA },
          margins: { top: 60, bottom: 60, left: 100, right: 100 },
          ...(kind === "head" ? { shading: { fill: SURFACE } } : {}),
          ...(kind === "foot" ? { borders: { top: line(TEXT, 8) } } : {}),
          children: [
            new Paragraph({
              spacing: { after: 0 },
              ...(column.align === "right" ? { alignment: AlignmentType.RIGHT } : {}),
              children: [
                new TextRun({ text: cell?.text ?? "", size: 19, bold: kind !== "body" || cell?.strong === true }),
              ],
            }),
          ],
        });
      }),
    });
  const result = new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: {
      top: none,
      left: none,
      right: none,
      insideVertical: none,
      bottom: line(TEXT, 8),
      insideHorizontal: line(RULE),
    },
    rows: [
      row(
        columns.map((column) => ({ text: column.header })),
        "head",
      ),
      ...rows.map((cells) => row(cells, "body")),
      ...footerRows.map((cells) => row(cells, "foot")),
    ],
  });
  // The paragraph after keeps the next block from sticking to the table's last row.
  const after = new Paragraph({ spacing: { after: 0 }, children: [] });
  return caption ? [new Paragraph({ style: "Caption", text: caption }), result, after] : [result, after];
}

/** Slots side by side in a borderless table; each line is the value on a rule with its label beneath. */
function signatures(slots: SignatureSlot[], columns: 1 | 2) {
  const gap = 567;
  // A single column takes half the page: a signature line does not need more.
  const slotWidth = Math.round(columns === 1 ? CONTENT_WIDTH / 2 : (CONTENT_WIDTH - gap) / 2);
  const widths = columns === 1 ? [slotWidth] : [slotWidth, gap, slotWidth];
  const cell = (width: number, children: Paragraph[]) =>
    new TableCell({ width: { size: width, type: WidthType.DXA }, children });
  const slotCell = (slot: SignatureSlot | undefined) =>
    cell(
      slotWidth,
      slot
        ? slot.lines.flatMap((entry) => [
            new Paragraph({
              spacing: { before: 360, after: 0 },
              keepNext: true,
              border: { bottom: line(TEXT, 6) },
              children: [new TextRun(entry.value)],
            }),
            new Paragraph({
              spacing: { after: 60 },
              keepNext: true,
              children: [new TextRun({ text: entry.label, size: 17, color: MUTED })],
            }),
          ])
        : [new Paragraph("")],
    );
  const rows: TableRow[] = [];
  for (let start = 0; start < slots.length; start += columns) {
    const children =
      columns === 1
        ? [slotCell(slots[start])]
        : [slotCell(slots[start]), cell(gap, [new Paragraph("")]), slotCell(slots[start + 1])];
    rows.push(new TableRow({ cantSplit: true, children }));
  }
  return new Table({
    width: { size: widths.reduce((sum, width) => sum + width, 0), type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows,
  });
}

function pageFooter(text: string | undefined) {
  return new Footer({
    children: [
      new Paragraph({
        border: { top: line(RULE) },
        tabStops: [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH }],
        children: [
          new TextRun({ text: text ?? "", size: 17, color: MUTED }),
          new TextRun({
            size: 17,
            color: MUTED,
            children: [new Tab(), "Sida ", PageNumber.CURRENT, " (", PageNumber.TOTAL_PAGES, ")"],
          }),
        ],
      }),
    ],
  });
}
