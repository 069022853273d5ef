import { listGrants } from "../interventions/repository.js";
import type { Tx } from "../platform/db/scope.js";
import { approvedPerYear, listRepayments } from "./repository.js";
import type { MoneyYear } from "./views.js";

/** An insats's money per calendar year: granted, requisitioned (approved) and repaid; remaining is derived. */
export async function moneyPerYear(tx: Tx, associationId: string, interventionId: string): Promise<MoneyYear[]> {
  const grants = await listGrants(tx, associationId, interventionId);
  const used = await approvedPerYear(tx, associationId, interventionId);
  const repayments = await listRepayments(tx, associationId, interventionId);
  const years = [
    ...new Set([
      ...grants.map((grant) => grant.year),
      ...used.map((row) => row.year),
      ...repayments.map((repayment) => Number(repayment.repaid_on.slice(0, 4))),
    ]),
  ].sort();
  return years.map((year) => ({
    year,
    grantedOre: grants.find((grant) => grant.year === year)?.amount_ore ?? 0n,
    requisitionedOre: used.find((row) => row.year === year)?.amount_ore ?? 0n,
    repaidOre: repayments
      .filter((repayment) => repayment.repaid_on.startsWith(String(year)))
      .reduce((sum, repayment) => sum + repayment.amount_ore, 0n),
  }));
}
