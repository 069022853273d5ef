import type { FieldError } from "../platform/http/errors.js";
import { Button, CsrfField, ErrorSummary, Field, fieldId, RowAction, Select } from "../platform/ui/components.js";
import { formatDate, formatDateTime, formatKronor } from "../platform/ui/format.js";
import { type TableTarget, tableColumns, tableTargetNames, tableTargets } from "./import-table.js";
import type { ImportSummary, importTotals, listImportBalances } from "./imports-repository.js";
import type { importsOverview, mappingOverview } from "./mapping-overview.js";
import { ruleNames } from "./mapping-overview.js";
import { balanceLines, sectionNames } from "./structure.js";

/** Pages of the actuals imports (history, SIE and table upload, one import) and of the account mapping. */

const periodText = (entry: { periodStart: string; periodEnd: string }) =>
  `${formatDate(entry.periodStart)} – ${formatDate(entry.periodEnd)}`;

const sourceNames = { sie: "SIE 4", table: "Tabell (CSV/Excel)" } as const;

function FileField(props: { name: string; label: string; hint: string; accept: string; error?: string | undefined }) {
  const id = fieldId(props.name);
  return (
    <div class={props.error ? "field field--error" : "field"}>
      <label for={id}>{props.label}</label>
      <p class="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          <span class="visually-hidden">Fel: </span>
          {props.error}
        </p>
      )}
      <input
        type="file"
        id={id}
        name="file"
        accept={props.accept}
        aria-describedby={props.error ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={props.error ? "true" : undefined}
      />
    </div>
  );
}

/** A refused file: every message listed (they name the file's lines), each linking to the file field. */
function FileErrors(props: { errors: FieldError[]; field: string }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} data-focus-on-load>
      <h2 id="error-summary-title">Filen importerades inte</h2>
      <p>Ingenting har sparats. Rätta filen och ladda upp den igen.</p>
      <ul>
        {props.errors.map((error) => (
          <li>
            <a href={`#${fieldId(props.field)}`}>{error.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export type ImportsPageProps = {
  base: string;
  csrfToken: string;
  mayWrite: boolean;
  imports: Awaited<ReturnType<typeof importsOverview>>;
  /** Which form a refused file came from, and why. */
  refused?: { form: "sie" | "table"; errors: FieldError[]; target?: string };
};

export function ImportsPage(props: ImportsPageProps) {
  const { refused } = props;
  const errorOf = (form: "sie" | "table") =>
    refused?.form === form ? (refused.errors.length === 1 ? refused.errors[0]?.message : "Se felen ovan.") : undefined;
  return (
    <div>
      <h1>Import av utfall</h1>
      <p>
        Utfallet läses in från bokföringens SIE-fil, eller som en tabell med belopp per rad och period. En ny fil för
        samma period ersätter den gamla; den gamla finns kvar i historiken. Kontona kopplas till budgetens rader på{" "}
        <a href={`${props.base}/economy/mapping`}>sidan Kontokoppling</a>.
      </p>
      {refused && <FileErrors errors={refused.errors} field={`${refused.form}-file`} />}
      {props.mayWrite && (
        <div class="columns">
          <section aria-labelledby="sie-heading">
            <h2 id="sie-heading">SIE-fil från bokföringen</h2>
            <form
              method="post"
              action={`${props.base}/economy/imports/sie`}
              enctype="multipart/form-data"
              aria-labelledby="sie-heading"
              novalidate
            >
              <CsrfField token={props.csrfToken} />
              <FileField
                name="sie-file"
                label="SIE-fil (typ 4)"
                hint="Exportera bokföringen som SIE 4 (.se, .si). Filens räkenskapsår (#RAR 0) blir importens period."
                accept=".se,.si,.sie,.txt"
                error={errorOf("sie")}
              />
              <Button>Importera SIE-filen</Button>
            </form>
          </section>
          <section aria-labelledby="table-heading">
            <h2 id="table-heading">Tabell med belopp per rad</h2>
            <form
              method="post"
              action={`${props.base}/economy/imports/table`}
              enctype="multipart/form-data"
              aria-labelledby="table-heading"
              novalidate
            >
              <CsrfField token={props.csrfToken} />
              <Select
                name="target"
                label="Beloppen är"
                options={tableTargets.map((target) => ({ value: target, label: tableTargetNames[target] }))}
                value={refused?.target ?? "actuals"}
                required
              />
              <FileField
                name="table-file"
                label="Fil (CSV eller Excel)"
                hint={`Kolumnerna ${Object.values(tableColumns).join(", ")}; se formatet nedan.`}
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                error={errorOf("table")}
              />
              <Button>Importera tabellen</Button>
            </form>
            <TableFormatHelp />
          </section>
        </div>
      )}
      <ImportHistory base={props.base} imports={props.imports} />
    </div>
  );
}

function TableFormatHelp() {
  return (
    <details>
      <summary>Tabellens format</summary>
      <p>
        Första raden är rubrikerna <strong>Rad</strong>, <strong>Period</strong> och <strong>Belopp</strong>. Rad är
        namnet på en rad i budgeten. Period skrivs ÅÅÅÅ-MM för en månad eller ÅÅÅÅ för hela året (fördelas jämnt över
        året). Belopp anges i kronor, t.ex. 1 975 068 eller -500,50, med naturligt tecken: både intäkter och kostnader
        positiva.
      </p>
      <p>
        Rader som börjar med Summa, Totalt, Verksamhetens resultat eller Periodens resultat läses inte in utan
        kontrolleras mot summan av filens rader för samma period; stämmer de inte importeras ingenting. Budget och
        prognos för medlemsbidrag kommer från medlemsbidragen och kan inte läsas in här. För budget och prognos behåller
        månader som filen inte nämner sina belopp, och rader som inte finns i filen lämnas orörda.
      </p>
    </details>
  );
}

function ImportHistory(props: { base: string; imports: ImportsPageProps["imports"] }) {
  if (props.imports.length === 0) return <p>Inget utfall har importerats ännu.</p>;
  return (
    <div class="table-wrapper">
      <table>
        <caption>Importer, senaste först</caption>
        <thead>
          <tr>
            <th scope="col">Fil</th>
            <th scope="col">Källa</th>
            <th scope="col">Period</th>
            <th scope="col">Importerad</th>
            <th scope="col" class="numeric">
              Verifikationer
            </th>
            <th scope="col" class="numeric">
              Rader
            </th>
            <th scope="col">Status</th>
            <th scope="col">Okopplade konton</th>
          </tr>
        </thead>
        <tbody>
          {props.imports.map((entry) => (
            <tr>
              <th scope="row">
                <a href={`${props.base}/economy/imports/${entry.id}`}>{entry.fileName}</a>
              </th>
              <td>{sourceNames[entry.source]}</td>
              <td>{periodText(entry)}</td>
              <td>
                {formatDateTime(entry.importedAt)}, {entry.importedByLabel}
              </td>
              <td class="numeric">{entry.voucherCount}</td>
              <td class="numeric">{entry.transactionCount}</td>
              <td>{entry.replacedAt ? `Ersatt ${formatDateTime(entry.replacedAt)}` : "Aktiv"}</td>
              <td>
                {entry.unmappedAccounts === null ? (
                  "–"
                ) : entry.unmappedAccounts === 0 ? (
                  "Inga"
                ) : (
                  <a href={`${props.base}/economy/mapping`}>
                    {entry.unmappedAccounts} {entry.unmappedAccounts === 1 ? "konto" : "konton"} att koppla
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const balanceKindNames = { opening: "Ingående balans", closing: "Utgående balans", result: "Resultat" } as const;

export function ImportPage(props: {
  base: string;
  entry: ImportSummary;
  replacedBy: ImportSummary | undefined;
  totals: Awaited<ReturnType<typeof importTotals>>;
  balances: Awaited<ReturnType<typeof listImportBalances>>;
  names: { accounts: Map<string, string>; objects: Map<string, string>; lines: Map<string, string> };
}) {
  const { entry } = props;
  return (
    <div>
      <p class="muted">
        <a href={`${props.base}/economy/imports`}>Import av utfall</a>
      </p>
      <h1>Import {entry.fileName}</h1>
      <dl class="summary-list">
        <dt>Källa</dt>
        <dd>{sourceNames[entry.source]}</dd>
        <dt>Period</dt>
        <dd>{periodText(entry)}</dd>
        <dt>Importerad</dt>
        <dd>
          {formatDateTime(entry.importedAt)}, {entry.importedByLabel}
        </dd>
        {entry.companyName && (
          <>
            <dt>Företag i filen</dt>
            <dd>{entry.companyName}</dd>
          </>
        )}
        {entry.program && (
          <>
            <dt>Program</dt>
            <dd>{entry.program}</dd>
          </>
        )}
        <dt>Verifikationer och rader</dt>
        <dd>
          {entry.voucherCount} verifikationer, {entry.transactionCount} rader
        </dd>
        <dt>Status</dt>
        <dd>
          {entry.replacedAt ? (
            <>
              Ersatt {formatDateTime(entry.replacedAt)}
              {props.replacedBy && (
                <>
                  {" "}
                  av <a href={`${props.base}/economy/imports/${props.replacedBy.id}`}>{props.replacedBy.fileName}</a>
                </>
              )}
            </>
          ) : (
            "Aktiv"
          )}
        </dd>
      </dl>
      <div class="table-wrapper">
        <table>
          <caption>
            Belopp per {entry.source === "sie" ? "konto och objekt (debet positivt)" : "rad i budgeten"}
          </caption>
          <thead>
            <tr>
              <th scope="col">{entry.source === "sie" ? "Konto" : "Rad"}</th>
              {entry.source === "sie" && <th scope="col">Objekt</th>}
              <th scope="col" class="numeric">
                Rader
              </th>
              <th scope="col" class="numeric">
                Belopp
              </th>
            </tr>
          </thead>
          <tbody>
            {props.totals.map((row) => (
              <tr>
                <th scope="row">
                  {row.account !== null
                    ? `${row.account} ${props.names.accounts.get(row.account) ?? ""}`
                    : (props.names.lines.get(row.lineId ?? "") ?? "–")}
                </th>
                {entry.source === "sie" && (
                  <td>
                    {row.objectCode === null
                      ? "–"
                      : `${row.objectCode} ${props.names.objects.get(row.objectCode) ?? ""}`}
                  </td>
                )}
                <td class="numeric">{row.rows}</td>
                <td class="numeric">{formatKronor(row.amountOre)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.balances.length > 0 && (
        <div class="table-wrapper">
          <table>
            <caption>Saldon i filen (år 0 är filens räkenskapsår, −1 året före)</caption>
            <thead>
              <tr>
                <th scope="col">Konto</th>
                <th scope="col">Slag</th>
                <th scope="col" class="numeric">
                  År
                </th>
                <th scope="col" class="numeric">
                  Belopp
                </th>
              </tr>
            </thead>
            <tbody>
              {props.balances.map((row) => (
                <tr>
                  <th scope="row">
                    {row.account} {props.names.accounts.get(row.account) ?? ""}
                  </th>
                  <td>{balanceKindNames[row.kind]}</td>
                  <td class="numeric">{row.yearIndex}</td>
                  <td class="numeric">{formatKronor(row.amountOre)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

type Overview = Awaited<ReturnType<typeof mappingOverview>>;

export function targetOptions(lines: Overview["lines"]) {
  return [
    ...lines.map((line) => ({ value: `line:${line.id}`, label: `${sectionNames[line.section]}: ${line.name}` })),
    ...balanceLines.map((line) => ({ value: `balance:${line.key}`, label: `Balansräkning: ${line.name}` })),
  ];
}

export type MappingFormValues = { account?: string; objectCode?: string; target?: string };

export function MappingPage(props: {
  base: string;
  csrfToken: string;
  mayWrite: boolean;
  overview: Overview;
  values: MappingFormValues;
  errors?: FieldError[] | undefined;
}) {
  const { overview } = props;
  const unmappedResult = overview.unmapped.filter((row) => !row.balance);
  const path = `${props.base}/economy/mapping`;
  return (
    <div>
      <p class="muted">
        <a href={`${props.base}/economy/imports`}>Import av utfall</a>
      </p>
      <h1>Kontokoppling</h1>
      <p>
        Här bestäms vilken rad i budgeten eller balansräkningen varje konto i bokföringen hamnar på. En regel kan gälla
        ett konto, ett objekt (t.ex. en insats projektkod) eller båda; den mest specifika gäller. Balanskonton utan
        regel följer BAS-kontoplanens intervall. Ändringar syns direkt i rapporterna.
      </p>
      <ErrorSummary errors={props.errors} />
      {overview.unmapped.length > 0 && (
        <div class="notice" role="status">
          <h2>
            {overview.unmapped.length} {overview.unmapped.length === 1 ? "konto saknar" : "konton saknar"} koppling
          </h2>
          {unmappedResult.length > 0 && (
            <p>
              Resultatkonton utan koppling {overview.year}: {formatKronor(overview.unmappedAmountOre)} (debet positivt).
              Beloppen räknas som okopplade kostnader i resultaträkningen tills de kopplas till en rad.
            </p>
          )}
        </div>
      )}
      {props.mayWrite && (
        <section aria-labelledby="rule-heading" id="koppla">
          <h2 id="rule-heading">Koppla ett konto eller objekt</h2>
          <form method="post" action={path} aria-labelledby="rule-heading" novalidate>
            <CsrfField token={props.csrfToken} />
            <Field
              name="account"
              label="Konto"
              hint="Lämna tomt för en regel som gäller objektet på alla resultatkonton."
              value={props.values.account}
              errors={props.errors}
              width="short"
              inputmode="numeric"
            />
            <Field
              name="objectCode"
              label="Objekt"
              hint="T.ex. en insats projektkod. Bara för resultatkonton."
              value={props.values.objectCode}
              errors={props.errors}
              width="medium"
            />
            <Select
              name="target"
              label="Hamnar på"
              options={targetOptions(overview.lines)}
              value={props.values.target}
              emptyOption="Välj rad"
              errors={props.errors}
              required
            />
            <Button>Spara kopplingen</Button>
          </form>
        </section>
      )}
      <AccountsTable base={props.base} overview={overview} mayWrite={props.mayWrite} />
      <RulesTable path={path} csrfToken={props.csrfToken} overview={overview} mayWrite={props.mayWrite} />
    </div>
  );
}

function AccountsTable(props: { base: string; overview: Overview; mayWrite: boolean }) {
  const { overview } = props;
  if (overview.accounts.length === 0) return <p>Det finns inga konton ännu: importera en SIE-fil först.</p>;
  const mapLink = (row: Overview["accounts"][number]) => {
    const query = new URLSearchParams({
      account: row.account,
      ...(row.objectCode ? { objectCode: row.objectCode } : {}),
    });
    return `${props.base}/economy/mapping?${query}#koppla`;
  };
  return (
    <div class="table-wrapper">
      <table>
        <caption>Konton i aktiva importer, okopplade först; belopp bokförda {overview.year}, debet positivt</caption>
        <thead>
          <tr>
            <th scope="col">Konto</th>
            <th scope="col">Objekt</th>
            <th scope="col" class="numeric">
              Belopp {overview.year}
            </th>
            <th scope="col">Hamnar på</th>
            <th scope="col">Regel</th>
            {props.mayWrite && <th scope="col">Ändra</th>}
          </tr>
        </thead>
        <tbody>
          {overview.accounts.map((row) => (
            <tr>
              <th scope="row">
                {row.account} {row.accountName ?? ""}
              </th>
              <td>{row.objectCode === null ? "–" : `${row.objectCode} ${row.objectName ?? ""}`}</td>
              <td class="numeric">{formatKronor(row.amountOre)}</td>
              <td>{row.target.kind === "unmapped" ? <strong>Ej kopplat</strong> : row.targetName}</td>
              <td>{row.target.kind === "unmapped" ? "–" : ruleNames[row.target.rule]}</td>
              {props.mayWrite && (
                <td>
                  <a href={mapLink(row)}>
                    Koppla
                    <span class="visually-hidden">
                      {" "}
                      {row.account}
                      {row.objectCode ? ` ${row.objectCode}` : ""}
                    </span>
                  </a>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RulesTable(props: { path: string; csrfToken: string; overview: Overview; mayWrite: boolean }) {
  if (props.overview.rules.length === 0) return <p>Inga egna regler ännu.</p>;
  return (
    <div class="table-wrapper">
      <table>
        <caption>Regler</caption>
        <thead>
          <tr>
            <th scope="col">Konto</th>
            <th scope="col">Objekt</th>
            <th scope="col">Hamnar på</th>
            {props.mayWrite && <th scope="col">Ta bort</th>}
          </tr>
        </thead>
        <tbody>
          {props.overview.rules.map((rule) => {
            const label = [rule.account && `konto ${rule.account}`, rule.objectCode && `objekt ${rule.objectCode}`]
              .filter(Boolean)
              .join(" ");
            return (
              <tr>
                <th scope="row">{rule.account ?? "Alla resultatkonton"}</th>
                <td>{rule.objectCode ?? "–"}</td>
                <td>{rule.targetName ?? "–"}</td>
                {props.mayWrite && (
                  <td>
                    <RowAction
                      action={`${props.path}/${rule.id}/delete`}
                      csrfToken={props.csrfToken}
                      label="Ta bort"
                      object={`regeln för ${label}`}
                    />
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export const isTableTarget = (value: unknown): value is TableTarget =>
  typeof value === "string" && (tableTargets as readonly string[]).includes(value);
