import { sql } from "kysely";
import type { ActualsSource, BalanceKind, BalanceLine } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import type { Period } from "./periods.js";

/**
 * The writes of actuals imports and of the account mapping, and the reads their pages need. Ledger rows are written
 * column-wise: an import of a year's bookkeeping is hundreds of thousands of rows, and one statement per 20 000 rows
 * with each column as one array parameter is what keeps it close to the speed of reading the file.
 */

/** Rows per statement: large enough that statements are few, small enough that one parameter stays a few MB. */
const CHUNK = 20_000;

export type ImportSummary = {
  id: string;
  source: ActualsSource;
  year: number;
  periodStart: string;
  periodEnd: string;
  fileName: string;
  companyName: string | null;
  program: string | null;
  objectDimension: number | null;
  voucherCount: number;
  transactionCount: number;
  importedAt: Date;
  importedByLabel: string;
  replacedAt: Date | null;
  replacedBy: string | null;
};

const importColumns = [
  "id",
  "source",
  "year",
  "period_start",
  "period_end",
  "file_name",
  "company_name",
  "program",
  "object_dimension",
  "voucher_count",
  "transaction_count",
  "imported_at",
  "imported_by_label",
  "replaced_at",
  "replaced_by",
] as const;

function summaryOf(row: {
  id: string;
  source: ActualsSource;
  year: number;
  period_start: string;
  period_end: string;
  file_name: string;
  company_name: string | null;
  program: string | null;
  object_dimension: number | null;
  voucher_count: number;
  transaction_count: number;
  imported_at: Date;
  imported_by_label: string;
  replaced_at: Date | null;
  replaced_by: string | null;
}): ImportSummary {
  return {
    id: row.id,
    source: row.source,
    year: row.year,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    fileName: row.file_name,
    companyName: row.company_name,
    program: row.program,
    objectDimension: row.object_dimension,
    voucherCount: row.voucher_count,
    transactionCount: row.transaction_count,
    importedAt: row.imported_at,
    importedByLabel: row.imported_by_label,
    replacedAt: row.replaced_at,
    replacedBy: row.replaced_by,
  };
}

/** Every import, newest first, replaced ones included: the page shows the whole history. */
export async function listImports(tx: Tx, associationId: string): Promise<ImportSummary[]> {
  const rows = await tx
    .selectFrom("actuals_import")
    .select(importColumns)
    .where("association_id", "=", associationId)
    .orderBy("imported_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map(summaryOf);
}

export async function findImport(tx: Tx, associationId: string, id: string): Promise<ImportSummary | undefined> {
  const row = await tx
    .selectFrom("actuals_import")
    .select(importColumns)
    .where("association_id", "=", associationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row && summaryOf(row);
}

export async function findActiveImportByHash(tx: Tx, associationId: string, sha256: Uint8Array) {
  const row = await tx
    .selectFrom("actuals_import")
    .select(importColumns)
    .where("association_id", "=", associationId)
    .where("file_sha256", "=", sha256)
    .where("replaced_at", "is", null)
    .executeTakeFirst();
  return row && summaryOf(row);
}

/** Active imports that share at least a day with the period, locked so that two imports cannot both replace them. */
export async function listOverlappingActiveImports(tx: Tx, associationId: string, period: Period) {
  const rows = await tx
    .selectFrom("actuals_import")
    .select(importColumns)
    .where("association_id", "=", associationId)
    .where("replaced_at", "is", null)
    .where("period_start", "<=", period.end)
    .where("period_end", ">=", period.start)
    .orderBy("period_start")
    .forUpdate()
    .execute();
  return rows.map(summaryOf);
}

export async function insertActualsImport(
  tx: Tx,
  associationId: string,
  values: {
    source: ActualsSource;
    year: number;
    period: Period;
    fileName: string;
    sha256: Uint8Array;
    companyName: string | null;
    program: string | null;
    objectDimension: number | null;
    voucherCount: number;
    transactionCount: number;
    importedBy: { id: string; label: string };
  },
): Promise<string> {
  const row = await tx
    .insertInto("actuals_import")
    .values({
      association_id: associationId,
      source: values.source,
      year: values.year,
      period_start: values.period.start,
      period_end: values.period.end,
      file_name: values.fileName,
      file_sha256: values.sha256,
      company_name: values.companyName,
      program: values.program,
      object_dimension: values.objectDimension,
      voucher_count: values.voucherCount,
      transaction_count: values.transactionCount,
      imported_by: values.importedBy.id,
      imported_by_label: values.importedBy.label,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function markImportsReplaced(tx: Tx, associationId: string, ids: string[], replacedBy: string) {
  if (ids.length === 0) return;
  await tx
    .updateTable("actuals_import")
    .set({ replaced_at: sql<Date>`now()`, replaced_by: replacedBy })
    .where("association_id", "=", associationId)
    .where("id", "in", ids)
    .execute();
}

/** An import's ledger rows, one array per column (row i is the i-th element of each), numbered from 1. */
export type TransactionColumns = {
  bookedOn: string[];
  account: (string | null)[];
  objectCode: (string | null)[];
  lineId: (string | null)[];
  amountOre: string[];
  voucher: (string | null)[];
  description: (string | null)[];
};

export function emptyTransactionColumns(): TransactionColumns {
  return { bookedOn: [], account: [], objectCode: [], lineId: [], amountOre: [], voucher: [], description: [] };
}

export async function insertActualTransactions(
  tx: Tx,
  associationId: string,
  importId: string,
  columns: TransactionColumns,
): Promise<void> {
  const total = columns.bookedOn.length;
  for (let offset = 0; offset < total; offset += CHUNK) {
    const part = <T>(values: T[]) => values.slice(offset, offset + CHUNK);
    await sql`
      insert into actual_transaction
        (association_id, import_id, row_number, booked_on, account, object_code, line_id, amount_ore, voucher,
         description)
      select ${associationId}::uuid, ${importId}::uuid, ${offset}::int + t.n::int, t.booked_on, t.account,
             t.object_code, t.line_id, t.amount_ore, t.voucher, t.description
      from unnest(${part(columns.bookedOn)}::date[], ${part(columns.account)}::text[],
                  ${part(columns.objectCode)}::text[], ${part(columns.lineId)}::uuid[],
                  ${part(columns.amountOre)}::bigint[], ${part(columns.voucher)}::text[],
                  ${part(columns.description)}::text[])
        with ordinality as t(booked_on, account, object_code, line_id, amount_ore, voucher, description, n)`.execute(
      tx,
    );
  }
}

export async function insertActualBalances(
  tx: Tx,
  associationId: string,
  importId: string,
  balances: { kind: BalanceKind; yearIndex: number; account: string; amountOre: bigint }[],
): Promise<void> {
  for (let offset = 0; offset < balances.length; offset += CHUNK) {
    const part = balances.slice(offset, offset + CHUNK);
    await sql`
      insert into actual_balance (association_id, import_id, kind, year_index, account, amount_ore)
      select ${associationId}::uuid, ${importId}::uuid, t.kind, t.year_index, t.account, t.amount_ore
      from unnest(${part.map((b) => b.kind)}::text[], ${part.map((b) => b.yearIndex)}::int[],
                  ${part.map((b) => b.account)}::text[], ${part.map((b) => b.amountOre.toString())}::bigint[])
        as t(kind, year_index, account, amount_ore)`.execute(tx);
  }
}

/** The bookkeeping's latest names win: an account renamed in this year's file is renamed everywhere. */
export async function upsertLedgerAccounts(
  tx: Tx,
  associationId: string,
  accounts: { number: string; name: string }[],
) {
  for (let offset = 0; offset < accounts.length; offset += CHUNK) {
    const part = accounts.slice(offset, offset + CHUNK);
    await sql`
      insert into ledger_account (association_id, number, name)
      select ${associationId}::uuid, t.number, t.name
      from unnest(${part.map((a) => a.number)}::text[], ${part.map((a) => a.name)}::text[]) as t(number, name)
      on conflict (association_id, number) do update set name = excluded.name`.execute(tx);
  }
}

/** Named objects take their name; codes used without a #OBJEKT are added by code but never rename a known one. */
export async function upsertLedgerObjects(
  tx: Tx,
  associationId: string,
  objects: { code: string; name: string | null }[],
) {
  const named = objects.filter((object) => object.name !== null);
  const unnamed = objects.filter((object) => object.name === null);
  for (let offset = 0; offset < named.length; offset += CHUNK) {
    const part = named.slice(offset, offset + CHUNK);
    await sql`
      insert into ledger_object (association_id, code, name)
      select ${associationId}::uuid, t.code, t.name
      from unnest(${part.map((o) => o.code)}::text[], ${part.map((o) => o.name)}::text[]) as t(code, name)
      on conflict (association_id, code) do update set name = excluded.name`.execute(tx);
  }
  for (let offset = 0; offset < unnamed.length; offset += CHUNK) {
    const part = unnamed.slice(offset, offset + CHUNK);
    await sql`
      insert into ledger_object (association_id, code, name)
      select ${associationId}::uuid, t.code, t.code from unnest(${part.map((o) => o.code)}::text[]) as t(code)
      on conflict (association_id, code) do nothing`.execute(tx);
  }
}

/**
 * Per account and object: the amount booked in the period on active imports, debit positive. Accounts that only
 * have balances (#IB/#UB/#RES) or a name come with 0, so that they too are listed on the mapping page.
 */
export async function activeLedgerAmounts(tx: Tx, associationId: string, period: Period) {
  const rows = await sql<{ account: string; object_code: string | null; amount_ore: bigint }>`
    with booked as (
      select t.account, t.object_code,
             sum(case when t.booked_on between ${period.start}::date and ${period.end}::date then t.amount_ore else 0 end)
               as amount_ore
      from actual_transaction t join actuals_import i on i.association_id = t.association_id and i.id = t.import_id
      where t.association_id = ${associationId}::uuid and i.replaced_at is null and t.account is not null
      group by t.account, t.object_code
    ), named as (
      select b.account from actual_balance b
      join actuals_import i on i.association_id = b.association_id and i.id = b.import_id
      where b.association_id = ${associationId}::uuid and i.replaced_at is null
      union
      select number from ledger_account where association_id = ${associationId}::uuid
    )
    select account, object_code, amount_ore from booked
    union all
    select account, null, 0 from named where account not in (select account from booked)
    order by account, object_code nulls first`.execute(tx);
  return rows.rows.map((row) => ({
    account: row.account,
    objectCode: row.object_code,
    amountOre: BigInt(row.amount_ore),
  }));
}

/** The distinct accounts (with objects) of each active import, to count what the mapping does not place. */
export async function activeImportAccounts(tx: Tx, associationId: string) {
  const rows = await sql<{ import_id: string; account: string; object_code: string | null }>`
    select distinct t.import_id, t.account, t.object_code
    from actual_transaction t join actuals_import i on i.association_id = t.association_id and i.id = t.import_id
    where t.association_id = ${associationId}::uuid and i.replaced_at is null and t.account is not null
    union
    select b.import_id, b.account, null
    from actual_balance b join actuals_import i on i.association_id = b.association_id and i.id = b.import_id
    where b.association_id = ${associationId}::uuid and i.replaced_at is null`.execute(tx);
  return rows.rows.map((row) => ({ importId: row.import_id, account: row.account, objectCode: row.object_code }));
}

/** One import's rows summed per account and object (ledger) or per line (table), with the count of rows. */
export async function importTotals(tx: Tx, associationId: string, importId: string) {
  const rows = await tx
    .selectFrom("actual_transaction")
    .select((eb) => [
      "account",
      "object_code",
      "line_id",
      eb.fn.sum<bigint>("amount_ore").as("amount_ore"),
      eb.fn.countAll<bigint>().as("rows"),
    ])
    .where("association_id", "=", associationId)
    .where("import_id", "=", importId)
    .groupBy(["account", "object_code", "line_id"])
    .orderBy("account")
    .orderBy("object_code")
    .execute();
  return rows.map((row) => ({
    account: row.account,
    objectCode: row.object_code,
    lineId: row.line_id,
    amountOre: BigInt(row.amount_ore),
    rows: Number(row.rows),
  }));
}

export async function listImportBalances(tx: Tx, associationId: string, importId: string) {
  const rows = await tx
    .selectFrom("actual_balance")
    .select(["kind", "year_index", "account", "amount_ore"])
    .where("association_id", "=", associationId)
    .where("import_id", "=", importId)
    .orderBy("year_index", "desc")
    .orderBy("kind")
    .orderBy("account")
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    yearIndex: row.year_index,
    account: row.account,
    amountOre: row.amount_ore,
  }));
}

export async function listLedgerNames(tx: Tx, associationId: string) {
  const [accounts, objects] = await Promise.all([
    tx.selectFrom("ledger_account").select(["number", "name"]).where("association_id", "=", associationId).execute(),
    tx.selectFrom("ledger_object").select(["code", "name"]).where("association_id", "=", associationId).execute(),
  ]);
  return {
    accounts: new Map(accounts.map((row) => [row.number, row.name])),
    objects: new Map(objects.map((row) => [row.code, row.name])),
  };
}

export type MappingRuleInput = {
  account: string | null;
  objectCode: string | null;
  lineId: string | null;
  balanceLine: BalanceLine | null;
};

/** Saves the rule for its account and object, replacing the target of an existing rule for the same pair. */
export async function upsertMappingRule(tx: Tx, associationId: string, rule: MappingRuleInput): Promise<string> {
  const updated = await tx
    .updateTable("account_mapping")
    .set({ line_id: rule.lineId, balance_line: rule.balanceLine })
    .where("association_id", "=", associationId)
    .where(sql<boolean>`account is not distinct from ${rule.account}`)
    .where(sql<boolean>`object_code is not distinct from ${rule.objectCode}`)
    .returning("id")
    .executeTakeFirst();
  if (updated) return updated.id;
  const inserted = await tx
    .insertInto("account_mapping")
    .values({
      association_id: associationId,
      account: rule.account,
      object_code: rule.objectCode,
      line_id: rule.lineId,
      balance_line: rule.balanceLine,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function deleteMappingRule(tx: Tx, associationId: string, id: string) {
  return tx
    .deleteFrom("account_mapping")
    .where("association_id", "=", associationId)
    .where("id", "=", id)
    .returning(["id", "account", "object_code", "line_id", "balance_line"])
    .executeTakeFirst();
}

export async function deleteAllMappingRules(tx: Tx, associationId: string) {
  const result = await tx.deleteFrom("account_mapping").where("association_id", "=", associationId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A line's twelve months of budget or forecast for a year as stored (zeros where nothing is). */
export async function budgetMonths(
  tx: Tx,
  associationId: string,
  scenario: "budget" | "forecast",
  year: number,
  lineIds: string[],
): Promise<Map<string, bigint[]>> {
  const months = new Map<string, bigint[]>();
  if (lineIds.length === 0) return months;
  const rows = await tx
    .selectFrom("budget_amount")
    .select(["line_id", "month", "amount_ore"])
    .where("association_id", "=", associationId)
    .where("scenario", "=", scenario)
    .where("year", "=", year)
    .where("line_id", "in", lineIds)
    .execute();
  for (const row of rows) {
    const list = months.get(row.line_id) ?? Array<bigint>(12).fill(0n);
    list[row.month - 1] = row.amount_ore;
    months.set(row.line_id, list);
  }
  return months;
}
