import { decodeXml, unzip } from "./zip.js";

export type DocxContent = {
  /** The text of each paragraph of word/document.xml in document order, table cells included; empty ones left out. */
  paragraphs: string[];
  /** Every part of the package by its path, e.g. "word/document.xml", "word/footer1.xml", "docProps/core.xml". */
  parts: Map<string, string>;
};

/** Reads a DOCX back as text. A .docx is a zip of XML parts. */
export function readDocx(docx: Buffer): DocxContent {
  const parts = unzip(docx);
  const document = parts.get("word/document.xml");
  if (document === undefined) throw new Error("word/document.xml saknas i filen");
  const paragraphs = [...document.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map(([paragraph]) =>
      [...paragraph.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map(([, text]) => decodeXml(text!)).join(""),
    )
    .filter((text) => text !== "");
  return { paragraphs, parts };
}
