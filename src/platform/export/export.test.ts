import { describe, expect, it } from "vitest";
import { readDocx } from "../../../test/support/docx-text.js";
import { sampleDocument, sampleRowCount } from "../../../test/support/export-sample.js";
import { readPdf } from "../../../test/support/pdf-text.js";
import { formatKronor, formatPercent } from "../ui/format.js";
import { cell, type ExportDocument } from "./document.js";
import { renderDocx } from "./docx.js";
import { ExportHtml } from "./html.js";
import { renderPdf } from "./pdf.js";

/** pdfjs reads no-break spaces (1 975 068 kr) back as plain ones, and a wrapped paragraph as lines. */
const plain = (text: string) => text.replace(/\s+/g, " ");

/** Fails unless every string occurs in `text`, each after the one before it. */
function expectInOrder(text: string, expected: string[]) {
  let from = 0;
  for (const string of expected.map(plain)) {
    const at = plain(text).indexOf(string, from);
    expect(at, `"${string}" efter position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + string.length;
  }
}

const doc = sampleDocument();
const total = formatKronor(197_506_800n);
const share = formatPercent(0.113);

/** What a reader must find, in document order: headings, paragraphs, fields, table cells, list items. */
function contentInOrder(document: ExportDocument, layout: "pdf" | "docx"): string[] {
  return document.blocks.flatMap((block): string[] => {
    switch (block.type) {
      case "heading":
      case "paragraph":
        return [block.text];
      case "fields":
        return block.rows.map((row) => `${row.label}: ${row.value}`.trim());
      case "table":
        return [
          ...(block.caption ? [block.caption] : []),
          ...block.columns.map((column) => column.header),
          // The one long name wraps over three lines in the PDF; its first words stand for it.
          ...block.rows.map((row) => (layout === "pdf" ? row[0]!.text.slice(0, 24) : row[0]!.text)),
          ...(block.footerRows ?? []).flatMap((row) => row.map((cell) => cell.text).filter(Boolean)),
        ];
      case "list":
        return block.items;
      // Signatures print each value above its label, two slots side by side: each format is checked on its own.
      default:
        return [];
    }
  });
}

describe("the PDF export", async () => {
  const pdf = await renderPdf(doc);
  const read = await readPdf(pdf);
  const raw = pdf.toString("latin1");

  it("holds every heading, text and value in order, with å, ä and ö intact", () => {
    const text = read.text;
    expectInOrder(text, contentInOrder(doc, "pdf"));
    expectInOrder(text, [`Totalt beviljat: ${total}`, `Andel till individinsatser: ${share}`, `Summa ${total}`]);
    // Two signature slots side by side: a line of the PDF holds both columns.
    expectInOrder(read.pages.at(-1)!, [
      "Örnsköldsvik 2027-02-15",
      "Ort och datum Ort och datum",
      "Underskrift Underskrift",
      "Åsa Öberg Märta Ålund",
      "Namnförtydligande Namnförtydligande",
    ]);
  });

  it("numbers every page 'Sida n (N)' and repeats the header and footer", () => {
    const count = read.pageCount;
    expect(count).toBeGreaterThanOrEqual(3);
    read.pages.forEach((page, index) => {
      const lines = page.split("\n");
      expect(lines[0]).toBe(doc.header);
      expect(lines.at(-1)).toBe(`${doc.footer} Sida ${index + 1} (${count})`);
    });
  });

  it("breaks the long table over pages, repeating its header row and never cutting a row", () => {
    const tablePages = read.pages.filter((page) => page.includes("Insats 2"));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const page of tablePages) expect(page).toContain("Insats Kommun Belopp");
    for (const page of tablePages.slice(1)) expect(page.split("\n")[1]).toBe("Insats Kommun Belopp");
    const rowLines = read.text.split("\n").filter((line) => /^Insats \d+ i /.test(line));
    expect(rowLines).toHaveLength(sampleRowCount - 1);
    for (const line of rowLines) expect(line).toMatch(/ \d[\d ]* kr$/);
    expectInOrder(read.pages[0]!, [
      "Steg för steg mot arbete – en lång Sollefteå 59 595 kr",
      "insatsbeskrivning som måste radbrytas i cellen för",
      "att få plats i kolumnen",
    ]);
  });

  it("splits a row taller than a page line by line, repeating the header row", async () => {
    const words = Array.from({ length: 900 }, (_, index) => `ord${index + 1}`);
    const tall = await readPdf(
      await renderPdf({
        title: "En lång cell",
        lang: "sv-SE",
        blocks: [
          {
            type: "table",
            columns: [
              { header: "Text", width: 3 },
              { header: "Belopp", align: "right" },
            ],
            rows: [[cell(words.join(" ")), cell("1 kr")]],
          },
        ],
      }),
    );
    expect(tall.pageCount).toBeGreaterThanOrEqual(2);
    expect(tall.text.match(/ord\d+/g)).toEqual(words);
    for (const page of tall.pages) expect(page.split("\n")[0]).toBe("Text Belopp");
  });

  it("is a tagged PDF/UA file in Swedish with its title shown", () => {
    expect(read.title).toBe(doc.title);
    expect(read.language).toBe("sv-SE");
    expect(read.marked).toBe(true);
    expect(raw).toContain("/Lang (sv-SE)");
    expect(raw).toContain("/StructTreeRoot");
    expect(raw).toContain("/MarkInfo");
    expect(raw).toContain("/DisplayDocTitle true");
    expect(raw).toMatch(/<pdfuaid:part>1<\/pdfuaid:part>/);
    expect(raw).toContain("/Scope /Column");
    expect(raw).toMatch(/\/FontFile2/);
  });

  it("tags headings, paragraphs, tables with header cells, and lists", () => {
    const roles = new Set(read.roles);
    for (const role of ["H1", "H2", "H3", "H4", "P", "Table", "Caption", "THead", "TBody", "TFoot", "TR", "TH", "TD"]) {
      expect(roles, role).toContain(role);
    }
    for (const role of ["L", "LI", "Lbl", "LBody"]) expect(roles, role).toContain(role);
    // Repeated header rows on later pages are artifacts: the three column headers are tagged once.
    expect(read.roles.filter((role) => role === "TH")).toHaveLength(3);
  });
});

describe("the DOCX export", async () => {
  const docx = readDocx(await renderDocx(doc));
  const documentXml = docx.parts.get("word/document.xml")!;

  it("holds every heading, text and value in order", () => {
    expectInOrder(docx.paragraphs.join("\n"), contentInOrder(doc, "docx"));
    expect(docx.paragraphs).toContain(`Totalt beviljat: ${total}`);
    expect(docx.paragraphs).toContain(`Andel till individinsatser: ${share}`);
    expect(docx.paragraphs.slice(-9)).toEqual([
      "Örnsköldsvik 2027-02-15",
      "Ort och datum",
      "Underskrift",
      "Åsa Öberg",
      "Namnförtydligande",
      "Ort och datum",
      "Underskrift",
      "Märta Ålund",
      "Namnförtydligande",
    ]);
  });

  it("uses Word's heading styles, a repeated table header row and right-aligned amounts", () => {
    for (const level of [1, 2, 3, 4]) expect(documentXml).toContain(`<w:pStyle w:val="Heading${level}"/>`);
    expect(documentXml.match(/<w:tblHeader\/>/g)).toHaveLength(1);
    const amountCell = documentXml.indexOf(`>${formatKronor(2_000_000)}<`);
    expect(documentXml.lastIndexOf('<w:jc w:val="right"/>', amountCell)).toBeGreaterThan(
      documentXml.lastIndexOf("<w:tc>", amountCell),
    );
  });

  it("numbers pages 'Sida n (N)' in the footer, and is Swedish, titled A4", () => {
    const footer = docx.parts.get("word/footer1.xml")!;
    expect(footer).toContain(doc.footer);
    expect(footer).toMatch(/Sida <\/w:t>[\s\S]*PAGE[\s\S]*\(<\/w:t>[\s\S]*NUMPAGES[\s\S]*\)<\/w:t>/);
    expect(docx.parts.get("word/header1.xml")).toContain(doc.header);
    expect(docx.parts.get("word/styles.xml")).toContain('<w:lang w:val="sv-SE"/>');
    expect(docx.parts.get("docProps/core.xml")).toContain(`<dc:title>${doc.title}</dc:title>`);
    expect(documentXml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
  });
});

describe("the HTML export", () => {
  const html = String(ExportHtml({ doc }));

  it("renders headings at their level and tables with column headers", () => {
    expectInOrder(html, [
      '<article class="export-document" lang="sv-SE">',
      "<h1>Årsredovisning 2026</h1>",
      "<h2>Förbundets uppgifter</h2>",
      "<h3>Årets prioriteringar</h3>",
      "<h4>Steg i ansökan</h4>",
      "<caption>Beviljade medel 2026</caption>",
      '<th scope="col">Insats</th>',
      '<th scope="col" class="numeric">Belopp</th>',
      "<tbody>",
      `<td class="numeric">${formatKronor(2_000_000)}</td>`,
      "<tfoot>",
      "</article>",
    ]);
  });

  it("renders fields as a description list, lists as lists and blanks as lines to write on", () => {
    expectInOrder(html, ["<dt>Säte</dt><dd>Örnsköldsvik</dd>", '<dd class="export-blank">', "Ej ifyllt"]);
    expectInOrder(html, ["<ul><li>Tidiga insatser för unga</li>", "<ol><li>Ansökan skickas in</li>"]);
    expectInOrder(html, ['<div class="export-signatures export-signatures--2">', "<dt>Ort och datum</dt>"]);
    expect(html).toContain('<hr class="export-page-break"/>');
  });

  it("escapes text from the model", () => {
    const unsafe = String(ExportHtml({ doc: { ...doc, blocks: [{ type: "paragraph", text: "<script>" }] } }));
    expect(unsafe).toContain("&lt;script&gt;");
    expect(unsafe).not.toContain("<script>");
  });
});
