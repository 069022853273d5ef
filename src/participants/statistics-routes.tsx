import type { Context } from "hono";
import { z } from "zod";
import { baseOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { can } from "../platform/auth/policy.js";
import { barChart } from "../platform/charts/chart.js";
import type { Gender } from "../platform/db/schema.js";
import { renderXlsx } from "../platform/export/xlsx.js";
import type { Tenant, TenantEnv } from "../platform/http/env.js";
import { renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { parseOrThrow, toFieldErrors } from "../platform/http/validation.js";
import { labelOf } from "./codes.js";
import {
  asTableBlock,
  type Counts,
  genders,
  loadStatistics,
  loadStatisticsIntervention,
  type ParticipantStatistics,
  renderCsv,
  type StatTable,
  SUPPRESSED,
  share,
  statisticsInterventions,
  statisticsTables,
  suppress,
  timeInInsatsShown,
  workOrStudiesCounts,
} from "./statistics.js";
import type { StatisticsScope } from "./statistics-repository.js";
import { type Charts, type PeriodValues, StatisticsPage, type Tables } from "./statistics-views.js";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const date = z.iso.date({ error: "Ange datumet som ÅÅÅÅ-MM-DD." });
// A form sends an empty field for "not chosen".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** From and to default to the current calendar year, the period the förbund reports on. */
const periodQuery = z
  .object({
    from: optional(date),
    to: optional(date),
    interventionId: optional(z.uuid({ error: "Välj en insats i listan." })),
  })
  .transform((query) => {
    const year = new Date().getFullYear();
    return {
      from: query.from ?? `${year}-01-01`,
      to: query.to ?? `${year}-12-31`,
      interventionId: query.interventionId,
    };
  })
  .refine((query) => query.from <= query.to, { message: "Till kan inte vara före Från.", path: ["to"] });

type Period = z.output<typeof periodQuery>;

/** Roles that may read the participants themselves see exact numbers; everyone else the published statistics. */
const suppressedFor = (tenant: Tenant) => !can(tenant.role, "participant.read");

/** The association's statistics, or one insats's when one is chosen: only insatser the caller may see. */
async function associationStatistics(tenant: Tenant, period: Period) {
  const { interventions, limitedTo } = await statisticsInterventions(tenant);
  if (period.interventionId) await loadStatisticsIntervention(tenant, period.interventionId);
  const scope: StatisticsScope = {
    associationId: tenant.association.id,
    from: period.from,
    to: period.to,
    interventionIds: period.interventionId ? [period.interventionId] : limitedTo,
  };
  return {
    interventions,
    limited: limitedTo !== undefined,
    level: period.interventionId ? ("intervention" as const) : ("association" as const),
    stats: await loadStatistics(tenant.tx, scope),
  };
}

async function interventionStatistics(tenant: Tenant, interventionId: string, period: Period) {
  const intervention = await loadStatisticsIntervention(tenant, interventionId);
  const stats = await loadStatistics(tenant.tx, {
    associationId: tenant.association.id,
    from: period.from,
    to: period.to,
    interventionIds: [intervention.id],
  });
  return { intervention, stats };
}

/**
 * The charts beside three of the tables, drawn from the tables themselves: a suppressed cell has no number and so
 * no bar, and the chart never shows more than the table.
 */
async function chartsOf(tables: Tables): Promise<Charts> {
  const chart = (table: StatTable, columns: number[], label: string) => {
    const series = columns.map((index) => table.columns[index]?.header ?? "");
    const categories = table.rows.map((row) => row[0]?.text ?? "");
    const data = table.rows.flatMap((row, rowIndex) =>
      columns.flatMap((column, seriesIndex) => {
        const value = row[column]?.number;
        return value === undefined
          ? []
          : [{ category: categories[rowIndex] ?? "", series: series[seriesIndex] ?? "", value }];
      }),
    );
    return barChart({ label, data, categories, series, valueTitle: "Antal" });
  };
  const genderColumns = genders.map((_, index) => index + 1);
  return {
    period: await chart(tables.period, [1, 2, 3], "Stapeldiagram: aktiva, nya och avslutade deltagare per kön"),
    outcome: await chart(tables.outcome, genderColumns, "Stapeldiagram: avslutsorsak per kön"),
    age: await chart(tables.age, genderColumns, "Stapeldiagram: ålder vid inskrivning per kön"),
  };
}

const pageTitle = (name?: string) => (name ? `Deltagarstatistik: ${name}` : "Deltagarstatistik");

/** A period the page cannot use is shown back in the form with what is wrong, and no numbers. */
function readPeriod(c: Context<TenantEnv>) {
  const query = c.req.query();
  const parsed = periodQuery.safeParse(query);
  const values: PeriodValues = { from: query.from ?? "", to: query.to ?? "", interventionId: query.interventionId };
  return parsed.success
    ? ({ ok: true, period: parsed.data } as const)
    : ({ ok: false, errors: toFieldErrors(parsed.error), values } as const);
}

async function downloads(tables: Tables, title: string) {
  const all = Object.values(tables);
  return {
    xlsx: await renderXlsx(
      all.map((table) => ({ name: table.name, table: asTableBlock(table) })),
      { title },
    ),
    csv: renderCsv(all),
  };
}

const fileName = (stem: string, period: Period) => `${stem}-${period.from}-${period.to}`;

function sendXlsx(c: Context<TenantEnv>, bytes: Buffer, name: string) {
  return c.body(new Uint8Array(bytes), 200, {
    "Content-Type": XLSX_TYPE,
    "Content-Disposition": `attachment; filename="${name}.xlsx"`,
  });
}

function sendCsv(c: Context<TenantEnv>, text: string, name: string) {
  return c.body(text, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}.csv"`,
  });
}

export function registerStatisticsRoutes({ association: router, api }: Routes) {
  const permission = "participant_statistics.read";

  associationPage(router, "GET", "/participants/statistics", permission, async (c) => {
    const tenant = c.get("tenant");
    const action = `${baseOf(c)}/participants/statistics`;
    const read = readPeriod(c);
    if (!read.ok) {
      const { interventions } = await statisticsInterventions(tenant);
      return renderPage(
        c,
        pageTitle(),
        <StatisticsPage
          title={pageTitle()}
          action={action}
          values={read.values}
          errors={read.errors}
          interventions={interventions}
          suppressed={suppressedFor(tenant)}
        />,
        422,
      );
    }
    const loaded = await associationStatistics(tenant, read.period);
    const suppressed = suppressedFor(tenant);
    const tables = statisticsTables(loaded.stats, { suppressed, level: loaded.level });
    return renderPage(
      c,
      pageTitle(),
      <StatisticsPage
        title={pageTitle()}
        action={action}
        values={read.period}
        interventions={loaded.interventions}
        scopeNote={loaded.limited ? "Statistiken omfattar de insatser som din organisation äger." : undefined}
        suppressed={suppressed}
        tables={tables}
        charts={await chartsOf(tables)}
      />,
    );
  });

  for (const format of ["xlsx", "csv"] as const) {
    associationPage(router, "GET", `/participants/statistics.${format}`, permission, async (c) => {
      const tenant = c.get("tenant");
      const period = parseOrThrow(periodQuery, c.req.query());
      const loaded = await associationStatistics(tenant, period);
      const tables = statisticsTables(loaded.stats, { suppressed: true, level: loaded.level });
      const file = await downloads(tables, `Deltagarstatistik ${tenant.association.name} ${period.from}–${period.to}`);
      const name = fileName("deltagarstatistik", period);
      return format === "xlsx" ? sendXlsx(c, file.xlsx, name) : sendCsv(c, file.csv, name);
    });

    associationPage(
      router,
      "GET",
      `/interventions/:interventionId/participants/statistics.${format}`,
      permission,
      async (c) => {
        const tenant = c.get("tenant");
        const period = parseOrThrow(periodQuery, c.req.query());
        const { intervention, stats } = await interventionStatistics(tenant, idParam(c, "interventionId"), period);
        const tables = statisticsTables(stats, { suppressed: true, level: "intervention" });
        const file = await downloads(tables, `Deltagarstatistik ${intervention.name} ${period.from}–${period.to}`);
        const name = fileName("deltagarstatistik-insats", period);
        return format === "xlsx" ? sendXlsx(c, file.xlsx, name) : sendCsv(c, file.csv, name);
      },
    );
  }

  associationPage(router, "GET", "/interventions/:interventionId/participants/statistics", permission, async (c) => {
    const tenant = c.get("tenant");
    const interventionId = idParam(c, "interventionId");
    const intervention = await loadStatisticsIntervention(tenant, interventionId);
    const base = baseOf(c);
    const action = `${base}/interventions/${intervention.id}/participants/statistics`;
    const title = pageTitle(intervention.name);
    const suppressed = suppressedFor(tenant);
    const read = readPeriod(c);
    if (!read.ok) {
      return renderPage(
        c,
        title,
        <StatisticsPage
          title={title}
          action={action}
          values={read.values}
          errors={read.errors}
          suppressed={suppressed}
        />,
        422,
      );
    }
    const { stats } = await interventionStatistics(tenant, interventionId, read.period);
    const tables = statisticsTables(stats, { suppressed, level: "intervention" });
    return renderPage(
      c,
      title,
      <StatisticsPage
        title={title}
        action={action}
        values={read.period}
        associationHref={`${base}/participants/statistics`}
        suppressed={suppressed}
        tables={tables}
        charts={await chartsOf(tables)}
      />,
    );
  });

  registerStatisticsApi({ association: router, api });
}

// --- API ------------------------------------------------------------------------------------------------------------

const count = z
  .union([z.number().int().min(0), z.literal(SUPPRESSED)])
  .meta({ description: 'A count; 1–4 are given as the string "<5", so that no one can be picked out' });
const counts = z.object({ active: count, new: count, exited: count });
const countsByGender = z.object({ woman: counts, man: counts, other_unknown: counts, total: counts });
const genderCounts = { woman: count, man: count, other_unknown: count, total: count };
const fraction = z.number().nullable().meta({
  description: "A share between 0 and 1; null when there is nothing to divide or it would tell a count of 1–4",
});

const statisticsSchema = z.object({
  from: z.string().meta({ description: "First day of the period, YYYY-MM-DD" }),
  to: z.string().meta({ description: "Last day of the period, YYYY-MM-DD" }),
  interventionId: z.uuid().nullable(),
  persons: countsByGender.meta({
    description: "Distinct persons: active (enrolled in some part of the period), new and exited in the period",
  }),
  enrolments: countsByGender.meta({ description: "Enrolments; a person in two insatser counts twice here" }),
  incomeTransitions: z
    .array(z.object({ atEnrolment: z.string(), atExit: z.string(), count }))
    .meta({ description: "Income source at enrolment × at exit, enrolments exited in the period" }),
  outcomes: z.array(
    z.object({
      exitReason: z.string(),
      label: z.string(),
      workOrStudies: z.boolean().meta({ description: "Whether the reason's national code counts as work or studies" }),
      ...genderCounts,
    }),
  ),
  workOrStudies: z.object({ ...genderCounts, share: fraction }),
  timeInInsatsDays: z
    .object({ firstQuartile: z.number(), median: z.number(), thirdQuartile: z.number() })
    .nullable()
    .meta({ description: "Days from enrolment to exit, enrolments exited in the period" }),
  ageBands: z.array(z.object({ band: z.string(), ...genderCounts })).meta({
    description: "Age at enrolment (calendar year of enrolment − birth year), active persons",
  }),
  referrers: z.array(z.object({ memberId: z.uuid().nullable(), name: z.string().nullable(), count })),
  guidanceCases: z.object(genderCounts).meta({ description: "Lotsärenden of registrations starting in the period" }),
});

type Suppressed = number | typeof SUPPRESSED;

function presentStatistics(stats: ParticipantStatistics, interventionId: string | undefined) {
  const gendered = (values: Record<Gender, number> & { total: number }) => ({
    woman: suppress(values.woman),
    man: suppress(values.man),
    other_unknown: suppress(values.other_unknown),
    total: suppress(values.total),
  });
  const countSet = (value: Counts): Record<keyof Counts, Suppressed> => ({
    active: suppress(value.active),
    new: suppress(value.new),
    exited: suppress(value.exited),
  });
  const byGender = (group: ParticipantStatistics["persons"]) => ({
    woman: countSet(group.byGender.woman),
    man: countSet(group.byGender.man),
    other_unknown: countSet(group.byGender.other_unknown),
    total: countSet(group.total),
  });
  const work = workOrStudiesCounts(stats);
  return {
    from: stats.from,
    to: stats.to,
    interventionId: interventionId ?? null,
    persons: byGender(stats.persons),
    enrolments: byGender(stats.enrolments),
    incomeTransitions: stats.transitions.map((transition) => ({ ...transition, count: suppress(transition.count) })),
    outcomes: stats.outcomes.map((outcome) => ({
      exitReason: outcome.exitReason,
      label: labelOf(stats.codes.exit_reason, outcome.exitReason),
      workOrStudies: outcome.workOrStudies,
      ...gendered({ ...outcome.byGender, total: outcome.total }),
    })),
    workOrStudies: { ...gendered(work), share: share(work.total, stats.exited, true) },
    timeInInsatsDays: timeInInsatsShown(stats, true),
    ageBands: stats.ageBands.map((band) => ({ band: band.band, ...gendered({ ...band.byGender, total: band.total }) })),
    referrers: stats.referrers.map((referrer) => ({ ...referrer, count: suppress(referrer.count) })),
    guidanceCases: gendered(stats.guidanceCases),
  };
}

function registerStatisticsApi({ association: router, api }: Pick<Routes, "association" | "api">) {
  api.add(router, {
    method: "get",
    path: "/participant-statistics",
    operationId: "getParticipantStatistics",
    summary:
      "Participant statistics of a period (default: the current calendar year) for the association or one insats, counts of 1–4 suppressed",
    tag: "participants",
    permission: "participant_statistics.read",
    query: periodQuery,
    response: statisticsSchema,
    handler: async ({ tenant, query }) => {
      const { stats } = await associationStatistics(tenant, query);
      return presentStatistics(stats, query.interventionId);
    },
  });
}
