import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { loadConfig } from "../src/config.js";
import { DEMO_SLUG } from "../src/demo/demo.js";
import { startServer } from "../src/server.js";
import type { LoadRun } from "./http-load.js";
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
  type ThreadTimes,
} from "./support.js";

const TARGETS = { minThroughputRatio: 0.25, maxP95Ratio: 4 };
const DEMO_PASSWORD = "bench-demo-password";
const LOGIN_EMAIL = "forbundschef@exempel.test";
const RESULTS_FILE = fileURLToPath(new URL("../../bench/results/http.json", import.meta.url));

type PageKey = "baseline" | "login" | "start";
type Page = { key: PageKey; label: string; path: string; signedIn: boolean; mustContain: string };

const pages: Page[] = [
  { key: "baseline", label: "baseline", path: "/about", signedIn: false, mustContain: "<h1>Om Samordna</h1>" },
  { key: "login", label: "login", path: "/login", signedIn: false, mustContain: 'name="_csrf"' },
  // "Läget i förbundet" is the administrator's status section: members, admin count and recent audit entries.
  { key: "start", label: "start page", path: `/f/${DEMO_SLUG}`, signedIn: true, mustContain: "Läget i förbundet" },
];

const settings = {
  connections: Math.round(numberSetting("BENCH_CONNECTIONS", 20, 1)),
  seconds: numberSetting("BENCH_SECONDS", 10, 1),
  warmupSeconds: numberSetting("BENCH_WARMUP_SECONDS", 2, 0),
  rounds: Math.round(numberSetting("BENCH_ROUNDS", 2, 1)),
};

type PageFigures = {
  page: PageKey;
  path: string;
  requestsPerSecond: number;
  responses: number;
  seconds: number;
  latencyMs: LatencyFigures;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Share of the measured time the server's event loop (and, on PGlite, the database) was busy: 1 = saturated. */
  serverEventLoopUtilization: number;
  /**
   * Linux only (/proc schedstat of the server's main thread): CPU time it used per response, and the share of the
   * measured time it was ready to run but waited for a CPU. A high wait share means other processes competed for
   * the machine and the figures are unreliable.
   */
  serverCpuMsPerRequest: number | null;
  serverCpuWaitShare: number | null;
  ratioToBaseline: { throughput: number; p95: number };
};

type Verdict = {
  throughputRatio: number;
  p95Ratio: number;
  throughputHeld: boolean;
  p95Held: boolean;
  held: boolean;
};

type DatabaseFigures = {
  database: "pglite" | "postgres";
  description: string;
  pages: PageFigures[];
  targets: Verdict | undefined;
  /** Whether the server thread waited for a CPU so much (see CONTENDED_WAIT_SHARE) that the figures are unreliable. */
  cpuContended: boolean;
  problems: string[];
};

// ---------------------------------------------------------------------------------------------------------------------
// Server and session

/** startServer prints the demo logins (with the password) to stdout; the benchmark's output is its table. */
async function withoutStdout<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Measuring

async function benchDatabase(target: DatabaseTarget): Promise<DatabaseFigures> {
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "silent",
    SAMORDNA_DEMO_PASSWORD: DEMO_PASSWORD,
    ...target.env,
  });
  const server = await withoutStdout(() => startServer(config, pino({ level: "silent" }), { demo: true }));
  const figures: DatabaseFigures = {
    database: target.name,
    description: target.description,
    pages: [],
    targets: undefined,
    cpuContended: false,
    problems: [],
  };
  try {
    const cookie = await logIn(server.url, LOGIN_EMAIL, DEMO_PASSWORD);
    const headersOf = (page: Page): Record<string, string> => (page.signedIn ? { cookie } : {});
    for (const page of pages) {
      const check = await fetch(server.url + page.path, { headers: headersOf(page), redirect: "manual" });
      const body = await check.text();
      if (check.status !== 200 || !body.includes(page.mustContain)) {
        throw new Error(`${page.path} answered ${check.status} without "${page.mustContain}" before the run`);
      }
    }
    // Rounds interleave the pages (baseline, login, start, baseline, …) so that load from other processes on the
    // machine spreads over all of them instead of skewing the ratios; each page is warmed up in the first round.
    const runs = new Map<PageKey, { measured: LoadRun[]; active: number; idle: number; thread?: ThreadTimes }>();
    for (let round = 1; round <= settings.rounds; round++) {
      for (const page of pages) {
        process.stderr.write(`  ${target.name}: ${page.path} (round ${round}/${settings.rounds})\n`);
        const { warmup, measured, elu, thread } = await load({
          url: server.url + page.path,
          headers: headersOf(page),
          connections: settings.connections,
          warmupSeconds: round === 1 ? settings.warmupSeconds : 0,
          seconds: settings.seconds / settings.rounds,
        });
        if (warmup) figures.problems.push(...runProblems(page.path, "warm-up", warmup));
        figures.problems.push(...runProblems(page.path, `round ${round}`, measured));
        const entry = runs.get(page.key) ?? { measured: [], active: 0, idle: 0 };
        entry.measured.push(measured);
        entry.active += elu.active;
        entry.idle += elu.idle;
        entry.thread =
          thread && (round === 1 || entry.thread)
            ? {
                elapsedNs: (entry.thread?.elapsedNs ?? 0) + thread.elapsedNs,
                cpuNs: (entry.thread?.cpuNs ?? 0) + thread.cpuNs,
                waitNs: (entry.thread?.waitNs ?? 0) + thread.waitNs,
              }
            : undefined;
        runs.set(page.key, entry);
      }
    }
    for (const page of pages) {
      const entry = runs.get(page.key);
      if (!entry) continue;
      const responses = entry.measured.reduce((sum, run) => sum + run.responses, 0);
      const seconds = entry.measured.reduce((sum, run) => sum + run.seconds, 0);
      const latencies = new Float64Array(responses);
      const statusCodes: Record<string, number> = {};
      let offset = 0;
      for (const run of entry.measured) {
        latencies.set(run.latenciesMs, offset);
        offset += run.latenciesMs.length;
        for (const [status, count] of Object.entries(run.statusCodes)) {
          statusCodes[status] = (statusCodes[status] ?? 0) + count;
        }
      }
      figures.pages.push({
        page: page.key,
        path: page.path,
        requestsPerSecond: responses / seconds,
        responses,
        seconds,
        latencyMs: latencyFigures(latencies),
        statusCodes,
        errors: entry.measured.reduce((sum, run) => sum + run.errors, 0),
        timeouts: entry.measured.reduce((sum, run) => sum + run.timeouts, 0),
        serverEventLoopUtilization: entry.active / (entry.active + entry.idle),
        serverCpuMsPerRequest: entry.thread ? entry.thread.cpuNs / 1e6 / responses : null,
        serverCpuWaitShare: entry.thread ? entry.thread.waitNs / entry.thread.elapsedNs : null,
        ratioToBaseline: { throughput: Number.NaN, p95: Number.NaN },
      });
    }
  } finally {
    await server.close();
  }
  const baseline = figures.pages.find((page) => page.page === "baseline");
  for (const page of figures.pages) {
    if (!baseline) break;
    page.ratioToBaseline = {
      throughput: page.requestsPerSecond / baseline.requestsPerSecond,
      p95: page.latencyMs.p95 / baseline.latencyMs.p95,
    };
  }
  figures.cpuContended = figures.pages.some((page) => (page.serverCpuWaitShare ?? 0) > CONTENDED_WAIT_SHARE);
  const start = figures.pages.find((page) => page.page === "start");
  if (start) {
    const throughputHeld = start.ratioToBaseline.throughput >= TARGETS.minThroughputRatio;
    const p95Held = start.ratioToBaseline.p95 <= TARGETS.maxP95Ratio;
    figures.targets = {
      throughputRatio: start.ratioToBaseline.throughput,
      p95Ratio: start.ratioToBaseline.p95,
      throughputHeld,
      p95Held,
      held: throughputHeld && p95Held,
    };
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------------------------------
// Report

function printDatabase(figures: DatabaseFigures) {
  const columns = [
    "page",
    "path",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "req/s × base",
    "p95 × base",
    "server ELU",
    "CPU ms/req",
    "CPU wait",
  ];
  const rows = figures.pages.map((page) => [
    pages.find((p) => p.key === page.page)?.label ?? page.page,
    page.path,
    fixed(page.requestsPerSecond, 0),
    fixed(page.latencyMs.p50, 2),
    fixed(page.latencyMs.p95, 2),
    fixed(page.latencyMs.p99, 2),
    fixed(page.ratioToBaseline.throughput, 2),
    fixed(page.ratioToBaseline.p95, 2),
    fixed(page.serverEventLoopUtilization, 2),
    fixed(page.serverCpuMsPerRequest, 2),
    percent(page.serverCpuWaitShare),
  ]);
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  const out: string[] = ["", `${figures.database}: ${figures.description}`];
  if (rows.length > 0) out.push(line(columns), ...rows.map(line));
  const t = figures.targets;
  if (t) {
    out.push(
      `start page req/s ${fixed(t.throughputRatio, 2)}× baseline (target ≥ ${TARGETS.minThroughputRatio}×): ${t.throughputHeld ? "held" : "MISSED"}`,
      `start page p95   ${fixed(t.p95Ratio, 2)}× baseline (target ≤ ${TARGETS.maxP95Ratio}×): ${t.p95Held ? "held" : "MISSED"}`,
      t.held ? `=> ${figures.database}: targets held` : `=> ${figures.database}: TARGETS MISSED`,
    );
  }
  if (figures.cpuContended) {
    const waits = figures.pages.map((page) => page.serverCpuWaitShare ?? 0);
    out.push(
      `WARNING: the server thread waited for a CPU up to ${percent(Math.max(...waits))} of the time: other processes ` +
        "(other jobs, or a PostgreSQL server on the same few cores) compete for the CPUs, so these figures are " +
        "unreliable. Rerun on an idle machine with more cores.",
    );
  }
  for (const problem of figures.problems) out.push(`PROBLEM: ${problem}`);
  process.stdout.write(`${out.join("\n")}\n`);
}

async function main() {
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  const databases: { name: DatabaseTarget["name"]; open: () => Promise<DatabaseTarget> }[] = [
    { name: "pglite", open: async () => pgliteTarget() },
  ];
  if (postgresUrl) databases.push({ name: "postgres", open: () => postgresTarget(postgresUrl) });
  else process.stderr.write("PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to include it.\n");

  process.stdout.write(
    `bench:http: ${settings.connections} connections; per page ${settings.warmupSeconds} s warm-up, then ${settings.seconds} s ` +
      `in ${settings.rounds} interleaved round(s); ` +
      `targets: start page ≥ ${TARGETS.minThroughputRatio}× baseline req/s, p95 ≤ ${TARGETS.maxP95Ratio}× baseline p95\n`,
  );
  const results: DatabaseFigures[] = [];
  for (const { name, open } of databases) {
    let target: DatabaseTarget | undefined;
    try {
      target = await open();
      results.push(await benchDatabase(target));
    } catch (error) {
      results.push({
        database: name,
        description: target?.description ?? "could not be set up",
        pages: [],
        targets: undefined,
        cpuContended: false,
        problems: [`benchmark failed: ${error instanceof Error ? error.message : String(error)}`],
      });
    } finally {
      await target?.dispose().catch((error: unknown) => process.stderr.write(`clean-up failed: ${String(error)}\n`));
    }
    const last = results[results.length - 1];
    if (last) printDatabase(last);
  }

  const broken = results.some((result) => result.problems.length > 0);
  const missed = results.filter((result) => result.targets && !result.targets.held).map((result) => result.database);
  const report = {
    benchmark: "http",
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: machine(),
    settings: {
      ...settings,
      loadGenerator: "autocannon 9 on a worker thread of the server's process",
      logLevel: "silent",
      pages: pages.map(({ key, path, signedIn }) => ({ page: key, path, signedIn })),
      targets: TARGETS,
    },
    databases: results,
    held: !broken && missed.length === 0,
  };
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);

  process.stdout.write(`\nWrote ${RESULTS_FILE}\n`);
  if (broken) process.stdout.write("BENCHMARK BROKEN: see PROBLEM lines above; the figures are not valid.\n");
  else if (missed.length > 0)
    process.stdout.write(`MISSED: the start page misses its targets on ${missed.join(", ")}.\n`);
  else process.stdout.write("All targets held.\n");
  process.exitCode = broken ? 1 : 0;
}

await main();
