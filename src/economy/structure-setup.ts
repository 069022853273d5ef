import type { Tx } from "../platform/db/scope.js";
import { syncStructureLineNames } from "./budget-repository.js";
import { insertBudgetLines, listBudgetLines, missingStructureLines } from "./repository.js";
import { defaultLines } from "./structure.js";

/**
 * Gives the association its budget structure: the default lines the first time, then a medlemsbidrag line for each
 * member and a line for each granted insats that has none yet. Run whenever the economy pages open, so a new member
 * or a new grant appears in the budget without anyone adding it by hand, and a renamed member or insats is renamed
 * in the budget too.
 */
export async function ensureBudgetStructure(tx: Tx, associationId: string): Promise<void> {
  const existing = await listBudgetLines(tx, associationId);
  const { members, interventions } = await missingStructureLines(tx, associationId);
  let position = existing.reduce((max, line) => Math.max(max, line.position), 0);
  const next = () => {
    position += 10;
    return position;
  };
  await insertBudgetLines(tx, associationId, [
    ...members.map((member) => ({
      section: "income" as const,
      name: `Medlemsbidrag ${member.name}`,
      memberId: member.id,
      position: next(),
    })),
    ...(existing.length === 0 ? defaultLines.map((line) => ({ ...line, position: next() })) : []),
    ...interventions.map((intervention) => ({
      section: intervention.kind === "individual" ? ("individual" as const) : ("structural" as const),
      name: intervention.name,
      interventionId: intervention.id,
      position: next(),
    })),
  ]);
  await syncStructureLineNames(tx, associationId);
}
