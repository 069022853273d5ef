import type { ReportKind } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, ErrorSummary, Field, fieldId, PostForm, Select, TextArea } from "../platform/ui/components.js";
import { sectionLabel } from "./report-form.js";
import { type SectionDefinition, sectionTypes, type TemplateVersion, walkSections } from "./template-model.js";
import { reportKindNames, reportKinds, type TemplateChoice } from "./templates.js";

export const templatePath = (base: string, key: string, page = "") =>
  `${base}/report-templates/template${page}?key=${encodeURIComponent(key)}`;

const templateLabel = (template: TemplateVersion) =>
  `${template.title}${template.subtitle ? ` – ${template.subtitle}` : ""} (${template.association})`;

const kindName = (template: TemplateVersion) => (template.kind === "slutrapport" ? "Slutrapport" : "Delrapport");
const typeNames = new Map(sectionTypes.map((entry) => [entry.type, entry.name]));
const reports = (count: number) => `${count} ${count === 1 ? "rapport" : "rapporter"}`;

/** A template changes only while it is the association's own and no report is written on it. */
export type TemplateState = { template: TemplateVersion; builtin: boolean; reportCount: number };
export const isEditable = (state: TemplateState) => !state.builtin && state.reportCount === 0;

export function TemplatesPage(props: {
  base: string;
  csrfToken: string;
  choices: TemplateChoice[];
  defaults: Record<ReportKind, string>;
  values?: Record<string, string> | undefined;
  errors?: FieldError[] | undefined;
}) {
  const options = props.choices.map((choice) => ({
    value: choice.template.key,
    label: templateLabel(choice.template),
  }));
  const value = (name: string, fallback?: string) => props.values?.[name] ?? fallback;
  return (
    <>
      <h1>Rapportmallar</h1>
      <p class="lead">
        Mallarna som insatsägarna skriver delrapporter och slutrapporter på. En mall som en rapport är skriven på ändras
        inte: kopiera den för att ändra rubriker, frågor, ordning eller avsnitt.
      </p>
      <ErrorSummary errors={props.errors} />
      <div class="table-wrapper">
        <table>
          <caption class="visually-hidden">Rapportmallar</caption>
          <thead>
            <tr>
              <th scope="col">Mall</th>
              <th scope="col">Nyckel</th>
              <th scope="col">Rapport</th>
              <th scope="col">Ursprung</th>
              <th scope="col">Åtgärder</th>
            </tr>
          </thead>
          <tbody>
            {props.choices.map((choice) => (
              <tr>
                <th scope="row">{templateLabel(choice.template)}</th>
                <td>
                  <code>{choice.template.key}</code>
                </td>
                <td>{kindName(choice.template)}</td>
                <td>{choice.builtin ? "Inbyggd" : `Egen, används av ${reports(choice.reportCount)}`}</td>
                <td>
                  <a href={templatePath(props.base, choice.template.key)}>
                    Förhandsgranska<span class="visually-hidden"> {templateLabel(choice.template)}</span>
                  </a>
                  {isEditable(choice) && (
                    <>
                      {" "}
                      <a href={templatePath(props.base, choice.template.key, "/edit")}>
                        Ändra<span class="visually-hidden"> {templateLabel(choice.template)}</span>
                      </a>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section aria-labelledby="defaults-heading">
        <h2 id="defaults-heading">Standardmallar</h2>
        <p>
          Nya rapporter påbörjas på förbundets standardmall för rapporten, om den som påbörjar inte väljer en annan.
        </p>
        <PostForm action={`${props.base}/report-templates/defaults`} csrfToken={props.csrfToken} label="Standardmallar">
          {reportKinds.map((kind) => (
            <Select
              name={`default-${kind}`}
              label={reportKindNames[kind]}
              required
              options={options}
              value={value(`default-${kind}`, props.defaults[kind])}
              errors={props.errors}
            />
          ))}
          <Button>Spara standardmallar</Button>
        </PostForm>
      </section>

      <section aria-labelledby="copy-heading">
        <h2 id="copy-heading">Kopiera en mall</h2>
        <PostForm action={`${props.base}/report-templates`} csrfToken={props.csrfToken} label="Kopiera en mall">
          <Select
            name="fromKey"
            label="Mall att kopiera"
            required
            options={options}
            value={value("fromKey")}
            errors={props.errors}
          />
          <Field
            name="key"
            label="Nyckel för kopian"
            hint="Förbundet och mallen med små bokstäver, siffror och bindestreck, t.ex. exempel/slutrapport-2027."
            required
            value={value("key")}
            errors={props.errors}
          />
          <Field name="title" label="Titel" required value={value("title")} errors={props.errors} />
          <Button>Kopiera mallen</Button>
        </PostForm>
      </section>
    </>
  );
}

function TemplateHeader(props: { base: string; state: TemplateState; heading: string }) {
  const { template, builtin, reportCount } = props.state;
  return (
    <>
      <p class="muted">
        <a href={`${props.base}/report-templates`}>Rapportmallar</a>
      </p>
      <h1>{props.heading}</h1>
      <dl class="summary-list">
        <dt>Mall</dt>
        <dd>{templateLabel(template)}</dd>
        <dt>Nyckel</dt>
        <dd>
          <code>{template.key}</code>
        </dd>
        <dt>Rapport</dt>
        <dd>{kindName(template)}</dd>
        <dt>Ursprung</dt>
        <dd>{builtin ? "Inbyggd" : "Förbundets egen"}</dd>
        <dt>Används av</dt>
        <dd>{reports(reportCount)}</dd>
      </dl>
    </>
  );
}

/** Why the template cannot be changed, and the way to change a copy instead. */
function Locked({ base, state }: { base: string; state: TemplateState }) {
  return (
    <div class="notice">
      <p>
        {state.builtin
          ? "Mallen är inbyggd: kopiera den för att ändra."
          : `Mallen används av ${reports(state.reportCount)}: kopiera den för att ändra.`}
      </p>
      <p>
        <a href={`${base}/report-templates?from=${encodeURIComponent(state.template.key)}#copy-heading`}>
          Kopiera mallen
        </a>
      </p>
    </div>
  );
}

/** The template as its sections print: number, heading and prompts, with the kind of answer each takes. */
export function TemplatePage(props: { base: string; state: TemplateState }) {
  const { template } = props.state;
  return (
    <>
      <TemplateHeader base={props.base} state={props.state} heading={template.title} />
      {isEditable(props.state) ? (
        <p class="actions">
          <a class="button button--primary" href={templatePath(props.base, template.key, "/edit")}>
            Ändra mallen
          </a>
        </p>
      ) : (
        <Locked base={props.base} state={props.state} />
      )}
      <div class="table-wrapper">
        <table>
          <caption>Avsnitt i utskriftsordning</caption>
          <thead>
            <tr>
              <th scope="col">Nummer</th>
              <th scope="col">Rubrik och frågor</th>
              <th scope="col">Typ</th>
            </tr>
          </thead>
          <tbody>
            {[...walkSections(template.sections)].map((section) => (
              <tr>
                <td>{section.number ?? ""}</td>
                <td>
                  {section.heading ? <strong>{section.heading}</strong> : <span class="muted">Utan rubrik</span>}
                  {section.prompts.map((prompt) => (
                    <p class="hint">{prompt}</p>
                  ))}
                </td>
                <td>{typeNames.get(section.type)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Names of the edit form's fields for one section; the keys are unique in a template, so they name the section. */
export const sectionField = {
  number: (section: SectionDefinition) => `number.${section.key}`,
  heading: (section: SectionDefinition) => `heading.${section.key}`,
  prompts: (section: SectionDefinition) => `prompts.${section.key}`,
  position: (section: SectionDefinition) => `position.${section.key}`,
  remove: (section: SectionDefinition) => `remove.${section.key}`,
};

function SectionFields(props: {
  section: SectionDefinition;
  position: number;
  values: Record<string, string> | undefined;
  errors: FieldError[] | undefined;
}) {
  const { section, values, errors } = props;
  const value = (name: string, fallback: string) => values?.[name] ?? fallback;
  const remove = sectionField.remove(section);
  return (
    <fieldset>
      <legend>
        {sectionLabel(section)} ({typeNames.get(section.type)})
      </legend>
      <Field
        name={sectionField.number(section)}
        label="Nummer"
        hint="Som det skrivs ut, t.ex. 4. eller 4.1."
        value={value(sectionField.number(section), section.number ?? "")}
        errors={errors}
        width="short"
      />
      <Field
        name={sectionField.heading(section)}
        label="Rubrik"
        required={section.heading !== undefined}
        value={value(sectionField.heading(section), section.heading ?? "")}
        errors={errors}
      />
      <TextArea
        name={sectionField.prompts(section)}
        label="Frågor"
        hint="En fråga eller instruktion per rad."
        value={value(sectionField.prompts(section), section.prompts.join("\n"))}
        errors={errors}
        rows={Math.max(2, section.prompts.length + 1)}
      />
      <Field
        name={sectionField.position(section)}
        label="Plats"
        hint="Avsnittets plats bland avsnitten på samma nivå: 1 är först."
        required
        value={value(sectionField.position(section), String(props.position))}
        errors={errors}
        inputmode="numeric"
        width="short"
      />
      <div class="checkbox">
        <input
          type="checkbox"
          id={fieldId(remove)}
          name={remove}
          checked={values ? values[remove] !== undefined : false}
        />
        <label for={fieldId(remove)}>Ta bort avsnittet{section.children ? " med dess underavsnitt" : ""}</label>
      </div>
      {section.children?.map((child, index) => (
        <SectionFields section={child} position={index + 1} values={values} errors={errors} />
      ))}
    </fieldset>
  );
}

export function TemplateFormPage(props: {
  base: string;
  csrfToken: string;
  state: TemplateState;
  values?: Record<string, string> | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { template } = props.state;
  const value = (name: string, fallback: string) => props.values?.[name] ?? fallback;
  return (
    <>
      <TemplateHeader base={props.base} state={props.state} heading={`Ändra ${template.title}`} />
      <ErrorSummary errors={props.errors} />
      {isEditable(props.state) ? (
        <PostForm action={templatePath(props.base, template.key)} csrfToken={props.csrfToken} label="Ändra mallen">
          <Field name="title" label="Titel" required value={value("title", template.title)} errors={props.errors} />
          <Field
            name="subtitle"
            label="Undertitel"
            value={value("subtitle", template.subtitle ?? "")}
            errors={props.errors}
          />
          {template.sections.map((section, index) => (
            <SectionFields section={section} position={index + 1} values={props.values} errors={props.errors} />
          ))}
          <Button>Spara mallen</Button>
        </PostForm>
      ) : (
        <Locked base={props.base} state={props.state} />
      )}
    </>
  );
}
