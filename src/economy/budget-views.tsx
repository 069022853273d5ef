import type { Child } from "hono/jsx";
import type { FieldError } from "../platform/http/errors.js";
import {
  Button,
  DateField,
  ErrorSummary,
  errorFor,
  Field,
  fieldId,
  PostForm,
  RowAction,
  Select,
} from "../platform/ui/components.js";
import { formatKronor } from "../platform/ui/format.js";
import { lineOwner } from "./budget-lines.js";
import type { AmountsByLine, StructureLine } from "./budget-repository.js";
import { sum } from "./periods.js";
import type { FiscalYearRow } from "./repository.js";
import { kronorText, type Periodisation, periodisationOf } from "./save-budget.js";
import { sectionNames, sections } from "./structure.js";
import { emptySectionAmounts, type Subtotals, subtotalNames, subtotals } from "./subtotals.js";

export const monthNames = [
  "januari",
  "februari",
  "mars",
  "april",
  "maj",
  "juni",
  "juli",
  "augusti",
  "september",
  "oktober",
  "november",
  "december",
];

export const amountField = (lineId: string, year: number) => `amount-${lineId}-${year}`;
export const spreadField = (lineId: string) => `spread-${lineId}`;
export const forecastField = (lineId: string) => `forecast-${lineId}`;
export const monthField = (month: number) => `month-${month}`;
export const versionField = (year: number) => `version-${year}`;

/** The year's total of a line in a set of amounts (0 when nothing is stored). */
export const yearTotal = (amounts: AmountsByLine, lineId: string, year: number) =>
  sum(amounts.get(lineId)?.get(year) ?? []);

/** The computed subtotals of a year, from the lines' year totals. */
export function totalsOf(lines: readonly StructureLine[], amounts: AmountsByLine, year: number): Subtotals {
  const bySection = emptySectionAmounts();
  for (const line of lines) bySection[line.section] += yearTotal(amounts, line.id, year);
  return subtotals(bySection);
}

export function statusText(fiscalYear: FiscalYearRow | undefined): string {
  if (fiscalYear?.budgetStatus === "adopted") {
    return `Fastställd ${fiscalYear.budgetAdoptedOn}${fiscalYear.budgetDecision ? ` (${fiscalYear.budgetDecision})` : ""}`;
  }
  return "Planår";
}

const periodisationNames: Record<Periodisation, string> = {
  even: "Jämnt per månad",
  intervention: "Över insatsens period",
  explicit: "Per månad (angivet)",
};

const ownerNames = { member: "Medlemsbidrag", intervention: "Insats" } as const;

function EconomyNav({ base, year }: { base: string; year?: number | undefined }) {
  return (
    <nav aria-label="Budget">
      <ul>
        <li>
          <a href={`${base}/economy/budget`}>Budgetår</a>
        </li>
        <li>
          <a href={`${base}/economy/budget/lines`}>Budgetens rader</a>
        </li>
        {year !== undefined && (
          <>
            <li>
              <a href={`${base}/economy/budget/${year}`}>Budget {year}</a>
            </li>
            <li>
              <a href={`${base}/economy/budget/${year}/forecast`}>Prognos {year}</a>
            </li>
          </>
        )}
      </ul>
    </nav>
  );
}

export function BudgetIndexPage(props: { base: string; years: FiscalYearRow[]; currentYear: number }) {
  const known = new Set(props.years.map((fiscalYear) => fiscalYear.year));
  const years = [...known, props.currentYear, props.currentYear + 1].filter(
    (year, index, all) => all.indexOf(year) === index,
  );
  years.sort((a, b) => a - b);
  return (
    <>
      <h1>Budget</h1>
      <EconomyNav base={props.base} />
      <p>
        Styrelsen fastställer budgeten för ett år tillsammans med två planår. Budgetens rader ordnas under{" "}
        <a href={`${props.base}/economy/budget/lines`}>Budgetens rader</a>.
      </p>
      <div class="table-wrapper">
        <table>
          <caption>Budgetår</caption>
          <thead>
            <tr>
              <th scope="col">År</th>
              <th scope="col">Status</th>
              <th scope="col">Prognos</th>
            </tr>
          </thead>
          <tbody>
            {years.map((year) => (
              <tr>
                <th scope="row">
                  <a href={`${props.base}/economy/budget/${year}`}>Budget {year}</a>
                </th>
                <td>{statusText(props.years.find((fiscalYear) => fiscalYear.year === year))}</td>
                <td>
                  <a href={`${props.base}/economy/budget/${year}/forecast`}>Prognos {year}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function BudgetLinesPage(props: {
  base: string;
  csrfToken: string;
  lines: StructureLine[];
  mayWrite: boolean;
  values?: Record<string, string> | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { base, csrfToken, errors } = props;
  const values = props.values ?? {};
  const action = `${base}/economy/budget/lines`;
  return (
    <>
      <h1>Budgetens rader</h1>
      <EconomyNav base={base} />
      <p>
        Förbundets egna rader per avsnitt. En rad för varje medlems bidrag och för varje beviljad insats läggs till av
        sig själv och heter som medlemmen eller insatsen; de byter namn när medlemmen eller insatsen gör det och finns
        så länge den finns.
      </p>
      <ErrorSummary errors={errors} />
      {sections.map((section) => {
        const lines = props.lines.filter((line) => line.section === section.key);
        return (
          <section aria-labelledby={`section-${section.key}`}>
            <h2 id={`section-${section.key}`}>{section.name}</h2>
            {lines.length === 0 ? (
              <p>Inga rader.</p>
            ) : (
              <div class="table-wrapper">
                <table>
                  <caption class="visually-hidden">Rader under {section.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Rad</th>
                      <th scope="col">Slag</th>
                      {props.mayWrite && <th scope="col">Åtgärder</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {lines.map((line, index) => {
                      const owner = lineOwner(line);
                      const nameField = `name-${line.id}`;
                      return (
                        <tr>
                          <th scope="row">{line.name}</th>
                          <td>{owner ? ownerNames[owner] : "Egen rad"}</td>
                          {props.mayWrite && (
                            <td>
                              {!owner && (
                                <PostForm
                                  action={`${action}/${line.id}`}
                                  csrfToken={csrfToken}
                                  class="inline-form"
                                  label={`Byt namn på ${line.name}`}
                                >
                                  <Field
                                    name={nameField}
                                    label={`Nytt namn på ${line.name}`}
                                    value={values[nameField] ?? line.name}
                                    errors={errors}
                                    required
                                    width="medium"
                                  />
                                  <Button kind="secondary">
                                    Byt namn<span class="visually-hidden"> på {line.name}</span>
                                  </Button>
                                </PostForm>
                              )}
                              {index > 0 && (
                                <MoveButton action={action} csrfToken={csrfToken} line={line} direction="up" />
                              )}
                              {index < lines.length - 1 && (
                                <MoveButton action={action} csrfToken={csrfToken} line={line} direction="down" />
                              )}
                              {!owner && (
                                <RowAction
                                  action={`${action}/${line.id}/delete`}
                                  csrfToken={csrfToken}
                                  label="Ta bort"
                                  object={line.name}
                                />
                              )}
                            </td>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
      {props.mayWrite && (
        <section aria-labelledby="add-line-heading">
          <h2 id="add-line-heading">Lägg till en rad</h2>
          <PostForm action={action} csrfToken={csrfToken} label="Lägg till en rad">
            <Select
              name="section"
              label="Avsnitt"
              required
              options={sections.map((section) => ({ value: section.key, label: section.name }))}
              value={values.section}
              errors={errors}
            />
            <Field name="name" label="Namn" required value={values.name} errors={errors} />
            <Button>Lägg till</Button>
          </PostForm>
        </section>
      )}
    </>
  );
}

function MoveButton(props: { action: string; csrfToken: string; line: StructureLine; direction: "up" | "down" }) {
  const label = props.direction === "up" ? "Flytta upp" : "Flytta ned";
  return (
    <PostForm
      action={`${props.action}/${props.line.id}/move`}
      csrfToken={props.csrfToken}
      class="inline-form"
      label={`${label} ${props.line.name}`}
    >
      <Button kind="secondary" name="direction" value={props.direction}>
        {label}
        <span class="visually-hidden"> {props.line.name}</span>
      </Button>
    </PostForm>
  );
}

/** An amount field inside a table cell: labelled by line and column, its error beside it. */
function CellInput(props: {
  name: string;
  label: string;
  value: string | undefined;
  errors?: FieldError[] | undefined;
}) {
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.name);
  return (
    <>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span class="visually-hidden">Fel: </span>
          {error}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type="text"
        inputmode="numeric"
        class="input--short numeric"
        aria-label={props.label}
        aria-describedby={error ? `${id}-error` : undefined}
        aria-invalid={error ? "true" : undefined}
        value={props.value ?? ""}
      />
    </>
  );
}

type Column = {
  header: string;
  cell: (line: StructureLine) => Child;
  totals: Subtotals;
};

/**
 * The budget as an income statement: each section's lines and computed sum, then summa kostnader, verksamhetens
 * resultat, the financial items and the result. The same shape for budget and forecast.
 */
function StatementTable(props: {
  caption: string;
  lines: readonly StructureLine[];
  columns: Column[];
  extra?: { header: string; cell: (line: StructureLine) => Child } | undefined;
}) {
  const width = props.columns.length + (props.extra ? 1 : 0);
  const totalRow = (label: string, pick: (totals: Subtotals) => bigint, strong = false) => (
    <tr>
      <th scope="row">{strong ? <strong>{label}</strong> : label}</th>
      {props.columns.map((column) => (
        <td class="numeric">
          {strong ? <strong>{formatKronor(pick(column.totals))}</strong> : formatKronor(pick(column.totals))}
        </td>
      ))}
      {props.extra && <td />}
    </tr>
  );
  return (
    <div class="table-wrapper">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rad</th>
            {props.columns.map((column) => (
              <th scope="col" class="numeric">
                {column.header}
              </th>
            ))}
            {props.extra && <th scope="col">{props.extra.header}</th>}
          </tr>
        </thead>
        {sections.map((section) => (
          <tbody>
            <tr>
              <th scope="colgroup" colspan={width + 1}>
                {section.name}
              </th>
            </tr>
            {props.lines
              .filter((line) => line.section === section.key)
              .map((line) => (
                <tr>
                  <th scope="row">{line.name}</th>
                  {props.columns.map((column) => (
                    <td class="numeric">{column.cell(line)}</td>
                  ))}
                  {props.extra && <td>{props.extra.cell(line)}</td>}
                </tr>
              ))}
            {totalRow(section.total, (totals) => totals.sections[section.key])}
            {section.key === "administration" && totalRow(subtotalNames.costs, (totals) => totals.costs, true)}
            {section.key === "administration" &&
              totalRow(subtotalNames.operatingResult, (totals) => totals.operatingResult, true)}
            {section.key === "financial_cost" && totalRow(subtotalNames.financial, (totals) => totals.financial)}
            {section.key === "financial_cost" && totalRow(subtotalNames.result, (totals) => totals.result, true)}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function RevisionFields(props: { values: Record<string, string>; errors?: FieldError[] | undefined; years: string }) {
  return (
    <fieldset>
      <legend>Ändring av fastställd budget</legend>
      <p class="hint">
        {props.years} är fastställd. En ändring är ett nytt beslut av styrelsen: ange beslutet, så ersätter det det
        tidigare (som finns kvar i loggen). Lämna tomt om du inte ändrar den fastställda budgeten.
      </p>
      <Field
        name="revisionReference"
        label="Nytt beslut, paragraf"
        hint="T.ex. § 612"
        value={props.values.revisionReference}
        errors={props.errors}
        width="medium"
      />
      <DateField name="revisionDate" label="Beslutsdatum" value={props.values.revisionDate} errors={props.errors} />
    </fieldset>
  );
}

export type BudgetYearModel = {
  base: string;
  csrfToken: string;
  year: number;
  years: number[];
  fiscalYears: Map<number, FiscalYearRow | undefined>;
  lines: StructureLine[];
  amounts: AmountsByLine;
  mayWrite: boolean;
};

/** The form's fields as stored: every line's year amounts and spread choice, and the years' versions. */
export function budgetFormValues(model: BudgetYearModel): Record<string, string> {
  const values: Record<string, string> = {};
  for (const year of model.years) values[versionField(year)] = String(model.fiscalYears.get(year)?.version ?? 0);
  for (const line of model.lines) {
    for (const year of model.years) {
      const months = model.amounts.get(line.id)?.get(year);
      values[amountField(line.id, year)] = months ? kronorText(sum(months)) : "";
    }
    const months = model.amounts.get(line.id)?.get(model.year);
    if (line.interventionId && months && periodisationOf(months, model.year, line) === "intervention") {
      values[spreadField(line.id)] = "on";
    }
  }
  return values;
}

export function BudgetYearPage(
  props: BudgetYearModel & { values: Record<string, string>; errors?: FieldError[] | undefined },
) {
  const { base, year, values, errors, amounts } = props;
  const adopted = props.years.filter((y) => props.fiscalYears.get(y)?.budgetStatus === "adopted");
  const path = `${base}/economy/budget/${year}`;
  const fiscalYear = props.fiscalYears.get(year);
  const columns: Column[] = props.years.map((y) => ({
    header: y === year ? `Budget ${y}` : `Plan ${y}`,
    totals: totalsOf(props.lines, amounts, y),
    cell: (line) =>
      props.mayWrite && !line.memberId ? (
        <CellInput
          name={amountField(line.id, y)}
          label={`${line.name}, ${y}, kronor`}
          value={values[amountField(line.id, y)]}
          errors={errors}
        />
      ) : (
        formatKronor(yearTotal(amounts, line.id, y))
      ),
  }));
  const extra = {
    header: `Fördelning ${year}`,
    cell: (line: StructureLine) => {
      const months = amounts.get(line.id)?.get(year);
      const monthly = `${path}/lines/${line.id}`;
      if (line.memberId) {
        return (
          <>
            Från medlemsbidragen: <a href={`${base}/economy/contributions/${year}`}>medlemsbidrag {year}</a>
          </>
        );
      }
      return (
        <>
          {months ? periodisationNames[periodisationOf(months, year, line)] : "–"}{" "}
          <a href={monthly}>
            Per månad<span class="visually-hidden">: {line.name}</span>
          </a>
          {props.mayWrite && line.interventionId && (
            <div class="checkbox">
              <input
                type="checkbox"
                id={fieldId(spreadField(line.id))}
                name={spreadField(line.id)}
                checked={values[spreadField(line.id)] === "on"}
              />
              <label for={fieldId(spreadField(line.id))}>
                Fördela över insatsens period ({line.interventionStart} – {line.interventionEnd})
                <span class="visually-hidden">: {line.name}</span>
              </label>
            </div>
          )}
        </>
      );
    },
  };
  const table = (
    <StatementTable
      caption={`Budget ${year} med planår ${props.years.slice(1).join(" och ")}, kronor`}
      lines={props.lines}
      columns={columns}
      extra={extra}
    />
  );
  return (
    <>
      <h1>Budget {year}</h1>
      <EconomyNav base={base} year={year} />
      <dl class="summary-list">
        {props.years.map((y) => (
          <>
            <dt>{y}</dt>
            <dd>{statusText(props.fiscalYears.get(y))}</dd>
          </>
        ))}
      </dl>
      <p>
        Belopp i hela kronor per år; intäkter och kostnader anges som positiva belopp. Ett årsbelopp fördelas jämnt per
        månad. Summor och resultat räknas fram.
      </p>
      <ErrorSummary errors={errors} />
      {props.mayWrite ? (
        <PostForm action={path} csrfToken={props.csrfToken} label={`Budget ${year}`}>
          {props.years.map((y) => (
            <input type="hidden" name={versionField(y)} value={values[versionField(y)] ?? "0"} />
          ))}
          {table}
          {adopted.length > 0 && <RevisionFields values={values} errors={errors} years={adopted.join(" och ")} />}
          <Button>Spara budgeten</Button>
        </PostForm>
      ) : (
        table
      )}
      {props.mayWrite && (
        <section aria-labelledby="adopt-heading">
          <h2 id="adopt-heading">Fastställ budget {year}</h2>
          <p>
            Registrera styrelsens beslut om budgeten för {year}. {props.years.slice(1).join(" och ")} är planår tills de
            fastställs.
          </p>
          <PostForm action={`${path}/adopt`} csrfToken={props.csrfToken} label={`Fastställ budget ${year}`}>
            <input type="hidden" name="version" value={String(fiscalYear?.version ?? 0)} />
            <DateField name="adoptedOn" label="Beslutsdatum" required value={values.adoptedOn} errors={errors} />
            <Field
              name="decision"
              label="Beslut, paragraf"
              hint="T.ex. § 582"
              required
              value={values.decision}
              errors={errors}
              width="medium"
            />
            <Button>{fiscalYear?.budgetStatus === "adopted" ? "Registrera nytt beslut" : "Fastställ"}</Button>
          </PostForm>
        </section>
      )}
    </>
  );
}

export function LineMonthsPage(props: {
  base: string;
  csrfToken: string;
  scenario: "budget" | "forecast";
  year: number;
  line: StructureLine;
  months: bigint[] | undefined;
  fiscalYear: FiscalYearRow | undefined;
  mayWrite: boolean;
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  const { base, year, line, values, errors } = props;
  const scenarioName = props.scenario === "budget" ? "Budget" : "Prognos";
  const back = `${base}/economy/budget/${year}${props.scenario === "forecast" ? "/forecast" : ""}`;
  const readOnly = !props.mayWrite || (props.scenario === "budget" && line.memberId !== null);
  const total = sum(props.months ?? []);
  return (
    <div class="narrow">
      <h1>
        {scenarioName} {year}: {line.name}
      </h1>
      <p>
        {sectionNames[line.section]}. Summan för året är månadernas summa: {formatKronor(total)}.{" "}
        <a href={back}>
          Tillbaka till {scenarioName.toLowerCase()} {year}
        </a>
      </p>
      {props.scenario === "budget" && line.memberId && (
        <p>
          Från medlemsbidragen: budgeten ändras under{" "}
          <a href={`${base}/economy/contributions/${year}`}>medlemsbidrag {year}</a>.
        </p>
      )}
      <ErrorSummary errors={errors} />
      {readOnly ? (
        <div class="table-wrapper">
          <table>
            <caption>{scenarioName} per månad, kronor</caption>
            <thead>
              <tr>
                <th scope="col">Månad</th>
                <th scope="col" class="numeric">
                  Belopp
                </th>
              </tr>
            </thead>
            <tbody>
              {monthNames.map((name, index) => (
                <tr>
                  <th scope="row">{name}</th>
                  <td class="numeric">{formatKronor(props.months?.[index] ?? 0n)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Summa</th>
                <td class="numeric">{formatKronor(total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : (
        <PostForm
          action={`${back}/lines/${line.id}`}
          csrfToken={props.csrfToken}
          label={`${scenarioName} per månad för ${line.name}`}
        >
          <input type="hidden" name="version" value={values.version ?? "0"} />
          <fieldset>
            <legend>{scenarioName} per månad, hela kronor</legend>
            {monthNames.map((name, index) => (
              <Field
                name={monthField(index + 1)}
                label={`${name[0]?.toUpperCase()}${name.slice(1)}`}
                value={values[monthField(index + 1)]}
                errors={errors}
                inputmode="numeric"
                width="medium"
                required
              />
            ))}
          </fieldset>
          {props.scenario === "budget" && props.fiscalYear?.budgetStatus === "adopted" && (
            <RevisionFields values={values} errors={errors} years={String(year)} />
          )}
          <Button>Spara</Button> <a href={back}>Avbryt</a>
        </PostForm>
      )}
    </div>
  );
}

export function ForecastPage(props: {
  base: string;
  csrfToken: string;
  year: number;
  fiscalYear: FiscalYearRow | undefined;
  lines: StructureLine[];
  budget: AmountsByLine;
  forecast: AmountsByLine;
  mayWrite: boolean;
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  const { base, year, values, errors } = props;
  const path = `${base}/economy/budget/${year}/forecast`;
  const columns: Column[] = [
    {
      header: `Budget ${year}`,
      totals: totalsOf(props.lines, props.budget, year),
      cell: (line) => formatKronor(yearTotal(props.budget, line.id, year)),
    },
    {
      header: `Prognos ${year}`,
      totals: totalsOf(props.lines, props.forecast, year),
      cell: (line) =>
        props.mayWrite ? (
          <CellInput
            name={forecastField(line.id)}
            label={`${line.name}, prognos ${year}, kronor`}
            value={values[forecastField(line.id)]}
            errors={errors}
          />
        ) : (
          formatKronor(yearTotal(props.forecast, line.id, year))
        ),
    },
  ];
  const extra = {
    header: "Per månad",
    cell: (line: StructureLine) => (
      <a href={`${path}/lines/${line.id}`}>
        Per månad<span class="visually-hidden">: {line.name}</span>
      </a>
    ),
  };
  const table = (
    <StatementTable
      caption={`Prognos ${year} mot budget, kronor`}
      lines={props.lines}
      columns={columns}
      extra={extra}
    />
  );
  return (
    <>
      <h1>Prognos {year}</h1>
      <EconomyNav base={base} year={year} />
      <p>
        Prognosen är vad året väntas ge per rad och månad. Ett nytt årsbelopp behåller månaderna före den valda månaden
        och fördelar resten jämnt över månaderna som är kvar. Årets prognos är månadernas summa.
      </p>
      <ErrorSummary errors={errors} />
      {props.mayWrite ? (
        <>
          <PostForm action={`${path}/copy`} csrfToken={props.csrfToken} label="Kopiera budgeten till prognosen">
            <input type="hidden" name="version" value={values.version ?? "0"} />
            <p>Kopieringen ersätter hela prognosen för {year} med budgeten, månad för månad.</p>
            <Button kind="secondary">Kopiera budgeten till prognosen</Button>
          </PostForm>
          <PostForm action={path} csrfToken={props.csrfToken} label={`Prognos ${year}`}>
            <input type="hidden" name="version" value={values.version ?? "0"} />
            <Select
              name="fromMonth"
              label="Fördela ändrade årsbelopp från och med"
              required
              options={monthNames.map((name, index) => ({ value: String(index + 1), label: `${name} ${year}` }))}
              value={values.fromMonth}
              errors={errors}
            />
            {table}
            <Button>Spara prognosen</Button>
          </PostForm>
        </>
      ) : (
        table
      )}
    </>
  );
}
