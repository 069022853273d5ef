// `npm run bench:participants`: participant statistics and import at national scale, as ratios measured in one run.
//
// On PGlite (fresh data directory) and, when BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL names a PostgreSQL
// server, on a fresh database there: the synthetic data generator (src/demo/synth.ts) fills national-scale
// associations (400 insatser and 12 500 deltagare each; all 80, 1 000 000 deltagare, at scale 1), then
// (a) the association statistics page over HTTP, for the last full year, as the first association's officer, against
//     the static baseline /about (as bench:http): p50 and p95 ms and the p95 ratio;
// (b) the same statistics' aggregates through the app's repository (periodCounts, exitCounts, guidanceCaseSums) vs
//     the same aggregates written by hand as plain GROUP BYs, in turns in one transaction scoped to the association as
//     a request is: ratio of means, target ≤ 1.5; the totals of both must agree;
// (c) nationalAggregate (every association, the ten years) vs the same aggregate written by hand: ratio of means;
// (d) the bulk import's throughput (bench/participant-import.ts): checking and importing a CSV file, rows per second.
//
// Settings: --scale S or BENCH_SCALE (default 1: the share of the national scale's 80 associations, at least one);
// BENCH_DATABASES (default "pglite,postgres"); BENCH_SECONDS (default 10) per page after BENCH_WARMUP_SECONDS (2), in
// BENCH_ROUNDS (2), BENCH_CONNECTIONS (5); BENCH_QUERY_RUNS (default 20) per query after 3 unmeasured ones;
// BENCH_IMPORT_ROWS (default 100 000 × scale, at least 1 000: the issue's 100 000-row CSV at full scale); BENCH_SEED (1).
// Prints tables and writes bench/results/participants-<database>.json. Exits 1 only when the benchmark itself is
// broken (a page answered anything but 200, the two ways of counting disagree, or the data could not be set up).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pino from "pino";
import { loadConfig } from "../src/config.js";
import { nationalScale, synthesize } from "../src/demo/synth.js";
import { participantsFor } from "../src/demo/synth-participants.js";
import {
  exitCounts,
  exitSets,
  guidanceCaseSums,
  nationalAggregate,
  periodCounts,
  periodSets,
  type StatisticsScope,
} from "../src/participants/statistics-repository.js";
import { generateKeyLine, loadKeyring } from "../src/platform/crypto/keyring.js";
import { inAssociation, type Tx } from "../src/platform/db/scope.js";
import { type RunningServer, startServer } from "../src/server.js";
import type { LoadRun } from "./http-load.js";
import { type ImportThroughput, measureImportThroughput } from "./participant-import.js";
import {
  CONTENDED_WAIT_SHARE,
  type DatabaseTarget,
  fixed,
  freePort,
  gitCommit,
  type LatencyFigures,
  latencyFigures,
  load,
  logIn,
  machine,
  numberSetting,
  percent,
  pgliteTarget,
  postgresTarget,
  runProblems,
  textTable,
} from "./support.js";

const TARGETS = { maxRepositoryToRawSql: 1.5 };
const QUERY_WARMUP = 3;

const { values: args } = parseArgs({ options: { scale: { type: "string" } }, strict: true });
if (args.scale !== undefined) process.env.BENCH_SCALE = args.scale;
const scale = numberSetting("BENCH_SCALE", 1, 0);
const settings = {
  scale,
  associations: Math.max(1, Math.round(nationalScale.associations * Math.min(scale, 1))),
  databases: (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",").map((name) => name.trim()),
  connections: Math.round(numberSetting("BENCH_CONNECTIONS", 5, 1)),
  seconds: numberSetting("BENCH_SECONDS", 10, 1),
  warmupSeconds: numberSetting("BENCH_WARMUP_SECONDS", 2, 0),
  rounds: Math.round(numberSetting("BENCH_ROUNDS", 2, 1)),
  queryRuns: Math.round(numberSetting("BENCH_QUERY_RUNS", 20, 1)),
  importRows: Math.round(numberSetting("BENCH_IMPORT_ROWS", Math.max(1000, 100_000 * Math.min(scale, 1)), 1)),
  seed: Math.round(numberSetting("BENCH_SEED", 1, 0)),
};
const participantsPerAssociation = participantsFor(nationalScale);

const log = (line: string) => process.stderr.write(`  ${line}\n`);

// ---------------------------------------------------------------------------------------------------------------------
// The same aggregates as the repository's, written by hand: one plain GROUP BY per breakdown over the period's rows.

const handWrittenPeriod = (scope: StatisticsScope) => sql<{ total_persons: number; total_enrolments: number }>`
  with s as materialized (
    select e.participant_id, e.enrolled_on, e.exited_on, e.referrer_member_id, p.gender,
      case when p.birth_year is null or extract(year from e.enrolled_on)::int - p.birth_year < 16 then 'okänd'
        when extract(year from e.enrolled_on)::int - p.birth_year <= 24 then '16–24'
        when extract(year from e.enrolled_on)::int - p.birth_year <= 29 then '25–29'
        when extract(year from e.enrolled_on)::int - p.birth_year <= 39 then '30–39'
        when extract(year from e.enrolled_on)::int - p.birth_year <= 49 then '40–49'
        when extract(year from e.enrolled_on)::int - p.birth_year <= 64 then '50–64' else '65+' end as band
    from enrolment e join participant p on p.association_id = e.association_id and p.id = e.participant_id
    where e.association_id = ${scope.associationId} and e.enrolled_on <= ${scope.to}
      and (e.exited_on is null or e.exited_on >= ${scope.from})
  ),
  counted as (
    select 'gender' as breakdown, gender::text as key, null::text as key2, count(distinct participant_id) as persons,
      count(*) as enrolments, count(distinct participant_id) filter (where enrolled_on >= ${scope.from}) as new_persons,
      count(*) filter (where exited_on <= ${scope.to}) as exited
    from s group by gender
    union all
    select 'band', band, gender, count(distinct participant_id), count(*),
      count(distinct participant_id) filter (where enrolled_on >= ${scope.from}),
      count(*) filter (where exited_on <= ${scope.to})
    from s group by band, gender
    union all
    select 'referrer', m.name, null, count(distinct s.participant_id), count(*),
      count(distinct s.participant_id) filter (where s.enrolled_on >= ${scope.from}),
      count(*) filter (where s.exited_on <= ${scope.to})
    from s left join member m on m.association_id = ${scope.associationId} and m.id = s.referrer_member_id
    group by m.name
    union all
    select 'total', null, null, count(distinct participant_id), count(*),
      count(distinct participant_id) filter (where enrolled_on >= ${scope.from}),
      count(*) filter (where exited_on <= ${scope.to})
    from s
  )
  select (select persons from counted where breakdown = 'total')::int as total_persons,
    (select enrolments from counted where breakdown = 'total')::int as total_enrolments,
    count(*)::int as rows
  from counted`;

const handWrittenExits = (scope: StatisticsScope) => sql<{ total: number }>`
  with x as materialized (
    select e.income_source_at_enrolment, e.income_source_at_exit, e.exit_reason, p.gender,
      e.exited_on - e.enrolled_on as days
    from enrolment e join participant p on p.association_id = e.association_id and p.id = e.participant_id
    where e.association_id = ${scope.associationId} and e.exited_on between ${scope.from} and ${scope.to}
  ),
  counted as (
    select 'transition' as breakdown, count(*) as enrolments, null::float8 as median
    from x group by income_source_at_enrolment, income_source_at_exit
    union all
    select 'outcome', count(*), null from x group by exit_reason, gender
    union all
    select 'total', count(*), percentile_cont(0.5) within group (order by days) from x
  )
  select (select enrolments from counted where breakdown = 'total')::int as total, count(*)::int as rows from counted`;

const handWrittenGuidance = (scope: StatisticsScope) => sql`
  select sum(women) as women, sum(men) as men, sum(gender_unknown) as gender_unknown from guidance_case_count
  where association_id = ${scope.associationId} and period_start between ${scope.from} and ${scope.to}`;

async function repositoryStatistics(tx: Tx, scope: StatisticsScope) {
  const period = await periodCounts(tx, scope);
  const exits = await exitCounts(tx, scope);
  await guidanceCaseSums(tx, scope);
  const total = period.find((row) => row.grouping_set === periodSets.total);
  return {
    persons: total?.active_persons ?? 0,
    enrolments: total?.active_enrolments ?? 0,
    exited: exits.find((row) => row.grouping_set === exitSets.total)?.enrolments ?? 0,
  };
}

async function handWrittenStatistics(tx: Tx, scope: StatisticsScope) {
  const period = (await handWrittenPeriod(scope).execute(tx)).rows[0];
  const exits = (await handWrittenExits(scope).execute(tx)).rows[0];
  await handWrittenGuidance(scope).execute(tx);
  return { persons: period?.total_persons ?? 0, enrolments: period?.total_enrolments ?? 0, exited: exits?.total ?? 0 };
}

const handWrittenNational = (fromYear: number, toYear: number) => sql<{ enrolments: number }>`
  select e.association_id, date_part('year', e.enrolled_on)::int as year, p.gender, count(*)::int as enrolments
  from enrolment e join participant p on p.association_id = e.association_id and p.id = e.participant_id
  where e.enrolled_on >= ${`${fromYear}-01-01`} and e.enrolled_on < ${`${toYear + 1}-01-01`}
  group by e.association_id, date_part('year', e.enrolled_on), p.gender`;

// ---------------------------------------------------------------------------------------------------------------------
// Measuring

type Comparison = {
  app: LatencyFigures;
  raw: LatencyFigures;
  /** App over hand-written, of mean ms, and of p50 ms (which garbage collection and other processes move less). */
  ratio: number;
  ratioP50: number;
};

/** Both ways in turns, so that load from other processes and caches weigh on them alike. */
async function compare(app: () => Promise<unknown>, raw: () => Promise<unknown>): Promise<Comparison> {
  const times = { app: [] as number[], raw: [] as number[] };
  for (let run = -QUERY_WARMUP; run < settings.queryRuns; run++) {
    for (const [key, work] of [
      ["app", app],
      ["raw", raw],
    ] as const) {
      const started = performance.now();
      await work();
      if (run >= 0) times[key].push(performance.now() - started);
    }
  }
  const figures = { app: latencyFigures(times.app), raw: latencyFigures(times.raw) };
  return { ...figures, ratio: figures.app.mean / figures.raw.mean, ratioP50: figures.app.p50 / figures.raw.p50 };
}

type PageFigures = {
  path: string;
  responses: number;
  requestsPerSecond: number;
  latencyMs: LatencyFigures;
  serverCpuWaitShare: number | null;
};

async function measurePages(
  server: RunningServer,
  pages: { key: "baseline" | "statistics"; path: string; headers: Record<string, string> }[],
  problems: string[],
) {
  const runs = new Map<string, { measured: LoadRun[]; elapsed: number; wait: number | null }>();
  for (let round = 1; round <= settings.rounds; round++) {
    for (const page of pages) {
      log(`${page.path} (round ${round}/${settings.rounds})`);
      const { warmup, measured, thread } = await load({
        url: server.url + page.path,
        headers: page.headers,
        connections: settings.connections,
        warmupSeconds: round === 1 ? settings.warmupSeconds : 0,
        seconds: settings.seconds / settings.rounds,
      });
      if (warmup) problems.push(...runProblems(page.path, "warm-up", warmup));
      problems.push(...runProblems(page.path, `round ${round}`, measured));
      const entry = runs.get(page.key) ?? { measured: [], elapsed: 0, wait: null };
      entry.measured.push(measured);
      if (thread) {
        entry.elapsed += thread.elapsedNs;
        entry.wait = (entry.wait ?? 0) + thread.waitNs;
      }
      runs.set(page.key, entry);
    }
  }
  const figures = (key: string, path: string): PageFigures => {
    const entry = runs.get(key)!;
    const responses = entry.measured.reduce((sum, run) => sum + run.responses, 0);
    return {
      path,
      responses,
      requestsPerSecond: responses / entry.measured.reduce((sum, run) => sum + run.seconds, 0),
      latencyMs: latencyFigures(entry.measured.flatMap((run) => Array.from(run.latenciesMs))),
      serverCpuWaitShare: entry.wait === null ? null : entry.wait / entry.elapsed,
    };
  };
  const [baseline, statistics] = pages.map((page) => figures(page.key, page.path)) as [PageFigures, PageFigures];
  return { baseline, statistics, p95Ratio: statistics.latencyMs.p95 / baseline.latencyMs.p95 };
}

type DatabaseResults = {
  database: string;
  description: string;
  scale: number;
  associations: number;
  participants: number;
  enrolments: number;
  generationSeconds: number;
  period: { from: string; to: string };
  page?: Awaited<ReturnType<typeof measurePages>>;
  associationStatistics?: Comparison & { totals: Awaited<ReturnType<typeof repositoryStatistics>> };
  national?: Comparison & { rows: number; years: { fromYear: number; toYear: number } };
  importThroughput?: ImportThroughput;
  problems: string[];
};

async function benchDatabase(target: DatabaseTarget, results: DatabaseResults) {
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "silent",
    SAMORDNA_ENCRYPTION_KEYS: generateKeyLine("bench"),
    ...target.env,
  });
  const keyring = loadKeyring(config.encryptionKeys);
  const server = await startServer(config, pino({ level: "silent" }), { demo: false });
  try {
    const { db } = server.database;
    const { seed } = settings;
    log(
      `${target.name}: generating ${settings.associations} associations with ${participantsPerAssociation} deltagare each`,
    );
    const started = performance.now();
    await synthesize(db, { ...nationalScale, associations: settings.associations, seed, keyring });
    results.generationSeconds = (performance.now() - started) / 1000;
    const counts = await sql<{ participants: number; enrolments: number }>`
      select (select count(*) from participant)::int as participants,
        (select count(*) from enrolment)::int as enrolments`.execute(db);
    results.participants = counts.rows[0]?.participants ?? 0;
    results.enrolments = counts.rows[0]?.enrolments ?? 0;
    printGeneration(results);

    // The generator's naming: association synth-<seed>-<n>, users <role>-<n>@synth-<seed>.test.
    const slug = `synth-${seed}-1`;
    const association = await db.selectFrom("association").select("id").where("slug", "=", slug).executeTakeFirst();
    if (!association) throw new Error(`the generator made no association ${slug}`);
    const scope: StatisticsScope = { associationId: association.id, ...results.period };

    log(`${target.name}: association statistics, repository vs hand-written SQL`);
    const inScope = <T>(work: (tx: Tx) => Promise<T>) => inAssociation(db, association.id, work);
    const app = await inScope((tx) => repositoryStatistics(tx, scope));
    const raw = await inScope((tx) => handWrittenStatistics(tx, scope));
    if (JSON.stringify(app) !== JSON.stringify(raw)) {
      results.problems.push(
        `the repository counts ${JSON.stringify(app)}, the hand-written SQL ${JSON.stringify(raw)}`,
      );
    }
    results.associationStatistics = {
      totals: app,
      ...(await compare(
        () => inScope((tx) => repositoryStatistics(tx, scope)),
        () => inScope((tx) => handWrittenStatistics(tx, scope)),
      )),
    };

    log(`${target.name}: national aggregate, repository vs hand-written SQL`);
    const lastYear = Number(results.period.from.slice(0, 4));
    const years = { fromYear: lastYear - nationalScale.years + 1, toYear: lastYear + 1 };
    const national = await nationalAggregate(db, years);
    const nationalRaw = (await handWrittenNational(years.fromYear, years.toYear).execute(db)).rows;
    const sum = (rows: { enrolments: number }[]) => rows.reduce((total, row) => total + row.enrolments, 0);
    if (national.length !== nationalRaw.length || sum(national) !== sum(nationalRaw)) {
      results.problems.push(
        `nationalAggregate gives ${national.length} rows and ${sum(national)} enrolments, the hand-written SQL ` +
          `${nationalRaw.length} and ${sum(nationalRaw)}`,
      );
    }
    results.national = {
      rows: national.length,
      years,
      ...(await compare(
        () => nationalAggregate(db, years),
        () => handWrittenNational(years.fromYear, years.toYear).execute(db),
      )),
    };
    printQueries(results);

    const cookie = await logIn(server.url, `officer-1@synth-${seed}.test`, `synth-password-${seed}`);
    const statisticsPath = `/f/${slug}/participants/statistics?from=${results.period.from}&to=${results.period.to}`;
    for (const [path, headers, mustContain] of [
      ["/about", {}, "<h1>Om Samordna</h1>"],
      [statisticsPath, { cookie }, "<h1>Deltagarstatistik</h1>"],
    ] as const) {
      const response = await fetch(server.url + path, { headers, redirect: "manual" });
      const body = await response.text();
      if (response.status !== 200 || !body.includes(mustContain)) {
        throw new Error(`${path} answered ${response.status} without "${mustContain}" before the run`);
      }
    }
    results.page = await measurePages(
      server,
      [
        { key: "baseline", path: "/about", headers: {} },
        { key: "statistics", path: statisticsPath, headers: { cookie } },
      ],
      results.problems,
    );
    printPage(results);

    log(`${target.name}: importing ${settings.importRows} rows`);
    results.importThroughput = await measureImportThroughput(server.database, { rows: settings.importRows, keyring });
    printImport(results);
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Printing

const write = (lines: string[]) => process.stdout.write(`${lines.join("\n")}\n`);

function printGeneration(results: DatabaseResults) {
  write([
    "",
    `${results.description}: ${results.associations} associations, ${results.participants} deltagare, ` +
      `${results.enrolments} enrolments, generated in ${fixed(results.generationSeconds, 1)} s ` +
      `(${fixed(results.participants / results.generationSeconds, 0)} deltagare/s, all other synthetic data included)`,
  ]);
}

function printQueries(results: DatabaseResults) {
  const rows: string[][] = [];
  for (const [label, comparison] of [
    ["association statistics (period counts, exits, lotsärenden)", results.associationStatistics],
    ["national aggregate (nationalAggregate)", results.national],
  ] as const) {
    if (!comparison) continue;
    rows.push([
      label,
      fixed(comparison.app.mean, 1),
      fixed(comparison.app.p50, 1),
      fixed(comparison.app.p95, 1),
      fixed(comparison.raw.mean, 1),
      fixed(comparison.raw.p50, 1),
      fixed(comparison.ratio, 2),
      fixed(comparison.ratioP50, 2),
    ]);
  }
  const statistics = results.associationStatistics;
  write([
    `Queries, ${settings.queryRuns} runs each in turns: the app's repository vs the same aggregates by hand (ms)`,
    ...textTable(
      ["aggregate", "app mean", "app p50", "app p95", "hand mean", "hand p50", "× hand", "p50 × hand"],
      rows,
    ),
    statistics
      ? `association statistics ${fixed(statistics.ratio, 2)}× hand-written (target ≤ ` +
        `${TARGETS.maxRepositoryToRawSql}×): ${statistics.ratio <= TARGETS.maxRepositoryToRawSql ? "held" : "MISSED"}` +
        ` — ${statistics.totals.persons} persons and ${statistics.totals.enrolments} enrolments active, ` +
        `${statistics.totals.exited} exited in ${results.period.from} – ${results.period.to}`
      : "",
  ]);
}

function printPage(results: DatabaseResults) {
  const page = results.page;
  if (!page) return;
  const row = (label: string, figures: PageFigures) => [
    label,
    figures.path,
    fixed(figures.requestsPerSecond, 0),
    fixed(figures.latencyMs.p50, 2),
    fixed(figures.latencyMs.p95, 2),
    fixed(figures.latencyMs.p95 / page.baseline.latencyMs.p95, 1),
    percent(figures.serverCpuWaitShare),
  ];
  const lines = [
    `Statistics page over HTTP (${settings.connections} connections, ${settings.seconds} s per page)`,
    ...textTable(
      ["page", "path", "req/s", "p50 ms", "p95 ms", "p95 × base", "CPU wait"],
      [row("baseline", page.baseline), row("statistics", page.statistics)],
      2,
    ),
    `statistics page p95 ${fixed(page.p95Ratio, 1)}× the baseline's`,
  ];
  if ([page.baseline, page.statistics].some((figures) => (figures.serverCpuWaitShare ?? 0) > CONTENDED_WAIT_SHARE)) {
    lines.push("WARNING: the server waited for a CPU often: other processes distort these figures. Rerun when idle.");
  }
  write(lines);
}

function printImport(results: DatabaseResults) {
  const figures = results.importThroughput;
  if (!figures) return;
  write([
    `Import of ${figures.rows} rows (${figures.fileBytes} bytes of CSV): check ${fixed(figures.check.rowsPerSecond, 0)} ` +
      `rows/s (${fixed(figures.check.seconds, 1)} s), import ${fixed(figures.import.rowsPerSecond, 0)} rows/s ` +
      `(${fixed(figures.import.seconds, 1)} s)`,
  ]);
}

// ---------------------------------------------------------------------------------------------------------------------

async function main() {
  const lastYear = new Date().getUTCFullYear() - 1;
  const participants = settings.associations * participantsPerAssociation;
  process.stdout.write(
    `bench:participants at scale ${settings.scale}: ${settings.associations} of ${nationalScale.associations} ` +
      `associations, ${participants} deltagare${settings.scale < 1 ? " (a reduced scale: --scale 1 is national)" : ""}\n`,
  );
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  const targets: { name: string; open: () => Promise<DatabaseTarget> }[] = [];
  if (settings.databases.includes("pglite")) targets.push({ name: "pglite", open: async () => pgliteTarget() });
  if (settings.databases.includes("postgres")) {
    if (adminUrl) targets.push({ name: "postgres", open: () => postgresTarget(adminUrl) });
    else log("PostgreSQL skipped: set BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL to include it.");
  }
  let broken = false;
  for (const { name, open } of targets) {
    const target = await open();
    const results: DatabaseResults = {
      database: name,
      description: target.description,
      scale: settings.scale,
      associations: settings.associations,
      participants: 0,
      enrolments: 0,
      generationSeconds: Number.NaN,
      period: { from: `${lastYear}-01-01`, to: `${lastYear}-12-31` },
      problems: [],
    };
    try {
      await benchDatabase(target, results);
    } catch (error) {
      const cause = error instanceof Error && error.cause ? ` (${String(error.cause)})` : "";
      results.problems.push(`failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
    } finally {
      await target.dispose();
    }
    for (const problem of results.problems) process.stdout.write(`PROBLEM (${name}): ${problem}\n`);
    broken ||= results.problems.length > 0;
    const file = fileURLToPath(new URL(`../../bench/results/participants-${name}.json`, import.meta.url));
    const report = {
      benchmark: "participants",
      date: new Date().toISOString(),
      commit: gitCommit(),
      machine: machine(),
      settings: { ...settings, targets: TARGETS },
      ...results,
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`Wrote ${file}\n`);
  }
  if (broken) process.stdout.write("BENCHMARK BROKEN: see PROBLEM lines above; the figures are not valid.\n");
  process.exitCode = broken ? 1 : 0;
}

await main();
