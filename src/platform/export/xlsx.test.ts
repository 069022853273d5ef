import { describe, expect, it } from "vitest";
import { sampleDocument, sampleRowCount } from "../../../test/support/export-sample.js";
import { readXlsx } from "../../../test/support/xlsx-cells.js";
import { formatBasisPoints, formatKronor, formatPercent } from "../ui/format.js";
import { cell } from "./document.js";
import { renderXlsx, type TableBlock } from "./xlsx.js";

const shares: TableBlock = {
  type: "table",
  caption: "Andelar och deltagare",
  columns: [
    { header: "Medlem" },
    { header: "Andel", align: "right" },
    { header: "Exakt andel", align: "right" },
    { header: "Deltagare", align: "right" },
    { header: "Beviljat", align: "right" },
  ],
  rows: [
    [
      cell("Örnsköldsviks kommun"),
      cell(formatPercent(0.113), 11.3),
      cell(formatBasisPoints(2500), 25),
      cell("12", 12),
      cell(formatKronor(197_506_800n), 1_975_068),
    ],
    [cell("Region Västernorrland"), cell("–"), cell(""), cell("3", 3), { ...cell(formatKronor(-50_000n), -500) }],
  ],
  footerRows: [[cell("Summa"), cell(""), cell(""), cell("15", 15), cell(formatKronor(197_456_800n), 1_974_568)]],
};

describe("the XLSX export", async () => {
  const sample = sampleDocument().blocks.find((block): block is TableBlock => block.type === "table");
  if (!sample) throw new Error("the sample document has a table");
  const xlsx = await renderXlsx(
    [
      { name: "Andelar", table: shares },
      { name: "Insatser: 2026/2027 [alla] med ett långt namn", table: sample },
    ],
    { title: "Årsredovisning 2026 – bilaga" },
  );
  const { sheets, parts } = readXlsx(xlsx);
  const [first, second] = sheets;
  if (!first || !second) throw new Error("two sheets expected");

  it("writes one sheet per table, named within Excel's rules", () => {
    expect(sheets.map((sheet) => sheet.name)).toEqual(["Andelar", "Insatser- 2026-2027 -alla- med"]);
    expect(second.rows).toHaveLength(1 + sampleRowCount + 1);
  });

  it("has a bold header row that stays in view", () => {
    expect(first.rows[0]).toEqual(
      ["Medlem", "Andel", "Exakt andel", "Deltagare", "Beviljat"].map((value) => ({
        value,
        bold: true,
        format: undefined,
      })),
    );
    expect(first.frozenRows).toBe(1);
    expect(second.frozenRows).toBe(1);
  });

  it("writes numbers as typed numbers, with kronor and per cent formatted as on the page, and text as text", () => {
    expect(first.rows[1]).toEqual([
      { value: "Örnsköldsviks kommun", bold: false, format: undefined },
      { value: 0.113, bold: false, format: "0.0%" },
      { value: 0.25, bold: false, format: "0.00%" },
      { value: 12, bold: false, format: undefined },
      { value: 1_975_068, bold: false, format: '#,##0 "kr"' },
    ]);
    expect(first.rows[2]).toEqual([
      { value: "Region Västernorrland", bold: false, format: undefined },
      { value: "–", bold: false, format: undefined },
      undefined,
      { value: 3, bold: false, format: undefined },
      { value: -500, bold: false, format: '#,##0 "kr"' },
    ]);
    expect(parts.get("xl/worksheets/sheet1.xml")).toMatch(/<c r="E2"(?: s="\d+")?><v>1975068<\/v><\/c>/);
  });

  it("writes footer rows (Summa) in bold", () => {
    expect(first.rows[3]).toEqual([
      { value: "Summa", bold: true, format: undefined },
      undefined,
      undefined,
      { value: 15, bold: true, format: undefined },
      { value: 1_974_568, bold: true, format: '#,##0 "kr"' },
    ]);
  });

  it("sizes columns to their content, within limits", () => {
    expect(first.widths).toEqual([23, 10, 13, 11, 14]);
    // The one very long insats name in the sample is capped rather than making the column a screen wide.
    expect(second.widths[0]).toBe(60);
  });

  it("carries the title, creator and language in the document properties", () => {
    const core = parts.get("docProps/core.xml") ?? "";
    expect(core).toContain("<dc:title>Årsredovisning 2026 – bilaga</dc:title>");
    expect(core).toContain("<dc:language>sv-SE</dc:language>");
    expect(parts.get("[Content_Types].xml")).toContain('PartName="/docProps/core.xml"');
    expect(parts.get("_rels/.rels")).toContain('Target="docProps/core.xml"');
  });
});
