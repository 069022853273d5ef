// `npm run bench:reports`: how long exports take, as ratios measured in the same run.
//
// 1. Report exports, in this process and without a database: the largest legacy slutrapport of
//    test/fixtures/slutrapporter.json (by the JSON size of its answers after fromLegacyReport) is composed and rendered
//    as HTML, PDF and DOCX. Every measured export includes composeReport, as a request that shows or downloads a
//    report does; the ratios PDF/HTML and DOCX/HTML are of mean ms per export. Target: PDF ≤ 5× HTML.
// 2. The portfolio, over HTTP on PGlite in a fresh data directory: the synthetic data generator fills one
//    association (~400 insatser with grants, requisitions and repayments); autocannon (bench/http-load.ts) loads the
//    static baseline /about and the portfolio page as the association's officer in interleaved rounds, and the
//    portfolio XLSX is downloaded one at a time. Target: portfolio p95 ≤ 4× the baseline's p95. Then, when the first
//    association's generation time says the national scale (src/demo/synth.ts) fits in BENCH_NATIONAL_MAX_SECONDS,
//    the rest of the national data is generated into the same database and the same association is measured again.
//
// Settings (environment): BENCH_EXPORT_RUNS (default 50) per format after BENCH_EXPORT_WARMUP (default 5);
// BENCH_SECONDS (default 20) measured per page after BENCH_WARMUP_SECONDS (default 2), in BENCH_ROUNDS (default 2);
// BENCH_CONNECTIONS (default 5); BENCH_XLSX_RUNS (default 20); BENCH_NATIONAL_MAX_SECONDS (default 180, 0 skips the
// national scale); BENCH_SEED (default 1). Fewer connections and longer rounds than bench:http, because a portfolio
// request takes hundreds of milliseconds on PGlite's one connection: at 20 connections a round gives only a handful
// of responses and comes near autocannon's 10 s timeout. Both pages queue behind the one event loop alike, so the
// p95 ratio hardly depends on the number of connections.
// Prints tables and writes bench/results/reports.json. Exits 1 only when the benchmark itself is broken (a page or
// download answered anything but 200, or the data could not be set up); missed targets are printed as MISSED.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pino from "pino";
import { loadConfig } from "../src/config.js";
import { nationalScale, synthesize } from "../src/demo/synth.js";
import type { ExportDocument } from "../src/platform/export/document.js";
import { renderDocx } from "../src/platform/export/docx.js";
import { ExportHtml } from "../src/platform/export/html.js";
import { renderPdf } from "../src/platform/export/pdf.js";
import { findBuiltinTemplate } from "../src/reports/builtin/index.js";
import { type ComposeOptions, composeReport } from "../src/reports/compose.js";
import { fromLegacyReport } from "../src/reports/legacy.js";
import { type RunningServer, startServer } from "../src/server.js";
import type { LoadRun } from "./http-load.js";
import {
  CONTENDED_WAIT_SHARE,
  fixed,
  freePort,
  gitCommit,
  type LatencyFigures,
  latencyFigures,
  load,
  logIn,
  machine,
  mainThreadSchedstat,
  numberSetting,
  percent,
  runProblems,
  textTable,
} from "./support.js";

const TARGETS = { maxPdfToHtml: 5, maxPortfolioP95Ratio: 4 };
const EXPORT_BLOCK = 10;
const FIXTURES = fileURLToPath(new URL("../../test/fixtures/slutrapporter.json", import.meta.url));
const RESULTS_FILE = fileURLToPath(new URL("../../bench/results/reports.json", import.meta.url));

const settings = {
  exportRuns: Math.round(numberSetting("BENCH_EXPORT_RUNS", 50, 1)),
  exportWarmup: Math.round(numberSetting("BENCH_EXPORT_WARMUP", 5, 0)),
  connections: Math.round(numberSetting("BENCH_CONNECTIONS", 5, 1)),
  seconds: numberSetting("BENCH_SECONDS", 20, 1),
  warmupSeconds: numberSetting("BENCH_WARMUP_SECONDS", 2, 0),
  rounds: Math.round(numberSetting("BENCH_ROUNDS", 2, 1)),
  xlsxRuns: Math.round(numberSetting("BENCH_XLSX_RUNS", 20, 1)),
  nationalMaxSeconds: numberSetting("BENCH_NATIONAL_MAX_SECONDS", 180, 0),
  seed: Math.round(numberSetting("BENCH_SEED", 1, 0)),
};

const log = (line: string) => process.stderr.write(`  ${line}\n`);

// ---------------------------------------------------------------------------------------------------------------------
// Report exports

type Format = "html" | "pdf" | "docx";

type ExportFigures = { format: Format; bytes: number; ms: LatencyFigures };

type ExportResults = {
  report: { id: string; template: string; answersJsonChars: number; blocks: number };
  composeIncluded: true;
  formats: ExportFigures[];
  /** Of mean ms per export (the target's); of p50 too, which garbage collection and other processes move less. */
  ratios: { pdfToHtml: number; docxToHtml: number; p50: { pdfToHtml: number; docxToHtml: number } };
  pdfTargetHeld: boolean;
  /** Share of the measuring time this thread was ready to run but waited for a CPU (Linux): above 10 %, unreliable. */
  cpuWaitShare: number | null;
};

/** Fictional, as in the golden tests: the fixtures hold no personal data, and neither does this. */
function composeOptionsOf(raw: unknown): ComposeOptions & { id: string; answersJsonChars: number } {
  const conversion = fromLegacyReport(raw);
  const template = findBuiltinTemplate(conversion.templateKey);
  if (!template) throw new Error(`no built-in template ${conversion.templateKey}`);
  const { insats } = conversion;
  return {
    id: conversion.sourceId,
    answersJsonChars: JSON.stringify(conversion.answers).length,
    template,
    answers: conversion.answers,
    facts: {
      name: insats.name,
      periodStart: insats.periodStart,
      periodEnd: insats.periodEnd,
      periodRaw: insats.periodRaw,
      intakeEnd: insats.intakeEnd,
      grantedOre: insats.grantedOre,
      usedOre: insats.usedOre,
      ...(insats.ownerName ? { owner: { name: insats.ownerName } } : {}),
      partners: insats.partners.map((partner) => ({ name: partner.name })),
    },
    association: {
      name: template.association,
      contacts: [{ title: "förbundschef", name: "Åsa Exempelsson", email: "forbundschef@example.se" }],
    },
  };
}

async function benchExports(): Promise<ExportResults> {
  const fixtures: unknown[] = JSON.parse(readFileSync(FIXTURES, "utf8"));
  const largest = fixtures
    .map(composeOptionsOf)
    .reduce((best, candidate) => (candidate.answersJsonChars > best.answersJsonChars ? candidate : best));
  const renderers: Record<Format, (doc: ExportDocument) => Promise<Buffer | string> | string> = {
    html: (doc) => String(ExportHtml({ doc })),
    pdf: renderPdf,
    docx: renderDocx,
  };
  const formats = Object.keys(renderers) as Format[];
  const timings = new Map<Format, number[]>(formats.map((format) => [format, []]));
  const bytes = new Map<Format, number>();
  const exportOnce = async (format: Format) => {
    const started = performance.now();
    const output = await renderers[format](composeReport(largest));
    const ms = performance.now() - started;
    bytes.set(format, Buffer.byteLength(output));
    return ms;
  };
  log(`exports: ${largest.id}, ${settings.exportWarmup} warm-up and ${settings.exportRuns} measured runs per format`);
  for (let run = 0; run < settings.exportWarmup; run++) for (const format of formats) await exportOnce(format);
  const startedAt = performance.now();
  const startSched = mainThreadSchedstat();
  // Formats take turns in blocks: turns spread the load of other processes over all three, and blocks keep most of
  // the garbage a PDF leaves behind from being collected during, and counted for, an HTML export.
  for (let done = 0; done < settings.exportRuns; done += EXPORT_BLOCK) {
    for (const format of formats) {
      for (let run = done; run < Math.min(done + EXPORT_BLOCK, settings.exportRuns); run++) {
        timings.get(format)!.push(await exportOnce(format));
      }
    }
  }
  const endSched = mainThreadSchedstat();
  const cpuWaitShare =
    startSched && endSched ? (endSched.waitNs - startSched.waitNs) / 1e6 / (performance.now() - startedAt) : null;
  const figures = formats.map((format) => ({
    format,
    bytes: bytes.get(format) ?? 0,
    ms: latencyFigures(timings.get(format)!),
  }));
  const ms = (format: Format) => figures.find((figure) => figure.format === format)!.ms;
  const ratios = {
    pdfToHtml: ms("pdf").mean / ms("html").mean,
    docxToHtml: ms("docx").mean / ms("html").mean,
    p50: { pdfToHtml: ms("pdf").p50 / ms("html").p50, docxToHtml: ms("docx").p50 / ms("html").p50 },
  };
  return {
    report: {
      id: largest.id,
      template: largest.template.key,
      answersJsonChars: largest.answersJsonChars,
      blocks: composeReport(largest).blocks.length,
    },
    composeIncluded: true,
    formats: figures,
    ratios,
    pdfTargetHeld: ratios.pdfToHtml <= TARGETS.maxPdfToHtml,
    cpuWaitShare,
  };
}

function printExports(results: ExportResults) {
  const { report, ratios } = results;
  const html = results.formats.find((figure) => figure.format === "html")!.ms;
  const out = [
    "",
    `Report exports: ${report.id} (${report.template}; answers ${report.answersJsonChars} characters of JSON, ` +
      `${report.blocks} blocks); ms per export, composing included`,
    ...textTable(
      ["format", "mean ms", "p50 ms", "p95 ms", "min ms", "max ms", "bytes", "mean × HTML", "p50 × HTML"],
      results.formats.map(({ format, bytes, ms }) => [
        format.toUpperCase(),
        fixed(ms.mean, 2),
        fixed(ms.p50, 2),
        fixed(ms.p95, 2),
        fixed(ms.min, 2),
        fixed(ms.max, 2),
        String(bytes),
        fixed(ms.mean / html.mean, 1),
        fixed(ms.p50 / html.p50, 1),
      ]),
    ),
    `PDF/HTML ${fixed(ratios.pdfToHtml, 1)}×, DOCX/HTML ${fixed(ratios.docxToHtml, 1)}× (of means; of p50s ` +
      `${fixed(ratios.p50.pdfToHtml, 1)}× and ${fixed(ratios.p50.docxToHtml, 1)}×)`,
    `PDF ≤ ${TARGETS.maxPdfToHtml}× HTML: ${results.pdfTargetHeld ? "held" : "MISSED"}`,
  ];
  if ((results.cpuWaitShare ?? 0) > CONTENDED_WAIT_SHARE) out.push(contendedWarning(results.cpuWaitShare!));
  process.stdout.write(`${out.join("\n")}\n`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Portfolio

type PageKey = "baseline" | "portfolio";

type PageFigures = {
  page: PageKey;
  path: string;
  requestsPerSecond: number;
  responses: number;
  latencyMs: LatencyFigures;
  /** Share of the measured time the server's event loop (and PGlite with it) was busy: 1 = saturated. */
  serverEventLoopUtilization: number;
  /** Share of the measured time the server's thread was ready to run but waited for a CPU (Linux). */
  serverCpuWaitShare: number | null;
  ratioToBaseline: { throughput: number; p95: number };
};

type StageFigures = {
  stage: "association" | "national";
  associations: number;
  /** Seconds the synthetic data generator took for this stage's associations. */
  generationSeconds: number;
  /** Of the association measured. */
  interventions: number;
  portfolioRows: number;
  pages: PageFigures[];
  xlsx: { runs: number; bytes: number; ms: LatencyFigures };
  p95Ratio: number;
  p95TargetHeld: boolean;
  cpuContended: boolean;
};

type PortfolioResults = {
  database: string;
  slug: string;
  stages: StageFigures[];
  /** Why the national scale was not measured, when it was not. */
  nationalSkipped?: string;
};

type Session = { server: RunningServer; cookie: string; slug: string; associationId: string };

async function countOf(server: RunningServer, associationId: string) {
  const result = await sql<{ interventions: number }>`
    select count(*)::int as interventions from intervention where association_id = ${associationId}`.execute(
    server.database.db,
  );
  return result.rows[0]?.interventions ?? 0;
}

async function fetchChecked(session: Session, path: string, check: (response: Response) => string | undefined) {
  const response = await fetch(session.server.url + path, {
    headers: { cookie: session.cookie },
    redirect: "manual",
  });
  const body = Buffer.from(await response.arrayBuffer());
  const problem = response.status !== 200 ? `answered ${response.status}` : check(response);
  if (problem) throw new Error(`${path} ${problem}`);
  return body;
}

async function timeXlsx(session: Session, path: string): Promise<StageFigures["xlsx"]> {
  const isXlsx = (response: Response) =>
    response.headers.get("content-type")?.includes("spreadsheetml") ? undefined : "is not a spreadsheet";
  const timings: number[] = [];
  let bytes = 0;
  for (let run = -Math.min(3, settings.xlsxRuns); run < settings.xlsxRuns; run++) {
    const started = performance.now();
    bytes = (await fetchChecked(session, path, isXlsx)).length;
    if (run >= 0) timings.push(performance.now() - started);
  }
  return { runs: timings.length, bytes, ms: latencyFigures(timings) };
}

async function benchStage(
  session: Session,
  stage: StageFigures["stage"],
  associations: number,
  generationSeconds: number,
  problems: string[],
): Promise<StageFigures> {
  const pages = [
    { key: "baseline" as const, path: "/about", mustContain: "<h1>Om Samordna</h1>" },
    { key: "portfolio" as const, path: `/f/${session.slug}/portfolio`, mustContain: "<h1>Portföljöversikt</h1>" },
  ];
  let portfolioRows = 0;
  for (const page of pages) {
    const body = await fetchChecked(session, page.path, () => undefined);
    const html = body.toString("utf8");
    if (!html.includes(page.mustContain)) throw new Error(`${page.path} answered without "${page.mustContain}"`);
    // Rows of the table body, each headed by its insats; the footer's Summa row is the one more.
    if (page.key === "portfolio") portfolioRows = Math.max(0, html.split('<th scope="row">').length - 2);
  }
  const runs = new Map<PageKey, { measured: LoadRun[]; active: number; idle: number; elapsed: number; wait: number }>();
  for (let round = 1; round <= settings.rounds; round++) {
    for (const page of pages) {
      log(`${stage}: ${page.path} (round ${round}/${settings.rounds})`);
      const { warmup, measured, elu, thread } = await load({
        url: session.server.url + page.path,
        headers: page.key === "baseline" ? {} : { cookie: session.cookie },
        connections: settings.connections,
        warmupSeconds: round === 1 ? settings.warmupSeconds : 0,
        seconds: settings.seconds / settings.rounds,
      });
      if (warmup) problems.push(...runProblems(page.path, `${stage} warm-up`, warmup));
      problems.push(...runProblems(page.path, `${stage} round ${round}`, measured));
      const entry = runs.get(page.key) ?? { measured: [], active: 0, idle: 0, elapsed: 0, wait: Number.NaN };
      entry.measured.push(measured);
      entry.active += elu.active;
      entry.idle += elu.idle;
      if (thread) {
        entry.elapsed += thread.elapsedNs;
        entry.wait = (Number.isNaN(entry.wait) ? 0 : entry.wait) + thread.waitNs;
      }
      runs.set(page.key, entry);
    }
  }
  const figures: PageFigures[] = pages.map((page) => {
    const entry = runs.get(page.key)!;
    const responses = entry.measured.reduce((sum, run) => sum + run.responses, 0);
    const seconds = entry.measured.reduce((sum, run) => sum + run.seconds, 0);
    return {
      page: page.key,
      path: page.path,
      requestsPerSecond: responses / seconds,
      responses,
      latencyMs: latencyFigures(entry.measured.flatMap((run) => Array.from(run.latenciesMs))),
      serverEventLoopUtilization: entry.active / (entry.active + entry.idle),
      serverCpuWaitShare: Number.isNaN(entry.wait) ? null : entry.wait / entry.elapsed,
      ratioToBaseline: { throughput: Number.NaN, p95: Number.NaN },
    };
  });
  const baseline = figures.find((page) => page.page === "baseline")!;
  for (const page of figures) {
    page.ratioToBaseline = {
      throughput: page.requestsPerSecond / baseline.requestsPerSecond,
      p95: page.latencyMs.p95 / baseline.latencyMs.p95,
    };
  }
  log(`${stage}: ${settings.xlsxRuns} portfolio XLSX downloads`);
  const xlsx = await timeXlsx(session, `/f/${session.slug}/portfolio.xlsx`);
  const p95Ratio = figures.find((page) => page.page === "portfolio")!.ratioToBaseline.p95;
  return {
    stage,
    associations,
    generationSeconds,
    interventions: await countOf(session.server, session.associationId),
    portfolioRows,
    pages: figures,
    xlsx,
    p95Ratio,
    p95TargetHeld: p95Ratio <= TARGETS.maxPortfolioP95Ratio,
    cpuContended: figures.some((page) => (page.serverCpuWaitShare ?? 0) > CONTENDED_WAIT_SHARE),
  };
}

/** Fills `results` stage by stage, so that what was measured survives a later stage's failure. */
async function benchPortfolio(results: PortfolioResults, problems: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), "samordna-bench-reports-"));
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "silent",
    SAMORDNA_DATA_DIR: dataDir,
  });
  let server: RunningServer | undefined;
  try {
    server = await startServer(config, pino({ level: "silent" }), { demo: false });
    const { db } = server.database;
    const { seed } = settings;
    log("portfolio: generating one synthetic association");
    let started = performance.now();
    await synthesize(db, { ...nationalScale, associations: 1, seed });
    const oneSeconds = (performance.now() - started) / 1000;
    // The generator's naming: association synth-<seed>-<n>, users <role>-<n>@synth-<seed>.test.
    const slug = `synth-${seed}-1`;
    const association = await db.selectFrom("association").select("id").where("slug", "=", slug).executeTakeFirst();
    if (!association) throw new Error(`the generator made no association ${slug}`);
    const expected = nationalScale.interventionsPerYear * nationalScale.years;
    const made = await countOf(server, association.id);
    if (made < expected) throw new Error(`the generator made ${made} insatser in ${slug}, not ${expected}`);
    results.slug = slug;
    const session: Session = {
      server,
      slug,
      associationId: association.id,
      cookie: await logIn(server.url, `officer-1@synth-${seed}.test`, `synth-password-${seed}`),
    };
    results.stages.push(await benchStage(session, "association", 1, oneSeconds, problems));
    printStage(results.stages.at(-1)!);

    // The first association's time includes the one password hash every later association shares.
    const estimate = oneSeconds * (nationalScale.associations - 1);
    if (estimate > settings.nationalMaxSeconds) {
      results.nationalSkipped =
        `generating the other ${nationalScale.associations - 1} associations would take about ` +
        `${Math.round(estimate)} s on this machine, more than BENCH_NATIONAL_MAX_SECONDS=${settings.nationalMaxSeconds}`;
    } else {
      log(`portfolio: generating the national scale, about ${Math.round(estimate)} s`);
      started = performance.now();
      await synthesize(db, { ...nationalScale, seed });
      const nationalSeconds = (performance.now() - started) / 1000 + oneSeconds;
      results.stages.push(await benchStage(session, "national", nationalScale.associations, nationalSeconds, problems));
      printStage(results.stages.at(-1)!);
    }
  } finally {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const contendedWarning = (waitShare: number) =>
  `WARNING: the measuring thread waited for a CPU ${percent(waitShare)} of the time: other processes compete for ` +
  "the CPUs, so these figures (ratios included) are unreliable. Rerun on an idle machine.";

function printStage(stage: StageFigures) {
  const label = { baseline: "baseline", portfolio: "portfolio" };
  const out = [
    "",
    `Portfolio, ${stage.stage === "association" ? "one association" : `national scale (${stage.associations} associations)`}` +
      ` on PGlite: ${stage.interventions} insatser in the association measured, ${stage.portfolioRows} rows on the ` +
      `page; data generated in ${fixed(stage.generationSeconds, 1)} s`,
    ...textTable(
      ["page", "path", "req/s", "p50 ms", "p95 ms", "p99 ms", "req/s × base", "p95 × base", "server ELU", "CPU wait"],
      stage.pages.map((page) => [
        label[page.page],
        page.path,
        fixed(page.requestsPerSecond, 0),
        fixed(page.latencyMs.p50, 2),
        fixed(page.latencyMs.p95, 2),
        fixed(page.latencyMs.p99, 2),
        fixed(page.ratioToBaseline.throughput, 3),
        fixed(page.ratioToBaseline.p95, 1),
        fixed(page.serverEventLoopUtilization, 2),
        percent(page.serverCpuWaitShare),
      ]),
      2,
    ),
    `portfolio p95 ${fixed(stage.p95Ratio, 1)}× baseline (target ≤ ${TARGETS.maxPortfolioP95Ratio}×): ` +
      (stage.p95TargetHeld ? "held" : "MISSED"),
  ];
  const { ms, runs, bytes } = stage.xlsx;
  out.push(
    `portfolio XLSX, one download at a time (${runs} runs, ${bytes} bytes): mean ${fixed(ms.mean, 1)} ms, ` +
      `p50 ${fixed(ms.p50, 1)} ms, p95 ${fixed(ms.p95, 1)} ms`,
  );
  if (stage.cpuContended) {
    out.push(contendedWarning(Math.max(...stage.pages.map((page) => page.serverCpuWaitShare ?? 0))));
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

// ---------------------------------------------------------------------------------------------------------------------

async function main() {
  process.stdout.write(
    `bench:reports: targets PDF ≤ ${TARGETS.maxPdfToHtml}× HTML per export; portfolio p95 ≤ ` +
      `${TARGETS.maxPortfolioP95Ratio}× the baseline's p95 (${settings.connections} connections, ` +
      `${settings.warmupSeconds} s warm-up, ${settings.seconds} s per page in ${settings.rounds} rounds)\n`,
  );
  const problems: string[] = [];
  const exports = await benchExports();
  printExports(exports);
  const portfolio: PortfolioResults = { database: "PGlite, fresh data directory", slug: "", stages: [] };
  try {
    await benchPortfolio(portfolio, problems);
  } catch (error) {
    // fetch reports what went wrong on the connection only as the cause of its "fetch failed".
    const cause = error instanceof Error && error.cause ? ` (${String(error.cause)})` : "";
    problems.push(`portfolio benchmark failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  }
  if (portfolio.nationalSkipped) {
    process.stdout.write(`\nNational scale not measured: ${portfolio.nationalSkipped}.\n`);
  }
  for (const problem of problems) process.stdout.write(`PROBLEM: ${problem}\n`);

  const broken = problems.length > 0;
  const missed = [
    ...(exports.pdfTargetHeld ? [] : ["PDF/HTML"]),
    ...portfolio.stages.filter((stage) => !stage.p95TargetHeld).map((stage) => `portfolio p95 (${stage.stage})`),
  ];
  const report = {
    benchmark: "reports",
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: machine(),
    settings: {
      ...settings,
      loadGenerator: "autocannon 9 on a worker thread of the server's process",
      xlsxDownloads: "sequential GETs of the portfolio XLSX, after up to 3 unmeasured ones",
      targets: TARGETS,
    },
    exports,
    portfolio,
    problems,
    held: !broken && missed.length === 0,
  };
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nWrote ${RESULTS_FILE}\n`);
  if (broken) process.stdout.write("BENCHMARK BROKEN: see PROBLEM lines above; the figures are not valid.\n");
  else if (missed.length > 0) process.stdout.write(`MISSED: ${missed.join(", ")}.\n`);
  else process.stdout.write("All targets held.\n");
  process.exitCode = broken ? 1 : 0;
}

await main();
