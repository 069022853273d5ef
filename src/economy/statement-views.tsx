import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Cell } from "../platform/export/document.js";
import type { TableBlock } from "../platform/export/xlsx.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, DateField, ErrorSummary, Field, PostForm, Select } from "../platform/ui/components.js";
import type { Unit } from "./statement-document.js";

/** A box that scrolls sideways when a wide statement does not fit (reflow), reachable and scrollable by keyboard. */
function ScrollBox(props: { label: string; children: Child }) {
  return (
    <section class="table-wrapper" tabindex={0} aria-label={props.label}>
      {props.children}
    </section>
  );
}

function CellText({ cell }: { cell: Cell | undefined }) {
  if (!cell) return null;
  return cell.strong ? <strong>{cell.text}</strong> : cell.text;
}

/** A statement table: a caption, column headers and each row's first cell as its header; amounts right-aligned. */
export function StatementTable({ table }: { table: TableBlock }) {
  const numeric = (index: number) => (table.columns[index]?.align === "right" ? "numeric" : undefined);
  const row = (cells: Cell[]) => (
    <tr>
      <th scope="row">
        <CellText cell={cells[0]} />
      </th>
      {table.columns.slice(1).map((_, index) => (
        <td class={numeric(index + 1)}>
          <CellText cell={cells[index + 1]} />
        </td>
      ))}
    </tr>
  );
  return (
    <ScrollBox label={table.caption ?? "Tabell"}>
      <table>
        <caption>{table.caption}</caption>
        <thead>
          <tr>
            {table.columns.map((column, index) => (
              <th scope="col" class={numeric(index)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{table.rows.map(row)}</tbody>
        {table.footerRows && <tfoot>{table.footerRows.map(row)}</tfoot>}
      </table>
    </ScrollBox>
  );
}

export type StatementForm =
  | { kind: "period"; from: string; to: string }
  | { kind: "date"; date: string }
  | { kind: "year"; year: string };

const units: { value: Unit; label: string }[] = [
  { value: "kr", label: "Kronor (kr)" },
  { value: "tkr", label: "Tusental kronor (tkr)" },
];

function FilterForm(props: { action: string; form: StatementForm; unit: Unit; errors?: FieldError[] | undefined }) {
  const { form } = props;
  return (
    <form method="get" action={props.action} class="filter-form" aria-label="Välj period och enhet" novalidate>
      {form.kind === "period" && (
        <>
          <DateField name="from" label="Från" value={form.from} errors={props.errors} />
          <DateField name="to" label="Till" value={form.to} errors={props.errors} />
        </>
      )}
      {form.kind === "date" && <DateField name="date" label="Per datum" value={form.date} errors={props.errors} />}
      {form.kind === "year" && (
        <Field name="year" label="År" value={form.year} inputmode="numeric" width="short" errors={props.errors} />
      )}
      <Select name="unit" label="Enhet" options={units} value={props.unit} errors={props.errors} />
      <Button kind="secondary">Visa</Button>
    </form>
  );
}

export type QuickLink = { label: string; href: string; current: boolean };

export function StatementPage(props: {
  title: string;
  action: string;
  form: StatementForm;
  unit: Unit;
  errors?: FieldError[] | undefined;
  quickLinks?: QuickLink[];
  /** Where the statement does not add up: shown as an alert, never hidden. */
  alerts?: string[];
  warnings?: { text: string; href: string; link: string }[];
  intro?: string[];
  tables?: TableBlock[];
  charts?: { label: string; svg: string }[];
  notes?: string[];
  /** The query string of the downloads. */
  query?: string;
}) {
  return (
    <>
      <h1>{props.title}</h1>
      <ErrorSummary errors={props.errors} />
      <FilterForm action={props.action} form={props.form} unit={props.unit} errors={props.errors} />
      {props.quickLinks && props.quickLinks.length > 0 && (
        <nav aria-label="Snabbval av period">
          <ul class="link-list">
            {props.quickLinks.map((link) => (
              <li>
                <a href={link.href} aria-current={link.current ? "page" : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {props.alerts && props.alerts.length > 0 && (
        <div class="error-summary" role="alert">
          <h2>Siffrorna stämmer inte</h2>
          <ul>
            {props.alerts.map((alert) => (
              <li>{alert}</li>
            ))}
          </ul>
        </div>
      )}
      {props.warnings?.map((warning) => (
        <p class="flash flash--info" role="status">
          {warning.text} <a href={warning.href}>{warning.link}</a>
        </p>
      ))}
      {props.tables && props.query !== undefined && (
        <p class="actions">
          <a class="button button--secondary" href={`${props.action}.xlsx?${props.query}`}>
            Ladda ner som Excel
          </a>{" "}
          <a class="button button--secondary" href={`${props.action}.pdf?${props.query}`}>
            Ladda ner som PDF
          </a>
        </p>
      )}
      {props.intro?.map((text) => (
        <p>{text}</p>
      ))}
      {props.tables?.map((table) => (
        <StatementTable table={table} />
      ))}
      {props.charts?.map((chart) => (
        <ScrollBox label={`Diagram: ${chart.label}`}>{raw(chart.svg)}</ScrollBox>
      ))}
      {props.notes?.map((text) => (
        <p class="hint">{text}</p>
      ))}
    </>
  );
}

export function OverviewPage(props: { base: string; links: { path: string; name: string; text: string }[] }) {
  return (
    <>
      <h1>Ekonomi</h1>
      <p>Medlemsbidrag, budget och prognos, utfall från bokföringen och de rapporter som räknas fram ur dem.</p>
      <ul class="link-list">
        {props.links.map((link) => (
          <li>
            <a href={`${props.base}${link.path}`}>{link.name}</a> – {link.text}
          </li>
        ))}
      </ul>
    </>
  );
}

export type SettingsValues = {
  varianceSign: string;
  equityCeilingPercent: string;
  objectDimension: string;
  version: string;
};

export function SettingsPage(props: {
  action: string;
  csrfToken: string;
  values: SettingsValues;
  errors?: FieldError[] | undefined;
}) {
  return (
    <>
      <h1>Inställningar för ekonomi</h1>
      <ErrorSummary errors={props.errors} />
      <PostForm action={props.action} csrfToken={props.csrfToken} label="Inställningar för ekonomi">
        <input type="hidden" name="version" value={props.values.version} />
        <Select
          name="varianceSign"
          label="Avvikelse i resultaträkningen"
          options={[
            { value: "actual_minus_budget", label: "Utfall − budget (positivt = mer än budgeterat)" },
            { value: "budget_minus_actual", label: "Budget − utfall (positivt = under budget)" },
          ]}
          value={props.values.varianceSign}
          errors={props.errors}
          required
        />
        <Field
          name="equityCeilingPercent"
          label="Högsta eget kapital, procent av årets medlemsbidrag"
          hint="Nationella rådet rekommenderar 20 %."
          value={props.values.equityCeilingPercent}
          inputmode="decimal"
          width="short"
          errors={props.errors}
          required
        />
        <Field
          name="objectDimension"
          label="SIE-dimension för insatsernas objekt"
          hint="6 är projekt i SIE-standarden."
          value={props.values.objectDimension}
          inputmode="numeric"
          width="short"
          errors={props.errors}
          required
        />
        <Button>Spara</Button>
      </PostForm>
    </>
  );
}
