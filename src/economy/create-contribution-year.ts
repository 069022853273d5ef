import { checkFundingShares } from "../associations/funding-shares.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput } from "../platform/http/errors.js";
import { listContributionMembers } from "./contributions-repository.js";
import { findFiscalYear } from "./repository.js";
import { saveContributions } from "./save-contributions.js";

/**
 * Starts a year's contributions with its total: every contributing member gets the share the member list has today
 * and last year's invoicing, whole-year membership and no decided amount yet, so that its expected amount, budget and
 * instalments follow at once. A year a budget or an import created already is taken over; one with contributions is
 * refused.
 */
export async function createContributionYear({
  tenant,
  year,
  totalOre,
}: {
  tenant: Tenant;
  year: number;
  totalOre: bigint;
}) {
  const associationId = tenant.association.id;
  const members = await listContributionMembers(tenant.tx, associationId, year);
  if (members.some((member) => member.stored)) {
    throw invalidInput([
      { path: "year", message: `Medlemsbidragen för ${year} finns redan: ändra dem på årets sida.` },
    ]);
  }
  const check = checkFundingShares(
    members.map((member) => ({ type: member.type, basisPoints: member.defaultBasisPoints })),
  );
  if (!check.ok) {
    throw invalidInput(
      check.problems.map((problem) => ({
        path: "year",
        message: `Medlemmarnas andelar följer inte lagens fördelning: ${problem} Rätta andelarna under Medlemmar först.`,
      })),
    );
  }
  const existing = await findFiscalYear(tenant.tx, associationId, year);
  await saveContributions({
    tenant,
    year,
    action: "economy.contributions.create",
    input: {
      totalOre,
      version: existing?.version ?? 0,
      members: members.map((member) => ({
        memberId: member.memberId,
        basisPoints: member.defaultBasisPoints,
        memberFrom: null,
        decidedOre: null,
        invoicing: member.invoicing,
      })),
    },
  });
}
