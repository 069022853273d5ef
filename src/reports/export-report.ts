import type { Association, Report } from "../platform/db/schema.js";
import type { ExportDocument } from "../platform/export/document.js";
import { renderDocx } from "../platform/export/docx.js";
import { renderPdf } from "../platform/export/pdf.js";
import { renderXlsx, type XlsxSheet } from "../platform/export/xlsx.js";
import type { ReportAnswers } from "./answer-model.js";
import { composeReport } from "./compose.js";
import type { InsatsFacts } from "./prefill.js";
import type { TemplateVersion } from "./template-model.js";

/** The report as the one export document that the HTML view, the PDF and the DOCX all render. */
export function reportDocument(options: {
  association: Pick<Association, "name">;
  report: Pick<Report, "answers" | "arrival_date" | "registry_number">;
  template: TemplateVersion;
  facts: InsatsFacts;
}) {
  const { facts, report } = options;
  return composeReport({
    template: options.template,
    answers: report.answers as ReportAnswers,
    association: { name: options.association.name },
    facts: {
      name: facts.name,
      periodStart: facts.periodStart,
      periodEnd: facts.periodEnd,
      ...(facts.intakeEnd ? { intakeEnd: facts.intakeEnd } : {}),
      grantedOre: facts.grantedOre,
      usedOre: facts.usedOre,
      ...(report.registry_number ? { registryNumber: report.registry_number } : {}),
      ...(report.arrival_date ? { arrivalDate: report.arrival_date } : {}),
      owner: { id: facts.owner.id, name: facts.owner.name },
      partners: facts.partners.map((partner) => ({
        id: partner.id,
        name: partner.name,
        ...(partner.contactName ? { contactName: partner.contactName } : {}),
        ...(partner.email ? { email: partner.email } : {}),
      })),
    },
  });
}

/** The report's tables (goals, costs, participants) as sheets, numbered and named after the heading above each. */
export function reportSheets(document: ExportDocument): XlsxSheet[] {
  let heading = "";
  const sheets: XlsxSheet[] = [];
  for (const block of document.blocks) {
    if (block.type === "heading") heading = block.text;
    if (block.type === "table") {
      sheets.push({ name: `${sheets.length + 1} ${block.caption ?? (heading || "Tabell")}`, table: block });
    }
  }
  return sheets;
}

export const downloadTypes = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
export type DownloadFormat = keyof typeof downloadTypes;

/** The report as a file: the whole report as PDF or Word, its tables as a spreadsheet (undefined: it has none). */
export async function reportFile(document: ExportDocument, format: DownloadFormat): Promise<Buffer | undefined> {
  if (format === "pdf") return renderPdf(document);
  if (format === "docx") return renderDocx(document);
  const sheets = reportSheets(document);
  return sheets.length > 0 ? renderXlsx(sheets, { title: document.title }) : undefined;
}
