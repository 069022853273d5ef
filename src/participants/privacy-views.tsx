import type { Child } from "hono/jsx";
import type { ParticipantCodeList } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, ErrorSummary, errorFor, Field, fieldId, PostForm } from "../platform/ui/components.js";
import { formatDate } from "../platform/ui/format.js";
import { builtInCodes, codeListNames, genderNames } from "./codes.js";
import type { Person } from "./gdpr.js";
import { type CodeRow, codeField, codeListKinds, type SettingsForm, type SettingsState } from "./settings.js";

/** What a search found: nobody, or the person with their enrolments (the personnummer itself is not shown again). */
export type SearchResult = { found: false } | { found: true; person: Person };

function PersonEnrolments({ base, person }: { base: string; person: Person }) {
  const { participant, enrolments } = person;
  return (
    <>
      <h2>Deltagare D-{participant.number}</h2>
      <dl class="summary-list">
        <dt>Kön</dt>
        <dd>{genderNames[participant.gender]}</dd>
        <dt>Födelseår</dt>
        <dd>{participant.birth_year ?? "Uppgift saknas"}</dd>
        <dt>Registrerad</dt>
        <dd>{formatDate(participant.created_at)}</dd>
      </dl>
      <div class="table-wrapper">
        <table>
          <caption>Inskrivningar i förbundets insatser</caption>
          <thead>
            <tr>
              <th scope="col">Insats</th>
              <th scope="col">Inskriven</th>
              <th scope="col">Avslutad</th>
              <th scope="col">Samtycke</th>
            </tr>
          </thead>
          <tbody>
            {enrolments.map((enrolment) => (
              <tr>
                <th scope="row">
                  <a href={`${base}/interventions/${enrolment.intervention_id}`}>{enrolment.intervention_name}</a>
                </th>
                <td>{enrolment.enrolled_on}</td>
                <td>{enrolment.exited_on ?? "Pågår"}</td>
                <td>
                  {enrolment.consent_on === null
                    ? "Inget"
                    : enrolment.consent_withdrawn_on === null
                      ? `${enrolment.consent_on} (version ${enrolment.consent_version ?? "–"})`
                      : `Återkallat ${enrolment.consent_withdrawn_on}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function PersonActions(props: { base: string; csrfToken: string; person: Person; errors?: FieldError[] | undefined }) {
  const participantId = props.person.participant.id;
  const confirmError = errorFor(props.errors, "confirm");
  return (
    <>
      <h2>Registerutdrag</h2>
      <p>Allt förbundet har registrerat om personen, med personnummer och namn, som en JSON-fil. Läsningen loggas.</p>
      <PostForm action={`${props.base}/participants/privacy/export`} csrfToken={props.csrfToken}>
        <input type="hidden" name="participantId" value={participantId} />
        <Button kind="secondary">Exportera personens uppgifter</Button>
      </PostForm>
      <div class="danger-zone">
        <h2>Radera personuppgifter</h2>
        <p>
          Personnummer och namn tas bort för gott, och personen känns inte längre igen vid en ny inskrivning.
          Inskrivningarna finns kvar utan identitet, så att insatsernas statistik inte ändras.
        </p>
        <PostForm action={`${props.base}/participants/privacy/erase`} csrfToken={props.csrfToken}>
          <input type="hidden" name="participantId" value={participantId} />
          <div class={confirmError ? "field field--error" : "field"}>
            {confirmError && (
              <p class="field-error" id={`${fieldId("confirm")}-error`}>
                <span class="visually-hidden">Fel: </span>
                {confirmError}
              </p>
            )}
            <div class="checkbox">
              <input
                type="checkbox"
                id={fieldId("confirm")}
                name="confirm"
                value="yes"
                aria-describedby={confirmError ? `${fieldId("confirm")}-error` : undefined}
                aria-invalid={confirmError ? "true" : undefined}
              />
              <label for={fieldId("confirm")}>Jag förstår att personuppgifterna raderas och inte kan återställas</label>
            </div>
          </div>
          <Button kind="danger">Radera personuppgifter</Button>
        </PostForm>
      </div>
    </>
  );
}

/** Begäran om registerutdrag eller radering: search by personnummer (posted, never in the address). */
export function PrivacyPage(props: {
  base: string;
  csrfToken: string;
  result?: SearchResult | undefined;
  values?: Record<string, string> | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { result } = props;
  return (
    <>
      <h1>Personuppgifter om deltagare</h1>
      <p class="lead">
        När en person begär ut sina uppgifter eller begär att de raderas: sök fram personen med personnummer.
      </p>
      <p>
        <a href={`${props.base}/participants/settings`}>Inställningar för deltagare</a> (gallringstid, samtyckestext,
        kodlistor)
      </p>
      <ErrorSummary errors={props.errors} />
      <PostForm action={`${props.base}/participants/privacy`} csrfToken={props.csrfToken} label="Sök person">
        <Field
          name="personalNumber"
          label="Personnummer eller samordningsnummer"
          hint="ÅÅÅÅMMDD-NNNN"
          required
          autocomplete="off"
          width="medium"
          value={props.values?.personalNumber}
          errors={props.errors}
        />
        <Button>Sök</Button>
      </PostForm>
      {result && !result.found && (
        <p class="notice" role="status">
          Förbundet har ingen deltagare med det personnumret (eller så är personens uppgifter redan raderade).
        </p>
      )}
      {result?.found && (
        <>
          <PersonEnrolments base={props.base} person={result.person} />
          <PersonActions base={props.base} csrfToken={props.csrfToken} person={result.person} errors={props.errors} />
        </>
      )}
    </>
  );
}

/** A table cell with one control, its (visually hidden) label and its error, wired as Field does outside tables. */
function CodeCell(props: {
  name: string;
  label: string;
  errors: FieldError[] | undefined;
  control: (id: string, describedBy: string | undefined) => Child;
}) {
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.name);
  return (
    <td class={error ? "field--error" : undefined}>
      <label class="visually-hidden" for={id}>
        {props.label}
      </label>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span class="visually-hidden">Fel: </span>
          {error}
        </p>
      )}
      {props.control(id, error ? `${id}-error` : undefined)}
    </td>
  );
}

function CodeListFields(props: {
  list: ParticipantCodeList;
  rows: CodeRow[];
  saved: Set<string>;
  inUse: Set<string>;
  errors: FieldError[] | undefined;
}) {
  const { list, errors } = props;
  const national = builtInCodes(list);
  const blank: CodeRow = { code: "", label: "", nationalCode: "", active: true, remove: false };
  const rows = props.rows.some((row) => !props.saved.has(row.code)) ? props.rows : [...props.rows, blank];
  return (
    <div class="table-wrapper">
      <table>
        <caption>{codeListNames[list]}</caption>
        <thead>
          <tr>
            <th scope="col">Kod</th>
            <th scope="col">Benämning</th>
            <th scope="col">Räknas nationellt som</th>
            <th scope="col">Aktiv</th>
            <th scope="col">Ta bort</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const isNew = !props.saved.has(row.code);
            const name = (field: keyof CodeRow) => codeField(list, index, field);
            const subject = isNew ? "ny kod" : row.label || row.code;
            const invalid = (field: keyof CodeRow) => (errorFor(errors, name(field)) ? ("true" as const) : undefined);
            return (
              <tr>
                {isNew ? (
                  <CodeCell
                    name={name("code")}
                    label={`Kod för ${subject}`}
                    errors={errors}
                    control={(id, describedBy) => (
                      <input
                        id={id}
                        name={name("code")}
                        value={row.code}
                        class="input--short"
                        aria-describedby={describedBy}
                        aria-invalid={invalid("code")}
                      />
                    )}
                  />
                ) : (
                  <th scope="row">
                    {row.code}
                    <input type="hidden" name={name("code")} value={row.code} />
                  </th>
                )}
                <CodeCell
                  name={name("label")}
                  label={`Benämning för ${subject}`}
                  errors={errors}
                  control={(id, describedBy) => (
                    <input
                      id={id}
                      name={name("label")}
                      value={row.label}
                      class="input--medium"
                      aria-describedby={describedBy}
                      aria-invalid={invalid("label")}
                    />
                  )}
                />
                <CodeCell
                  name={name("nationalCode")}
                  label={`Nationell kod för ${subject}`}
                  errors={errors}
                  control={(id, describedBy) => (
                    <select
                      id={id}
                      name={name("nationalCode")}
                      aria-describedby={describedBy}
                      aria-invalid={invalid("nationalCode")}
                    >
                      {isNew && <option value="">Välj</option>}
                      {national.map((code) => (
                        <option value={code.code} selected={code.code === row.nationalCode}>
                          {code.label}
                        </option>
                      ))}
                    </select>
                  )}
                />
                <CodeCell
                  name={name("active")}
                  label={`${subject} är aktiv`}
                  errors={errors}
                  control={(id, describedBy) => (
                    <input
                      type="checkbox"
                      id={id}
                      name={name("active")}
                      checked={row.active}
                      aria-describedby={describedBy}
                    />
                  )}
                />
                {isNew || props.inUse.has(row.code) ? (
                  <td>{isNew ? "" : "Används"}</td>
                ) : (
                  <CodeCell
                    name={name("remove")}
                    label={`Ta bort ${subject}`}
                    errors={errors}
                    control={(id, describedBy) => (
                      <input
                        type="checkbox"
                        id={id}
                        name={name("remove")}
                        checked={row.remove}
                        aria-describedby={describedBy}
                      />
                    )}
                  />
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Gallringstid, samtyckestextens version and the code lists, saved together. */
export function SettingsPage(props: {
  base: string;
  csrfToken: string;
  state: SettingsState;
  form?: SettingsForm | undefined;
  errors?: FieldError[] | undefined;
}) {
  const form = props.form ?? props.state.form;
  return (
    <>
      <h1>Inställningar för deltagare</h1>
      <p>
        <a href={`${props.base}/participants/privacy`}>Registerutdrag och radering</a>
      </p>
      <ErrorSummary errors={props.errors} />
      <PostForm action={`${props.base}/participants/settings`} csrfToken={props.csrfToken}>
        <Field
          name="retentionYears"
          label="Gallringstid i år"
          hint="Så många år efter sista avslutet tas personnummer och namn bort. Inskrivningarna finns kvar utan identitet för statistiken."
          required
          inputmode="numeric"
          width="short"
          value={form.retentionYears}
          errors={props.errors}
        />
        <Field
          name="consentVersion"
          label="Samtyckestextens version"
          hint="Registreras med varje nytt samtycke, så att det går att se vilken text personen godkände."
          required
          width="medium"
          value={form.consentVersion}
          errors={props.errors}
        />
        <h2>Kodlistor</h2>
        <p>
          Förbundets egna koder för försörjning och avslutsorsak. Varje kod räknas som en av de nationella koderna i
          statistiken. Koder som används i inskrivningar kan inaktiveras men inte tas bort. Lägg till en kod på den
          tomma raden sist i listan.
        </p>
        {codeListKinds.map((list) => (
          <CodeListFields
            list={list}
            rows={form.lists[list]}
            saved={new Set(props.state.saved[list].map((code) => code.code))}
            inUse={props.state.inUse[list]}
            errors={props.errors}
          />
        ))}
        <Button>Spara</Button>
      </PostForm>
    </>
  );
}
