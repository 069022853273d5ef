import type { Kysely } from "kysely";
import type { DB } from "./schema.js";

export type BackupSummary = { tables: number; rows: number };

export async function backupDatabase(_db: Kysely<DB>, _file: string): Promise<BackupSummary> {
  throw new Error("not implemented yet");
}

export async function restoreDatabase(_db: Kysely<DB>, _file: string): Promise<BackupSummary> {
  throw new Error("not implemented yet");
}
