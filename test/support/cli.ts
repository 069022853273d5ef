import { main } from "../../src/cli.js";

/**
 * Runs the CLI as `samordna …` would, in process, capturing what it prints and its exit code. `env` is applied for
 * the run only; a key set to undefined is removed (e.g. DATABASE_URL, to use the embedded database).
 */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}) {
  let out = "";
  let err = "";
  const saved = { env: { ...process.env }, out: process.stdout.write, err: process.stderr.write };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => {
    err += chunk;
    return true;
  }) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await main(args);
  } finally {
    process.env = saved.env;
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
  const code = process.exitCode ?? 0;
  process.exitCode = 0;
  return { out, err, code };
}
