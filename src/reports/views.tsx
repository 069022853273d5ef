import type { Report, ReportStatus } from "../platform/db/schema.js";
import type { ExportDocument } from "../platform/export/document.js";
import { ExportHtml } from "../platform/export/html.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, DateField, ErrorSummary, Field, PostForm, Select, TextArea } from "../platform/ui/components.js";
import { formatDateTime } from "../platform/ui/format.js";
import type { ReportAnswers } from "./answer-model.js";
import { type FormContext, ReportFormSections } from "./report-form.js";
import type { listReports } from "./repository.js";
import type { TemplateVersion } from "./template-model.js";
import { reportKindNames, reportKinds, type TemplateChoice } from "./templates.js";

type Insats = { id: string; name: string };
type ReportRow = Awaited<ReturnType<typeof listReports>>[number];

export const reportStatusNames: Record<ReportStatus, string> = {
  draft: "Utkast",
  submitted: "Inlämnad",
  returned: "Återsänd",
  approved: "Godkänd",
};

export function ReportsPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  reports: ReportRow[];
  templates: TemplateChoice[];
  defaults: Record<string, string>;
  mayStart: boolean;
  errors?: FieldError[] | undefined;
}) {
  return (
    <>
      <p class="muted">
        <a href={props.path}>{props.intervention.name}</a>
      </p>
      <h1>Rapporter</h1>
      <ErrorSummary errors={props.errors} />
      {props.reports.length === 0 ? (
        <p>Inga rapporter ännu.</p>
      ) : (
        <div class="table-wrapper">
          <table>
            <caption class="visually-hidden">Rapporter</caption>
            <thead>
              <tr>
                <th scope="col">Rapport</th>
                <th scope="col">Status</th>
                <th scope="col">Inlämnad</th>
                <th scope="col">Ankomstdatum</th>
              </tr>
            </thead>
            <tbody>
              {props.reports.map((report) => (
                <tr>
                  <th scope="row">
                    <a href={`${props.path}/reports/${report.id}`}>
                      {reportKindNames[report.kind]}
                      {report.imported_from ? ` (importerad ${report.imported_from})` : ""}
                    </a>
                  </th>
                  <td>{reportStatusNames[report.status]}</td>
                  <td>{report.submitted_at ? formatDateTime(report.submitted_at) : "–"}</td>
                  <td>{report.arrival_date ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.mayStart && (
        <section aria-labelledby="start-heading">
          <h2 id="start-heading">Påbörja en rapport</h2>
          <PostForm action={`${props.path}/reports`} csrfToken={props.csrfToken} label="Påbörja en rapport">
            <Select
              name="kind"
              label="Rapport"
              required
              options={reportKinds.map((kind) => ({ value: kind, label: reportKindNames[kind] }))}
              value="final"
              errors={props.errors}
            />
            <Select
              name="templateKey"
              label="Mall"
              hint="Förbundets standardmall väljs om du inte väljer någon."
              options={props.templates.map((choice) => ({
                value: choice.template.key,
                label: `${choice.template.title}${choice.template.subtitle ? ` – ${choice.template.subtitle}` : ""} (${choice.template.association})`,
              }))}
              value={props.defaults.final}
              errors={props.errors}
              emptyOption="Förbundets standardmall"
            />
            <Button>Påbörja</Button>
          </PostForm>
        </section>
      )}
    </>
  );
}

export function ReportPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  report: Report;
  template: TemplateVersion;
  document: ExportDocument;
  mayEdit: boolean;
  isStaff: boolean;
  errors?: FieldError[] | undefined;
  values?: Record<string, string> | undefined;
}) {
  const { report } = props;
  const reportPath = `${props.path}/reports/${report.id}`;
  const open = report.status === "draft" || report.status === "returned";
  return (
    <>
      <p class="muted">
        <a href={`${props.path}/reports`}>Rapporter: {props.intervention.name}</a>
      </p>
      <h1>
        {reportKindNames[report.kind]}: {props.intervention.name}
      </h1>
      <ErrorSummary errors={props.errors} />
      <dl class="summary-list">
        <dt>Status</dt>
        <dd>{reportStatusNames[report.status]}</dd>
        <dt>Mall</dt>
        <dd>
          {props.template.title} ({props.template.association})
        </dd>
        <dt>Inlämnad</dt>
        <dd>
          {report.submitted_at ? `${formatDateTime(report.submitted_at)}, ${report.submitted_by_label ?? ""}` : "–"}
        </dd>
        <dt>Ankomstdatum och diarienummer</dt>
        <dd>{[report.arrival_date, report.registry_number].filter(Boolean).join(", ") || "–"}</dd>
        {report.decided_at && (
          <>
            <dt>{report.status === "returned" ? "Återsänd" : "Godkänd"}</dt>
            <dd>
              {formatDateTime(report.decided_at)}, {report.decided_by_label}
              {report.decision_comment ? `: ${report.decision_comment}` : ""}
            </dd>
          </>
        )}
      </dl>
      <p class="actions">
        {props.mayEdit && open && (
          <a class="button button--primary" href={`${reportPath}/edit`}>
            Fyll i rapporten
          </a>
        )}{" "}
        <a class="button button--secondary" href={`${reportPath}.pdf`}>
          Ladda ner PDF
        </a>{" "}
        <a class="button button--secondary" href={`${reportPath}.docx`}>
          Ladda ner Word
        </a>{" "}
        {props.document.blocks.some((block) => block.type === "table") && (
          <>
            <a class="button button--secondary" href={`${reportPath}.xlsx`}>
              Ladda ner tabellerna (Excel)
            </a>{" "}
          </>
        )}
        <a href={`${reportPath}/print`}>Utskriftsvänlig version</a>
      </p>
      {props.mayEdit && open && (
        <PostForm action={`${reportPath}/submit`} csrfToken={props.csrfToken} label="Lämna in rapporten">
          <p>När rapporten är klar lämnar du in den till förbundet. Därefter kan den inte ändras.</p>
          <Button>Lämna in rapporten</Button>
        </PostForm>
      )}
      {props.isStaff && (
        <section aria-labelledby="review-heading">
          <h2 id="review-heading">Förbundets hantering</h2>
          <div class="cards">
            <div class="card">
              <PostForm action={`${reportPath}/arrival`} csrfToken={props.csrfToken} label="Registrera ankomst">
                <DateField
                  name="arrivalDate"
                  label="Ankomstdatum"
                  required
                  value={props.values?.arrivalDate ?? report.arrival_date ?? ""}
                  errors={props.errors}
                />
                <Field
                  name="registryNumber"
                  label="Diarienummer"
                  value={props.values?.registryNumber ?? report.registry_number ?? ""}
                  errors={props.errors}
                  width="medium"
                />
                <Button kind="secondary">Registrera ankomst</Button>
              </PostForm>
            </div>
            {report.status === "submitted" && (
              <>
                <div class="card">
                  <PostForm action={`${reportPath}/approve`} csrfToken={props.csrfToken} label="Godkänn rapporten">
                    <Button>Godkänn rapporten</Button>
                  </PostForm>
                </div>
                <div class="card">
                  <PostForm action={`${reportPath}/return`} csrfToken={props.csrfToken} label="Återsänd rapporten">
                    <TextArea
                      name="comment"
                      label="Vad behöver ändras?"
                      required
                      value={props.values?.comment}
                      errors={props.errors}
                      rows={3}
                    />
                    <Button kind="secondary">Återsänd rapporten</Button>
                  </PostForm>
                </div>
              </>
            )}
          </div>
        </section>
      )}
      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">Rapporten</h2>
        <ExportHtml doc={props.document} />
      </section>
    </>
  );
}

export function ReportFormPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  report: Report;
  template: TemplateVersion;
  answers: ReportAnswers;
  context: FormContext;
  version: string;
  errors?: FieldError[] | undefined;
  posted?: Record<string, string> | undefined;
}) {
  const reportPath = `${props.path}/reports/${props.report.id}`;
  return (
    <div class="narrow">
      <p class="muted">
        <a href={reportPath}>
          {reportKindNames[props.report.kind]}: {props.intervention.name}
        </a>
      </p>
      <h1>{props.template.title}</h1>
      {props.template.subtitle && <p class="lead">{props.template.subtitle}</p>}
      <ErrorSummary errors={props.errors} />
      <p>
        Insatsens mål, parter, budget och godkända rekvisitioner är ifyllda från insatsen. Spara ofta: utkastet finns
        kvar tills du lämnar in rapporten. Markera "Ej aktuellt" för frågor som inte gäller insatsen.
      </p>
      <PostForm action={reportPath} csrfToken={props.csrfToken} label={props.template.title}>
        <input type="hidden" name="version" value={props.version} />
        <ReportFormSections
          template={props.template}
          answers={props.answers}
          context={props.context}
          errors={props.errors}
          posted={props.posted}
        />
        <Button>Spara utkast</Button> <a href={reportPath}>Avbryt</a>
      </PostForm>
    </div>
  );
}

export function PrintPage(props: { document: ExportDocument }) {
  return <ExportHtml doc={props.document} />;
}
