import { memberTypeNames, percentText } from "../associations/funding-shares.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, DateField, ErrorSummary, errorFor, Field, fieldId, PostForm } from "../platform/ui/components.js";
import { formatBasisPoints, formatKronor } from "../platform/ui/format.js";
import {
  instalmentName,
  instalmentStatusNames,
  invoicingNames,
  invoicings,
  type YearOverview,
} from "./contributions.js";
import type { YearSummary } from "./contributions-repository.js";
import type { FiscalYearRow } from "./repository.js";

/** The year form's field names are the API's ("members.0.memberFrom"), so the use case's errors land on them. */
export const memberField = (
  index: number,
  field: "memberId" | "fundingShare" | "memberFrom" | "decidedOre" | "invoicing",
) => `members.${index}.${field}`;

/** An invoice form's fields carry the instalment, so that an error shows at the row it belongs to. */
export const invoiceField = (memberId: string, instalment: number, field: "invoicedOn" | "paidOn") =>
  `invoice-${memberId}-${instalment}-${field}`;

/** Whole kronor as a form field shows them ("2 976 000"), read back by parseKronor. */
export const kronorValue = (ore: bigint) => formatKronor(ore).replace(/\s*kr$/, "");

const signedKronor = (ore: bigint) => (ore > 0n ? `+${formatKronor(ore)}` : formatKronor(ore));

/** The form's values as stored, for the first rendering. */
export function yearFormValues(fiscal: FiscalYearRow, overview: YearOverview): Record<string, string> {
  const values: Record<string, string> = {
    total: kronorValue(fiscal.totalContributionOre),
    version: String(fiscal.version),
  };
  overview.members.forEach((member, index) => {
    values[memberField(index, "memberId")] = member.memberId;
    values[memberField(index, "fundingShare")] = percentText(member.basisPoints);
    values[memberField(index, "memberFrom")] = member.memberFrom ?? "";
    values[memberField(index, "decidedOre")] = member.decidedOre === null ? "" : kronorValue(member.decidedOre);
    values[memberField(index, "invoicing")] = member.invoicing;
  });
  return values;
}

export function ContributionYearsPage(props: {
  base: string;
  csrfToken: string;
  mayWrite: boolean;
  years: YearSummary[];
  values?: Record<string, string>;
  errors?: FieldError[];
}) {
  const next = (props.years[0]?.year ?? new Date().getFullYear()) + 1;
  return (
    <>
      <h1>Medlemsbidrag</h1>
      <p>
        Staten (genom Försäkringskassan) betalar hälften, regionen en fjärdedel och kommunerna tillsammans en fjärdedel
        enligt sina andelar (lag 2003:1210 9 §). Förväntade belopp räknas fram ur årets totalbelopp och andelar.
      </p>
      {props.years.length === 0 ? (
        <p>Inga år är upplagda ännu.</p>
      ) : (
        <div class="table-wrapper">
          <table>
            <caption>Medlemsbidrag per år</caption>
            <thead>
              <tr>
                <th scope="col">År</th>
                <th scope="col" class="numeric">
                  Totalt
                </th>
                <th scope="col" class="numeric">
                  Beslutat
                </th>
                <th scope="col" class="numeric">
                  Fakturerat
                </th>
                <th scope="col" class="numeric">
                  Betalt
                </th>
              </tr>
            </thead>
            <tbody>
              {props.years.map((year) => (
                <tr>
                  <th scope="row">
                    <a href={`${props.base}/economy/contributions/${year.year}`}>{year.year}</a>
                  </th>
                  <td class="numeric">{formatKronor(year.totalContributionOre)}</td>
                  <td class="numeric">{formatKronor(year.decidedOre)}</td>
                  <td class="numeric">{formatKronor(year.invoicedOre)}</td>
                  <td class="numeric">{formatKronor(year.paidOre)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.mayWrite && (
        <section aria-labelledby="new-year">
          <h2 id="new-year">Nytt år</h2>
          <p>Medlemmarnas andelar hämtas från medlemslistan och kan sedan ändras för året.</p>
          <ErrorSummary errors={props.errors} />
          <PostForm action={`${props.base}/economy/contributions`} csrfToken={props.csrfToken} label="Nytt år">
            <Field
              name="year"
              label="År"
              required
              inputmode="numeric"
              width="short"
              value={props.values?.year ?? String(next)}
              errors={props.errors}
            />
            <Field
              name="total"
              label="Totalt medlemsbidrag (kr)"
              hint="Hela kronor, t.ex. 6 028 000"
              required
              inputmode="numeric"
              width="medium"
              value={props.values?.total}
              errors={props.errors}
            />
            <Button>Lägg upp året</Button>
          </PostForm>
        </section>
      )}
    </>
  );
}

/** A control inside a table cell: labelled by member and column, its error beside it. */
function CellControl(props: {
  name: string;
  label: string;
  errors: FieldError[] | undefined;
  control: (attributes: Record<string, string | undefined>) => unknown;
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
      {props.control({
        id,
        "aria-label": props.label,
        "aria-describedby": error ? `${id}-error` : undefined,
        "aria-invalid": error ? "true" : undefined,
      })}
    </>
  );
}

const textInput =
  (
    name: string,
    value: string | undefined,
    options: { inputmode?: "decimal" | "numeric"; class: string; type?: "text" | "date" },
  ) =>
  (attributes: Record<string, string | undefined>) => (
    <input
      {...attributes}
      name={name}
      type={options.type ?? "text"}
      inputmode={options.inputmode}
      class={options.class}
      value={value ?? ""}
    />
  );

export function ContributionYearPage(props: {
  base: string;
  csrfToken: string;
  mayWrite: boolean;
  fiscal: FiscalYearRow;
  overview: YearOverview;
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  const { fiscal, overview, values, errors } = props;
  const year = fiscal.year;
  const total = fiscal.totalContributionOre;
  const action = `${props.base}/economy/contributions/${year}`;
  const formErrors = errors?.filter((error) => !error.path.startsWith("invoice-"));
  const generalErrors = formErrors?.filter((error) => error.path === "members" || error.path === "form");
  return (
    <>
      <p>
        <a href={`${props.base}/economy/contributions`}>Medlemsbidrag</a>
      </p>
      <h1>Medlemsbidrag {year}</h1>
      <p>
        Budgeten för medlemsbidragen {year} räknas fram härifrån: beslutat belopp, annars det förväntade, fördelat över
        de månader medlemmen var med (<a href={`${props.base}/economy/budget/${year}`}>budget {year}</a>).
      </p>
      <ErrorSummary errors={errors} />
      {!overview.check.ok && (
        <div class="notice notice--error" role="status">
          <p>Andelarna följer inte lagens fördelning, så förväntade belopp kan inte räknas fram:</p>
          <ul>
            {overview.check.problems.map((problem) => (
              <li>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <form
        id={fieldId("form")}
        method="post"
        action={action}
        novalidate
        aria-label={`Medlemsbidrag ${year}`}
        tabindex={-1}
      >
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="version" value={values.version ?? String(fiscal.version)} />
        {props.mayWrite ? (
          <Field
            name="total"
            label="Totalt medlemsbidrag (kr)"
            hint="Hela kronor, t.ex. 6 028 000"
            required
            inputmode="numeric"
            width="medium"
            value={values.total}
            errors={formErrors}
          />
        ) : (
          <p>Totalt medlemsbidrag: {formatKronor(total)}</p>
        )}
        <div class="table-wrapper" id={fieldId("members")} tabindex={-1}>
          {generalErrors?.map((error) => (
            <p class="field-error">
              <span class="visually-hidden">Fel: </span>
              {error.message}
            </p>
          ))}
          <table>
            <caption>Medlemmarnas andelar och belopp {year}</caption>
            <thead>
              <tr>
                <th scope="col">Medlem</th>
                <th scope="col" class="numeric">
                  Andel (%)
                </th>
                <th scope="col" class="numeric">
                  Förväntat
                </th>
                <th scope="col" class="numeric">
                  Beslutat (kr)
                </th>
                <th scope="col" class="numeric">
                  Skillnad
                </th>
                <th scope="col">Medlem från</th>
                <th scope="col">Fakturering</th>
                <th scope="col" class="numeric">
                  Fakturerat
                </th>
                <th scope="col" class="numeric">
                  Betalt
                </th>
                <th scope="col" class="numeric">
                  Utestående
                </th>
              </tr>
            </thead>
            <tbody>
              {overview.members.map((member, index) => (
                <tr>
                  <th scope="row">
                    {member.name}
                    {member.name !== memberTypeNames[member.type] && (
                      <span class="hint"> {memberTypeNames[member.type]}</span>
                    )}
                    <input type="hidden" name={memberField(index, "memberId")} value={member.memberId} />
                  </th>
                  <td class="numeric">
                    {props.mayWrite ? (
                      <CellControl
                        name={memberField(index, "fundingShare")}
                        label={`Andel i procent för ${member.name}`}
                        errors={formErrors}
                        control={textInput(
                          memberField(index, "fundingShare"),
                          values[memberField(index, "fundingShare")],
                          {
                            inputmode: "decimal",
                            class: "input--short numeric",
                          },
                        )}
                      />
                    ) : (
                      formatBasisPoints(member.basisPoints)
                    )}
                  </td>
                  <td class="numeric">{member.expectedOre === undefined ? "–" : formatKronor(member.expectedOre)}</td>
                  <td class="numeric">
                    {props.mayWrite ? (
                      <CellControl
                        name={memberField(index, "decidedOre")}
                        label={`Beslutat belopp i kronor för ${member.name}, tomt om det förväntade gäller`}
                        errors={formErrors}
                        control={textInput(memberField(index, "decidedOre"), values[memberField(index, "decidedOre")], {
                          inputmode: "numeric",
                          class: "input--medium numeric",
                        })}
                      />
                    ) : member.decidedOre === null ? (
                      "–"
                    ) : (
                      formatKronor(member.decidedOre)
                    )}
                  </td>
                  <td class="numeric">{member.differenceOre === null ? "–" : signedKronor(member.differenceOre)}</td>
                  <td>
                    {props.mayWrite ? (
                      <CellControl
                        name={memberField(index, "memberFrom")}
                        label={`Medlem från (ÅÅÅÅ-MM-DD) för ${member.name}, tomt om hela året`}
                        errors={formErrors}
                        control={textInput(memberField(index, "memberFrom"), values[memberField(index, "memberFrom")], {
                          type: "date",
                          class: "input--medium",
                        })}
                      />
                    ) : (
                      (member.memberFrom ?? "Hela året")
                    )}
                  </td>
                  <td>
                    {props.mayWrite ? (
                      <CellControl
                        name={memberField(index, "invoicing")}
                        label={`Fakturering för ${member.name}`}
                        errors={formErrors}
                        control={(attributes) => (
                          <select {...attributes} name={memberField(index, "invoicing")}>
                            {invoicings.map((invoicing) => (
                              <option
                                value={invoicing}
                                selected={values[memberField(index, "invoicing")] === invoicing}
                              >
                                {invoicingNames[invoicing]}
                              </option>
                            ))}
                          </select>
                        )}
                      />
                    ) : (
                      invoicingNames[member.invoicing]
                    )}
                  </td>
                  <td class="numeric">{formatKronor(member.invoicedOre)}</td>
                  <td class="numeric">{formatKronor(member.paidOre)}</td>
                  <td class="numeric">{formatKronor(member.outstandingOre)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Summa</th>
                <td class="numeric">{formatBasisPoints(overview.check.total)}</td>
                <td class="numeric">{formatKronor(total)}</td>
                <td class="numeric">{formatKronor(overview.decidedSumOre)}</td>
                <td class="numeric">{signedKronor(overview.decidedDifferenceOre)}</td>
                <td colspan={2} />
                <td class="numeric">{formatKronor(overview.invoicedOre)}</td>
                <td class="numeric">{formatKronor(overview.paidOre)}</td>
                <td class="numeric">{formatKronor(overview.outstandingOre)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
        <p>
          Beslutade belopp {formatKronor(overview.decidedSumOre)} mot totalen {formatKronor(total)}: skillnad{" "}
          {signedKronor(overview.decidedDifferenceOre)}.
          {overview.undecided > 0 &&
            ` ${overview.undecided} ${overview.undecided === 1 ? "medlem saknar" : "medlemmar saknar"} beslutat belopp; där gäller det förväntade.`}{" "}
          Att fakturera totalt: {formatKronor(overview.amountSumOre)}.
        </p>
        {props.mayWrite && <Button>Spara {year}</Button>}
      </form>
      <h2>Delbetalningar</h2>
      {overview.members.map((member) => (
        <InstalmentTable
          action={`${action}/invoices`}
          csrfToken={props.csrfToken}
          mayWrite={props.mayWrite}
          member={member}
          values={values}
          errors={errors}
        />
      ))}
    </>
  );
}

function InstalmentTable(props: {
  action: string;
  csrfToken: string;
  mayWrite: boolean;
  member: YearOverview["members"][number];
  values: Record<string, string>;
  errors: FieldError[] | undefined;
}) {
  const { member } = props;
  return (
    <div class="table-wrapper">
      <table>
        <caption>
          {member.name}: {formatKronor(member.amountOre)}, {invoicingNames[member.invoicing].toLowerCase()}
        </caption>
        <thead>
          <tr>
            <th scope="col">Delbetalning</th>
            <th scope="col">Förfaller</th>
            <th scope="col" class="numeric">
              Belopp
            </th>
            <th scope="col">Status</th>
            <th scope="col">Fakturerad</th>
            <th scope="col">Betald</th>
          </tr>
        </thead>
        <tbody>
          {member.instalments.length === 0 && (
            <tr>
              <td colspan={6}>Inga delbetalningar: spara året för att planera dem.</td>
            </tr>
          )}
          {member.instalments.map((instalment) => {
            const name = instalmentName(member.invoicing, instalment.instalment);
            const invoiced = invoiceField(member.memberId, instalment.instalment, "invoicedOn");
            const paid = invoiceField(member.memberId, instalment.instalment, "paidOn");
            return (
              <tr>
                <th scope="row">{name}</th>
                <td>{instalment.dueOn}</td>
                <td class="numeric">{formatKronor(instalment.amountOre)}</td>
                <td>
                  <span class={`status status--${instalment.status}`}>{instalmentStatusNames[instalment.status]}</span>
                </td>
                {props.mayWrite ? (
                  <td colspan={2}>
                    <PostForm
                      action={props.action}
                      csrfToken={props.csrfToken}
                      class="inline-form"
                      label={`Fakturering av ${member.name}, ${name}`}
                    >
                      <input type="hidden" name="memberId" value={member.memberId} />
                      <input type="hidden" name="instalment" value={String(instalment.instalment)} />
                      <DateField
                        name={invoiced}
                        label={`Fakturerad ${member.name}, ${name}`}
                        value={props.values[invoiced] ?? instalment.invoicedOn ?? ""}
                        errors={props.errors}
                      />
                      <DateField
                        name={paid}
                        label={`Betald ${member.name}, ${name}`}
                        value={props.values[paid] ?? instalment.paidOn ?? ""}
                        errors={props.errors}
                      />
                      <Button kind="secondary">
                        Spara<span class="visually-hidden"> {`${member.name}, ${name}`}</span>
                      </Button>
                    </PostForm>
                  </td>
                ) : (
                  <>
                    <td>{instalment.invoicedOn ?? "–"}</td>
                    <td>{instalment.paidOn ?? "–"}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={2}>
              Fakturerat {formatKronor(member.invoicedOre)}, betalt {formatKronor(member.paidOre)}
            </th>
            <td class="numeric">{formatKronor(member.instalments.reduce((sum, i) => sum + i.amountOre, 0n))}</td>
            <td colspan={3}>Utestående {formatKronor(member.outstandingOre)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
