// What the HTTP-measuring benchmarks share: settings from the environment, fresh databases, a free port, logging in
// through the form, autocannon on a worker thread (bench/http-load.ts) with the server thread's busy and CPU-wait
// shares, latency figures, and the machine and commit a result was measured on.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { arch, availableParallelism, cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { type EventLoopUtilization, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import pg from "pg";
import type { LoadJob, LoadMessage, LoadRun } from "./http-load.js";

/** Above this share of waiting for a CPU, other processes distort the figures (ratios included) too much to trust. */
export const CONTENDED_WAIT_SHARE = 0.1;

export function numberSetting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}, not "${raw}"`);
  return value;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function cookieValue(response: Response, name: string): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const index = pair.indexOf("=");
    if (pair.slice(0, index) === name) return pair.slice(index + 1);
  }
  return undefined;
}

/** Logs in through the form as a browser does (CSRF cookie and token, Origin header) and returns the Cookie header. */
export async function logIn(baseUrl: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${baseUrl}/login`);
  const csrfCookie = cookieValue(form, "samordna_csrf");
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrfCookie || !csrfToken) throw new Error("GET /login gave no CSRF cookie or token");
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      origin: baseUrl,
      cookie: `samordna_csrf=${csrfCookie}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ email, password, _csrf: csrfToken }),
  });
  await response.arrayBuffer();
  const session = cookieValue(response, "samordna_session");
  if (response.status !== 303 || !session) throw new Error(`POST /login answered ${response.status}, no session`);
  return `samordna_session=${session}`;
}

export type ThreadTimes = { elapsedNs: number; cpuNs: number; waitNs: number };

/** The main thread's CPU and run-queue wait time so far (Linux), in nanoseconds. */
export function mainThreadSchedstat(): { cpuNs: number; waitNs: number } | undefined {
  try {
    const [cpu, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8")
      .trim()
      .split(/\s+/)
      .map(Number);
    return cpu !== undefined && wait !== undefined && Number.isFinite(cpu + wait)
      ? { cpuNs: cpu, waitNs: wait }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One autocannon run on a worker thread. The server runs on this process's main thread, so its event loop
 * utilisation and scheduler times over the measured part tell how busy it was and how long it waited for a CPU.
 */
export function load(
  job: LoadJob,
): Promise<{ warmup: LoadRun | undefined; measured: LoadRun; elu: EventLoopUtilization; thread?: ThreadTimes }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./http-load.js", import.meta.url), { workerData: job });
    let start: EventLoopUtilization | undefined;
    let startedAt = 0;
    let startSched: ReturnType<typeof mainThreadSchedstat>;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on("message", (message: LoadMessage) => {
      if (message.kind === "measuring") {
        start = performance.eventLoopUtilization();
        startedAt = performance.now();
        startSched = mainThreadSchedstat();
      } else if (message.kind === "done") {
        const elu = performance.eventLoopUtilization(start);
        const endSched = mainThreadSchedstat();
        const thread =
          startSched && endSched
            ? {
                elapsedNs: (performance.now() - startedAt) * 1e6,
                cpuNs: endSched.cpuNs - startSched.cpuNs,
                waitNs: endSched.waitNs - startSched.waitNs,
              }
            : undefined;
        settle(() => resolve({ warmup: message.warmup, measured: message.measured, elu, thread }));
      } else settle(() => reject(new Error(`load generator failed: ${message.message}`)));
    });
    worker.on("error", (error) => settle(() => reject(error)));
    worker.on("exit", (code) => settle(() => reject(new Error(`load generator exited with ${code}`))));
  });
}

/** Anything but 200 (or a connection error) means the page measured is not the page we meant. */
export function runProblems(path: string, phase: string, run: LoadRun): string[] {
  const problems: string[] = [];
  const other = Object.entries(run.statusCodes).filter(([status]) => status !== "200");
  if (other.length > 0) {
    problems.push(`${path} (${phase}): non-200 responses ${other.map(([s, n]) => `${n}× ${s}`).join(", ")}`);
  }
  if (run.errors > 0 || run.timeouts > 0) {
    problems.push(`${path} (${phase}): ${run.errors} connection errors, ${run.timeouts} timeouts`);
  }
  if (run.responses === 0) problems.push(`${path} (${phase}): no responses`);
  return problems;
}

export type LatencyFigures = { mean: number; p50: number; p95: number; p99: number; min: number; max: number };

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function latencyFigures(latencies: ArrayLike<number>): LatencyFigures {
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    mean: sum / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const fixed = (value: number | null | undefined, digits: number) =>
  value !== null && value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : "-";

export const percent = (value: number | null) => (value === null ? "-" : `${Math.round(value * 100)} %`);

/** A plain-text table: the first `leftColumns` columns left-aligned, the figures after them right-aligned. */
export function textTable(columns: string[], rows: string[][], leftColumns = 1): string[] {
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [line(columns), ...rows.map(line)];
}

export function gitCommit(): string | undefined {
  try {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return undefined;
  }
}

export function machine() {
  return {
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    cpus: cpus().length,
    availableParallelism: availableParallelism(),
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

/** A fresh database for one benchmark run: the environment that points the server at it, and how to drop it. */
export type DatabaseTarget = {
  name: "pglite" | "postgres";
  description: string;
  env: Record<string, string>;
  dispose(): Promise<void>;
};

export function pgliteTarget(): DatabaseTarget {
  const dataDir = mkdtempSync(join(tmpdir(), "samordna-bench-"));
  return {
    name: "pglite",
    description: "PGlite, fresh data directory",
    env: { SAMORDNA_DATA_DIR: dataDir },
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function adminQuery(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function postgresTarget(adminUrl: string): Promise<DatabaseTarget> {
  const name = `samordna_bench_${randomBytes(6).toString("hex")}`;
  const version = await adminQuery(adminUrl, "show server_version");
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name: "postgres",
    description: `PostgreSQL ${version.rows[0]?.server_version ?? "?"} on ${url.host}, fresh database`,
    env: { DATABASE_URL: url.toString() },
    dispose: async () => {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
