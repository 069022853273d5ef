import type { CostRow, ParticipantRow } from "./answer-model.js";
import { type FundsCondition, type Gender, genders } from "./template-model.js";

/** Amounts as answers store them (öre as a digit string) or as the insats holds them (bigint). */
export type Ore = bigint | string;

const toBigInt = (value: Ore | undefined | null) => (value === undefined || value === null ? undefined : BigInt(value));

/** The Summa row: null in a column where no row has an amount, so a blank column prints blank rather than 0 kr. */
export function costTotals(rows: readonly CostRow[]): { budgetOre: bigint | null; outcomeOre: bigint | null } {
  const sum = (pick: (row: CostRow) => string | undefined) =>
    rows.reduce<bigint | null>((total, row) => {
      const amount = pick(row);
      return amount === undefined ? total : (total ?? 0n) + BigInt(amount);
    }, null);
  return { budgetOre: sum((row) => row.budgetOre), outcomeOre: sum((row) => row.outcomeOre) };
}

/** Beviljat − utnyttjat; negative when more was used than granted. */
export function unusedOre(grantedOre: Ore | undefined | null, usedOre: Ore | undefined | null): bigint | null {
  const granted = toBigInt(grantedOre);
  const used = toBigInt(usedOre);
  return granted === undefined || used === undefined ? null : granted - used;
}

/**
 * Which branch of a funds_summary applies. Unknown amounts give undefined: then every branch is shown, as on paper.
 * An overspend counts as fully used.
 */
export function fundsBranch(
  grantedOre: Ore | undefined | null,
  usedOre: Ore | undefined | null,
): FundsCondition | undefined {
  const unused = unusedOre(grantedOre, usedOre);
  if (unused === null) return undefined;
  return unused > 0n ? "unused_positive" : "unused_zero";
}

export type ParticipantCounts = Record<Gender | "total", number | null>;

/**
 * Participants by kön and in all, over the rows given: one row for its own total, every row of an exclusive table for
 * the Summa row. Null where no row has a count, so a blank prints blank rather than 0.
 */
export function participantCounts(rows: readonly Pick<ParticipantRow, Gender>[]): ParticipantCounts {
  const sum = (counts: (number | null | undefined)[]) =>
    counts.reduce<number | null>(
      (total, count) => (count === undefined || count === null ? total : (total ?? 0) + count),
      null,
    );
  const byGender = Object.fromEntries(genders.map((gender) => [gender, sum(rows.map((row) => row[gender]))])) as Record<
    Gender,
    number | null
  >;
  return { ...byGender, total: sum(genders.map((gender) => byGender[gender])) };
}
