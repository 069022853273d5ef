import { createHash } from "node:crypto";
import { audit } from "../audit/record.js";
import type { ActualsSource } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, type FieldError } from "../platform/http/errors.js";
import { formatDateTime } from "../platform/ui/format.js";
import {
  findActiveImportByHash,
  type ImportSummary,
  insertActualsImport,
  insertActualTransactions,
  listOverlappingActiveImports,
  markImportsReplaced,
  type TransactionColumns,
} from "./imports-repository.js";
import type { Period } from "./periods.js";

/**
 * What SIE and table imports of actuals share: the same file twice is refused, a file whose period covers the active
 * imports it meets replaces them (they and their rows stay, marked replaced, for the audit trail), and a file that
 * covers only part of one is refused, since the books would then hold two versions of the same days.
 */

/** A file that cannot be imported as it is: each message is Swedish and names the line where there is one. */
export function refusedFile(messages: string[], status: 409 | 422 = 422): AppError {
  const errors: FieldError[] = messages.map((message) => ({ path: "file", message }));
  const detail = messages.length === 1 ? messages[0] : `${messages.length} fel i filen; ingenting har importerats.`;
  return new AppError(status, "Filen kan inte importeras", detail, errors);
}

const describePeriod = (period: { periodStart: string; periodEnd: string }) =>
  `${period.periodStart} – ${period.periodEnd}`;

export type ActualsImportInput = {
  source: ActualsSource;
  year: number;
  period: Period;
  file: { name: string; bytes: Uint8Array };
  companyName?: string | null;
  program?: string | null;
  objectDimension?: number | null;
  voucherCount?: number;
  transactions: TransactionColumns;
};

export type RecordedImport = { importId: string; replaced: ImportSummary[] };

/** Checks the file against the active imports and writes the import and its ledger rows; the caller adds the rest. */
export async function recordActualsImport(tenant: Tenant, input: ActualsImportInput): Promise<RecordedImport> {
  const associationId = tenant.association.id;
  const sha256 = createHash("sha256").update(input.file.bytes).digest();
  const same = await findActiveImportByHash(tenant.tx, associationId, sha256);
  if (same) {
    throw refusedFile(
      [`Filen är redan importerad ${formatDateTime(same.importedAt)} av ${same.importedByLabel} (${same.fileName}).`],
      409,
    );
  }
  const overlapping = await listOverlappingActiveImports(tenant.tx, associationId, input.period);
  const partial = overlapping.filter(
    (other) => other.periodStart < input.period.start || other.periodEnd > input.period.end,
  );
  if (partial.length > 0) {
    throw refusedFile(
      partial.map(
        (other) =>
          `Perioden ${input.period.start} – ${input.period.end} täcker bara en del av importen ${other.fileName} ` +
          `(${describePeriod(other)}, importerad ${formatDateTime(other.importedAt)} av ${other.importedByLabel}). ` +
          "En ny fil måste omfatta hela perioden för de importer den ersätter.",
      ),
      409,
    );
  }
  const importId = await insertActualsImport(tenant.tx, associationId, {
    source: input.source,
    year: input.year,
    period: input.period,
    fileName: input.file.name.slice(0, 255) || "fil",
    sha256,
    companyName: input.companyName ?? null,
    program: input.program ?? null,
    objectDimension: input.objectDimension ?? null,
    voucherCount: input.voucherCount ?? 0,
    transactionCount: input.transactions.bookedOn.length,
    importedBy: { id: tenant.user.id, label: tenant.user.name || tenant.user.email },
  });
  await markImportsReplaced(
    tenant.tx,
    associationId,
    overlapping.map((other) => other.id),
    importId,
  );
  await insertActualTransactions(tenant.tx, associationId, importId, input.transactions);
  return { importId, replaced: overlapping };
}

export function auditActualsImport(
  tenant: Tenant,
  input: ActualsImportInput,
  recorded: RecordedImport,
  counts: Record<string, number>,
) {
  return audit(
    tenant,
    "economy.import.create",
    { type: "actuals_import", id: recorded.importId },
    {
      source: input.source,
      fileName: input.file.name,
      year: input.year,
      period: `${input.period.start} – ${input.period.end}`,
      transactions: input.transactions.bookedOn.length,
      ...counts,
      replaced: recorded.replaced.map((other) => other.id),
    },
  );
}
