import type { InterventionStatus, InterventionStatusChange } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import {
  AmountTable,
  Button,
  DateField,
  ErrorSummary,
  Field,
  fieldId,
  PostForm,
  RowAction,
  Select,
  TextArea,
} from "../platform/ui/components.js";
import { formatDateTime, formatKronor } from "../platform/ui/format.js";
import { type Application, ApplicationSections, GrantFields } from "./application-views.js";
import { interventionKinds, kindNames, partnerRoleNames, partnerRoles } from "./intervention-input.js";
import { interventionStatuses, statusNames, type Transition } from "./lifecycle.js";
import type { findIntervention, listGrants, listInterventions, listPartners } from "./repository.js";

type Option = { value: string; label: string };
type ListRow = Awaited<ReturnType<typeof listInterventions>>[number];
type Detail = NonNullable<Awaited<ReturnType<typeof findIntervention>>>;
type Grant = Awaited<ReturnType<typeof listGrants>>[number];
type Partner = Awaited<ReturnType<typeof listPartners>>[number];

const statusOptions: Option[] = interventionStatuses.map((status) => ({ value: status, label: statusNames[status] }));
const kindOptions: Option[] = interventionKinds.map((kind) => ({ value: kind, label: kindNames[kind] }));
const roleOptions: Option[] = partnerRoles.map((role) => ({ value: role, label: partnerRoleNames[role] }));

const period = (row: { start_date: string; end_date: string }) => `${row.start_date} – ${row.end_date}`;

export function InterventionsPage(props: {
  base: string;
  rows: ListRow[];
  filter: Record<string, string>;
  owners: Option[];
  years: number[];
  canCreate: boolean;
  canSeePortfolio: boolean;
  isStaff: boolean;
}) {
  const total = props.rows.reduce((sum, row) => sum + row.granted_ore, 0n);
  return (
    <>
      <h1>Insatser</h1>
      {(props.canCreate || props.canSeePortfolio) && (
        <p class="actions">
          {props.canCreate && (
            <a class="button button--primary" href={`${props.base}/interventions/new`}>
              {props.isStaff ? "Registrera insats" : "Ny ansökan"}
            </a>
          )}
          {props.canSeePortfolio && (
            <a class="button button--secondary" href={`${props.base}/portfolio`}>
              Portföljöversikt
            </a>
          )}
        </p>
      )}
      <form method="get" action={`${props.base}/interventions`} class="filter-form" aria-label="Filtrera insatser">
        <Field name="q" label="Sök" type="search" value={props.filter.q} hint="Namn, diarienummer eller insatsägare." />
        <Select name="status" label="Status" options={statusOptions} value={props.filter.status} emptyOption="Alla" />
        <Select name="owner" label="Insatsägare" options={props.owners} value={props.filter.owner} emptyOption="Alla" />
        <Select
          name="year"
          label="År"
          options={props.years.map((year) => ({ value: String(year), label: String(year) }))}
          value={props.filter.year}
          emptyOption="Alla"
        />
        <Select name="kind" label="Inriktning" options={kindOptions} value={props.filter.kind} emptyOption="Alla" />
        <Button kind="secondary">Visa</Button>
      </form>
      <p role="status">
        {props.rows.length === 1 ? "1 insats" : `${props.rows.length} insatser`}, beviljat sammanlagt{" "}
        {formatKronor(total)}.
      </p>
      {props.rows.length > 0 && (
        <div class="table-wrapper">
          <table>
            <caption class="visually-hidden">Insatser</caption>
            <thead>
              <tr>
                <th scope="col">Insats</th>
                <th scope="col">Insatsägare</th>
                <th scope="col">Inriktning</th>
                <th scope="col">Insatstid</th>
                <th scope="col">Status</th>
                <th scope="col" class="numeric">
                  Beviljat
                </th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <th scope="row">
                    <a href={`${props.base}/interventions/${row.id}`}>{row.name}</a>
                    {row.registry_number && <span class="muted"> ({row.registry_number})</span>}
                  </th>
                  <td>{row.owner_name}</td>
                  <td>{kindNames[row.kind]}</td>
                  <td>{period(row)}</td>
                  <td>{statusNames[row.status]}</td>
                  <td class="numeric">{formatKronor(row.granted_ore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function InterventionPage(props: {
  base: string;
  csrfToken: string;
  intervention: Detail;
  grants: Grant[];
  partners: Partner[];
  history: InterventionStatusChange[];
  moves: Transition[];
  application: Application;
  mayEdit: boolean;
  mayRevise: boolean;
  isStaff: boolean;
  organisations: Option[];
  errors?: FieldError[] | undefined;
  values?: Record<string, string> | undefined;
}) {
  const { intervention } = props;
  const path = `${props.base}/interventions/${intervention.id}`;
  return (
    <>
      <p class="muted">
        <a href={`${props.base}/interventions`}>Insatser</a>
      </p>
      <h1>{intervention.name}</h1>
      <ErrorSummary errors={props.errors} />
      <p class="lead">
        Status: <strong>{statusNames[intervention.status]}</strong>
      </p>
      <dl class="summary-list">
        <dt>Insatsägare</dt>
        <dd>{intervention.owner_name}</dd>
        <dt>Inriktning</dt>
        <dd>{kindNames[intervention.kind]}</dd>
        <dt>Insatstid</dt>
        <dd>{period(intervention)}</dd>
        <dt>Sista dag för intag</dt>
        <dd>{intervention.intake_end_date ?? "–"}</dd>
        <dt>Målgrupp</dt>
        <dd>{intervention.target_group ?? "–"}</dd>
        <dt>Diarienummer</dt>
        <dd>{intervention.registry_number ?? "–"}</dd>
        <dt>Beslut</dt>
        <dd>
          {intervention.decision_section || intervention.decision_date
            ? [intervention.decision_section, intervention.decision_date].filter(Boolean).join(", ")
            : "–"}
        </dd>
        <dt>Villkor</dt>
        <dd>{intervention.conditions ?? "–"}</dd>
      </dl>
      {props.mayEdit && (
        <p class="actions">
          <a class="button button--secondary" href={`${path}/edit`}>
            Ändra uppgifterna
          </a>
        </p>
      )}

      <ApplicationSections
        path={path}
        csrfToken={props.csrfToken}
        intervention={intervention}
        application={props.application}
        mayEdit={props.mayEdit}
        mayRevise={props.mayRevise}
        errors={props.errors}
        values={props.values}
      />

      <section aria-labelledby="grants-heading">
        <h2 id="grants-heading">Beviljade medel</h2>
        {props.grants.length === 0 ? (
          <p>Inga medel är beviljade.</p>
        ) : (
          <AmountTable
            labelHeader="År"
            amountHeader="Beviljat"
            rows={props.grants.map((grant) => ({ label: grant.year, ore: grant.amount_ore }))}
          />
        )}
        {props.isStaff && (
          <p>
            <a href={`${path}/grants`}>Ändra beviljade medel</a>
          </p>
        )}
        <ul class="links">
          <li>
            <a href={`${path}/requisitions`}>Rekvisitioner och återföringar</a>
          </li>
          <li>
            <a href={`${path}/reports`}>Rapporter</a>
          </li>
          <li>
            <a href={`${path}/participants`}>Deltagare och lotsärenden</a>
          </li>
        </ul>
        {props.isStaff && intervention.status === "in_preparation" && (
          <p>
            <a href={`${path}/decision`}>Registrera beslut</a>
          </p>
        )}
      </section>

      <section aria-labelledby="partners-heading">
        <h2 id="partners-heading">Medsökande och samverkansparter</h2>
        {props.partners.length === 0 ? (
          <p>Inga parter är angivna.</p>
        ) : (
          <div class="table-wrapper">
            <table>
              <thead>
                <tr>
                  <th scope="col">Organisation</th>
                  <th scope="col">Roll</th>
                  <th scope="col">Kontaktperson</th>
                  <th scope="col">E-post</th>
                  {props.mayEdit && <th scope="col">Åtgärd</th>}
                </tr>
              </thead>
              <tbody>
                {props.partners.map((partner) => (
                  <tr>
                    <th scope="row">{partner.organisation_name}</th>
                    <td>{partnerRoleNames[partner.role]}</td>
                    <td>{partner.contact_name ?? "–"}</td>
                    <td>{partner.contact_email ?? "–"}</td>
                    {props.mayEdit && (
                      <td>
                        <RowAction
                          action={`${path}/partners/${partner.organisation_id}/delete`}
                          csrfToken={props.csrfToken}
                          label="Ta bort"
                          object={partner.organisation_name}
                        />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.mayEdit && (
          <details open={props.errors?.some((error) => error.path === "organisationId")}>
            <summary>Lägg till part</summary>
            <PostForm action={`${path}/partners`} csrfToken={props.csrfToken} label="Lägg till part">
              <Select
                name="organisationId"
                label="Organisation"
                required
                options={props.organisations}
                value={props.values?.organisationId}
                errors={props.errors}
                emptyOption="Välj organisation"
              />
              <Select
                name="role"
                label="Roll"
                required
                options={roleOptions}
                value={props.values?.role}
                errors={props.errors}
                emptyOption="Välj roll"
              />
              <Field name="contactName" label="Kontaktperson" value={props.values?.contactName} errors={props.errors} />
              <Field
                name="contactEmail"
                label="Kontaktpersonens e-post"
                type="email"
                value={props.values?.contactEmail}
                errors={props.errors}
              />
              <Button kind="secondary">Lägg till</Button>
            </PostForm>
          </details>
        )}
      </section>

      <section aria-labelledby="status-heading">
        <h2 id="status-heading">Status och historik</h2>
        {props.moves.length > 0 && (
          <div class="cards">
            {props.moves.map((move) => (
              <div class="card" id={fieldId(`to-${move.to}`)}>
                <PostForm action={`${path}/status`} csrfToken={props.csrfToken} label={move.action}>
                  <input type="hidden" name="to" value={move.to} />
                  {move.needs === "comment" ? (
                    <TextArea
                      name={`comment-${move.to}`}
                      label={`Motivering (${move.action.toLowerCase()})`}
                      required
                      errors={props.errors}
                    />
                  ) : null}
                  {move.needs === "decision" && (
                    <p class="hint">
                      Beslutets paragraf, datum och beviljade medel ska vara angivna, eller{" "}
                      <a href={`${path}/decision`}>registrera hela beslutet i ett steg</a>.
                    </p>
                  )}
                  <Button kind={move.needs === "comment" ? "secondary" : "primary"}>{move.action}</Button>
                </PostForm>
              </div>
            ))}
          </div>
        )}
        <div class="table-wrapper">
          <table>
            <caption class="visually-hidden">Statushistorik</caption>
            <thead>
              <tr>
                <th scope="col">När</th>
                <th scope="col">Status</th>
                <th scope="col">Av</th>
                <th scope="col">Kommentar</th>
              </tr>
            </thead>
            <tbody>
              {props.history.map((change) => (
                <tr>
                  <td>{formatDateTime(change.changed_at)}</td>
                  <td>{statusNames[change.to_status as InterventionStatus]}</td>
                  <td>{change.changed_by_label}</td>
                  <td>{change.comment ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

const plannedFields = [
  ["plannedWomen", "Kvinnor"],
  ["plannedMen", "Män"],
  ["plannedGenderUnknown", "Annat eller uppgift saknas"],
] as const;

export function InterventionFormPage(props: {
  base: string;
  csrfToken: string;
  intervention?: Detail | undefined;
  owners: Option[];
  isStaff: boolean;
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  const { intervention, values } = props;
  const action = intervention ? `${props.base}/interventions/${intervention.id}` : `${props.base}/interventions`;
  const cancel = intervention ? action : `${props.base}/interventions`;
  return (
    <div class="narrow">
      <h1>{intervention ? `Ändra ${intervention.name}` : props.isStaff ? "Registrera insats" : "Ny ansökan"}</h1>
      <ErrorSummary errors={props.errors} />
      <PostForm action={action} csrfToken={props.csrfToken}>
        {intervention && <input type="hidden" name="version" value={values.version} />}
        <Field name="name" label="Insatsens namn" required value={values.name} errors={props.errors} />
        <Select
          name="ownerOrganisationId"
          label="Insatsägare"
          required
          options={props.owners}
          value={values.ownerOrganisationId}
          errors={props.errors}
          emptyOption="Välj organisation"
        />
        <Select
          name="kind"
          label="Inriktning"
          required
          options={kindOptions}
          value={values.kind}
          errors={props.errors}
          emptyOption="Välj inriktning"
        />
        <TextArea
          name="background"
          label="Bakgrund och behov"
          value={values.background}
          errors={props.errors}
          rows={6}
        />
        <TextArea
          name="purpose"
          label="Syfte"
          hint="Vilken förändring ska insatsen åstadkomma?"
          value={values.purpose}
          errors={props.errors}
        />
        <TextArea name="targetGroup" label="Målgrupp" value={values.targetGroup} errors={props.errors} />
        <TextArea name="method" label="Metod och aktiviteter" value={values.method} errors={props.errors} rows={6} />
        <fieldset>
          <legend>Planerat antal deltagare</legend>
          <p class="hint">För individinriktade insatser: hur många personer insatsen planerar för, efter kön.</p>
          {plannedFields.map(([name, label]) => (
            <Field
              name={name}
              label={label}
              value={values[name]}
              errors={props.errors}
              inputmode="numeric"
              width="short"
            />
          ))}
        </fieldset>
        <DateField name="startDate" label="Startdatum" required value={values.startDate} errors={props.errors} />
        <DateField name="endDate" label="Slutdatum" required value={values.endDate} errors={props.errors} />
        <DateField
          name="intakeEndDate"
          label="Sista dag för intag av deltagare"
          value={values.intakeEndDate}
          errors={props.errors}
        />
        {props.isStaff && (
          <fieldset>
            <legend>Förbundets uppgifter</legend>
            <Field
              name="registryNumber"
              label="Diarienummer"
              value={values.registryNumber}
              errors={props.errors}
              width="medium"
            />
            <Field
              name="decisionSection"
              label="Beslut, paragraf"
              value={values.decisionSection}
              errors={props.errors}
              hint="T.ex. § 42. Länkas till protokollet när styrelsemodulen finns."
              width="short"
            />
            <DateField name="decisionDate" label="Beslutsdatum" value={values.decisionDate} errors={props.errors} />
            <TextArea name="conditions" label="Villkor" value={values.conditions} errors={props.errors} />
          </fieldset>
        )}
        <Button>Spara</Button> <a href={cancel}>Avbryt</a>
      </PostForm>
    </div>
  );
}

export function GrantsFormPage(props: {
  base: string;
  csrfToken: string;
  intervention: Detail;
  years: number[];
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  const path = `${props.base}/interventions/${props.intervention.id}`;
  return (
    <div class="narrow">
      <h1>Beviljade medel: {props.intervention.name}</h1>
      <p>Belopp i hela kronor per år av insatstiden, enligt styrelsens beslut. Lämna tomt för år utan medel.</p>
      <ErrorSummary errors={props.errors} />
      <PostForm action={`${path}/grants`} csrfToken={props.csrfToken}>
        <GrantFields years={props.years} values={props.values} errors={props.errors} />
        <Button>Spara</Button> <a href={path}>Avbryt</a>
      </PostForm>
    </div>
  );
}
