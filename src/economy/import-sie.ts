import type { BalanceKind } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { auditActualsImport, type RecordedImport, recordActualsImport, refusedFile } from "./actuals-import.js";
import {
  emptyTransactionColumns,
  insertActualBalances,
  upsertLedgerAccounts,
  upsertLedgerObjects,
} from "./imports-repository.js";
import { findEconomySettings } from "./repository.js";
import { parseSie, SieError, type SieFile } from "./sie/parse.js";

/**
 * Imports a SIE 4 file from the bookkeeping: the whole ledger of the file's year (#RAR 0) as it was booked, its
 * balances, and the names of its accounts and per-insats objects. Nothing is mapped here: the mapping is applied when
 * statements are read, so that a changed rule changes every statement at once.
 */

const ACCOUNT = /^[0-9A-Za-z]{1,20}$/;
const MAX_OBJECT_CODE = 40;
const KINDS: Record<"IB" | "UB" | "RES", BalanceKind> = { IB: "opening", UB: "closing", RES: "result" };

/** 212000-1234 and 16212000-1234 are the same organisation. */
const organisationDigits = (value: string) => value.replace(/\D/g, "").replace(/^16(?=\d{10}$)/, "");

function parse(bytes: Uint8Array): SieFile {
  try {
    return parseSie(bytes);
  } catch (error) {
    if (error instanceof SieError) throw refusedFile([error.message]);
    throw error;
  }
}

const at = (line: number, message: string) => `Rad ${line}: ${message}`;

export type SieImportResult = RecordedImport & {
  year: number;
  transactions: number;
  vouchers: number;
  balances: number;
  accounts: number;
  objects: number;
};

export async function importSie(tenant: Tenant, file: { name: string; bytes: Uint8Array }): Promise<SieImportResult> {
  const sie = parse(file.bytes);
  const current = sie.fiscalYears.find((year) => year.index === 0);
  if (!current) {
    throw refusedFile([
      "Filen saknar räkenskapsår 0 (#RAR 0), så det går inte att veta vilket år den gäller. Exportera filen på nytt med räkenskapsåret.",
    ]);
  }
  const period = { start: current.start, end: current.end };
  const fileNumber = sie.company.organisationNumber;
  const ownNumber = tenant.association.organisation_number;
  if (fileNumber && ownNumber && organisationDigits(fileNumber) !== organisationDigits(ownNumber)) {
    throw refusedFile([
      `Filen gäller organisationsnummer ${fileNumber}${sie.company.name ? ` (${sie.company.name})` : ""}, men ` +
        `${tenant.association.name} har ${ownNumber}. Kontrollera att det är rätt förbunds bokföring.`,
    ]);
  }

  const { objectDimension } = await findEconomySettings(tenant.tx, tenant.association.id);
  const columns = emptyTransactionColumns();
  const usedObjects = new Set<string>();
  for (const voucher of sie.vouchers) {
    const name = [voucher.series, voucher.number].filter((part) => part !== "").join(" ") || null;
    for (const transaction of voucher.transactions) {
      if (!ACCOUNT.test(transaction.account)) {
        throw refusedFile([at(transaction.line, `Kontonumret "${transaction.account}" kan inte läsas som ett konto.`)]);
      }
      if (transaction.date < period.start || transaction.date > period.end) {
        throw refusedFile([
          at(
            transaction.line,
            `Transaktionen är daterad ${transaction.date}, utanför räkenskapsåret ${period.start} – ${period.end} (#RAR 0).`,
          ),
        ]);
      }
      const object = transaction.objects.find((ref) => ref.dimension === objectDimension)?.code ?? null;
      if (object !== null) {
        if (object.length === 0 || object.length > MAX_OBJECT_CODE) {
          throw refusedFile([at(transaction.line, `Objektkoden "${object}" ska vara 1–${MAX_OBJECT_CODE} tecken.`)]);
        }
        usedObjects.add(object);
      }
      columns.bookedOn.push(transaction.date);
      columns.account.push(transaction.account);
      columns.objectCode.push(object);
      columns.lineId.push(null);
      columns.amountOre.push(transaction.amountOre.toString());
      columns.voucher.push(name);
      columns.description.push(transaction.text || voucher.text || null);
    }
  }

  const balances = [];
  const seen = new Map<string, number>();
  for (const balance of sie.balances) {
    // Balances of the years the tables keep; a file may carry older ones that no statement reads.
    if (balance.yearIndex > 0 || balance.yearIndex < -10) continue;
    const key = `${balance.kind} ${balance.yearIndex} ${balance.account}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw refusedFile([
        at(
          balance.line,
          `#${balance.kind} ${balance.yearIndex} för konto ${balance.account} står redan på rad ${first}; vilket belopp gäller?`,
        ),
      ]);
    }
    seen.set(key, balance.line);
    if (!ACCOUNT.test(balance.account)) {
      throw refusedFile([at(balance.line, `Kontonumret "${balance.account}" kan inte läsas som ett konto.`)]);
    }
    balances.push({
      kind: KINDS[balance.kind],
      yearIndex: balance.yearIndex,
      account: balance.account,
      amountOre: balance.amountOre,
    });
  }

  const accounts = [...sie.accounts.values()]
    .filter((account) => ACCOUNT.test(account.number))
    .map((account) => ({ number: account.number, name: account.name }));
  const objects: { code: string; name: string | null }[] = [];
  for (const object of sie.objects.values()) {
    if (object.dimension !== objectDimension || object.code.length > MAX_OBJECT_CODE || object.code === "") continue;
    objects.push({ code: object.code, name: object.name });
    usedObjects.delete(object.code);
  }
  for (const code of usedObjects) objects.push({ code, name: null });

  const input = {
    source: "sie" as const,
    year: Number(period.start.slice(0, 4)),
    period,
    file,
    companyName: sie.company.name ?? null,
    program: sie.program ?? null,
    objectDimension,
    voucherCount: sie.vouchers.length,
    transactions: columns,
  };
  const recorded = await recordActualsImport(tenant, input);
  const associationId = tenant.association.id;
  await insertActualBalances(tenant.tx, associationId, recorded.importId, balances);
  await upsertLedgerAccounts(tenant.tx, associationId, accounts);
  await upsertLedgerObjects(tenant.tx, associationId, objects);
  const counts = {
    vouchers: sie.vouchers.length,
    balances: balances.length,
    accounts: accounts.length,
    objects: objects.length,
  };
  await auditActualsImport(tenant, input, recorded, counts);
  return { ...recorded, year: input.year, transactions: columns.bookedOn.length, ...counts };
}
