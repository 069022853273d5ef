import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { FieldError } from "../platform/http/errors.js";
import { Button, DateField, ErrorSummary, Select } from "../platform/ui/components.js";
import type { StatCell, StatTable, statisticsTables } from "./statistics.js";

export type Tables = ReturnType<typeof statisticsTables>;

/** One chart per section, drawn on the server (statistics-routes.tsx); keyed like the tables. */
export type Charts = Partial<Record<keyof Tables, string>>;

const sections: { key: keyof Tables; heading: string }[] = [
  { key: "period", heading: "Deltagare" },
  { key: "outcome", heading: "Avslutsorsak" },
  { key: "transition", heading: "Försörjning före och efter" },
  { key: "time", heading: "Tid i insatsen" },
  { key: "age", heading: "Ålder" },
  { key: "referrer", heading: "Remittenter" },
  { key: "guidance", heading: "Lotsärenden" },
];

function CellContent({ cell }: { cell: StatCell }) {
  const text = cell.strong ? <strong>{cell.text}</strong> : cell.text;
  if (!cell.small) return <>{text}</>;
  return (
    <>
      {text}
      <span aria-hidden="true">*</span>
      <span class="visually-hidden"> (färre än 5)</span>
    </>
  );
}

/**
 * A box that scrolls sideways when its table or chart is wider than the screen (reflow); keyboard users reach it
 * with Tab and scroll it with the arrow keys, so it is a named, focusable region.
 */
function ScrollBox(props: { label: string; children: Child }) {
  return (
    <section class="table-wrapper" tabindex={0} aria-label={props.label}>
      {props.children}
    </section>
  );
}

/** A statistics table: headed rows and columns, counts right-aligned, totals in the footer. */
export function StatisticsTable({ table }: { table: StatTable }) {
  const numeric = (index: number) => (table.columns[index]?.align === "right" ? "numeric" : undefined);
  const row = (cells: StatCell[]) => {
    const [first, ...rest] = cells;
    return (
      <tr>
        <th scope="row">{first && <CellContent cell={first} />}</th>
        {rest.map((value, index) => (
          <td class={numeric(index + 1)}>
            <CellContent cell={value} />
          </td>
        ))}
      </tr>
    );
  };
  return (
    <ScrollBox label={table.caption ?? table.name}>
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

export type PeriodValues = { from: string; to: string; interventionId?: string | undefined };

export function StatisticsPage(props: {
  title: string;
  /** The page's own address, which the filter and the downloads start from. */
  action: string;
  values: PeriodValues;
  errors?: FieldError[];
  /** The insatser to filter on (association page only). */
  interventions?: { id: string; name: string }[];
  /** Links to the association statistics from an insats page. */
  associationHref?: string;
  scopeNote?: string;
  suppressed: boolean;
  tables?: Tables;
  charts?: Charts;
}) {
  const query = new URLSearchParams({
    from: props.values.from,
    to: props.values.to,
    ...(props.values.interventionId ? { interventionId: props.values.interventionId } : {}),
  }).toString();
  const { tables, charts } = props;
  return (
    <>
      <h1>{props.title}</h1>
      <ErrorSummary errors={props.errors} />
      <form method="get" action={props.action} class="filter-form" aria-label="Välj period" novalidate>
        <DateField name="from" label="Från" value={props.values.from} errors={props.errors} />
        <DateField name="to" label="Till" value={props.values.to} errors={props.errors} />
        {props.interventions && (
          <Select
            name="interventionId"
            label="Insats"
            options={props.interventions.map((intervention) => ({ value: intervention.id, label: intervention.name }))}
            value={props.values.interventionId}
            emptyOption="Alla insatser"
            errors={props.errors}
          />
        )}
        <Button kind="secondary">Visa</Button>
      </form>
      {props.scopeNote && <p>{props.scopeNote}</p>}
      {props.associationHref && (
        <p>
          <a href={props.associationHref}>Statistik för hela förbundet</a>
        </p>
      )}
      {tables && (
        <>
          <p class="hint">
            {props.suppressed
              ? "Antal mellan 1 och 4 visas som <5, och andelar och tider som bygger på så få visas som –, så att ingen enskild kan pekas ut."
              : "* = färre än 5. I publicerad statistik och i nedladdningar visas sådana antal som <5."}
          </p>
          <p class="actions">
            <a class="button button--secondary" href={`${props.action}.xlsx?${query}`}>
              Ladda ner som Excel
            </a>{" "}
            <a class="button button--secondary" href={`${props.action}.csv?${query}`}>
              Ladda ner som CSV
            </a>
          </p>
          {sections.map((section) => (
            <section aria-labelledby={`statistics-${section.key}`}>
              <h2 id={`statistics-${section.key}`}>{section.heading}</h2>
              {charts?.[section.key] && (
                <ScrollBox label={`Diagram: ${section.heading}`}>{raw(charts[section.key])}</ScrollBox>
              )}
              <StatisticsTable table={tables[section.key]} />
            </section>
          ))}
        </>
      )}
    </>
  );
}
