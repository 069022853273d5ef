import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import writeExcelFile, { type CellObject, type SheetData } from "write-excel-file/node";
import { sanitizeTextContent } from "write-excel-file/utility";
import type { Block, Cell, CellFormula, Column } from "./document.js";

/**
 * Spreadsheets from the export model's tables with write-excel-file (ADR 0010), for officials who compute on what
 * Samordna shows: one sheet per table, a bold header row that stays in view, and amounts as real numbers so that
 * sums and filters work, displayed as the page shows them.
 */

export type TableBlock = Extract<Block, { type: "table" }>;

export type XlsxSheet = { name: string; table: TableBlock };

// Format codes are stored in Excel's invariant notation: "," is the reader's own thousands separator, so a Swedish
// Excel or LibreOffice shows "1 975 068 kr", as the page does.
const KRONOR_FORMAT = '#,##0 "kr"';
const THOUSANDS_FORMAT = '#,##0 "tkr"';

// Excel refuses a workbook whose sheet name is longer than this or holds any of []/\:*?.
const SHEET_NAME_LENGTH = 31;

// Column widths in characters: wide enough for the longest value, within reason for long insats names.
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

export async function renderXlsx(sheets: XlsxSheet[], options: { title?: string } = {}): Promise<Buffer> {
  const xlsx = await writeExcelFile(
    sheets.map(({ name, table }) => ({
      sheet: sheetName(name),
      data: sheetData(table),
      columns: table.columns.map((_, index) => ({ width: columnWidth(table, index) })),
      stickyRowsCount: 1,
    })),
    { features: [coreProperties(options.title)] },
  ).toBuffer();
  const cached = sheets.map(({ table }) => cachedValues(table));
  return cached.some((values) => values.length > 0) ? withCachedValues(xlsx, cached) : xlsx;
}

/** Column letters of a zero-based index: 0 → A, 26 → AA. */
function columnLetters(index: number): string {
  let letters = "";
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

/** The sheet's row number of a table row (rows, then footer rows), below the header row. */
const sheetRow = (rowIndex: number) => rowIndex + 2;

function formulaText(formula: CellFormula, rowIndex: number, columnIndex: number): string {
  if ("sumOfRows" in formula) {
    const column = columnLetters(columnIndex);
    const cells = (rows: number[]) => rows.map((row) => `${column}${sheetRow(row)}`).join(",");
    const sum = formula.sumOfRows.length === 0 ? "0" : `SUM(${cells(formula.sumOfRows)})`;
    return formula.subtractRows?.length ? `${sum}-SUM(${cells(formula.subtractRows)})` : sum;
  }
  const [a, b] = formula.difference;
  return `${columnLetters(a)}${sheetRow(rowIndex)}-${columnLetters(b)}${sheetRow(rowIndex)}`;
}

const tableRows = (table: TableBlock) => [...table.rows, ...(table.footerRows ?? [])];

/** The values of a table's formula cells in the order the sheet lists them (row by row, left to right). */
function cachedValues(table: TableBlock): number[] {
  return tableRows(table).flatMap((cells) =>
    table.columns.flatMap((_, index) => {
      const cell = cells[index];
      return cell?.formula ? [Number(typedValue(cell).value)] : [];
    }),
  );
}

/**
 * write-excel-file writes a formula without its value, so a reader that does not recompute (a preview, a screen
 * reader's quick look, read-excel-file) would see an empty cell: each <f> gets the value the page shows as <v>.
 */
function withCachedValues(xlsx: Buffer, cached: number[][]): Buffer {
  const files = unzipSync(new Uint8Array(xlsx));
  cached.forEach((values, index) => {
    const path = `xl/worksheets/sheet${index + 1}.xml`;
    const part = files[path];
    if (!part || values.length === 0) return;
    let next = 0;
    const xml = strFromU8(part).replace(/<\/f>/g, () => `</f><v>${values[next++] ?? 0}</v>`);
    files[path] = strToU8(xml);
  });
  return Buffer.from(zipSync(files));
}

function sheetName(name: string): string {
  return (
    name
      .replace(/[[\]/\\:*?]/g, "-")
      .slice(0, SHEET_NAME_LENGTH)
      .trim() || "Blad1"
  );
}

function sheetData(table: TableBlock): SheetData {
  const row = (cells: Cell[], rowIndex: number, bold: boolean) =>
    table.columns.map((column, index) => {
      const cell = cells[index];
      if (!cell || (cell.text === "" && cell.number === undefined)) return null;
      const typed = typedValue(cell);
      const value = cell.formula
        ? { ...typed, type: "Formula" as const, value: formulaText(cell.formula, rowIndex, index) }
        : typed;
      return { ...value, ...style(column, bold || cell.strong === true) };
    });
  const footerStart = table.rows.length;
  return [
    table.columns.map((column) => ({ value: column.header, ...style(column, true) })),
    ...table.rows.map((cells, rowIndex) => row(cells, rowIndex, false)),
    ...(table.footerRows ?? []).map((cells, index) => row(cells, footerStart + index, true)),
  ];
}

function style(column: Column, bold: boolean): CellObject {
  return {
    ...(bold ? { fontWeight: "bold" as const } : {}),
    ...(column.align === "right" ? { align: "right" as const } : {}),
  };
}

/**
 * The model carries a number together with its printed text, and the text tells its unit: "1 975 068 kr" is kronor,
 * "1 975 tkr" thousands of kronor, "11,3 %" a share in per cent (a spreadsheet wants the fraction, shown with as many decimals), anything else a
 * count or a year, shown as it is.
 */
function typedValue(cell: Cell): CellObject {
  if (cell.number === undefined) return { value: cell.text, type: String };
  if (cell.text.endsWith("tkr")) return { value: cell.number, type: Number, format: THOUSANDS_FORMAT };
  if (cell.text.endsWith("kr")) return { value: cell.number, type: Number, format: KRONOR_FORMAT };
  const percent = /(?:,(\d+))?\s*%$/.exec(cell.text);
  if (percent) {
    const decimals = percent[1]?.length ?? 0;
    return { value: cell.number / 100, type: Number, format: decimals > 0 ? `0.${"0".repeat(decimals)}%` : "0%" };
  }
  return { value: cell.number, type: Number };
}

function columnWidth(table: TableBlock, index: number): number {
  const lengths = [
    table.columns[index]?.header ?? "",
    ...[...table.rows, ...(table.footerRows ?? [])].map((row) => row[index]?.text ?? ""),
  ].map((text) => text.length);
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, ...lengths) + 2);
}

/**
 * docProps/core.xml, which write-excel-file leaves out: the title that Excel shows and screen readers announce
 * (EN 301 549 asks for one), and the language, as the PDF and DOCX exports set them.
 */
function coreProperties(title: string | undefined) {
  const path = "docProps/core.xml";
  return {
    files: {
      transform: {
        "[Content_Types].xml": {
          insert: () =>
            `<Override PartName="/${path}" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`,
        },
        "_rels/.rels": {
          insert: () =>
            `<Relationship Id="rId-samordna-core" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="${path}"/>`,
        },
      },
      write: {
        files: () => ({
          [path]:
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
            ' xmlns:dc="http://purl.org/dc/elements/1.1/">' +
            (title ? `<dc:title>${sanitizeTextContent(title)}</dc:title>` : "") +
            "<dc:creator>Samordna</dc:creator><dc:language>sv-SE</dc:language>" +
            "</cp:coreProperties>",
        }),
      },
    },
  };
}
