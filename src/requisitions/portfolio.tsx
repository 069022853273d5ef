import { z } from "zod";
import { baseOf } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { interventionKinds, kindNames } from "../interventions/intervention-input.js";
import { interventionStatuses, statusNames } from "../interventions/lifecycle.js";
import { can } from "../platform/auth/policy.js";
import type { InterventionKind, InterventionStatus } from "../platform/db/schema.js";
import { type Cell, cell } from "../platform/export/document.js";
import { renderXlsx, type TableBlock } from "../platform/export/xlsx.js";
import type { Tenant } from "../platform/http/env.js";
import { renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { Button, Select } from "../platform/ui/components.js";
import { formatKronor } from "../platform/ui/format.js";
import { portfolio } from "./repository.js";

/**
 * The portfolio overview: per insats and year what was granted, requisitioned (approved requisitions), what remains
 * and what was repaid, for the förbund's staff, board and auditors. One table model, shown as the page's table and
 * downloaded as a spreadsheet.
 */

type Filter = {
  year?: number | undefined;
  kind?: InterventionKind | undefined;
  status?: InterventionStatus | undefined;
};

type Amounts = { grantedOre: bigint; requisitionedOre: bigint; remainingOre: bigint; repaidOre: bigint };

type PortfolioRow = Amounts & {
  interventionId: string;
  name: string;
  ownerName: string;
  kind: InterventionKind;
  status: InterventionStatus;
  year: number;
};

const year = z.coerce.number().int().min(2000).max(2100);

const apiQuery = z.object({
  year: year.optional(),
  kind: z.enum(interventionKinds).optional(),
  status: z.enum(interventionStatuses).optional(),
});

/** The year select's value for every year; without a year the page shows the current one. */
const ALL_YEARS = "alla";

// The page's filter comes from its own selects: a value that does not parse is dropped rather than an error page.
const pageQuery = z.object({
  year: z
    .union([z.literal(ALL_YEARS), year])
    .optional()
    .catch(undefined),
  kind: z.enum(interventionKinds).optional().catch(undefined),
  status: z.enum(interventionStatuses).optional().catch(undefined),
});

/**
 * The förbund follows its money year by year, so the page opens on the current year; "Alla år" shows the whole
 * history, as the API does without a year.
 */
function pageFilter(query: Record<string, string>): Filter {
  const parsed = pageQuery.parse(query);
  const chosen = parsed.year ?? new Date().getFullYear();
  return { year: chosen === ALL_YEARS ? undefined : chosen, kind: parsed.kind, status: parsed.status };
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The rows of one statement (whatever the number of insatser), with their totals. */
async function loadPortfolio(tenant: Tenant, filter: Filter) {
  const rows: PortfolioRow[] = (await portfolio(tenant.tx, tenant.association.id, filter)).map((row) => ({
    interventionId: row.intervention_id,
    name: row.name,
    ownerName: row.owner_name,
    kind: row.kind,
    status: row.status as InterventionStatus,
    year: row.year,
    grantedOre: row.granted_ore,
    requisitionedOre: row.requisitioned_ore,
    remainingOre: row.granted_ore - row.requisitioned_ore,
    repaidOre: row.repaid_ore,
  }));
  const sum = (pick: (row: Amounts) => bigint) => rows.reduce((total, row) => total + pick(row), 0n);
  const totals: Amounts = {
    grantedOre: sum((row) => row.grantedOre),
    requisitionedOre: sum((row) => row.requisitionedOre),
    remainingOre: sum((row) => row.remainingOre),
    repaidOre: sum((row) => row.repaidOre),
  };
  return { rows, totals };
}

const describeFilter = (filter: Filter) =>
  [
    "Medel per insats och år",
    filter.year && String(filter.year),
    filter.kind && kindNames[filter.kind],
    filter.status && statusNames[filter.status],
  ]
    .filter(Boolean)
    .join(", ");

/** Kronor as printed, and as the number a spreadsheet sums (exact to the öre). */
const money = (ore: bigint) => cell(formatKronor(ore), Number(ore) / 100);

const amountCells = (amounts: Amounts) => [
  money(amounts.grantedOre),
  money(amounts.requisitionedOre),
  money(amounts.remainingOre),
  money(amounts.repaidOre),
];

function portfolioTable({ rows, totals }: Awaited<ReturnType<typeof loadPortfolio>>, filter: Filter): TableBlock {
  const amount = (header: string) => ({ header, align: "right" as const });
  return {
    type: "table",
    caption: describeFilter(filter),
    columns: [
      { header: "Insats" },
      { header: "Insatsägare" },
      { header: "År" },
      amount("Beviljat"),
      amount("Rekvirerat"),
      amount("Återstår"),
      amount("Återfört"),
    ],
    rows: rows.map((row) => [
      cell(row.name),
      cell(row.ownerName),
      cell(String(row.year), row.year),
      ...amountCells(row),
    ]),
    footerRows: [[{ text: "Summa", strong: true }, cell(""), cell(""), ...amountCells(totals)]],
  };
}

const queryString = (filter: Filter) =>
  `?${new URLSearchParams(
    Object.entries({ ...filter, year: filter.year ?? ALL_YEARS }).flatMap(([key, value]): [string, string][] =>
      value === undefined ? [] : [[key, String(value)]],
    ),
  ).toString()}`;

/**
 * The table model as an HTML table: each row headed by its insats (a link for those who may open it), amounts
 * right-aligned, totals in the footer.
 */
function PortfolioTable(props: { table: TableBlock; links: (string | undefined)[] }) {
  const { columns } = props.table;
  const numeric = (index: number) => (columns[index]?.align === "right" ? "numeric" : undefined);
  const row = (cells: Cell[], href?: string) => {
    const [first, ...rest] = cells;
    const heading = first?.strong ? <strong>{first.text}</strong> : first?.text;
    return (
      <tr>
        <th scope="row">{href ? <a href={href}>{heading}</a> : heading}</th>
        {rest.map((value, index) => (
          <td class={numeric(index + 1)}>{value.text}</td>
        ))}
      </tr>
    );
  };
  return (
    <div class="table-wrapper">
      <table>
        <caption>{props.table.caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th scope="col" class={numeric(index)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.table.rows.map((cells, index) => row(cells, props.links[index]))}</tbody>
        <tfoot>{props.table.footerRows?.map((cells) => row(cells))}</tfoot>
      </table>
    </div>
  );
}

function PortfolioPage(props: {
  base: string;
  filter: Filter;
  years: number[];
  table: TableBlock;
  links: (string | undefined)[];
  interventions: number;
}) {
  const option = (value: string, label: string) => ({ value, label });
  return (
    <>
      <h1>Portföljöversikt</h1>
      <form method="get" action={`${props.base}/portfolio`} class="filter-form" aria-label="Filtrera portföljen">
        <Select
          name="year"
          label="År"
          options={[option(ALL_YEARS, "Alla år"), ...props.years.map((year) => option(String(year), String(year)))]}
          value={props.filter.year?.toString() ?? ALL_YEARS}
        />
        <Select
          name="kind"
          label="Inriktning"
          options={interventionKinds.map((kind) => option(kind, kindNames[kind]))}
          value={props.filter.kind}
          emptyOption="Alla"
        />
        <Select
          name="status"
          label="Status"
          options={interventionStatuses.map((status) => option(status, statusNames[status]))}
          value={props.filter.status}
          emptyOption="Alla"
        />
        <Button kind="secondary">Visa</Button>
      </form>
      <p role="status">
        {props.interventions === 0
          ? "Inga insatser med medel i urvalet."
          : `${props.interventions === 1 ? "1 insats" : `${props.interventions} insatser`} i urvalet.`}
      </p>
      {props.table.rows.length > 0 && (
        <>
          <p class="actions">
            <a class="button button--secondary" href={`${props.base}/portfolio.xlsx${queryString(props.filter)}`}>
              Ladda ner som Excel
            </a>
          </p>
          <PortfolioTable table={props.table} links={props.links} />
          <p class="hint">
            Rekvirerat är summan av godkända rekvisitioner, räknade på rekvisitionsperiodens år. Återstår = beviljat −
            rekvirerat. Återfört räknas på det år återföringen gjordes.
          </p>
        </>
      )}
    </>
  );
}

/** The file name of a download: ASCII only, so every browser and mail client keeps it. */
const fileName = (filter: Filter) => `portfolj${filter.year ? `-${filter.year}` : ""}.xlsx`;

export function registerPortfolioRoutes({ association: router, api }: Routes) {
  associationPage(router, "GET", "/portfolio", "report.read", async (c) => {
    const tenant = c.get("tenant");
    const filter = pageFilter(c.req.query());
    const loaded = await loadPortfolio(tenant, filter);
    const base = baseOf(c);
    // The board and auditors read the portfolio but not the insatser themselves: no links that answer 403.
    const mayOpen = can(tenant.role, "intervention.read");
    const thisYear = new Date().getFullYear();
    return renderPage(
      c,
      "Portföljöversikt",
      <PortfolioPage
        base={base}
        filter={filter}
        years={Array.from({ length: 12 }, (_, index) => thisYear + 2 - index)}
        table={portfolioTable(loaded, filter)}
        links={loaded.rows.map((row) => (mayOpen ? `${base}/interventions/${row.interventionId}` : undefined))}
        interventions={new Set(loaded.rows.map((row) => row.interventionId)).size}
      />,
    );
  });

  associationPage(router, "GET", "/portfolio.xlsx", "report.read", async (c) => {
    const tenant = c.get("tenant");
    const filter = pageFilter(c.req.query());
    const table = portfolioTable(await loadPortfolio(tenant, filter), filter);
    const xlsx = await renderXlsx([{ name: "Portfölj", table }], {
      title: `Portföljöversikt ${tenant.association.name}: ${table.caption}`,
    });
    return c.body(new Uint8Array(xlsx), 200, {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": `attachment; filename="${fileName(filter)}"`,
    });
  });

  const ore = z.number().int().meta({ description: "Amount in öre (1 kr = 100 öre)" });
  const amounts = {
    grantedOre: ore,
    requisitionedOre: ore.meta({ description: "Approved requisitions, in öre" }),
    remainingOre: ore.meta({ description: "Granted minus requisitioned, in öre" }),
    repaidOre: ore,
  };
  api.add(router, {
    method: "get",
    path: "/portfolio",
    operationId: "getPortfolio",
    summary: "Per insats and calendar year: granted, requisitioned (approved), remaining and repaid money, with totals",
    tag: "requisitions",
    permission: "report.read",
    query: apiQuery,
    response: z.object({
      items: z.array(
        z.object({
          interventionId: z.uuid(),
          name: z.string(),
          ownerName: z.string(),
          kind: z.enum(interventionKinds),
          status: z.enum(interventionStatuses),
          year: z.number().int(),
          ...amounts,
        }),
      ),
      totals: z.object(amounts),
    }),
    handler: async ({ tenant, query }) => {
      const { rows, totals } = await loadPortfolio(tenant, query);
      return { items: rows, totals };
    },
  });
}
