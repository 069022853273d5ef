import { readFileSync } from "node:fs";
import * as fontkit from "fontkit";
import PDFDocument from "pdfkit";
import type { Block, Cell, Column, ExportDocument, FieldRow, SignatureSlot } from "./document.js";

/**
 * Tagged PDF (PDF/UA) from the export model with pdfkit (ADR 0010). Everything a reader should hear is marked content
 * inside the structure tree; everything else (rules, cell backgrounds, page header and footer, repeated table header
 * rows) is an artifact, because untagged content makes a PDF/UA file invalid.
 */

type Pdf = PDFKit.PDFDocument;
type Element = PDFKit.PDFStructureElement;
/** pdfkit supports PDF/UA and the Scope attribute at runtime; its type definitions have not caught up. */
type UaSubset = PDFKit.Mixins.PDFSubsets;
type CellOptions = PDFKit.Mixins.StructureElementOptions & { scope?: "Column" };

// Resolved from this file so the same code finds the fonts under src/ (tsx, vitest) and dist/ (build copies them).
const fontUrl = (name: string) => new URL(`./fonts/${name}`, import.meta.url);
/**
 * Parsed once per process: fontkit's parsing and glyph layout were half of every export's time, and pdfkit accepts a
 * parsed font, taking its own subset of it for each document.
 */
let fonts: { regular: fontkit.Font; bold: fontkit.Font } | undefined;
function loadFonts() {
  fonts ??= {
    regular: fontkit.create(readFileSync(fontUrl("DejaVuSans.ttf"))) as fontkit.Font,
    bold: fontkit.create(readFileSync(fontUrl("DejaVuSans-Bold.ttf"))) as fontkit.Font,
  };
  return fonts;
}

const REGULAR = "regular";
const BOLD = "bold";

// The app's palette (public/app.css); text colours keep at least 4.5:1 against white.
const TEXT = "#1b1f23";
const MUTED = "#4a5560";
const BRAND = "#0b4f6c";
const RULE = "#b6bfc8";
const SURFACE = "#eef2f5";

const MARGIN = { top: 62, bottom: 62, left: 57, right: 57 };
const BODY_SIZE = 10;
const HINT_SIZE = 9;
const TABLE_SIZE = 9;
const FURNITURE_SIZE = 8.5;
const HEADING_SIZE = { 1: 18, 2: 14, 3: 12, 4: 10.5 } as const;
const LINE_GAP = 2;
const BLOCK_GAP = 8;
const CELL_PADDING = 4;
const LIST_INDENT = 18;
const SIGNATURE_SPACE = 30;

export function renderPdf(model: ExportDocument): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: "A4",
    margins: MARGIN,
    bufferPages: true,
    tagged: true,
    pdfVersion: "1.7",
    subset: "PDF/UA" as UaSubset,
    lang: model.lang,
    displayTitle: true,
    info: {
      Title: model.title,
      ...(model.author ? { Author: model.author } : {}),
      ...(model.subject ? { Subject: model.subject } : {}),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  // pdfkit's types know file sources only; its font factory takes any object with fontkit's `layout`.
  doc.registerFont(REGULAR, regular as unknown as Buffer);
  doc.registerFont(BOLD, bold as unknown as Buffer);
  new PdfWriter(doc).write(model);
  doc.end();
  return done;
}

class PdfWriter {
  private readonly root: Element;
  private outlineParent: PDFKit.PDFOutline | undefined;

  constructor(private readonly doc: Pdf) {
    doc.font(REGULAR).fontSize(BODY_SIZE).fillColor(TEXT);
    this.root = doc.struct("Document");
    doc.addStructure(this.root);
  }

  write(model: ExportDocument) {
    for (const block of model.blocks) this.block(block);
    this.root.end();
    this.pageFurniture(model);
  }

  private get left() {
    return this.doc.page.margins.left;
  }

  private get width() {
    const page = this.doc.page;
    return page.width - page.margins.left - page.margins.right;
  }

  private get pageIsEmpty() {
    return this.doc.y <= this.doc.page.margins.top + 0.5;
  }

  private block(block: Block) {
    switch (block.type) {
      case "heading":
        return this.heading(block.level, block.text);
      case "paragraph":
        return this.paragraph(block.text, block.style ?? "normal");
      case "fields":
        return this.fields(block.rows);
      case "table":
        return this.table(block.columns, block.rows, block.footerRows ?? [], block.caption);
      case "list":
        return this.list(block.items, block.ordered ?? false);
      case "signatures":
        return this.signatures(block.slots, block.columns);
      case "pageBreak":
        if (!this.pageIsEmpty) this.doc.addPage();
        return;
    }
  }

  /** Starts a new page unless `height` more points fit on this one. */
  private ensureSpace(height: number) {
    if (!this.pageIsEmpty && this.doc.y + height > this.doc.page.maxY()) this.doc.addPage();
  }

  private element(parent: Element, type: string, options: CellOptions = {}) {
    const element = this.doc.struct(type, options);
    parent.add(element);
    return element;
  }

  /** Draws into `element` as one marked-content sequence; pdfkit continues it when text flows onto a new page. */
  private content(element: Element, type: string, draw: () => void) {
    const content = this.doc.markStructureContent(type);
    draw();
    this.doc.endMarkedContent();
    element.add(content);
  }

  private tagged(parent: Element, type: string, draw: () => void) {
    const element = this.element(parent, type);
    this.content(element, type, draw);
    element.end();
    return element;
  }

  private artifact(draw: () => void) {
    this.doc.markContent("Artifact");
    this.doc.save();
    draw();
    this.doc.restore();
    this.doc.endMarkedContent();
  }

  private lineHeight(font: string, size: number) {
    return this.doc.font(font).fontSize(size).currentLineHeight(true) + LINE_GAP;
  }

  private heading(level: 1 | 2 | 3 | 4, text: string) {
    const doc = this.doc;
    const size = HEADING_SIZE[level];
    if (!this.pageIsEmpty) doc.y += level <= 2 ? 14 : 8;
    doc.font(BOLD).fontSize(size);
    // Keep the heading with the first lines of what follows it.
    const height = doc.heightOfString(text, { width: this.width, lineGap: LINE_GAP });
    this.ensureSpace(height + 3 * this.lineHeight(REGULAR, BODY_SIZE));
    this.outline(level, text);
    const type = `H${level}`;
    this.tagged(this.root, type, () => {
      doc
        .font(BOLD)
        .fontSize(size)
        .fillColor(level <= 2 ? BRAND : TEXT)
        .text(text, this.left, doc.y, { width: this.width, lineGap: LINE_GAP });
    });
    doc.fillColor(TEXT);
    doc.y += level === 1 ? 6 : 3;
  }

  private outline(level: number, text: string) {
    if (level === 1) this.outlineParent = this.doc.outline.addItem(text);
    else if (level === 2) (this.outlineParent ?? this.doc.outline).addItem(text);
  }

  private paragraph(text: string, style: "normal" | "hint" | "strong") {
    const doc = this.doc;
    const font = style === "strong" ? BOLD : REGULAR;
    const size = style === "hint" ? HINT_SIZE : BODY_SIZE;
    this.ensureSpace(2 * this.lineHeight(font, size));
    this.tagged(this.root, "P", () => {
      doc
        .font(font)
        .fontSize(size)
        .fillColor(style === "hint" ? MUTED : TEXT)
        .text(text, this.left, doc.y, { width: this.width, lineGap: LINE_GAP });
    });
    doc.fillColor(TEXT);
    doc.y += BLOCK_GAP;
  }

  /** Greedy word wrap; splits only at ordinary spaces, so "1 975 068 kr" (no-break spaces) stays on one line. */
  private wrap(text: string, font: string, size: number, width: number): string[] {
    const doc = this.doc.font(font).fontSize(size);
    const fits = (line: string) => doc.widthOfString(line) <= width;
    const lines: string[] = [];
    for (const paragraph of text.split("\n")) {
      let line = "";
      for (const word of paragraph.split(/ +/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = word;
        while (!fits(line) && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && !fits(line.slice(0, cut))) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line);
    }
    return lines;
  }

  private drawLines(lines: string[], x: number, y: number, width: number, align: "left" | "right", lineHeight: number) {
    lines.forEach((line, index) => {
      const dx = align === "right" ? width - this.doc.widthOfString(line) : 0;
      this.doc.text(line, x + dx, y + index * lineHeight, { lineBreak: false });
    });
  }

  private fields(rows: FieldRow[]) {
    const doc = this.doc;
    const labels = rows.map((row) => `${row.label}:`);
    doc.font(BOLD).fontSize(BODY_SIZE);
    const labelWidth = Math.min(Math.max(...labels.map((label) => doc.widthOfString(label))), this.width * 0.4);
    const gap = 10;
    const valueX = this.left + labelWidth + gap;
    const valueWidth = this.width - labelWidth - gap;
    const lineHeight = this.lineHeight(REGULAR, BODY_SIZE);
    rows.forEach((row, index) => {
      const labelLines = this.wrap(labels[index]!, BOLD, BODY_SIZE, labelWidth);
      const valueLines = row.value ? this.wrap(row.value, REGULAR, BODY_SIZE, valueWidth) : [];
      const blankHeight = row.value ? 0 : lineHeight + 6;
      const height = Math.max(labelLines.length * lineHeight, valueLines.length * lineHeight, blankHeight);
      this.ensureSpace(height);
      const y = doc.y;
      const element = this.element(this.root, "P");
      this.content(element, "P", () => {
        doc.font(BOLD).fontSize(BODY_SIZE);
        this.drawLines(labelLines, this.left, y, labelWidth, "left", lineHeight);
        doc.font(REGULAR);
        this.drawLines(valueLines, valueX, y, valueWidth, "left", lineHeight);
      });
      element.end();
      if (!row.value) {
        this.artifact(() => {
          doc
            .moveTo(valueX, y + blankHeight - 4)
            .lineTo(valueX + Math.min(valueWidth, 240), y + blankHeight - 4)
            .lineWidth(0.75)
            .strokeColor(TEXT)
            .stroke();
        });
      }
      doc.y = y + height + 3;
    });
    doc.y += BLOCK_GAP;
  }

  private list(items: string[], ordered: boolean) {
    const doc = this.doc;
    const list = this.element(this.root, "L");
    const lineHeight = this.lineHeight(REGULAR, BODY_SIZE);
    items.forEach((text, index) => {
      this.ensureSpace(lineHeight);
      const y = doc.y;
      const item = this.element(list, "LI");
      this.tagged(item, "Lbl", () => {
        doc
          .font(REGULAR)
          .fontSize(BODY_SIZE)
          .text(ordered ? `${index + 1}.` : "•", this.left + 4, y, { lineBreak: false });
      });
      this.tagged(item, "LBody", () => {
        doc
          .font(REGULAR)
          .fontSize(BODY_SIZE)
          .text(text, this.left + LIST_INDENT, y, { width: this.width - LIST_INDENT, lineGap: LINE_GAP });
      });
      item.end();
      doc.y += 2;
    });
    list.end();
    doc.y += BLOCK_GAP;
  }

  private table(columns: Column[], rows: Cell[][], footerRows: Cell[][], caption: string | undefined) {
    const doc = this.doc;
    const totalWeight = columns.reduce((sum, column) => sum + (column.width ?? 1), 0);
    const widths = columns.map((column) => (this.width * (column.width ?? 1)) / totalWeight);
    const xs = widths.map((_, index) => this.left + widths.slice(0, index).reduce((sum, width) => sum + width, 0));
    const lineHeight = this.lineHeight(REGULAR, TABLE_SIZE);

    type Row = { cells: { lines: string[]; font: string }[]; kind: "head" | "body" | "foot" };
    const layout = (cells: Cell[], kind: Row["kind"]): Row => ({
      kind,
      cells: columns.map((_, index) => {
        const cell = cells[index];
        const font = kind !== "body" || cell?.strong ? BOLD : REGULAR;
        return { font, lines: this.wrap(cell?.text ?? "", font, TABLE_SIZE, widths[index]! - 2 * CELL_PADDING) };
      }),
    });
    const header = layout(
      columns.map((column) => ({ text: column.header })),
      "head",
    );
    const heightOf = (row: Row) =>
      Math.max(...row.cells.map((cell) => cell.lines.length)) * lineHeight + 2 * CELL_PADDING;
    const headerHeight = heightOf(header);

    const drawBackground = (row: Row, y: number, height: number) => {
      this.artifact(() => {
        if (row.kind === "head") doc.rect(this.left, y, this.width, height).fill(SURFACE);
        const ruleWidth = row.kind === "body" ? 0.5 : 1;
        const ruleColor = row.kind === "body" ? RULE : TEXT;
        if (row.kind === "foot") {
          doc
            .moveTo(this.left, y)
            .lineTo(this.left + this.width, y)
            .lineWidth(ruleWidth)
            .strokeColor(ruleColor)
            .stroke();
        }
        doc
          .moveTo(this.left, y + height)
          .lineTo(this.left + this.width, y + height)
          .lineWidth(ruleWidth)
          .strokeColor(ruleColor)
          .stroke();
      });
    };
    const cellType = (row: Row) => (row.kind === "head" ? "TH" : "TD");
    /** Without `elements` the cells are drawn as an artifact. */
    const drawCells = (row: Row, from: number, to: number, y: number, elements?: Element[]) => {
      row.cells.forEach((cell, index) => {
        const lines = cell.lines.slice(from, to);
        const draw = () => {
          doc.font(cell.font).fontSize(TABLE_SIZE).fillColor(TEXT);
          const align = columns[index]!.align ?? "left";
          const x = xs[index]! + CELL_PADDING;
          this.drawLines(lines, x, y + CELL_PADDING, widths[index]! - 2 * CELL_PADDING, align, lineHeight);
        };
        const element = elements?.[index];
        if (!element) this.artifact(draw);
        else if (lines.some((line) => line !== "")) this.content(element, cellType(row), draw);
      });
    };
    // A table header row repeated on a continuation page is an artifact: a reader hears it once, at the start.
    const repeatHeader = () => {
      drawBackground(header, doc.y, headerHeight);
      drawCells(header, 0, Number.POSITIVE_INFINITY, doc.y);
      doc.y += headerHeight;
    };

    const table = this.element(this.root, "Table");
    if (caption) {
      doc.font(BOLD).fontSize(BODY_SIZE);
      const captionHeight = doc.heightOfString(caption, { width: this.width, lineGap: LINE_GAP });
      const firstRow = rows[0] ? heightOf(layout(rows[0], "body")) : 0;
      this.ensureSpace(captionHeight + headerHeight + firstRow + 4);
      this.tagged(table, "Caption", () => {
        doc.font(BOLD).fontSize(BODY_SIZE).text(caption, this.left, doc.y, { width: this.width, lineGap: LINE_GAP });
      });
      doc.y += 2;
    }

    const groups: { type: string; rows: Row[] }[] = [
      { type: "THead", rows: [header] },
      { type: "TBody", rows: rows.map((row) => layout(row, "body")) },
      { type: "TFoot", rows: footerRows.map((row) => layout(row, "foot")) },
    ];
    let headerDrawn = false;
    for (const group of groups) {
      if (group.rows.length === 0) continue;
      const section = this.element(table, group.type);
      for (const row of group.rows) {
        const tr = this.element(section, "TR");
        const cells = row.cells.map(() =>
          this.element(tr, cellType(row), row.kind === "head" ? { scope: "Column" } : {}),
        );
        const lineCount = Math.max(...row.cells.map((cell) => cell.lines.length));
        if (row.kind === "head") {
          // Keep the header with the first body row.
          const firstRow = groups[1]!.rows[0];
          this.ensureSpace(headerHeight + (firstRow ? heightOf(firstRow) : 0));
        }
        let from = 0;
        while (from < lineCount) {
          const room = Math.floor((doc.page.maxY() - doc.y - 2 * CELL_PADDING) / lineHeight);
          const freshRoom = Math.floor(
            (doc.page.maxY() - doc.page.margins.top - headerHeight - 2 * CELL_PADDING) / lineHeight,
          );
          const needed = lineCount - from;
          // A row moves to the next page whole; only a row taller than a page is split, line by line.
          if (needed > room && (room < 1 || (from === 0 && needed <= freshRoom))) {
            doc.addPage();
            if (headerDrawn) repeatHeader();
            continue;
          }
          const to = from + Math.min(needed, room);
          const height = (to - from) * lineHeight + 2 * CELL_PADDING;
          const y = doc.y;
          drawBackground(row, y, height);
          drawCells(row, from, to, y, cells);
          doc.y = y + height;
          from = to;
          if (from < lineCount) {
            doc.addPage();
            repeatHeader();
          }
        }
        if (row.kind === "head") headerDrawn = true;
        for (const cell of cells) cell.end();
        tr.end();
      }
      section.end();
    }
    table.end();
    doc.x = this.left;
    doc.y += BLOCK_GAP + 4;
  }

  private signatures(slots: SignatureSlot[], columns: 1 | 2) {
    const doc = this.doc;
    const gap = 28;
    const slotWidth = (this.width - gap * (columns - 1)) / columns;
    const labelLineHeight = this.lineHeight(REGULAR, HINT_SIZE);
    const lineBlock = SIGNATURE_SPACE + labelLineHeight + 6;
    for (let start = 0; start < slots.length; start += columns) {
      const row = slots.slice(start, start + columns);
      const height = Math.max(...row.map((slot) => slot.lines.length)) * lineBlock;
      this.ensureSpace(height);
      const top = doc.y;
      row.forEach((slot, column) => {
        const x = this.left + column * (slotWidth + gap);
        const div = this.element(this.root, "Div");
        slot.lines.forEach((line, index) => {
          const ruleY = top + index * lineBlock + SIGNATURE_SPACE;
          this.tagged(div, "P", () => {
            doc
              .font(REGULAR)
              .fontSize(HINT_SIZE)
              .fillColor(MUTED)
              .text(line.label, x, ruleY + 3, { lineBreak: false });
            if (line.value) {
              doc.font(REGULAR).fontSize(BODY_SIZE).fillColor(TEXT);
              const [first = ""] = this.wrap(line.value, REGULAR, BODY_SIZE, slotWidth);
              doc.text(first, x, ruleY - this.lineHeight(REGULAR, BODY_SIZE), { lineBreak: false });
            }
          });
          this.artifact(() => {
            doc
              .moveTo(x, ruleY)
              .lineTo(x + slotWidth, ruleY)
              .lineWidth(0.75)
              .strokeColor(TEXT)
              .stroke();
          });
        });
        div.end();
      });
      doc.fillColor(TEXT);
      doc.y = top + height + 6;
    }
    doc.y += BLOCK_GAP;
  }

  /** Header, footer and page numbers go on last, when the number of pages is known. */
  private pageFurniture(model: ExportDocument) {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    for (let index = start; index < start + count; index++) {
      doc.switchToPage(index);
      const page = doc.page;
      const left = page.margins.left;
      const right = page.width - page.margins.right;
      this.artifact(() => {
        doc.font(REGULAR).fontSize(FURNITURE_SIZE).fillColor(MUTED);
        if (model.header) {
          const [header = ""] = this.wrap(model.header, REGULAR, FURNITURE_SIZE, right - left);
          doc.text(header, left, 30, { lineBreak: false });
          doc.moveTo(left, 44).lineTo(right, 44).lineWidth(0.5).strokeColor(RULE).stroke();
        }
        const footerY = page.height - 40;
        doc
          .moveTo(left, footerY - 8)
          .lineTo(right, footerY - 8)
          .lineWidth(0.5)
          .strokeColor(RULE)
          .stroke();
        const pageNumber = `Sida ${index - start + 1} (${count})`;
        const numberWidth = doc.widthOfString(pageNumber);
        if (model.footer) {
          const [footer = ""] = this.wrap(model.footer, REGULAR, FURNITURE_SIZE, right - left - numberWidth - 20);
          doc.text(footer, left, footerY, { lineBreak: false });
        }
        doc.text(pageNumber, right - numberWidth, footerY, { lineBreak: false });
      });
    }
  }
}
