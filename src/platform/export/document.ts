/**
 * The one document model every export is built from (ADR 0010): a use case builds an `ExportDocument` once, and the
 * renderers turn it into HTML, PDF and DOCX, and its tables into XLSX. Values arrive formatted for print (Swedish
 * dates and amounts); a cell that is a number also carries it typed, so spreadsheets can compute with it.
 */
export type ExportDocument = {
  title: string;
  /** BCP 47; every document Samordna writes is Swedish. */
  lang: "sv-SE";
  author?: string;
  subject?: string;
  /** Printed at the top of every page, e.g. the förbund's name. */
  header?: string;
  /** Printed at the bottom of every page beside "Sida n (N)". */
  footer?: string;
  blocks: Block[];
};

export type Block =
  | { type: "heading"; level: 1 | 2 | 3 | 4; text: string }
  | { type: "paragraph"; text: string; style?: "normal" | "hint" | "strong" }
  | { type: "fields"; rows: FieldRow[] }
  | { type: "table"; caption?: string; columns: Column[]; rows: Cell[][]; footerRows?: Cell[][] }
  | { type: "list"; items: string[]; ordered?: boolean }
  | { type: "signatures"; columns: 1 | 2; slots: SignatureSlot[] }
  | { type: "pageBreak" };

/** "Label: value", as forms print their fields; an empty value prints the label with room to write. */
export type FieldRow = { label: string; value: string };

export type Column = { header: string; align?: "left" | "right" /** relative width */; width?: number };

/** `text` is what is printed; `number` (kronor, a count or a share in per cent) is what a spreadsheet gets. */
export type Cell = { text: string; number?: number; strong?: boolean; formula?: CellFormula };

/**
 * How a spreadsheet computes a cell that is a sum or a difference, so that a changed figure carries through; the
 * cell's `number` is the value it has now. Rows are indices into the table's rows followed by its footer rows; `subtractRows` are taken away from the sum.
 */
export type CellFormula =
  | { sumOfRows: number[]; subtractRows?: number[] }
  | { difference: [columnA: number, columnB: number] };

/** One signature block: lines such as "Ort och datum", "Underskrift", "Namnförtydligande", with filled values. */
export type SignatureSlot = { lines: FieldRow[] };

export const cell = (text: string, number?: number): Cell => (number === undefined ? { text } : { text, number });
