// Throughput of the participant bulk import (src/participants/import-participants.ts), for bench/participants.ts.
//
// Builds a CSV of synthetic participants in memory (100 000 rows by default, as the export writes them: fictional
// personnummer, consent, a third with an exit) and measures, in rows per second:
// - check: reading the file and checking every row as the preview does (schemas, code lists, personnummer, keyed
//   hash, duplicates and overlaps); the database is asked only the few look-ups made once per file;
// - import: the same file written into a fresh insats, all rows in one transaction, as the import button does.
// The association, its user, owner organisation and insats are created here, so that any migrated database will do.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { insertUser, upsertRole } from "../src/accounts/repository.js";
import { insertAssociation } from "../src/associations/repository.js";
import { insertIntervention } from "../src/interventions/repository.js";
import { insertOrganisation } from "../src/organisations/repository.js";
import { participantCsv } from "../src/participants/export-participants.js";
import { checkImport, importParticipants } from "../src/participants/import-participants.js";
import { autoMapping, participantColumns } from "../src/participants/participant-columns.js";
import { fictionalPersonalNumber, formatPersonalNumber } from "../src/participants/personal-number.js";
import { type Keyring, loadKeyring } from "../src/platform/crypto/keyring.js";
import type { Database } from "../src/platform/db/database.js";
import { inAssociation } from "../src/platform/db/scope.js";
import type { Tenant } from "../src/platform/http/env.js";
import { readTableFile } from "../src/platform/import/table-file.js";

export type ImportThroughput = {
  rows: number;
  fileBytes: number;
  check: { seconds: number; rowsPerSecond: number };
  import: { seconds: number; rowsPerSecond: number };
};

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const incomeSources = ["sjukpenning", "forsorjningsstod", "arbetsloshetsersattning", "aktivitetsstod", "ingen"];
const exitReasons = ["arbete", "studier", "arbetssokande", "annan_insats", "avbrott"];

/** Row k: a distinct fictional person (a birth date per 999 serials: 000 is no serial), enrolled within 2026–2027. */
export function syntheticParticipantCsv(rows: number): Buffer {
  const birthStart = Date.UTC(1960, 0, 1);
  const enrolStart = Date.UTC(2026, 0, 1);
  const byHeader = (values: Record<string, string>) => participantColumns.map((column) => values[column.header] ?? "");
  const table = Array.from({ length: rows }, (_, k) => {
    const birthDate = isoDay(birthStart + Math.floor(k / 999) * DAY_MS).replaceAll("-", "");
    const enrolledOn = enrolStart + (k % 600) * DAY_MS;
    const exited = k % 3 === 0;
    return byHeader({
      personnummer: formatPersonalNumber(fictionalPersonalNumber(birthDate, (k % 999) + 1)),
      namn: `Fiktiv Person ${k}`,
      inskriven: isoDay(enrolledOn),
      försörjning_start: incomeSources[k % incomeSources.length] as string,
      samtycke_datum: isoDay(enrolledOn),
      avslutad: exited ? isoDay(enrolledOn + 90 * DAY_MS) : "",
      avslutsorsak: exited ? (exitReasons[k % exitReasons.length] as string) : "",
      försörjning_avslut: exited ? "lon" : "",
    });
  });
  return participantCsv({ headers: participantColumns.map((column) => column.header), rows: table });
}

/** A new association with an admin and an individual insats over 2026–2027, to import into. */
async function freshInsats(database: Database) {
  const suffix = randomBytes(4).toString("hex");
  return database.db.transaction().execute(async (tx) => {
    const association = await insertAssociation(tx, {
      slug: `import-bench-${suffix}`,
      name: `Importmätning ${suffix}`,
    });
    const user = await insertUser(tx, {
      email: `import-bench-${suffix}@exempel.test`,
      name: "Importmätning",
      passwordHash: null,
    });
    await upsertRole(tx, association.id, user.id, "admin");
    const owner = await insertOrganisation(tx, association.id, { name: "Arbetsmarknadsenheten" });
    const intervention = await insertIntervention(tx, association.id, {
      name: "Arbetsträning (importmätning)",
      ownerOrganisationId: owner.id,
      kind: "individual",
      startDate: "2026-01-01",
      endDate: "2027-12-31",
    });
    return { association, user, intervention };
  });
}

const seconds = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

export async function measureImportThroughput(
  database: Database,
  options: { rows?: number; keyring?: Keyring } = {},
): Promise<ImportThroughput> {
  const rows = options.rows ?? 100_000;
  const keyring = options.keyring ?? loadKeyring({ kind: "ephemeral" });
  const file = { name: "deltagare.csv", bytes: new Uint8Array(syntheticParticipantCsv(rows)) };
  const { association, user, intervention } = await freshInsats(database);
  const inTenant = (work: (tenant: Tenant) => Promise<unknown>) =>
    inAssociation(database.db, association.id, (tx) =>
      work({
        association,
        role: "admin",
        user: { id: user.id, email: user.email, name: user.name, isSuperadmin: false },
        tx,
        afterCommit: () => {},
        tokenScope: undefined,
      }),
    );
  const run = (write: boolean) => async () => {
    await inTenant(async (tenant) => {
      const table = await readTableFile(file);
      const options = {
        tenant,
        keyring,
        interventionId: intervention.id,
        table,
        mapping: autoMapping(table.headers),
      };
      const result = write ? await importParticipants(options) : await checkImport(options);
      if (result.fileErrors.length > 0 || result.rowErrors.size > 0) {
        const [first] = result.rowErrors;
        throw new Error(`the synthetic file has errors: ${result.fileErrors.join(" ")} ${JSON.stringify(first)}`);
      }
    });
  };
  const checkSeconds = await seconds(run(false));
  const importSeconds = await seconds(run(true));
  return {
    rows,
    fileBytes: file.bytes.length,
    check: { seconds: checkSeconds, rowsPerSecond: rows / checkSeconds },
    import: { seconds: importSeconds, rowsPerSecond: rows / importSeconds },
  };
}
