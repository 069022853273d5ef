import type { BalanceLine } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { type BalanceColumn, balanceSheet } from "./balance-sheet.js";
import { type IncomeStatement, incomeStatement } from "./income-statement.js";
import { sum } from "./periods.js";

/**
 * The notes of the annual report as in the seeds' T4: income per huvudman or source (each income line), costs per
 * kind (the insatser together, then each administration line), and the receivables and current liabilities per
 * ledger account, at the date and at the previous year-end. Each note's sum is its statement line.
 */

export type NoteRow = { label: string; current: bigint; previous: bigint | null };

export type Note = {
  number: number;
  title: string;
  currentHeading: string;
  previousHeading: string;
  rows: NoteRow[];
  total: NoteRow;
  /** Rows printed after the sum, outside it (financial costs beside the operating costs). */
  after: NoteRow[];
};

export type Notes = { date: string; year: number; period: { start: string; end: string }; notes: Note[] };

const label = (account: { account: string; name: string | null }) =>
  account.name ? `${account.name} (${account.account})` : `Konto ${account.account}`;

function accountNote(
  number: number,
  title: string,
  line: BalanceLine,
  current: BalanceColumn,
  previous: BalanceColumn,
): Note {
  const accounts = new Map<string, NoteRow>();
  for (const account of previous.lines[line].accounts) {
    accounts.set(account.account, { label: label(account), current: 0n, previous: account.amount });
  }
  for (const account of current.lines[line].accounts) {
    const row = accounts.get(account.account);
    if (row) row.current = account.amount;
    else accounts.set(account.account, { label: label(account), current: account.amount, previous: 0n });
  }
  const rows = [...accounts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => row);
  return {
    number,
    title,
    currentHeading: current.date,
    previousHeading: previous.date,
    rows,
    total: { label: "Summa", current: current.lines[line].amount, previous: previous.lines[line].amount },
    after: [],
  };
}

function resultNotes(statement: IncomeStatement): Note[] {
  const headings = {
    currentHeading: `${statement.period.start} – ${statement.period.end}`,
    previousHeading: `${statement.previousPeriod.start} – ${statement.previousPeriod.end}`,
  };
  const section = (key: string) => statement.sections.find((item) => item.key === key);
  const row = (text: string, figures: { actual: bigint; previous: bigint | null }): NoteRow => ({
    label: text,
    current: figures.actual,
    previous: figures.previous,
  });
  const income = section("income");
  const individual = section("individual");
  const structural = section("structural");
  const administration = section("administration");
  const financialCost = section("financial_cost");
  const prev = (values: (bigint | null)[]) => (values.some((value) => value === null) ? null : sum(values as bigint[]));
  const costRows: NoteRow[] = [
    {
      label: "Insatskostnader",
      current: (individual?.figures.actual ?? 0n) + (structural?.figures.actual ?? 0n),
      previous: prev([individual?.figures.previous ?? null, structural?.figures.previous ?? null]),
    },
    ...(administration?.lines ?? []).map((line) => row(line.name, line.figures)),
  ];
  if (statement.unmapped.accounts.length > 0) costRows.push(row("Ej mappade konton", statement.unmapped.figures));
  return [
    {
      number: 1,
      title: "Verksamhetens intäkter per huvudman och källa",
      ...headings,
      rows: (income?.lines ?? []).map((line) => row(line.name, line.figures)),
      total: row("Summa", statement.totals.income),
      after: [],
    },
    {
      number: 2,
      title: "Verksamhetens kostnader",
      ...headings,
      rows: costRows,
      total: row("Summa", statement.totals.costs),
      after: financialCost ? [row("Finansiella kostnader (redovisas separat)", financialCost.figures)] : [],
    },
  ];
}

export async function notes(tx: Tx, associationId: string, date: string): Promise<Notes> {
  const year = Number(date.slice(0, 4));
  const period = { start: `${year}-01-01`, end: date };
  const statement = await incomeStatement(tx, associationId, period);
  const sheet = await balanceSheet(tx, associationId, date);
  return {
    date,
    year,
    period,
    notes: [
      ...resultNotes(statement),
      accountNote(3, "Fordringar", "receivables", sheet.current, sheet.previous),
      accountNote(4, "Kortfristiga skulder", "current_liabilities", sheet.current, sheet.previous),
    ],
  };
}
