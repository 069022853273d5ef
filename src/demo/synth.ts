import type { Kysely } from "kysely";
import type { DB } from "../platform/db/schema.js";

export async function synthesize(
  _db: Kysely<DB>,
  options: { associations: number; seed: number },
): Promise<{ associations: number }> {
  throw new Error(`synth is not implemented yet (asked for ${options.associations})`);
}
