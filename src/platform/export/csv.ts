const field = (text: string) => (/[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/**
 * CSV as a Swedish Excel opens it with a double click: ";" between fields (the comma is the decimal sign), CRLF, and
 * UTF-8 announced by a byte order mark (without it Excel reads Windows-1252). An empty row is an empty line.
 */
export function csvDocument(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(field).join(";")).join("\r\n")}\r\n`;
}
