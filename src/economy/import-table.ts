import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { readTableFile, type Table, TableFileError, type UploadedFile } from "../platform/import/table-file.js";
import { formatKronor } from "../platform/ui/format.js";
import { auditActualsImport, recordActualsImport, refusedFile } from "./actuals-import.js";
import { budgetMonths, emptyTransactionColumns } from "./imports-repository.js";
import { daysInMonth, periodise } from "./periods.js";
import { type BudgetLineRow, ensureFiscalYear, listBudgetLines, replaceBudgetAmounts } from "./repository.js";
import { emptySectionAmounts, subtotals, subtotalsByName } from "./subtotals.js";

/**
 * Amounts per budget line and period from a spreadsheet: actuals for a förbund whose bookkeeping cannot export SIE,
 * or a budget or forecast made in Excel. Columns "Rad" (the line's name), "Period" (ÅÅÅÅ-MM, or ÅÅÅÅ for the whole
 * year, spread over the months by days) and "Belopp" (kronor with natural signs: income and costs both positive).
 * Rows named like a subtotal ("Summa …", "Verksamhetens resultat", "Periodens resultat") are control rows: they are
 * not imported but compared with what the file's own lines add up to, so that a table whose sums were typed by hand
 * is refused instead of bringing its mistakes along.
 */

export const tableTargets = ["actuals", "budget", "forecast"] as const;
export type TableTarget = (typeof tableTargets)[number];

export const tableTargetNames: Record<TableTarget, string> = {
  actuals: "Utfall",
  budget: "Budget",
  forecast: "Prognos",
};

export const tableColumns = { line: "Rad", period: "Period", amount: "Belopp" } as const;

const CONTROL_PREFIXES = ["summa", "totalt", "verksamhetens resultat", "periodens resultat"];

const MINUS = /^[-\u2212\u2013]/;

/** "1 975 068", "-500", "1975068,50", "1 975 068 kr" and Excel's "1975068.5" → öre; undefined if it is not one. */
export function parseKronor(text: string): bigint | undefined {
  const compact = text
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/kr$/i, "")
    .replace(MINUS, "-");
  const match = /^(-?)(\d+)(?:[,.](\d{1,2}))?$/.exec(compact);
  if (!match) return undefined;
  const ore = BigInt(match[2] as string) * 100n + BigInt((match[3] ?? "").padEnd(2, "0"));
  return match[1] === "-" ? -ore : ore;
}

type Months = { year: number; months: number[] };

/** "2014" (the whole year), "2014-03", or a date on the first of a month as Excel turns "2014-03" into. */
export function parsePeriod(text: string): Months | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-01)?)?$/.exec(text.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return undefined;
  if (match[2] === undefined) return { year, months: Array.from({ length: 12 }, (_, index) => index + 1) };
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? { year, months: [month] } : undefined;
}

type DataRow = { row: number; line: BudgetLineRow; year: number; months: Map<number, bigint> };
type ControlRow = { row: number; name: string; year: number; months: number[]; amountOre: bigint };

const rowNumber = (index: number) => index + 2;

function columnIndexes(table: Table): { line: number; period: number; amount: number } {
  const find = (name: string) =>
    table.headers.findIndex((header) => header.trim().toLowerCase() === name.toLowerCase());
  const indexes = {
    line: find(tableColumns.line),
    period: find(tableColumns.period),
    amount: find(tableColumns.amount),
  };
  const missing = Object.entries(indexes)
    .filter(([, index]) => index < 0)
    .map(([key]) => tableColumns[key as keyof typeof tableColumns]);
  if (missing.length > 0) {
    throw refusedFile([
      `Filen saknar ${missing.length === 1 ? "kolumnen" : "kolumnerna"} ${missing.join(", ")}. ` +
        `Första raden ska vara rubrikerna ${Object.values(tableColumns).join(", ")}.`,
    ]);
  }
  return indexes;
}

/** Reads and checks every row; all problems are reported together, with the row numbers as the file shows them. */
function readRows(table: Table, lines: BudgetLineRow[], target: TableTarget) {
  const columns = columnIndexes(table);
  const byName = new Map<string, BudgetLineRow[]>();
  for (const line of lines) byName.set(line.name.toLowerCase(), [...(byName.get(line.name.toLowerCase()) ?? []), line]);
  const errors: string[] = [];
  let unknownName = false;
  const data: DataRow[] = [];
  const controls: ControlRow[] = [];
  const taken = new Map<string, number>();

  table.rows.forEach((cells, index) => {
    const row = rowNumber(index);
    const name = (cells[columns.line] ?? "").trim();
    const periodText = (cells[columns.period] ?? "").trim();
    const amountText = (cells[columns.amount] ?? "").trim();
    if (name === "") {
      errors.push(`Rad ${row}: kolumnen Rad är tom.`);
      return;
    }
    const period = parsePeriod(periodText);
    if (!period)
      errors.push(`Rad ${row}: perioden "${periodText}" ska skrivas ÅÅÅÅ-MM (en månad) eller ÅÅÅÅ (helt år).`);
    const amountOre = parseKronor(amountText);
    if (amountOre === undefined) {
      errors.push(`Rad ${row}: beloppet "${amountText}" är inte ett belopp i kronor, t.ex. 1 975 068 eller -500,50.`);
    }
    const lower = name.toLowerCase();
    if (CONTROL_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      if (period && amountOre !== undefined) controls.push({ row, name, ...period, amountOre });
      return;
    }
    const matches = byName.get(lower) ?? [];
    if (matches.length === 0) {
      errors.push(`Rad ${row}: "${name}" är ingen rad i budgetstrukturen.`);
      unknownName = true;
      return;
    }
    if (matches.length > 1) {
      errors.push(`Rad ${row}: "${name}" finns i flera avsnitt av budgetstrukturen; byt namn på en av raderna.`);
      return;
    }
    const line = matches[0] as BudgetLineRow;
    if (target !== "actuals" && line.memberId !== null) {
      errors.push(
        `Rad ${row}: "${line.name}" är ett medlemsbidrag, vars budget kommer från medlemsbidragen och inte kan läsas in från en fil.`,
      );
      return;
    }
    if (!period || amountOre === undefined) return;
    for (const month of period.months) {
      const key = `${line.id} ${period.year} ${month}`;
      const earlier = taken.get(key);
      if (earlier !== undefined) {
        errors.push(
          `Rad ${row}: "${line.name}" har redan ett belopp för ${period.year}-${pad(month)} på rad ${earlier}.`,
        );
        return;
      }
    }
    for (const month of period.months) taken.set(`${line.id} ${period.year} ${month}`, row);
    const spread = period.months.length === 12 ? periodise(amountOre, period.year) : [amountOre];
    data.push({
      row,
      line,
      year: period.year,
      months: new Map(period.months.map((month, position) => [month, spread[position] ?? 0n])),
    });
  });
  if (unknownName) errors.push(`Raderna i budgetstrukturen är: ${lines.map((line) => line.name).join("; ")}.`);
  return { data, controls, errors };
}

const pad = (month: number) => String(month).padStart(2, "0");

/** Each control row against the subtotal that the data rows of its period add up to. */
function controlErrors(data: DataRow[], controls: ControlRow[]): string[] {
  const errors: string[] = [];
  for (const control of controls) {
    const bySection = emptySectionAmounts();
    for (const row of data) {
      if (row.year !== control.year) continue;
      for (const month of control.months) bySection[row.line.section] += row.months.get(month) ?? 0n;
    }
    const named = subtotalsByName(subtotals(bySection));
    const computed = named.get(control.name.toLowerCase());
    if (computed === undefined) {
      const known = [...named.keys()].map((key) => key.charAt(0).toUpperCase() + key.slice(1)).join(", ");
      errors.push(
        `Rad ${control.row}: kontrollraden "${control.name}" är ingen känd delsumma. Kända delsummor: ${known}.`,
      );
    } else if (computed !== control.amountOre) {
      errors.push(
        `Rad ${control.row}: ${control.name} anges till ${formatKronor(control.amountOre)} men raderna ger ${formatKronor(computed)}.`,
      );
    }
  }
  return errors;
}

export type TableImportResult = {
  target: TableTarget;
  rows: number;
  controls: number;
  years: number[];
  importId?: string;
  replaced?: number;
};

async function readTable(file: UploadedFile): Promise<Table> {
  try {
    return await readTableFile(file);
  } catch (error) {
    if (error instanceof TableFileError) throw refusedFile([error.message]);
    throw error;
  }
}

export async function importTable(tenant: Tenant, file: UploadedFile, target: TableTarget): Promise<TableImportResult> {
  const table = await readTable(file);
  const lines = await listBudgetLines(tenant.tx, tenant.association.id);
  const { data, controls, errors } = readRows(table, lines, target);
  errors.push(...controlErrors(data, controls));
  if (errors.length > 0) throw refusedFile(errors);
  if (data.length === 0) throw refusedFile(["Filen har bara kontrollrader och inga belopp att läsa in."]);
  const years = [...new Set(data.map((row) => row.year))].sort((a, b) => a - b);
  const result = { target, rows: data.length, controls: controls.length, years };
  if (target === "actuals") return { ...result, ...(await writeActuals(tenant, file, data, years)) };
  await writeBudget(tenant, target, data, years);
  return result;
}

async function writeActuals(tenant: Tenant, file: UploadedFile, data: DataRow[], years: number[]) {
  if (years.length > 1) {
    throw refusedFile([`Filen har utfall för flera år (${years.join(", ")}); importera ett år i taget.`]);
  }
  const year = years[0] as number;
  const months = data.flatMap((row) => [...row.months.keys()]);
  const first = Math.min(...months);
  const last = Math.max(...months);
  const period = { start: `${year}-${pad(first)}-01`, end: `${year}-${pad(last)}-${daysInMonth(year, last)}` };
  const columns = emptyTransactionColumns();
  for (const row of data) {
    for (const [month, amount] of row.months) {
      if (amount === 0n) continue;
      columns.bookedOn.push(`${year}-${pad(month)}-${daysInMonth(year, month)}`);
      columns.account.push(null);
      columns.objectCode.push(null);
      columns.lineId.push(row.line.id);
      columns.amountOre.push(amount.toString());
      columns.voucher.push(null);
      columns.description.push(`Rad ${row.row} i ${file.name}`.slice(0, 200));
    }
  }
  await ensureFiscalYear(tenant.tx, tenant.association.id, year);
  const input = { source: "table" as const, year, period, file, transactions: columns };
  const recorded = await recordActualsImport(tenant, input);
  await auditActualsImport(tenant, input, recorded, { rows: data.length });
  return { importId: recorded.importId, replaced: recorded.replaced.length };
}

/** A line's months that the file names are set; its other months keep what they had. */
async function writeBudget(tenant: Tenant, scenario: "budget" | "forecast", data: DataRow[], years: number[]) {
  const associationId = tenant.association.id;
  for (const year of years) {
    const rows = data.filter((row) => row.year === year);
    await ensureFiscalYear(tenant.tx, associationId, year);
    const stored = await budgetMonths(tenant.tx, associationId, scenario, year, [
      ...new Set(rows.map((row) => row.line.id)),
    ]);
    const merged = new Map<string, bigint[]>();
    for (const row of rows) {
      const months = merged.get(row.line.id) ?? stored.get(row.line.id) ?? Array<bigint>(12).fill(0n);
      for (const [month, amount] of row.months) months[month - 1] = amount;
      merged.set(row.line.id, months);
    }
    for (const [lineId, months] of merged) {
      await replaceBudgetAmounts(tenant.tx, associationId, { scenario, year, lineId, months });
    }
  }
  await audit(tenant, `economy.${scenario}.import`, undefined, {
    years,
    lines: new Set(data.map((row) => row.line.id)).size,
    rows: data.length,
  });
}
