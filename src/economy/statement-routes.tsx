import type { Context } from "hono";
import { z } from "zod";
import { baseOf, formErrorsOf } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { barChart } from "../platform/charts/chart.js";
import type { ExportDocument } from "../platform/export/document.js";
import { renderPdf } from "../platform/export/pdf.js";
import { renderXlsx, type TableBlock } from "../platform/export/xlsx.js";
import type { Tenant, TenantEnv } from "../platform/http/env.js";
import type { FieldError } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { parseOrThrow, toFieldErrors } from "../platform/http/validation.js";
import { balanceSheet } from "./balance-sheet.js";
import { cashFlow } from "./cash-flow.js";
import { type IncomeStatement, incomeStatement, varianceHeadings } from "./income-statement.js";
import { keyFigures } from "./key-figures.js";
import { notes } from "./notes.js";
import { yearPeriod } from "./periods.js";
import { findEconomySettings } from "./repository.js";
import { economySettingsInput, updateEconomySettings, varianceSigns } from "./settings.js";
import {
  balanceErrors,
  balanceSheetDocument,
  balanceSheetTable,
  cashFlowDocument,
  cashFlowErrors,
  cashFlowTable,
  incomeStatementDocument,
  incomeStatementTable,
  insatsTable,
  keyFiguresDocument,
  keyFigureTables,
  notesDocument,
  noteTables,
  previousNote,
  roundingNote,
  type Unit,
} from "./statement-document.js";
import {
  OverviewPage,
  type QuickLink,
  SettingsPage,
  type SettingsValues,
  type StatementForm,
  StatementPage,
} from "./statement-views.js";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// --- Queries ---------------------------------------------------------------------------------------------------------

const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);
const date = z.iso.date({ error: "Ange datumet som ÅÅÅÅ-MM-DD." });
const optionalDate = z.preprocess(blankToUndefined, date.optional());
const unit = z.preprocess(
  blankToUndefined,
  z.enum(["kr", "tkr"], { error: "Välj kronor eller tusental kronor." }).default("kr"),
);
const today = () => new Date().toISOString().slice(0, 10);

/** From and to default to the current year to date; budgets are per year, so a period stays within one. */
const periodQuery = z
  .object({ from: optionalDate, to: optionalDate, unit })
  .transform((query) => {
    const year = (query.from ?? query.to ?? today()).slice(0, 4);
    return {
      from: query.from ?? `${year}-01-01`,
      to: query.to ?? (query.from ? `${year}-12-31` : today()),
      unit: query.unit,
    };
  })
  .refine((query) => query.from <= query.to, { message: "Till kan inte vara före Från.", path: ["to"] })
  .refine((query) => query.from.slice(0, 4) === query.to.slice(0, 4), {
    message: "Välj en period inom ett och samma år; budgeten gäller per år.",
    path: ["to"],
  });

const dateQuery = z
  .object({ date: optionalDate, unit })
  .transform((query) => ({ date: query.date ?? today(), unit: query.unit }));

const yearQuery = z
  .object({
    year: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: "Ange året med fyra siffror." })
        .int("Ange året med fyra siffror.")
        .min(2000, "Ange ett år från 2000.")
        .max(2100, "Ange ett år till 2100.")
        .optional(),
    ),
    unit,
  })
  .transform((query) => ({ year: query.year ?? new Date().getFullYear(), unit: query.unit }));

type Read<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function read<S extends z.ZodType>(schema: S, c: Context<TenantEnv>): Read<z.output<S>> {
  const parsed = schema.safeParse(c.req.query());
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: toFieldErrors(parsed.error) };
}

const queryOf = (values: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(values).map(([key, value]): [string, string] => [key, String(value)])).toString();

// --- Statements as pages and files ------------------------------------------------------------------------------------

type Made = {
  title: string;
  form: StatementForm;
  query: Record<string, string | number>;
  document: ExportDocument;
  tables: TableBlock[];
  alerts?: string[];
  warnings?: { text: string; href: string; link: string }[];
  intro?: string[];
  notes?: string[];
  quickLinks?: QuickLink[];
  charts?: { label: string; svg: string }[];
};

type Statement<S extends z.ZodType> = {
  path: string;
  /** File names start with this. */
  stem: string;
  title: string;
  query: S;
  /** The form as the user filled it in, when it cannot be read. */
  formOf: (raw: Record<string, string>) => StatementForm;
  make: (tenant: Tenant, query: z.output<S>, base: string) => Promise<Made>;
};

const kronor = (ore: bigint) => Number(ore) / 100;

function quickLinks(action: string, statement: IncomeStatement, unitValue: Unit): QuickLink[] {
  const year = statement.year;
  const periods: { label: string; from: string; to: string }[] = [
    { label: `Hela ${year}`, ...fromTo(yearPeriod(year)) },
    { label: "Första halvåret", from: `${year}-01-01`, to: `${year}-06-30` },
    { label: "Andra halvåret", from: `${year}-07-01`, to: `${year}-12-31` },
    { label: "Kvartal 1", from: `${year}-01-01`, to: `${year}-03-31` },
    { label: "Kvartal 2", from: `${year}-04-01`, to: `${year}-06-30` },
    { label: "Kvartal 3", from: `${year}-07-01`, to: `${year}-09-30` },
    { label: "Kvartal 4", from: `${year}-10-01`, to: `${year}-12-31` },
  ];
  return periods.map((period) => ({
    label: period.label,
    href: `${action}?${queryOf({ from: period.from, to: period.to, unit: unitValue })}`,
    current: period.from === statement.period.start && period.to === statement.period.end,
  }));
}

function fromTo(period: { start: string; end: string }) {
  return { from: period.start, to: period.end };
}

async function incomeCharts(statement: IncomeStatement) {
  const shown = statement.sections.filter((section) => section.lines.length > 0);
  const categories = shown.map((section) => section.name);
  const data = shown.flatMap((section) => [
    { category: section.name, series: "Budget", value: kronor(section.figures.budget) },
    { category: section.name, series: "Utfall", value: kronor(section.figures.actual) },
  ]);
  return [
    {
      label: "Budget och utfall per avsnitt",
      svg: await barChart({
        label: "Stapeldiagram: budget och utfall per avsnitt, kronor",
        data,
        categories,
        series: ["Budget", "Utfall"],
        valueTitle: "Kronor",
      }),
    },
  ];
}

const incomeStatementPage: Statement<typeof periodQuery> = {
  path: "/economy/income-statement",
  stem: "resultatrakning",
  title: "Resultaträkning",
  query: periodQuery,
  formOf: (raw) => ({ kind: "period", from: raw.from ?? "", to: raw.to ?? "" }),
  make: async (tenant, query, base) => {
    const statement = await incomeStatement(tenant.tx, tenant.association.id, { start: query.from, end: query.to });
    const tables = [incomeStatementTable(statement, query.unit)];
    if (statement.insatser.length > 0) tables.push(insatsTable(statement, query.unit));
    const unmapped = statement.unmapped.accounts;
    return {
      title: `Resultaträkning ${query.from} – ${query.to}`,
      form: { kind: "period", from: query.from, to: query.to },
      query: { from: query.from, to: query.to, unit: query.unit },
      document: incomeStatementDocument(statement, tenant.association.name, query.unit),
      tables,
      intro: [`${varianceHeadings[statement.varianceSign]}.`],
      warnings:
        unmapped.length > 0
          ? [
              {
                text: `${unmapped.length === 1 ? "Ett konto" : `${unmapped.length} konton`} i bokföringen saknar koppling till en budgetrad (${unmapped.map((account) => account.account).join(", ")}) och visas som "Ej mappade konton" bland kostnaderna.`,
                href: `${base}/economy/mapping`,
                link: "Koppla kontona",
              },
            ]
          : [],
      notes: [
        previousNote(statement),
        "Prognos helår är prognosen där en sådan är inlagd, annars budgeten.",
        roundingNote(query.unit),
      ],
      charts: await incomeCharts(statement),
      quickLinks: quickLinks(`${base}/economy/income-statement`, statement, query.unit),
    };
  },
};

const balanceSheetPage: Statement<typeof dateQuery> = {
  path: "/economy/balance-sheet",
  stem: "balansrakning",
  title: "Balansräkning",
  query: dateQuery,
  formOf: (raw) => ({ kind: "date", date: raw.date ?? "" }),
  make: async (tenant, query) => {
    const sheet = await balanceSheet(tenant.tx, tenant.association.id, query.date);
    return {
      title: `Balansräkning per ${query.date}`,
      form: { kind: "date", date: query.date },
      query: { date: query.date, unit: query.unit },
      document: balanceSheetDocument(sheet, tenant.association.name, query.unit),
      tables: [balanceSheetTable(sheet, query.unit)],
      alerts: balanceErrors(sheet),
      intro: sheet.hasOpening ? [] : [`Ingen ingående balans för ${sheet.year} är importerad.`],
      notes: ["Panter och därmed jämförliga säkerheter: inga. Ansvarsförbindelser: inga.", roundingNote(query.unit)],
    };
  },
};

const cashFlowPage: Statement<typeof yearQuery> = {
  path: "/economy/cash-flow",
  stem: "kassaflodesanalys",
  title: "Kassaflödesanalys",
  query: yearQuery,
  formOf: (raw) => ({ kind: "year", year: raw.year ?? "" }),
  make: async (tenant, query) => {
    const flow = await cashFlow(tenant.tx, tenant.association.id, query.year);
    return {
      title: `Kassaflödesanalys ${query.year}`,
      form: { kind: "year", year: String(query.year) },
      query: { year: query.year, unit: query.unit },
      document: cashFlowDocument(flow, tenant.association.name, query.unit),
      tables: [cashFlowTable(flow, query.unit)],
      alerts: cashFlowErrors(flow),
      notes: [roundingNote(query.unit)],
    };
  },
};

const notesPage: Statement<typeof dateQuery> = {
  path: "/economy/notes",
  stem: "noter",
  title: "Noter",
  query: dateQuery,
  formOf: (raw) => ({ kind: "date", date: raw.date ?? "" }),
  make: async (tenant, query) => {
    const result = await notes(tenant.tx, tenant.association.id, query.date);
    return {
      title: `Noter per ${query.date}`,
      form: { kind: "date", date: query.date },
      query: { date: query.date, unit: query.unit },
      document: notesDocument(result, tenant.association.name, query.unit),
      tables: noteTables(result, query.unit),
      notes: [
        "Not 1 och 2 gäller årets början till datumet, not 3 och 4 saldot per datumet och vid förra årets slut.",
        roundingNote(query.unit),
      ],
    };
  },
};

const keyFiguresPage: Statement<typeof periodQuery> = {
  path: "/economy/key-figures",
  stem: "nyckeltal",
  title: "Nyckeltal",
  query: periodQuery,
  formOf: (raw) => ({ kind: "period", from: raw.from ?? "", to: raw.to ?? "" }),
  make: async (tenant, query) => {
    const figures = await keyFigures(tenant.tx, tenant.association.id, { start: query.from, end: query.to });
    const shares = [
      { category: "Individinriktade insatser", value: figures.costShares.individual.share },
      { category: "Strukturinriktade insatser", value: figures.costShares.structural.share },
      { category: "Administration", value: figures.costShares.administration.share },
    ];
    return {
      title: `Nyckeltal ${query.from} – ${query.to}`,
      form: { kind: "period", from: query.from, to: query.to },
      query: { from: query.from, to: query.to, unit: query.unit },
      document: keyFiguresDocument(figures, tenant.association.name, query.unit),
      tables: keyFigureTables(figures, query.unit),
      charts: [
        {
          label: "Kostnadsfördelning",
          svg: await barChart({
            label: "Stapeldiagram: andel av kostnaderna per del, procent",
            data: shares.map((item) => ({
              category: item.category,
              series: "Andel",
              value: Math.round((item.value ?? 0) * 1000) / 10,
            })),
            categories: shares.map((item) => item.category),
            series: ["Andel"],
            valueTitle: "Procent av kostnaderna",
          }),
        },
      ],
      notes: [roundingNote(query.unit)],
    };
  },
};

function registerStatement<S extends z.ZodType>(router: Routes["association"], statement: Statement<S>) {
  const permission = "economy.read";
  associationPage(router, "GET", statement.path, permission, async (c) => {
    const tenant = c.get("tenant");
    const action = `${baseOf(c)}${statement.path}`;
    const raw = c.req.query();
    const unitValue: Unit = raw.unit === "tkr" ? "tkr" : "kr";
    const query = read(statement.query, c);
    if (!query.ok) {
      return renderPage(
        c,
        statement.title,
        <StatementPage
          title={statement.title}
          action={action}
          form={statement.formOf(raw)}
          unit={unitValue}
          errors={query.errors}
        />,
        422,
      );
    }
    const made = await statement.make(tenant, query.value, baseOf(c));
    return renderPage(
      c,
      made.title,
      <StatementPage
        title={made.title}
        action={action}
        form={made.form}
        unit={unitValue}
        quickLinks={made.quickLinks}
        alerts={made.alerts}
        warnings={made.warnings}
        intro={made.intro}
        tables={made.tables}
        charts={made.charts}
        notes={made.notes}
        query={queryOf(made.query)}
      />,
    );
  });
  associationPage(router, "GET", `${statement.path}.xlsx`, permission, async (c) => {
    const tenant = c.get("tenant");
    const made = await statement.make(tenant, parseOrThrow(statement.query, c.req.query()), baseOf(c));
    const bytes = await renderXlsx(
      made.tables.map((table, index) => ({ name: sheetName(table, index), table })),
      { title: `${made.title}, ${tenant.association.name}` },
    );
    return c.body(new Uint8Array(bytes), 200, {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": `attachment; filename="${fileName(statement.stem, made.query)}.xlsx"`,
    });
  });
  associationPage(router, "GET", `${statement.path}.pdf`, permission, async (c) => {
    const tenant = c.get("tenant");
    const made = await statement.make(tenant, parseOrThrow(statement.query, c.req.query()), baseOf(c));
    const bytes = await renderPdf(made.document);
    return c.body(new Uint8Array(bytes), 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName(statement.stem, made.query)}.pdf"`,
    });
  });
}

const sheetName = (table: TableBlock, index: number) =>
  (table.caption ?? `Tabell ${index + 1}`).replace(/ \d{4}-\d{2}-\d{2}.*$/, "").replace(/[.:].*$/, "") ||
  `Tabell ${index + 1}`;

const fileName = (stem: string, query: Record<string, string | number>) =>
  [stem, ...Object.entries(query).flatMap(([key, value]) => (key === "unit" ? [] : [String(value)]))].join("-");

// --- Overview and settings --------------------------------------------------------------------------------------------

const overviewLinks = [
  {
    path: "/economy/contributions",
    name: "Medlemsbidrag",
    text: "årets bidrag per medlem enligt lagens fördelning, beslutade belopp och fakturering.",
  },
  {
    path: "/economy/budget/lines",
    name: "Budgetrader",
    text: "förbundets egen budgetstruktur: intäkter, insatser, administration och finansiella poster.",
  },
  {
    path: `/economy/budget/${new Date().getFullYear()}`,
    name: "Budget",
    text: "årets budget per rad och månad, och planåren.",
  },
  {
    path: `/economy/budget/${new Date().getFullYear()}/forecast`,
    name: "Prognos",
    text: "prognos för året per rad, inlagd eller kopierad från budgeten.",
  },
  {
    path: "/economy/imports",
    name: "Import av utfall",
    text: "bokföringens SIE-fil eller en tabell med utfall per rad och period.",
  },
  {
    path: "/economy/mapping",
    name: "Kontokoppling",
    text: "vilken budgetrad eller balanspost varje konto i bokföringen hör till.",
  },
  {
    path: "/economy/income-statement",
    name: "Resultaträkning",
    text: "utfall, budget, avvikelse, prognos och föregående år för valfri period.",
  },
  {
    path: "/economy/balance-sheet",
    name: "Balansräkning",
    text: "tillgångar, eget kapital och skulder per ett datum mot förra årsskiftet.",
  },
  {
    path: "/economy/cash-flow",
    name: "Kassaflödesanalys",
    text: "hur årets resultat och rörelsekapital har påverkat likvida medel.",
  },
  {
    path: "/economy/notes",
    name: "Noter",
    text: "intäkter per huvudman, kostnader per slag, fordringar och kortfristiga skulder.",
  },
  {
    path: "/economy/key-figures",
    name: "Nyckeltal",
    text: "kostnadsfördelning, eget kapital mot Nationella rådets rekommendation och använda medel per insats.",
  },
  {
    path: "/economy/settings",
    name: "Inställningar",
    text: "avvikelsens tecken, taket för eget kapital och SIE-dimensionen för insatser.",
  },
];

const settingsValues = (settings: {
  varianceSign: string;
  equityCeilingBasisPoints: number;
  objectDimension: number;
  version: number;
}): SettingsValues => ({
  varianceSign: settings.varianceSign,
  equityCeilingPercent: String(settings.equityCeilingBasisPoints / 100).replace(".", ","),
  objectDimension: String(settings.objectDimension),
  version: String(settings.version),
});

const settingsTitle = "Inställningar för ekonomi";

// --- API -------------------------------------------------------------------------------------------------------------

const ore = z.number().int().meta({ description: "Amount in öre (1 kr = 100 öre)" });
const period = z.object({ start: z.string(), end: z.string() }).meta({ description: "First and last day, YYYY-MM-DD" });
const figures = z.object({
  actual: ore.meta({ description: "Utfall of the period, natural sign (income and costs positive)" }),
  budget: ore.meta({ description: "Budget of the period: the months inside it, part-months by days" }),
  variance: ore.meta({ description: "Avvikelse with the association's sign (varianceSign)" }),
  yearBudget: ore,
  forecast: ore.meta({ description: "Forecast for the year, the budget where no forecast is entered" }),
  previous: ore.nullable().meta({ description: "Utfall of the same period a year earlier; null when unknown" }),
});
const incomeStatementSchema = z.object({
  period,
  year: z.number().int(),
  previousPeriod: period,
  previousSource: z.enum(["imports", "result_balances"]).nullable(),
  varianceSign: z.enum(varianceSigns),
  sections: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      total: z.string(),
      nature: z.enum(["income", "cost"]),
      lines: z.array(
        z.object({
          id: z.uuid(),
          name: z.string(),
          interventionId: z.uuid().nullable(),
          memberId: z.uuid().nullable(),
          figures,
        }),
      ),
      figures,
    }),
  ),
  unmapped: z.object({
    figures,
    accounts: z.array(
      z.object({ account: z.string(), name: z.string().nullable(), actual: ore, previous: ore.nullable() }),
    ),
  }),
  totals: z.object({ income: figures, costs: figures, operatingResult: figures, financial: figures, result: figures }),
  insatser: z.array(
    z.object({
      lineId: z.uuid(),
      interventionId: z.uuid(),
      name: z.string(),
      granted: ore,
      budget: ore,
      actual: ore,
      variance: ore,
      usedShare: z
        .number()
        .nullable()
        .meta({ description: "Utfall ÷ granted, a fraction; null when nothing is granted" }),
    }),
  ),
});
const balanceLineSchema = z.object({
  amount: ore,
  accounts: z.array(z.object({ account: z.string(), name: z.string().nullable(), amount: ore })),
});
const balanceColumnSchema = z.object({
  date: z.string(),
  lines: z.object({
    fixed_assets: balanceLineSchema,
    receivables: balanceLineSchema,
    cash: balanceLineSchema,
    equity: balanceLineSchema,
    long_term_liabilities: balanceLineSchema,
    current_liabilities: balanceLineSchema,
  }),
  equity: z.object({ opening: ore, result: ore.nullable(), closing: ore }),
  totalAssets: ore,
  totalEquityAndLiabilities: ore,
  difference: ore.meta({ description: "Assets − equity and liabilities; anything but 0 is an error in the books" }),
});
const balanceSheetSchema = z.object({
  date: z.string(),
  year: z.number().int(),
  hasOpening: z.boolean(),
  current: balanceColumnSchema,
  previous: balanceColumnSchema,
});
const cashFlowSchema = z.object({
  year: z.number().int(),
  hasOpening: z.boolean(),
  result: ore,
  adjustments: ore,
  beforeWorkingCapital: ore,
  receivablesChange: ore,
  currentLiabilitiesChange: ore,
  operating: ore,
  investing: ore,
  financing: ore,
  cashFlow: ore,
  openingCash: ore,
  closingCash: ore,
  difference: ore.meta({ description: "Opening cash + cash flow − closing cash; anything but 0 is an error" }),
});
const noteRow = z.object({ label: z.string(), current: ore, previous: ore.nullable() });
const notesSchema = z.object({
  date: z.string(),
  year: z.number().int(),
  period,
  notes: z.array(
    z.object({
      number: z.number().int(),
      title: z.string(),
      currentHeading: z.string(),
      previousHeading: z.string(),
      rows: z.array(noteRow),
      total: noteRow,
      after: z.array(noteRow),
    }),
  ),
});
const shareSchema = z.object({ amount: ore, share: z.number().nullable() });
const keyFiguresSchema = z.object({
  period,
  year: z.number().int(),
  totalCosts: ore,
  costShares: z.object({
    individual: shareSchema,
    structural: shareSchema,
    administration: shareSchema,
    unmapped: shareSchema,
  }),
  equity: z.object({
    ceilingBasisPoints: z.number().int(),
    contributions: ore,
    ceiling: ore,
    opening: ore,
    date: z.string(),
    atDate: ore,
    forecastResult: ore,
    forecastEquity: ore,
    excess: ore,
    expectedIncome: ore,
    minimumCosts: ore,
    budgetCosts: ore,
    forecastCosts: ore,
  }),
  insatser: incomeStatementSchema.shape.insatser,
});
const settingsSchema = z.object({
  varianceSign: z.enum(varianceSigns),
  equityCeilingBasisPoints: z.number().int().meta({ description: "Hundredths of a percent: 2000 = 20 %" }),
  objectDimension: z.number().int(),
  version: z.number().int().meta({ description: "Send it back with a change; 0 before the first save" }),
});

function registerStatementApi({ association: router, api }: Routes) {
  const tag = "economy";
  const permission = "economy.read";
  const apiPeriod = periodQuery.transform(({ from, to }) => ({ start: from, end: to }));
  api.add(router, {
    method: "get",
    path: "/economy/statements/income-statement",
    operationId: "getIncomeStatement",
    summary: "The income statement of a period within one year (default: the year to date), every line and subtotal",
    tag,
    permission,
    query: apiPeriod,
    response: incomeStatementSchema,
    handler: ({ tenant, query }) => incomeStatement(tenant.tx, tenant.association.id, query),
  });
  api.add(router, {
    method: "get",
    path: "/economy/statements/balance-sheet",
    operationId: "getBalanceSheet",
    summary: "The balance sheet at a date (default: today) and at the previous year-end",
    tag,
    permission,
    query: dateQuery,
    response: balanceSheetSchema,
    handler: ({ tenant, query }) => balanceSheet(tenant.tx, tenant.association.id, query.date),
  });
  api.add(router, {
    method: "get",
    path: "/economy/statements/cash-flow",
    operationId: "getCashFlow",
    summary: "The cash-flow statement of a year (default: the current year), indirect method",
    tag,
    permission,
    query: yearQuery,
    response: cashFlowSchema,
    handler: ({ tenant, query }) => cashFlow(tenant.tx, tenant.association.id, query.year),
  });
  api.add(router, {
    method: "get",
    path: "/economy/statements/notes",
    operationId: "getNotes",
    summary: "Notes 1–4: income per source, costs per kind, receivables and current liabilities per account",
    tag,
    permission,
    query: dateQuery,
    response: notesSchema,
    handler: ({ tenant, query }) => notes(tenant.tx, tenant.association.id, query.date),
  });
  api.add(router, {
    method: "get",
    path: "/economy/statements/key-figures",
    operationId: "getKeyFigures",
    summary: "Cost shares, equity against Nationella rådet's ceiling, minimum costs and used share per insats",
    tag,
    permission,
    query: apiPeriod,
    response: keyFiguresSchema,
    handler: ({ tenant, query }) => keyFigures(tenant.tx, tenant.association.id, query),
  });
  api.add(router, {
    method: "get",
    path: "/economy/settings",
    operationId: "getEconomySettings",
    summary: "How statements are printed: the sign of avvikelse, the equity ceiling and the SIE object dimension",
    tag,
    permission: "economy_settings.manage",
    response: settingsSchema,
    handler: ({ tenant }) => findEconomySettings(tenant.tx, tenant.association.id),
  });
  api.add(router, {
    method: "put",
    path: "/economy/settings",
    operationId: "updateEconomySettings",
    summary: "Change the economy settings; a stale version gives 409",
    tag,
    permission: "economy_settings.manage",
    body: settingsSchema.extend({
      equityCeilingBasisPoints: z.number().int().min(0).max(10000),
      objectDimension: z.number().int().min(1).max(999),
      version: z.number().int().min(0),
    }),
    response: settingsSchema,
    handler: ({ tenant, body }) =>
      updateEconomySettings(tenant, {
        varianceSign: body.varianceSign,
        equityCeilingPercent: body.equityCeilingBasisPoints / 100,
        objectDimension: body.objectDimension,
        version: body.version,
      }),
  });
}

/** Income statement, balance sheet, cash flow, notes, key figures and the economy settings. */
export function registerStatementRoutes(routes: Routes) {
  const router = routes.association;
  associationPage(router, "GET", "/economy", "economy.read", (c) =>
    renderPage(c, "Ekonomi", <OverviewPage base={baseOf(c)} links={overviewLinks} />),
  );
  registerStatement(router, incomeStatementPage);
  registerStatement(router, balanceSheetPage);
  registerStatement(router, cashFlowPage);
  registerStatement(router, notesPage);
  registerStatement(router, keyFiguresPage);

  const settingsPath = "/economy/settings";
  associationPage(router, "GET", settingsPath, "economy_settings.manage", async (c) => {
    const settings = await findEconomySettings(c.get("tenant").tx, c.get("tenant").association.id);
    return renderPage(
      c,
      settingsTitle,
      <SettingsPage
        action={`${baseOf(c)}${settingsPath}`}
        csrfToken={c.get("csrfToken")}
        values={settingsValues(settings)}
      />,
    );
  });
  associationPage(router, "POST", settingsPath, "economy_settings.manage", async (c) => {
    const tenant = c.get("tenant");
    const form = (await c.req.parseBody()) as Record<string, string>;
    const values: SettingsValues = {
      varianceSign: form.varianceSign ?? "",
      equityCeilingPercent: form.equityCeilingPercent ?? "",
      objectDimension: form.objectDimension ?? "",
      version: form.version ?? "0",
    };
    const back = (errors: FieldError[], status: 409 | 422) =>
      renderPage(
        c,
        settingsTitle,
        <SettingsPage
          action={`${baseOf(c)}${settingsPath}`}
          csrfToken={c.get("csrfToken")}
          values={values}
          errors={errors}
        />,
        status,
      );
    const parsed = economySettingsInput.safeParse(form);
    if (!parsed.success) return back(toFieldErrors(parsed.error), 422);
    try {
      await updateEconomySettings(tenant, parsed.data);
    } catch (error) {
      return back(await formErrorsOf(error), 409);
    }
    return redirectWithFlash(c, `${baseOf(c)}${settingsPath}`, "Inställningarna är sparade.");
  });

  registerStatementApi(routes);
}
