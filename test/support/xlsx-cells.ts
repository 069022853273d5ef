import { decodeXml, unzip } from "./zip.js";

/** A cell as a spreadsheet reads it: a typed number stays a number, everything else is its text. */
export type XlsxCell = { value: string | number; bold: boolean; format: string | undefined };

export type XlsxSheet = {
  name: string;
  /** Rows top to bottom, cells by column; an empty cell is undefined. */
  rows: (XlsxCell | undefined)[][];
  /** Rows frozen at the top of the sheet. */
  frozenRows: number;
  /** Column widths in characters, left to right. */
  widths: number[];
};

export type XlsxContent = { sheets: XlsxSheet[]; parts: Map<string, string> };

const attributes = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w:]+)="([^"]*)"/g)].map(([, name, value]) => [name!, decodeXml(value!)]));

const texts = (xml: string) =>
  [...xml.matchAll(/<t(?: [^>]*)?>([^<]*)<\/t>/g)].map(([, text]) => decodeXml(text!)).join("");

/** Column letters to a zero-based index: A → 0, Z → 25, AA → 26. */
const columnIndex = (letters: string) =>
  [...letters].reduce((index, letter) => index * 26 + letter.charCodeAt(0) - 64, 0) - 1;

/** Reads an XLSX back: each sheet's cells with their types, bold and number format, and its frozen rows. */
export function readXlsx(xlsx: Buffer): XlsxContent {
  const parts = unzip(xlsx);
  const part = (path: string) => {
    const xml = parts.get(path);
    if (xml === undefined) throw new Error(`${path} saknas i filen`);
    return xml;
  };
  const strings = [...(parts.get("xl/sharedStrings.xml") ?? "").matchAll(/<si>([\s\S]*?)<\/si>/g)].map(([, si]) =>
    texts(si!),
  );
  const styles = part("xl/styles.xml");
  const formats = new Map(
    [...styles.matchAll(/<numFmt [^>]*\/>/g)].map(([tag]) => {
      const { numFmtId, formatCode } = attributes(tag);
      return [numFmtId, formatCode] as const;
    }),
  );
  const boldFonts = [...styles.matchAll(/<font(?:\/>|>([\s\S]*?)<\/font>)/g)].map(([, inner]) =>
    /<b\/>/.test(inner ?? ""),
  );
  const cellStyles = [
    ...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? "").matchAll(/<xf\b([^>]*)>/g),
  ].map(([, tag]) => {
    const { fontId, numFmtId } = attributes(tag!);
    return { bold: boldFonts[Number(fontId ?? 0)] ?? false, format: numFmtId && formats.get(numFmtId) };
  });
  const targets = new Map(
    [...part("xl/_rels/workbook.xml.rels").matchAll(/<Relationship [^>]*\/>/g)].map(([tag]) => {
      const { Id, Target } = attributes(tag);
      return [Id, Target] as const;
    }),
  );
  const sheets = [...part("xl/workbook.xml").matchAll(/<sheet [^>]*\/>/g)].map(([tag]): XlsxSheet => {
    const { name = "", "r:id": id = "" } = attributes(tag);
    const xml = part(`xl/${targets.get(id)}`);
    const rows: (XlsxCell | undefined)[][] = [];
    for (const [, tag, inner = ""] of xml.matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const { r = "", t, s } = attributes(tag!);
      const [, letters = "", row = ""] = /^([A-Z]+)(\d+)$/.exec(r) ?? [];
      const raw = decodeXml(/<v>([^<]*)<\/v>/.exec(inner)?.[1] ?? "");
      const value =
        t === "s"
          ? (strings[Number(raw)] ?? "")
          : t === "inlineStr"
            ? texts(inner)
            : t && t !== "n"
              ? raw
              : Number(raw);
      const style = cellStyles[Number(s ?? 0)];
      const cells = rows[Number(row) - 1] ?? [];
      rows[Number(row) - 1] = cells;
      cells[columnIndex(letters)] = {
        value,
        bold: style?.bold ?? false,
        format: style?.format || undefined,
      };
    }
    const pane = /<pane [^>]*\/>/.exec(xml)?.[0];
    const frozen = pane ? attributes(pane) : {};
    return {
      name,
      rows: Array.from(rows, (row) => row ?? []),
      frozenRows: frozen.state === "frozen" ? Number(frozen.ySplit ?? 0) : 0,
      widths: [...xml.matchAll(/<col [^>]*\/>/g)].map(([col]) => Number(attributes(col).width)),
    };
  });
  return { sheets, parts };
}
