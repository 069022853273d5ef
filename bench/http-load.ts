// The load generator of `npm run bench:http`, started by bench/http.ts as a worker thread: autocannon in the same
// process as the server, but on its own thread, so that producing the load does not take the server's event loop.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";

export type LoadJob = {
  url: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
};

/** One autocannon run, with every response's latency (autocannon's own histogram keeps whole milliseconds only). */
export type LoadRun = {
  seconds: number;
  responses: number;
  latenciesMs: Float64Array;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
};

export type LoadMessage =
  | { kind: "measuring" }
  | { kind: "done"; warmup: LoadRun | undefined; measured: LoadRun }
  | { kind: "failed"; message: string };

function run(job: LoadJob, seconds: number): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const statusCodes: Record<string, number> = {};
    const started = performance.now();
    const instance = autocannon(
      { url: job.url, connections: job.connections, duration: seconds, headers: job.headers },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          seconds: (performance.now() - started) / 1000,
          responses: latencies.length,
          latenciesMs: Float64Array.from(latencies),
          statusCodes,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, ms) => {
      latencies.push(ms);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const job = workerData as LoadJob;
  const send = (message: LoadMessage) =>
    port.postMessage(message, message.kind === "done" ? [message.measured.latenciesMs.buffer as ArrayBuffer] : []);
  (async () => {
    const warmup = job.warmupSeconds > 0 ? await run(job, job.warmupSeconds) : undefined;
    if (warmup) warmup.latenciesMs = new Float64Array(0);
    send({ kind: "measuring" });
    send({ kind: "done", warmup, measured: await run(job, job.seconds) });
  })().catch((error: unknown) => send({ kind: "failed", message: String(error) }));
}
