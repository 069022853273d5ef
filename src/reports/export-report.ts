import type { Association, Report } from "../platform/db/schema.js";
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
