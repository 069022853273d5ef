import type { Child } from "hono/jsx";
import { statusNames } from "../interventions/lifecycle.js";
import type { InterventionStatus } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, DateField, ErrorSummary, Field, PostForm, Select, TextArea } from "../platform/ui/components.js";
import type { CodeLists, ParticipantCode } from "./codes.js";
import { genderNames, labelOf } from "./codes.js";
import { type Identity, pseudonym } from "./identity.js";
import { followUpKindNames, followUpKinds, genders } from "./participant-input.js";
import { formatPersonalNumber } from "./personal-number.js";
import type { Enrolment, listFollowUps, listGuidanceCaseCounts } from "./repository.js";

type Option = { value: string; label: string };
type Values = Record<string, string>;
type Errors = FieldError[] | undefined;
type Insats = { id: string; name: string; kind: string; start_date: string; end_date: string };
type FollowUp = Awaited<ReturnType<typeof listFollowUps>>[number];
type GuidanceCases = Awaited<ReturnType<typeof listGuidanceCaseCounts>>[number];

/** How a participant is named everywhere outside the identity: the association's running number. */

export const enrolmentFilters = ["all", "active", "exited"] as const;
export type EnrolmentFilter = (typeof enrolmentFilters)[number];
const filterNames: Record<EnrolmentFilter, string> = { all: "Alla", active: "Pågående", exited: "Avslutade" };

const genderOptions: Option[] = genders.map((gender) => ({ value: gender, label: genderNames[gender] }));
const followUpKindOptions: Option[] = followUpKinds.map((kind) => ({ value: kind, label: followUpKindNames[kind] }));
/** Inactive codes stay readable on old rows but are not offered for new ones. */
const codeOptions = (codes: ParticipantCode[]): Option[] =>
  codes.filter((code) => code.active).map((code) => ({ value: code.code, label: code.label }));

function consentState(enrolment: Pick<Enrolment, "consent_on" | "consent_version" | "consent_withdrawn_on">) {
  if (enrolment.consent_withdrawn_on) return `Återkallat ${enrolment.consent_withdrawn_on}`;
  if (enrolment.consent_on) {
    return `Lämnat ${enrolment.consent_on}${enrolment.consent_version ? ` (version ${enrolment.consent_version})` : ""}`;
  }
  return "Inget samtycke";
}

function Breadcrumb(props: { href: string; children: Child }) {
  return (
    <p class="muted">
      <a href={props.href}>{props.children}</a>
    </p>
  );
}

export type OverviewRow = {
  id: string;
  name: string;
  owner_name: string;
  status: InterventionStatus;
  start_date: string;
  end_date: string;
  active: number;
  total: number;
};

export function ParticipantsOverviewPage(props: {
  base: string;
  /** Undefined for roles that read only statistics (board, auditor). */
  insatser: OverviewRow[] | undefined;
  mayManagePrivacy: boolean;
}) {
  const { base, insatser } = props;
  return (
    <>
      <h1>Deltagare</h1>
      <p class="lead">
        Deltagare i individinriktade insatser följs upp med samtycke. Personuppgifterna är krypterade; statistiken
        bygger bara på avidentifierade uppgifter.
      </p>
      <ul class="links">
        <li>
          <a href={`${base}/participants/statistics`}>Statistik för förbundet</a>
        </li>
        {props.mayManagePrivacy && (
          <>
            <li>
              <a href={`${base}/participants/privacy`}>Registerutdrag och radering</a>
            </li>
            <li>
              <a href={`${base}/participants/settings`}>Inställningar och kodlistor</a>
            </li>
          </>
        )}
      </ul>
      {insatser && (
        <section aria-labelledby="insatser-heading">
          <h2 id="insatser-heading">Individinriktade insatser</h2>
          {insatser.length === 0 ? (
            <p>Inga individinriktade insatser att visa.</p>
          ) : (
            <div class="table-wrapper">
              <table>
                <caption class="visually-hidden">Deltagare per insats</caption>
                <thead>
                  <tr>
                    <th scope="col">Insats</th>
                    <th scope="col">Insatsägare</th>
                    <th scope="col">Insatstid</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="numeric">
                      Pågående
                    </th>
                    <th scope="col" class="numeric">
                      Inskrivna totalt
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {insatser.map((row) => (
                    <tr>
                      <th scope="row">
                        <a href={`${base}/interventions/${row.id}/participants`}>{row.name}</a>
                      </th>
                      <td>{row.owner_name}</td>
                      <td>
                        {row.start_date} – {row.end_date}
                      </td>
                      <td>{statusNames[row.status]}</td>
                      <td class="numeric">{row.active}</td>
                      <td class="numeric">{row.total}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}

export function InterventionParticipantsPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  filter: EnrolmentFilter;
  enrolments: Enrolment[];
  guidanceCases: GuidanceCases[];
  codes: CodeLists;
  mayWrite: boolean;
  values?: Values | undefined;
  errors?: Errors;
}) {
  const { path, intervention } = props;
  const participants = `${path}/participants`;
  const individual = intervention.kind === "individual";
  const sum = (pick: (row: GuidanceCases) => number) =>
    props.guidanceCases.reduce((total, row) => total + pick(row), 0);
  const all = (row: GuidanceCases) => row.women + row.men + row.gender_unknown;
  return (
    <>
      <Breadcrumb href={path}>{intervention.name}</Breadcrumb>
      <h1>Deltagare och lotsärenden</h1>
      <ErrorSummary errors={props.errors} />
      <ul class="links">
        <li>
          <a href={`${participants}/statistics`}>Statistik för insatsen</a>
        </li>
        <li>
          <a href={`${participants}.xlsx`}>Ladda ner deltagarna (XLSX)</a>
        </li>
        <li>
          <a href={`${participants}.csv`}>Ladda ner deltagarna (CSV)</a>
        </li>
      </ul>

      <section aria-labelledby="enrolments-heading">
        <h2 id="enrolments-heading">Deltagare</h2>
        {individual ? (
          props.mayWrite && (
            <p class="actions">
              <a class="button button--primary" href={`${participants}/new`}>
                Skriv in deltagare
              </a>
              <a class="button button--secondary" href={`${participants}/import`}>
                Importera deltagare
              </a>
            </p>
          )
        ) : (
          <p>
            Deltagare skrivs in i individinriktade insatser. En strukturinriktad insats redovisar antal, t.ex.
            lotsärenden.
          </p>
        )}
        <form method="get" action={participants} class="filter-form" aria-label="Filtrera deltagare">
          <Select
            name="status"
            label="Visa"
            options={enrolmentFilters.map((filter) => ({ value: filter, label: filterNames[filter] }))}
            value={props.filter}
          />
          <Button kind="secondary">Visa</Button>
        </form>
        <p role="status">
          {props.enrolments.length === 1 ? "1 inskrivning" : `${props.enrolments.length} inskrivningar`}.
        </p>
        {props.enrolments.length > 0 && (
          <div class="table-wrapper">
            <table>
              <caption class="visually-hidden">Inskrivna deltagare</caption>
              <thead>
                <tr>
                  <th scope="col">Deltagare</th>
                  <th scope="col">Kön</th>
                  <th scope="col" class="numeric">
                    Födelseår
                  </th>
                  <th scope="col">Inskriven</th>
                  <th scope="col">Avslutad</th>
                  <th scope="col">Avslutsorsak</th>
                  <th scope="col">Samtycke</th>
                </tr>
              </thead>
              <tbody>
                {props.enrolments.map((enrolment) => (
                  <tr>
                    <th scope="row">
                      <a href={`${participants}/${enrolment.id}`}>{pseudonym(enrolment)}</a>
                    </th>
                    <td>{genderNames[enrolment.gender]}</td>
                    <td class="numeric">{enrolment.birth_year ?? "–"}</td>
                    <td>{enrolment.enrolled_on}</td>
                    <td>{enrolment.exited_on ?? "–"}</td>
                    <td>{enrolment.exit_reason ? labelOf(props.codes.exit_reason, enrolment.exit_reason) : "–"}</td>
                    <td>{consentState(enrolment)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="guidance-heading">
        <h2 id="guidance-heading">Lotsärenden</h2>
        <p class="hint">Ärenden där en handläggare får hjälp med samverkan, räknade per period utan personuppgifter.</p>
        {props.guidanceCases.length === 0 ? (
          <p>Inga lotsärenden registrerade.</p>
        ) : (
          <div class="table-wrapper">
            <table>
              <caption class="visually-hidden">Lotsärenden per period</caption>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col" class="numeric">
                    Kvinnor
                  </th>
                  <th scope="col" class="numeric">
                    Män
                  </th>
                  <th scope="col" class="numeric">
                    Annat / uppgift saknas
                  </th>
                  <th scope="col" class="numeric">
                    Summa
                  </th>
                  <th scope="col">Anteckning</th>
                </tr>
              </thead>
              <tbody>
                {props.guidanceCases.map((row) => (
                  <tr>
                    <th scope="row">
                      {row.period_start} – {row.period_end}
                    </th>
                    <td class="numeric">{row.women}</td>
                    <td class="numeric">{row.men}</td>
                    <td class="numeric">{row.gender_unknown}</td>
                    <td class="numeric">{all(row)}</td>
                    <td>{row.note ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Summa</th>
                  <td class="numeric">{sum((row) => row.women)}</td>
                  <td class="numeric">{sum((row) => row.men)}</td>
                  <td class="numeric">{sum((row) => row.gender_unknown)}</td>
                  <td class="numeric">{sum(all)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
        )}
        {props.mayWrite && (
          <details open={props.errors !== undefined}>
            <summary>Registrera lotsärenden</summary>
            <PostForm action={`${path}/guidance-cases`} csrfToken={props.csrfToken} label="Registrera lotsärenden">
              <DateField
                name="periodStart"
                label="Periodens första dag"
                required
                value={props.values?.periodStart}
                errors={props.errors}
              />
              <DateField
                name="periodEnd"
                label="Periodens sista dag"
                required
                value={props.values?.periodEnd}
                errors={props.errors}
              />
              <CountField name="women" label="Kvinnor" values={props.values} errors={props.errors} />
              <CountField name="men" label="Män" values={props.values} errors={props.errors} />
              <CountField
                name="genderUnknown"
                label="Annat / uppgift saknas"
                values={props.values}
                errors={props.errors}
              />
              <TextArea name="note" label="Anteckning" value={props.values?.note} errors={props.errors} rows={2} />
              <Button kind="secondary">Registrera lotsärenden</Button>
            </PostForm>
          </details>
        )}
      </section>
    </>
  );
}

function CountField(props: { name: string; label: string; values: Values | undefined; errors: Errors }) {
  return (
    <Field
      name={props.name}
      label={props.label}
      required
      value={props.values?.[props.name] ?? "0"}
      errors={props.errors}
      inputmode="numeric"
      width="short"
    />
  );
}

export function EnrolmentFormPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  members: Option[];
  codes: CodeLists;
  values: Values;
  errors?: Errors;
}) {
  const { values, errors } = props;
  const participants = `${props.path}/participants`;
  return (
    <div class="narrow">
      <Breadcrumb href={participants}>Deltagare: {props.intervention.name}</Breadcrumb>
      <h1>Skriv in deltagare</h1>
      <p>
        Insatstid {props.intervention.start_date} – {props.intervention.end_date}. Personnummer registreras bara med
        deltagarens samtycke och sparas krypterat; i listor och statistik heter deltagaren D-nummer.
      </p>
      <ErrorSummary errors={errors} />
      <PostForm action={`${participants}/new`} csrfToken={props.csrfToken} label="Skriv in deltagare">
        <fieldset>
          <legend>Personuppgifter</legend>
          <p class="hint">
            Lämna personnumret tomt för en inskrivning utan personnummer: den räknas i statistiken men kan inte kännas
            igen i andra insatser. Ange då kön. Personnumret skickas aldrig tillbaka i formuläret: skriv det igen om
            något behöver rättas.
          </p>
          <Field
            name="personalNumber"
            label="Personnummer eller samordningsnummer"
            hint="ÅÅÅÅMMDD-NNNN"
            errors={errors}
            autocomplete="off"
            width="medium"
          />
          <Field name="name" label="Namn" errors={errors} autocomplete="off" />
          <Select
            name="gender"
            label="Kön"
            hint="Med personnummer följer kön av numret om du inte väljer något."
            options={genderOptions}
            value={values.gender}
            emptyOption="Enligt personnumret"
            errors={errors}
          />
          <Field
            name="birthYear"
            label="Födelseår"
            hint="Med personnummer följer födelseåret av numret."
            value={values.birthYear}
            errors={errors}
            inputmode="numeric"
            width="short"
          />
        </fieldset>
        <DateField name="enrolledOn" label="Inskriven" required value={values.enrolledOn} errors={errors} />
        <Select
          name="referrerMemberId"
          label="Aktualiserad av"
          options={props.members}
          value={values.referrerMemberId}
          emptyOption="Ingen medlem / okänt"
          errors={errors}
        />
        <Select
          name="incomeSourceAtEnrolment"
          label="Försörjning vid start"
          required
          options={codeOptions(props.codes.income_source)}
          value={values.incomeSourceAtEnrolment}
          emptyOption="Välj"
          errors={errors}
        />
        <TextArea name="targetAtStart" label="Mål vid start" value={values.targetAtStart} errors={errors} rows={3} />
        <fieldset>
          <legend>Samtycke</legend>
          <DateField
            name="consentOn"
            label="Samtycke lämnat"
            hint="ÅÅÅÅ-MM-DD. Krävs med personnummer."
            value={values.consentOn}
            errors={errors}
          />
          <Field
            name="consentVersion"
            label="Samtyckestextens version"
            value={values.consentVersion}
            errors={errors}
            width="short"
          />
        </fieldset>
        <Button>Skriv in</Button> <a href={participants}>Avbryt</a>
      </PostForm>
    </div>
  );
}

/** Which form on the enrolment page a re-render is for, so that its values and errors go back to it. */
export type EnrolmentForm = "exit" | "followUp" | "consent";

export function EnrolmentPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  enrolment: Enrolment;
  codes: CodeLists;
  followUps: FollowUp[];
  referrer: string | undefined;
  /** Whether the caller may ask to see the identity (admin, the insatsägare's contact). */
  mayReadIdentity: boolean;
  mayWrite: boolean;
  identity: Identity | undefined;
  problem?: { form: EnrolmentForm; values: Values; errors: FieldError[] } | undefined;
}) {
  const { enrolment, codes, problem } = props;
  const participants = `${props.path}/participants`;
  const action = `${participants}/${enrolment.id}`;
  const formProblem = (form: EnrolmentForm) => (problem?.form === form ? problem : undefined);
  const exitProblem = formProblem("exit");
  const exitValues = exitProblem?.values ?? {
    exitedOn: enrolment.exited_on ?? "",
    exitReason: enrolment.exit_reason ?? "",
    incomeSourceAtExit: enrolment.income_source_at_exit ?? "",
  };
  const followUpProblem = formProblem("followUp");
  const consentProblem = formProblem("consent");
  return (
    <>
      <Breadcrumb href={participants}>Deltagare: {props.intervention.name}</Breadcrumb>
      <h1>Deltagare {pseudonym(enrolment)}</h1>
      <ErrorSummary errors={problem?.errors} />
      <dl class="summary-list">
        <dt>Kön</dt>
        <dd>{genderNames[enrolment.gender]}</dd>
        <dt>Födelseår</dt>
        <dd>{enrolment.birth_year ?? "–"}</dd>
        <dt>Inskriven</dt>
        <dd>{enrolment.enrolled_on}</dd>
        <dt>Aktualiserad av</dt>
        <dd>{props.referrer ?? "–"}</dd>
        <dt>Försörjning vid start</dt>
        <dd>{labelOf(codes.income_source, enrolment.income_source_at_enrolment)}</dd>
        <dt>Mål vid start</dt>
        <dd>{enrolment.target_at_start ?? "–"}</dd>
        <dt>Avslutad</dt>
        <dd>{enrolment.exited_on ?? "Pågår"}</dd>
        {enrolment.exited_on && (
          <>
            <dt>Avslutsorsak</dt>
            <dd>{labelOf(codes.exit_reason, enrolment.exit_reason)}</dd>
            <dt>Försörjning vid avslut</dt>
            <dd>{labelOf(codes.income_source, enrolment.income_source_at_exit)}</dd>
          </>
        )}
        <dt>Samtycke</dt>
        <dd>{consentState(enrolment)}</dd>
      </dl>

      <section aria-labelledby="identity-heading">
        <h2 id="identity-heading">Personuppgifter</h2>
        <IdentitySection {...props} action={action} />
      </section>

      {props.mayWrite && (
        <section aria-labelledby="exit-heading">
          <h2 id="exit-heading">{enrolment.exited_on ? "Ändra avslut" : "Avsluta"}</h2>
          <PostForm action={`${action}/exit`} csrfToken={props.csrfToken} label="Avslut">
            <input type="hidden" name="version" value={String(enrolment.version)} />
            <DateField
              name="exitedOn"
              label="Avslutad"
              required
              value={exitValues.exitedOn}
              errors={exitProblem?.errors}
            />
            <Select
              name="exitReason"
              label="Avslutsorsak"
              required
              options={codeOptions(codes.exit_reason)}
              value={exitValues.exitReason}
              emptyOption="Välj"
              errors={exitProblem?.errors}
            />
            <Select
              name="incomeSourceAtExit"
              label="Försörjning vid avslut"
              required
              options={codeOptions(codes.income_source)}
              value={exitValues.incomeSourceAtExit}
              emptyOption="Välj"
              errors={exitProblem?.errors}
            />
            <Button kind="secondary">{enrolment.exited_on ? "Spara avslutet" : "Avsluta"}</Button>
          </PostForm>
        </section>
      )}

      <section aria-labelledby="follow-up-heading">
        <h2 id="follow-up-heading">Uppföljning</h2>
        {props.followUps.length === 0 ? (
          <p>Ingen uppföljning registrerad.</p>
        ) : (
          <div class="table-wrapper">
            <table>
              <caption class="visually-hidden">Uppföljningar</caption>
              <thead>
                <tr>
                  <th scope="col">Uppföljning</th>
                  <th scope="col">Datum</th>
                  <th scope="col">Utfall</th>
                  <th scope="col">Försörjning</th>
                </tr>
              </thead>
              <tbody>
                {props.followUps.map((followUp) => (
                  <tr>
                    <th scope="row">{followUpKindNames[followUp.kind]}</th>
                    <td>{followUp.followed_up_on}</td>
                    <td>{labelOf(codes.exit_reason, followUp.outcome)}</td>
                    <td>{followUp.income_source ? labelOf(codes.income_source, followUp.income_source) : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.mayWrite &&
          (enrolment.exited_on ? (
            <details open={followUpProblem !== undefined}>
              <summary>Registrera uppföljning</summary>
              <PostForm action={`${action}/follow-ups`} csrfToken={props.csrfToken} label="Registrera uppföljning">
                <Select
                  name="kind"
                  label="Uppföljning"
                  required
                  options={followUpKindOptions}
                  value={followUpProblem?.values.kind}
                  errors={followUpProblem?.errors}
                />
                <DateField
                  name="followedUpOn"
                  label="Datum för uppföljningen"
                  required
                  value={followUpProblem?.values.followedUpOn}
                  errors={followUpProblem?.errors}
                />
                <Select
                  name="outcome"
                  label="Utfall"
                  required
                  options={codeOptions(codes.exit_reason)}
                  value={followUpProblem?.values.outcome}
                  emptyOption="Välj"
                  errors={followUpProblem?.errors}
                />
                <Select
                  name="incomeSource"
                  label="Försörjning"
                  options={codeOptions(codes.income_source)}
                  value={followUpProblem?.values.incomeSource}
                  emptyOption="Uppgift saknas"
                  errors={followUpProblem?.errors}
                />
                <Button kind="secondary">Registrera uppföljning</Button>
              </PostForm>
            </details>
          ) : (
            <p class="hint">Uppföljning registreras efter avslutet.</p>
          ))}
      </section>

      {props.mayWrite && enrolment.consent_on && !enrolment.consent_withdrawn_on && (
        <section aria-labelledby="consent-heading">
          <h2 id="consent-heading">Återkalla samtycke</h2>
          <p>
            När deltagaren återkallar sitt samtycke raderas personuppgifterna, om inte en annan inskrivning fortfarande
            vilar på samtycke. De avidentifierade uppgifterna finns kvar i statistiken.
          </p>
          <PostForm action={`${action}/consent-withdrawal`} csrfToken={props.csrfToken} label="Återkalla samtycke">
            <DateField
              name="withdrawnOn"
              label="Samtycket återkallades"
              required
              value={consentProblem?.values.withdrawnOn}
              errors={consentProblem?.errors}
            />
            <Button kind="danger">Återkalla samtycket</Button>
          </PostForm>
        </section>
      )}
    </>
  );
}

function IdentitySection(props: {
  action: string;
  csrfToken: string;
  enrolment: Enrolment;
  mayReadIdentity: boolean;
  identity: Identity | undefined;
}) {
  const { enrolment, identity } = props;
  if (enrolment.anonymised_at) return <p>Personuppgifterna är raderade. Deltagaren finns kvar avidentifierad.</p>;
  if (!enrolment.has_identity) return <p>Inskriven utan personnummer.</p>;
  if (!props.mayReadIdentity) {
    return <p>Personuppgifter visas bara för förbundets administratör och insatsägarens kontaktperson.</p>;
  }
  if (identity) {
    return (
      <>
        <dl class="summary-list">
          <dt>Personnummer</dt>
          <dd>{formatPersonalNumber(identity.personalNumber)}</dd>
          <dt>Namn</dt>
          <dd>{identity.name ?? "–"}</dd>
        </dl>
        <p class="hint">Att du har sett personuppgifterna är registrerat i loggen.</p>
      </>
    );
  }
  return (
    <PostForm action={`${props.action}/identity`} csrfToken={props.csrfToken} label="Visa personuppgifter">
      <p class="hint">Varje visning registreras i loggen.</p>
      <Button kind="secondary">Visa personuppgifter</Button>
    </PostForm>
  );
}
