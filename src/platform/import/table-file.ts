import { CsvError, parse } from "csv-parse/sync";
import { readSheet, type SheetData } from "read-excel-file/node";

/**
 * Reads an uploaded spreadsheet (CSV or XLSX) into a header row and data rows of text, whatever program wrote it: the
 * Swedish Excel's ";" as well as "," and tab, with or without a byte order mark. A file that cannot be read as
 * intended is refused with a message that says how to save it right; nothing is guessed that could garble å, ä, ö.
 */

export type Table = { headers: string[]; rows: string[][] };

/** A file that cannot be read as a table; the message is Swedish and shown to the user as it is. */
export class TableFileError extends Error {
  override name = "TableFileError";
}

export type UploadedFile = { name: string; bytes: Uint8Array };

/** More rows than any insats has; a limit so that a wrong file cannot make the server work for minutes. */
export const MAX_ROWS = 200_000;

const ACCEPTED = "Välj en CSV-fil (.csv) eller en Excel-fil (.xlsx).";

export async function readTableFile(file: UploadedFile): Promise<Table> {
  if (file.bytes.length === 0) throw new TableFileError("Filen är tom.");
  const kind = fileKind(file);
  const table = kind === "xlsx" ? await readXlsx(file.bytes) : readCsv(file.bytes);
  return checked(table);
}

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);

function fileKind({ name, bytes }: UploadedFile): "csv" | "xlsx" {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  // XLSX is a zip archive; the old binary .xls format starts with the OLE signature.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "xlsx";
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]) || extension === "xls") {
    throw new TableFileError(
      "Filen är i Excels gamla format (.xls). Öppna den i Excel och välj Spara som → Excel-arbetsbok (.xlsx) eller CSV UTF-8.",
    );
  }
  if (extension === "xlsx") throw new TableFileError(`Filen kunde inte läsas som en Excel-fil. ${ACCEPTED}`);
  if (extension === undefined || ["csv", "txt", "tsv"].includes(extension)) return "csv";
  throw new TableFileError(`Filtypen .${extension} kan inte läsas. ${ACCEPTED}`);
}

const NOT_UTF8 =
  "Filen är inte sparad som UTF-8, så å, ä och ö skulle bli fel. Öppna den i Excel och välj Spara som → " +
  "CSV UTF-8 (kommaavgränsad) (*.csv), eller spara den som Excel-arbetsbok (.xlsx), och ladda upp den igen.";

function decodeText(bytes: Uint8Array): string {
  // Excel's "Unicode text" is UTF-16 with a byte order mark, which says so reliably.
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    // The decoder drops a UTF-8 byte order mark, which Excel writes in "CSV UTF-8".
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new TableFileError(NOT_UTF8);
  }
}

const DELIMITERS = [";", ",", "\t"] as const;

/** The delimiter that splits the header line most often, counting only outside quotes. */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  const [best = ";", count = 0] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return count > 0 ? best : ";";
}

function readCsv(bytes: Uint8Array): Table {
  const text = decodeText(bytes);
  if (text.trim() === "") throw new TableFileError("Filen är tom.");
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = "lines" in error && typeof error.lines === "number" ? ` (rad ${error.lines})` : "";
    throw new TableFileError(
      error.code === "CSV_QUOTE_NOT_CLOSED"
        ? `Filen kunde inte läsas som CSV${line}: ett citattecken (") saknar sitt slut.`
        : `Filen kunde inte läsas som CSV${line}. Spara den som CSV UTF-8 från Excel och försök igen.`,
    );
  }
  const [headers = [], ...rows] = records;
  return { headers, rows };
}

async function readXlsx(bytes: Uint8Array): Promise<Table> {
  let data: SheetData;
  try {
    data = await readSheet(Buffer.from(bytes), 1);
  } catch {
    throw new TableFileError(`Filen kunde inte läsas som en Excel-fil. ${ACCEPTED}`);
  }
  const [headers = [], ...rows] = data.map((row) => row.map(cellText));
  return { headers, rows };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  // Excel keeps a date as a day count that the reader turns into midnight UTC.
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "boolean") return value ? "ja" : "nej";
  return String(value).trim();
}

/** Rows as wide as the header row, blank rows dropped, and the refusals every file type shares. */
function checked({ headers, rows }: Table): Table {
  const lastHeader = headers.findLastIndex((header) => header.trim() !== "");
  const trimmedHeaders = headers.slice(0, lastHeader + 1).map((header) => header.trim());
  if (trimmedHeaders.length === 0) throw new TableFileError("Filen saknar en rubrikrad.");
  if (trimmedHeaders.length === 1 && /[;,\t]/.test(trimmedHeaders[0] ?? "")) {
    throw new TableFileError(
      "Filen har bara en kolumn, och dess rubrik innehåller semikolon eller komma: kolumnerna är inte åtskilda som " +
        "väntat. Spara filen som CSV UTF-8 från Excel (eller som .xlsx) och försök igen.",
    );
  }
  const width = trimmedHeaders.length;
  const data: string[][] = [];
  for (const [index, row] of rows.entries()) {
    if (row.every((value) => value === "")) continue;
    if (row.slice(width).some((value) => value !== "")) {
      throw new TableFileError(
        `Rad ${index + 2} har fler värden än rubrikraden har kolumner. Kontrollera att ingen cell innehåller avgränsaren utan citattecken.`,
      );
    }
    data.push(Array.from({ length: width }, (_, column) => row[column] ?? ""));
  }
  if (data.length === 0) throw new TableFileError("Filen har inga rader under rubrikraden.");
  if (data.length > MAX_ROWS) {
    throw new TableFileError(`Filen har ${data.length} rader; högst ${MAX_ROWS} kan läsas in på en gång.`);
  }
  return { headers: trimmedHeaders, rows: data };
}
