import type { Tx } from "../platform/db/scope.js";
import { balanceSheet } from "./balance-sheet.js";

/**
 * The year's cash-flow statement by the indirect method, as the seeds' T3: the result, adjusted for what did not
 * move cash (nothing, for a förbund without depreciation), and the changes of receivables, current liabilities,
 * fixed assets and long-term liabilities between the year's opening and its end. The cash at the start plus the
 * year's cash flow must be the cash at the end; a difference is reported, never hidden.
 */

export type CashFlow = {
  year: number;
  hasOpening: boolean;
  result: bigint;
  adjustments: bigint;
  beforeWorkingCapital: bigint;
  receivablesChange: bigint;
  currentLiabilitiesChange: bigint;
  operating: bigint;
  investing: bigint;
  financing: bigint;
  cashFlow: bigint;
  openingCash: bigint;
  closingCash: bigint;
  /** openingCash + cashFlow − closingCash; 0 when the statement agrees with the books. */
  difference: bigint;
};

export async function cashFlow(tx: Tx, associationId: string, year: number): Promise<CashFlow> {
  const sheet = await balanceSheet(tx, associationId, `${year}-12-31`);
  const start = sheet.previous.lines;
  const end = sheet.current.lines;
  const change = (line: keyof typeof end) => end[line].amount - start[line].amount;
  const result = sheet.current.equity.result ?? 0n;
  const adjustments = 0n;
  const beforeWorkingCapital = result + adjustments;
  const receivablesChange = -change("receivables");
  const currentLiabilitiesChange = change("current_liabilities");
  const operating = beforeWorkingCapital + receivablesChange + currentLiabilitiesChange;
  const investing = -change("fixed_assets");
  const financing = change("long_term_liabilities");
  const flow = operating + investing + financing;
  return {
    year,
    hasOpening: sheet.hasOpening,
    result,
    adjustments,
    beforeWorkingCapital,
    receivablesChange,
    currentLiabilitiesChange,
    operating,
    investing,
    financing,
    cashFlow: flow,
    openingCash: start.cash.amount,
    closingCash: end.cash.amount,
    difference: start.cash.amount + flow - end.cash.amount,
  };
}
