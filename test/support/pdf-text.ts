import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api.js";

export type PdfContent = {
  /** Each page's text in reading order: lines top to bottom, the pieces of a line left to right. */
  pages: string[];
  /** All pages, joined by newlines. */
  text: string;
  pageCount: number;
  title: string | undefined;
  /** /Lang of the document catalog. */
  language: string | undefined;
  /** /MarkInfo /Marked: the file claims to be a tagged PDF. */
  marked: boolean;
  /** The roles of the structure tree (H1, P, Table, TH, …), page by page in tree order. */
  roles: string[];
};

type StructNode = { role?: string; children?: StructNode[] };

/**
 * Reads a PDF back the way an assistive tool or a search index would. pdfjs runs in this process: in Node its
 * "fake worker" parses on the main thread, so no worker file or thread is involved.
 */
export async function readPdf(pdf: Uint8Array): Promise<PdfContent> {
  const document = await getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    const roles: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      pages.push(linesOf(content.items.filter((item): item is TextItem => "str" in item)).join("\n"));
      collectRoles((await page.getStructTree()) as StructNode | null, roles);
    }
    const { info } = await document.getMetadata();
    const fields = info as { Title?: string; Language?: string };
    const markInfo = await document.getMarkInfo();
    return {
      pages,
      text: pages.join("\n"),
      pageCount: document.numPages,
      title: fields.Title,
      language: fields.Language,
      marked: markInfo?.Marked ?? false,
      roles,
    };
  } finally {
    await document.destroy();
  }
}

/** Groups text pieces whose baselines are within two points into one line. */
function linesOf(items: TextItem[]): string[] {
  const pieces = items
    .filter((item) => item.str.trim() !== "")
    .map((item) => ({ text: item.str, x: item.transform[4] as number, y: item.transform[5] as number, w: item.width }));
  pieces.sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: (typeof pieces)[] = [];
  for (const piece of pieces) {
    const line = lines.at(-1);
    if (line && Math.abs(line[0]!.y - piece.y) <= 2) line.push(piece);
    else lines.push([piece]);
  }
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    return line.reduce((text, piece, index) => {
      if (index === 0) return piece.text;
      const previous = line[index - 1]!;
      const touching = piece.x - (previous.x + previous.w) < 1;
      return touching ? text + piece.text : `${text} ${piece.text}`;
    }, "");
  });
}

function collectRoles(node: StructNode | null, roles: string[]) {
  if (!node) return;
  if (node.role && node.role !== "Root") roles.push(node.role);
  for (const child of node.children ?? []) collectRoles(child, roles);
}
