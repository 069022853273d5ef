import writeExcelFile, { type CellObject, type SheetData } from "write-excel-file/node";
import { sanitizeTextContent } from "write-excel-file/utility";
import type { Block, Cell, Column } from "./document.js";

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

// Excel refuses a workbook whose sheet name is longer than this or holds any of []/\:*?.
const SHEET_NAME_LENGTH = 31;

// Column widths in characters: wide enough for the longest value, within reason for long insats names.
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

export function renderXlsx(sheets: XlsxSheet[], options: { title?: string } = {}): Promise<Buffer> {
  return writeExcelFile(
    sheets.map(({ name, table }) => ({
      sheet: sheetName(name),
      data: sheetData(table),
      columns: table.columns.map((_, index) => ({ width: columnWidth(table, index) })),
      stickyRowsCount: 1,
    })),
    { features: [coreProperties(options.title)] },
  ).toBuffer();
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
  const row = (cells: Cell[], bold: boolean) =>
    table.columns.map((column, index) => {
      const cell = cells[index];
      return cell && (cell.text !== "" || cell.number !== undefined)
        ? { ...typedValue(cell), ...style(column, bold || cell.strong === true) }
        : null;
    });
  return [
    table.columns.map((column) => ({ value: column.header, ...style(column, true) })),
    ...table.rows.map((cells) => row(cells, false)),
    ...(table.footerRows ?? []).map((cells) => row(cells, true)),
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
 * "11,3 %" a share in per cent (a spreadsheet wants the fraction, shown with as many decimals), anything else a
 * count or a year, shown as it is.
 */
function typedValue(cell: Cell): CellObject {
  if (cell.number === undefined) return { value: cell.text, type: String };
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
