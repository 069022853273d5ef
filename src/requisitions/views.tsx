import { costCategories, costCategoryNames } from "../interventions/cost-categories.js";
import type { CostCategory, Requisition } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import {
  AmountTable,
  Button,
  DateField,
  ErrorSummary,
  Field,
  PostForm,
  Select,
  TextArea,
} from "../platform/ui/components.js";
import { formatDateTime, formatKronor } from "../platform/ui/format.js";
import type { listRepayments, listRequisitions } from "./repository.js";
import { requisitionStatusNames } from "./requisition-input.js";

type RequisitionRow = Awaited<ReturnType<typeof listRequisitions>>[number];
type Repayment = Awaited<ReturnType<typeof listRepayments>>[number];
type Insats = { id: string; name: string; start_date: string; end_date: string };

/** One year of an insats's money: granted, used through approved requisitions, what is left, and what was repaid. */
export type MoneyYear = { year: number; grantedOre: bigint; requisitionedOre: bigint; repaidOre: bigint };

export const amountFieldName = (category: CostCategory) => `amount-${category}`;

const period = (row: { period_start: string; period_end: string }) => `${row.period_start} – ${row.period_end}`;

export function MoneyTable(props: { years: MoneyYear[]; caption: string }) {
  const sum = (pick: (year: MoneyYear) => bigint) => props.years.reduce((total, year) => total + pick(year), 0n);
  const cells = (year: Omit<MoneyYear, "year">) => (
    <>
      <td class="numeric">{formatKronor(year.grantedOre)}</td>
      <td class="numeric">{formatKronor(year.requisitionedOre)}</td>
      <td class="numeric">{formatKronor(year.grantedOre - year.requisitionedOre)}</td>
      <td class="numeric">{formatKronor(year.repaidOre)}</td>
    </>
  );
  return (
    <div class="table-wrapper">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">År</th>
            <th scope="col" class="numeric">
              Beviljat
            </th>
            <th scope="col" class="numeric">
              Rekvirerat
            </th>
            <th scope="col" class="numeric">
              Återstår
            </th>
            <th scope="col" class="numeric">
              Återfört
            </th>
          </tr>
        </thead>
        <tbody>
          {props.years.map((year) => (
            <tr>
              <th scope="row">{year.year}</th>
              {cells(year)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Summa</th>
            {cells({
              grantedOre: sum((year) => year.grantedOre),
              requisitionedOre: sum((year) => year.requisitionedOre),
              repaidOre: sum((year) => year.repaidOre),
            })}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export function RequisitionsPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  money: MoneyYear[];
  requisitions: RequisitionRow[];
  repayments: Repayment[];
  mayRequisition: boolean;
  isStaff: boolean;
  values?: Record<string, string> | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { path } = props;
  return (
    <>
      <p class="muted">
        <a href={path}>{props.intervention.name}</a>
      </p>
      <h1>Rekvisitioner och återföringar</h1>
      <ErrorSummary errors={props.errors} />
      <MoneyTable years={props.money} caption="Medel per år" />
      <p class="hint">Rekvirerat är summan av godkända rekvisitioner. Återstår = beviljat − rekvirerat.</p>

      <section aria-labelledby="requisitions-heading">
        <h2 id="requisitions-heading">Rekvisitioner</h2>
        {props.mayRequisition && (
          <p class="actions">
            <a class="button button--primary" href={`${path}/requisitions/new`}>
              Ny rekvisition
            </a>
          </p>
        )}
        {props.requisitions.length === 0 ? (
          <p>Inga rekvisitioner ännu.</p>
        ) : (
          <div class="table-wrapper">
            <table>
              <caption class="visually-hidden">Rekvisitioner</caption>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col" class="numeric">
                    Belopp
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Inskickad</th>
                </tr>
              </thead>
              <tbody>
                {props.requisitions.map((requisition) => (
                  <tr>
                    <th scope="row">
                      <a href={`${path}/requisitions/${requisition.id}`}>{period(requisition)}</a>
                    </th>
                    <td class="numeric">{formatKronor(requisition.total_ore)}</td>
                    <td>{requisitionStatusNames[requisition.status]}</td>
                    <td>
                      {formatDateTime(requisition.submitted_at)}, {requisition.submitted_by_label}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="repayments-heading">
        <h2 id="repayments-heading">Återföringar</h2>
        {props.repayments.length === 0 ? (
          <p>Inga återföringar.</p>
        ) : (
          <div class="table-wrapper">
            <table>
              <caption class="visually-hidden">Återföringar</caption>
              <thead>
                <tr>
                  <th scope="col">Datum</th>
                  <th scope="col" class="numeric">
                    Belopp
                  </th>
                  <th scope="col">Beslut</th>
                  <th scope="col">Anteckning</th>
                </tr>
              </thead>
              <tbody>
                {props.repayments.map((repayment) => (
                  <tr>
                    <th scope="row">{repayment.repaid_on}</th>
                    <td class="numeric">{formatKronor(repayment.amount_ore)}</td>
                    <td>{repayment.decision_reference ?? "–"}</td>
                    <td>{repayment.note ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.isStaff && (
          <details open={props.errors !== undefined}>
            <summary>Registrera återföring</summary>
            <PostForm action={`${path}/repayments`} csrfToken={props.csrfToken} label="Registrera återföring">
              <Field
                name="amount"
                label="Belopp, kronor"
                required
                value={props.values?.amount}
                errors={props.errors}
                inputmode="numeric"
                width="medium"
              />
              <DateField name="repaidOn" label="Datum" required value={props.values?.repaidOn} errors={props.errors} />
              <Field
                name="decisionReference"
                label="Beslut"
                hint="T.ex. styrelsen 2026-11-20 § 88."
                value={props.values?.decisionReference}
                errors={props.errors}
              />
              <TextArea name="note" label="Anteckning" value={props.values?.note} errors={props.errors} rows={2} />
              <Button kind="secondary">Registrera återföring</Button>
            </PostForm>
          </details>
        )}
      </section>
    </>
  );
}

function RequisitionFields(props: { values: Record<string, string>; errors?: FieldError[] | undefined }) {
  const { values, errors } = props;
  return (
    <>
      <DateField name="periodStart" label="Periodens första dag" required value={values.periodStart} errors={errors} />
      <DateField name="periodEnd" label="Periodens sista dag" required value={values.periodEnd} errors={errors} />
      <fieldset id="field-lines">
        <legend>Kostnader per kostnadsslag</legend>
        <p class="hint">Faktiska kostnader för perioden i hela kronor. Lämna tomt där det inte finns några.</p>
        {costCategories.map((category) => (
          <Field
            name={amountFieldName(category)}
            label={`${costCategoryNames[category]}, kronor`}
            value={values[amountFieldName(category)]}
            errors={errors}
            inputmode="numeric"
            width="medium"
          />
        ))}
      </fieldset>
      <TextArea name="note" label="Kommentar" value={values.note} errors={errors} rows={3} />
    </>
  );
}

export function RequisitionFormPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  return (
    <div class="narrow">
      <h1>Ny rekvisition: {props.intervention.name}</h1>
      <p>
        Insatstid {props.intervention.start_date} – {props.intervention.end_date}. En rekvisition gäller en period inom
        ett kalenderår, oftast ett kvartal.
      </p>
      <ErrorSummary errors={props.errors} />
      <PostForm action={`${props.path}/requisitions`} csrfToken={props.csrfToken} label="Ny rekvisition">
        <RequisitionFields values={props.values} errors={props.errors} />
        <Button>Skicka rekvisitionen</Button> <a href={`${props.path}/requisitions`}>Avbryt</a>
      </PostForm>
    </div>
  );
}

export function RequisitionPage(props: {
  path: string;
  csrfToken: string;
  intervention: Insats;
  requisition: Requisition;
  lines: { cost_category: CostCategory; amount_ore: bigint }[];
  /** What remains of the grant before this requisition, and by how much approving it would exceed the grant. */
  overGrant: { remainingOre: bigint; excessOre: bigint };
  mayDecide: boolean;
  mayResubmit: boolean;
  values?: Record<string, string> | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { requisition } = props;
  const action = `${props.path}/requisitions/${requisition.id}`;
  const amount = (category: CostCategory) =>
    props.lines.find((line) => line.cost_category === category)?.amount_ore ?? 0n;
  return (
    <div class="narrow">
      <p class="muted">
        <a href={`${props.path}/requisitions`}>Rekvisitioner: {props.intervention.name}</a>
      </p>
      <h1>Rekvisition {period(requisition)}</h1>
      <ErrorSummary errors={props.errors} />
      <dl class="summary-list">
        <dt>Status</dt>
        <dd>{requisitionStatusNames[requisition.status]}</dd>
        <dt>Inskickad</dt>
        <dd>
          {formatDateTime(requisition.submitted_at)}, {requisition.submitted_by_label}
        </dd>
        <dt>Kommentar</dt>
        <dd>{requisition.note ?? "–"}</dd>
        {requisition.decided_at && (
          <>
            <dt>{requisition.status === "approved" ? "Godkänd" : "Återsänd"}</dt>
            <dd>
              {formatDateTime(requisition.decided_at)}, {requisition.decided_by_label}
              {requisition.decision_comment && `: ${requisition.decision_comment}`}
            </dd>
          </>
        )}
        {requisition.over_grant_reason && (
          <>
            <dt>Skäl att godkänna över beviljade medel</dt>
            <dd>{requisition.over_grant_reason}</dd>
          </>
        )}
      </dl>
      <AmountTable
        caption="Kostnader per kostnadsslag"
        labelHeader="Kostnadsslag"
        amountHeader="Belopp"
        rows={costCategories.map((category) => ({ label: costCategoryNames[category], ore: amount(category) }))}
      />
      {props.mayDecide && requisition.status === "submitted" && (
        <section aria-labelledby="decide-heading">
          <h2 id="decide-heading">Behandla rekvisitionen</h2>
          <p>Återstående beviljade medel före denna rekvisition: {formatKronor(props.overGrant.remainingOre)}.</p>
          {props.overGrant.excessOre > 0n && (
            <p class="notice">
              Rekvisitionen överstiger beviljade medel med {formatKronor(props.overGrant.excessOre)}. Den kan godkännas
              bara med ett angivet skäl.
            </p>
          )}
          <PostForm action={`${action}/decision`} csrfToken={props.csrfToken} label="Behandla rekvisitionen">
            <Select
              name="decision"
              label="Beslut"
              required
              options={[
                { value: "approve", label: "Godkänn" },
                { value: "return", label: "Återsänd till insatsägaren" },
              ]}
              value={props.values?.decision}
              errors={props.errors}
              emptyOption="Välj"
            />
            <TextArea
              name="comment"
              label="Kommentar"
              hint="Krävs vid återsändning. Visas för insatsägaren."
              value={props.values?.comment}
              errors={props.errors}
              rows={3}
            />
            {props.overGrant.excessOre > 0n && (
              <TextArea
                name="overGrantReason"
                label="Skäl att godkänna över beviljade medel"
                value={props.values?.overGrantReason}
                errors={props.errors}
                rows={2}
              />
            )}
            <Button>Spara beslutet</Button>
          </PostForm>
        </section>
      )}
      {props.mayResubmit && requisition.status === "returned" && (
        <section aria-labelledby="resubmit-heading">
          <h2 id="resubmit-heading">Rätta och skicka igen</h2>
          <PostForm action={action} csrfToken={props.csrfToken} label="Rätta och skicka igen">
            <input type="hidden" name="version" value={String(requisition.version)} />
            <RequisitionFields
              values={
                props.values ?? {
                  periodStart: requisition.period_start,
                  periodEnd: requisition.period_end,
                  note: requisition.note ?? "",
                  ...Object.fromEntries(
                    props.lines.map((line) => [amountFieldName(line.cost_category), String(line.amount_ore / 100n)]),
                  ),
                }
              }
              errors={props.errors}
            />
            <Button>Skicka igen</Button>
          </PostForm>
        </section>
      )}
    </div>
  );
}
