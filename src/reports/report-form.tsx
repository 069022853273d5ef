import { parseKronor } from "../interventions/intervention-input.js";
import type { FieldError } from "../platform/http/errors.js";
import { DateField, Field, fieldId, Select, TextArea } from "../platform/ui/components.js";
import { formatKronor } from "../platform/ui/format.js";
import type { ReportAnswers, SectionAnswer } from "./answer-model.js";
import { fundsBranch, unusedOre } from "./derived.js";
import { genderNames, genders, type SectionDefinition, type TemplateVersion, walkSections } from "./template-model.js";

/**
 * The report as a form: one fieldset per section of the template, in printed order, with the printed heading and
 * prompts. Sections the insats already answers (parties, office notes, amounts from the record) are shown, not asked.
 * Field names are `<section key>.<part>`; `readReportForm` turns a post back into answers.
 */

type Party = { id: string; name: string };
export type FormContext = {
  parties: Party[];
  grantedOre: bigint;
  usedOre: bigint;
};

type Values = Record<string, unknown>;
const record = (value: unknown): Values => (typeof value === "object" && value !== null ? (value as Values) : {});
const rows = (value: unknown): Values[] => {
  const list = record(value).rows;
  return Array.isArray(list) ? (list as Values[]) : [];
};
const str = (value: unknown) => (typeof value === "string" ? value : "");
const kronorText = (ore: unknown) => (typeof ore === "string" && ore !== "" ? String(BigInt(ore) / 100n) : "");

export const sectionLabel = (section: SectionDefinition) =>
  [section.number, section.heading ?? section.prompts[0] ?? section.key].filter(Boolean).join(" ");

/** Sections the writer answers in the form; the rest are printed from the insats or filled by the förbund. */
const asked = (section: SectionDefinition) =>
  !["group", "static_text", "office_fields", "party_list", "attachments"].includes(section.type);

function Prompts({ section }: { section: SectionDefinition }) {
  return (
    <>
      {section.prompts.map((prompt) => (
        <p class="hint">{prompt}</p>
      ))}
    </>
  );
}

export function ReportFormSections(props: {
  template: TemplateVersion;
  answers: ReportAnswers;
  context: FormContext;
  errors?: FieldError[] | undefined;
  /** The posted text, when the form comes back with errors. */
  posted?: Record<string, string> | undefined;
}) {
  const { errors, posted } = props;
  const value = (name: string, stored: string) => (posted ? (posted[name] ?? "") : stored);
  return (
    <>
      {[...walkSections(props.template.sections)].map((section) => {
        const answer: SectionAnswer = props.answers[section.key] ?? {};
        const stored = record(answer.value);
        const key = section.key;
        if (section.type === "group") {
          return <h2 id={fieldId(key)}>{sectionLabel(section)}</h2>;
        }
        if (section.type === "static_text") {
          return section.config.placement === "cover" ? (
            <div class="template-text">
              {section.config.paragraphs.map((paragraph) => (
                <p>{paragraph}</p>
              ))}
            </div>
          ) : null;
        }
        if (section.type === "party_list") {
          return (
            <section class="report-section" id={fieldId(key)}>
              <h3>{sectionLabel(section)}</h3>
              <p class="hint">Hämtas från insatsen. Ändra parterna på insatsens sida.</p>
              <ul>
                {rows(answer.value).map((row) => (
                  <li>
                    {str(row.organisationName)}
                    {row.role === "owner" ? " (insatsägare)" : ""}
                  </li>
                ))}
              </ul>
              <NotApplicable
                name={key}
                checked={posted ? posted[`na.${key}`] === "on" : answer.notApplicable === true}
              />
            </section>
          );
        }
        if (!asked(section)) return null;
        const notApplicable = posted ? posted[`na.${key}`] === "on" : answer.notApplicable === true;
        return (
          <fieldset class="report-section" id={fieldId(key)}>
            <legend>{sectionLabel(section)}</legend>
            {section.heading && <Prompts section={section} />}
            {section.type === "free_text" &&
              (section.config.perParty ? (
                props.context.parties.map((party) => (
                  <TextArea
                    name={`${key}.party.${party.id}`}
                    label={party.name}
                    value={value(`${key}.party.${party.id}`, str(record(stored.byParty)[party.id]))}
                    errors={errors}
                    rows={4}
                  />
                ))
              ) : (
                <TextArea
                  name={`${key}.text`}
                  label="Svar"
                  value={value(`${key}.text`, str(stored.text))}
                  errors={errors}
                  rows={6}
                />
              ))}
            {(section.type === "gender_equality" || (section.type === "funds_summary" && section.config.text)) && (
              <TextArea
                name={`${key}.text`}
                label="Svar"
                value={value(`${key}.text`, str(stored.text))}
                errors={errors}
                rows={5}
              />
            )}
            {section.type === "field_group" &&
              section.config.fields.map((field) => {
                const name = `${key}.${field.key}`;
                const label = field.label ?? section.heading ?? field.key;
                if (field.source) {
                  return (
                    <p>
                      <strong>{label}</strong> {sourceText(field.source, props.context)}
                      <span class="hint"> (från insatsen)</span>
                    </p>
                  );
                }
                const current = stored[field.key];
                if (field.kind === "date_range") {
                  const range = record(current);
                  return (
                    <>
                      <DateField
                        name={`${name}.start`}
                        label={`${label}, från`}
                        value={value(`${name}.start`, str(range.start))}
                        errors={errors}
                      />
                      <DateField
                        name={`${name}.end`}
                        label={`${label}, till`}
                        value={value(`${name}.end`, str(range.end))}
                        errors={errors}
                      />
                    </>
                  );
                }
                if (field.kind === "date") {
                  return <DateField name={name} label={label} value={value(name, str(current))} errors={errors} />;
                }
                return (
                  <Field
                    name={name}
                    label={field.kind === "money" ? `${label} (kronor)` : label}
                    value={value(name, field.kind === "money" ? kronorText(current) : str(current))}
                    errors={errors}
                    hint={field.hint}
                    inputmode={field.kind === "money" ? "numeric" : undefined}
                  />
                );
              })}
            {section.type === "goal_table" && (
              <GoalRows
                name={key}
                goals={rows(answer.value)}
                statuses={section.config.statuses}
                outcomeLabel={section.config.columns.outcome}
                statusLabel={section.config.columns.status}
                value={value}
                errors={errors}
              />
            )}
            {section.type === "cost_table" &&
              section.config.rows.map((row) => {
                const current = rows(answer.value).find((line) => line.category === row.key) ?? {};
                const name = `${key}.${row.key}`;
                return (
                  <fieldset>
                    <legend>
                      {row.label} {row.hint ?? ""}
                    </legend>
                    {row.hint && (
                      <Field
                        name={`${name}.specification`}
                        label="Specifikation"
                        value={value(`${name}.specification`, str(current.specification))}
                        errors={errors}
                      />
                    )}
                    {section.config.columns.map((column) => {
                      const part = column.column === "budget" ? "budget" : "outcome";
                      const stored = column.column === "budget" ? current.budgetOre : current.outcomeOre;
                      return (
                        <Field
                          name={`${name}.${part}`}
                          label={`${column.label}, kronor`}
                          value={value(`${name}.${part}`, kronorText(stored))}
                          errors={errors}
                          inputmode="numeric"
                          width="medium"
                        />
                      );
                    })}
                  </fieldset>
                );
              })}
            {section.type === "funds_summary" && (
              <FundsFields
                name={key}
                section={section}
                stored={stored}
                context={props.context}
                value={value}
                errors={errors}
              />
            )}
            {section.type === "participant_stats" &&
              section.config.outcomes.map((outcome) => {
                const current = rows(answer.value).find((row) => row.outcome === outcome.key) ?? {};
                return (
                  <fieldset>
                    <legend>{outcome.label}</legend>
                    {genders.map((gender) => (
                      <Field
                        name={`${key}.${outcome.key}.${gender}`}
                        label={genderNames[gender]}
                        value={value(
                          `${key}.${outcome.key}.${gender}`,
                          current[gender] === undefined ? "" : String(current[gender]),
                        )}
                        errors={errors}
                        inputmode="numeric"
                        width="short"
                      />
                    ))}
                  </fieldset>
                );
              })}
            {section.type === "signature_block" &&
              section.config.slots.map((slot, index) => {
                const signatures = record(answer.value).signatures;
                const current =
                  (Array.isArray(signatures) ? (signatures[index] as Values | undefined) : undefined) ?? {};
                const name = `${key}.${index}`;
                return (
                  <fieldset>
                    <legend>Underskrift {index + 1}</legend>
                    {slot.lines
                      .flatMap((line) => signatureInputs(line.field, line.label))
                      .map(([part, label, kind]) =>
                        kind === "date" ? (
                          <DateField
                            name={`${name}.${part}`}
                            label={label}
                            value={value(`${name}.${part}`, str(current[part]))}
                            errors={errors}
                          />
                        ) : (
                          <Field
                            name={`${name}.${part}`}
                            label={label}
                            value={value(`${name}.${part}`, str(current[part]))}
                            errors={errors}
                          />
                        ),
                      )}
                  </fieldset>
                );
              })}
            <NotApplicable name={key} checked={notApplicable} />
          </fieldset>
        );
      })}
    </>
  );
}

function NotApplicable(props: { name: string; checked: boolean }) {
  const id = fieldId(`na.${props.name}`);
  return (
    <div class="checkbox">
      <input type="checkbox" id={id} name={`na.${props.name}`} checked={props.checked} />
      <label for={id}>Ej aktuellt</label>
    </div>
  );
}

function sourceText(source: string, context: FormContext) {
  if (source === "granted") return formatKronor(context.grantedOre);
  if (source === "used") return formatKronor(context.usedOre);
  return "visas i rapporten";
}

/** A signature line asks for one or two values: "Ort och datum" is a place and a date. */
function signatureInputs(field: string, label: string): [string, string, "text" | "date"][] {
  switch (field) {
    case "place_date":
      return [
        ["place", `${label}: ort`, "text"],
        ["date", `${label}: datum`, "date"],
      ];
    case "date":
      return [["date", label, "date"]];
    case "name_clarification":
      return [["nameClarification", label, "text"]];
    default:
      return [[field, label, "text"]];
  }
}

function GoalRows(props: {
  name: string;
  goals: Values[];
  statuses: { status: string; label: string }[];
  statusLabel: string;
  outcomeLabel: string;
  value: (name: string, stored: string) => string;
  errors?: FieldError[] | undefined;
}) {
  if (props.goals.length === 0) {
    return <p>Insatsen har inga mål registrerade. Lägg till dem på insatsens sida.</p>;
  }
  return (
    <>
      {props.goals.map((goal, index) => {
        const name = `${props.name}.${index}`;
        return (
          <fieldset>
            <legend>
              {goal.level ? `${str(goal.level)}: ` : ""}
              {str(goal.goal)}
            </legend>
            <input type="hidden" name={`${name}.goal`} value={str(goal.goal)} />
            <input type="hidden" name={`${name}.level`} value={str(goal.level)} />
            <Select
              name={`${name}.status`}
              label={props.statusLabel}
              options={props.statuses.map((status) => ({ value: status.status, label: status.label }))}
              value={props.value(`${name}.status`, str(goal.status))}
              errors={props.errors}
              emptyOption="Välj"
            />
            <TextArea
              name={`${name}.outcome`}
              label={props.outcomeLabel}
              value={props.value(`${name}.outcome`, str(goal.outcome))}
              errors={props.errors}
              rows={3}
            />
          </fieldset>
        );
      })}
    </>
  );
}

function FundsFields(props: {
  name: string;
  section: Extract<SectionDefinition, { type: "funds_summary" }>;
  stored: Values;
  context: FormContext;
  value: (name: string, stored: string) => string;
  errors?: FieldError[] | undefined;
}) {
  const { name, section, context } = props;
  const branch = fundsBranch(context.grantedOre, context.usedOre);
  const answers = record(props.stored.answers);
  return (
    <>
      <p>
        Beviljat {formatKronor(context.grantedOre)}, utnyttjat {formatKronor(context.usedOre)}, ej utnyttjat{" "}
        {formatKronor(unusedOre(context.grantedOre, context.usedOre) ?? 0n)}.
      </p>
      {section.config.branches
        .filter((candidate) => branch === undefined || candidate.when === branch)
        .flatMap((candidate) => candidate.questions)
        .map((question) => (
          <TextArea
            name={`${name}.q.${question.key}`}
            label={[question.number, question.text].filter(Boolean).join(" ")}
            value={props.value(`${name}.q.${question.key}`, str(answers[question.key]))}
            errors={props.errors}
            rows={4}
          />
        ))}
      {section.config.returned && (
        <>
          <Field
            name={`${name}.returned`}
            label="Återfört belopp, kronor"
            value={props.value(`${name}.returned`, kronorText(props.stored.returnedOre))}
            errors={props.errors}
            inputmode="numeric"
            width="medium"
          />
          <DateField
            name={`${name}.returnedDate`}
            label="Datum för återföring"
            value={props.value(`${name}.returnedDate`, str(props.stored.returnedDate))}
            errors={props.errors}
          />
        </>
      )}
    </>
  );
}

/**
 * Reads a posted report form into answers. Sections the form does not ask keep their stored answer (parties, office
 * notes, attachments, a legacy import's raw text); amounts typed in kronor become öre strings.
 */
export function readReportForm(
  template: TemplateVersion,
  body: Record<string, string>,
  current: ReportAnswers,
  context: FormContext,
): { answers: ReportAnswers; errors: FieldError[] } {
  const answers: ReportAnswers = { ...current };
  const errors: FieldError[] = [];
  const text = (name: string) => {
    const raw = body[name]?.trim() ?? "";
    return raw === "" ? undefined : raw;
  };
  const kronor = (name: string) => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    const ore = parseKronor(raw);
    if (ore === undefined) errors.push({ path: name, message: "Ange beloppet i hela kronor, högst 10 000 000 000." });
    return ore?.toString();
  };
  const count = (name: string) => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    if (!/^\d{1,8}$/.test(raw)) {
      errors.push({ path: name, message: "Ange antalet som ett heltal." });
      return undefined;
    }
    return Number(raw);
  };
  const compact = (value: Values) =>
    Object.fromEntries(Object.entries(value).filter(([, part]) => part !== undefined && part !== ""));

  for (const section of walkSections(template.sections)) {
    const key = section.key;
    const notApplicable = body[`na.${key}`] === "on" || undefined;
    if (section.type === "party_list") {
      answers[key] = compact({ ...current[key], notApplicable }) as SectionAnswer;
      continue;
    }
    if (!asked(section)) continue;
    const previous = current[key] ?? {};
    let value: unknown;
    switch (section.type) {
      case "free_text":
        value = section.config.perParty
          ? {
              byParty: compact(
                Object.fromEntries(context.parties.map((party) => [party.id, text(`${key}.party.${party.id}`)])),
              ),
            }
          : compact({ text: text(`${key}.text`) });
        break;
      case "gender_equality":
        value = compact({ text: text(`${key}.text`) });
        break;
      case "field_group":
        value = compact(
          Object.fromEntries(
            section.config.fields
              .filter((field) => !field.source)
              .map((field) => {
                const name = `${key}.${field.key}`;
                if (field.kind === "date_range") {
                  const range = compact({ start: text(`${name}.start`), end: text(`${name}.end`) });
                  return [field.key, Object.keys(range).length > 0 ? range : undefined];
                }
                return [field.key, field.kind === "money" ? kronor(name) : text(name)];
              }),
          ),
        );
        break;
      case "goal_table":
        value = {
          rows: rows(previous.value).map((goal, index) =>
            compact({
              ...goal,
              status: text(`${key}.${index}.status`),
              outcome: text(`${key}.${index}.outcome`),
            }),
          ),
        };
        break;
      case "cost_table":
        value = {
          rows: section.config.rows.map((row) =>
            compact({
              category: row.key,
              specification: text(`${key}.${row.key}.specification`),
              budgetOre: kronor(`${key}.${row.key}.budget`),
              outcomeOre: kronor(`${key}.${row.key}.outcome`),
            }),
          ),
        };
        break;
      case "funds_summary": {
        const questions = section.config.branches.flatMap((branch) => branch.questions);
        const replies = compact(
          Object.fromEntries(questions.map((question) => [question.key, text(`${key}.q.${question.key}`)])),
        );
        value = compact({
          text: section.config.text ? text(`${key}.text`) : undefined,
          answers: Object.keys(replies).length > 0 ? replies : undefined,
          returnedOre: section.config.returned ? kronor(`${key}.returned`) : undefined,
          returnedDate: section.config.returned ? text(`${key}.returnedDate`) : undefined,
        });
        break;
      }
      case "participant_stats":
        value = {
          rows: section.config.outcomes
            .map((outcome) =>
              compact({
                outcome: outcome.key,
                woman: count(`${key}.${outcome.key}.woman`),
                man: count(`${key}.${outcome.key}.man`),
                unknown: count(`${key}.${outcome.key}.unknown`),
              }),
            )
            .filter((row) => Object.keys(row).length > 1),
        };
        break;
      case "signature_block":
        value = {
          signatures: section.config.slots.map((slot, index) =>
            compact({
              role: slot.role,
              organisation: text(`${key}.${index}.organisation`),
              place: text(`${key}.${index}.place`),
              date: text(`${key}.${index}.date`),
              name: text(`${key}.${index}.name`),
              nameClarification: text(`${key}.${index}.nameClarification`),
            }),
          ),
        };
        break;
      default:
        value = previous.value;
    }
    answers[key] = compact({ ...previous, value, notApplicable }) as SectionAnswer;
  }
  return { answers, errors };
}
