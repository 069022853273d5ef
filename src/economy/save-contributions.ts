import { checkFundingShares } from "../associations/funding-shares.js";
import { audit } from "../audit/record.js";
import type { Invoicing } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, type FieldError, invalidInput } from "../platform/http/errors.js";
import { amountDue, expectedAmounts, membershipPeriod, reschedule, type StoredInstalment } from "./contributions.js";
import {
  type ContributionMember,
  claimYear,
  listContributionMembers,
  memberBudgetLines,
  replaceInstalments,
  upsertMemberContribution,
} from "./contributions-repository.js";
import { periodise } from "./periods.js";
import { replaceBudgetAmounts } from "./repository.js";
import { ensureBudgetStructure } from "./structure-setup.js";

export type MemberContributionInput = {
  memberId: string;
  basisPoints: number;
  memberFrom: string | null;
  decidedOre: bigint | null;
  invoicing: Invoicing;
};

export type ContributionYearInput = {
  totalOre: bigint;
  /** The year's version as the user read it; 0 for a year that does not exist yet. */
  version: number;
  members: MemberContributionInput[];
};

export const STALE_CONTRIBUTIONS = (year: number) =>
  `Någon annan har ändrat ${year} (medlemsbidragen eller budgeten) sedan du öppnade sidan. Dina uppgifter är inte ` +
  "sparade men finns kvar i formuläret: jämför med den senaste versionen och spara igen.";

/** Error paths name the API's fields ("members.2.memberFrom"); the page's form uses the same names. */
const memberPath = (index: number, field: string) => `members.${index}.${field}`;

/**
 * Saves a year's contributions as one decision: the total, each member's share, membership date, decided amount
 * and invoicing. The shares must follow the law's split or nothing is saved. Each member's instalments are planned
 * anew (invoiced ones are kept) and its medlemsbidrag budget line for the year is derived from the amount, spread
 * over the months it was a member: the budget is never typed a second time.
 */
export async function saveContributions({
  tenant,
  year,
  input,
  action = "economy.contributions.save",
}: {
  tenant: Tenant;
  year: number;
  input: ContributionYearInput;
  action?: "economy.contributions.save" | "economy.contributions.create";
}) {
  const associationId = tenant.association.id;
  await ensureBudgetStructure(tenant.tx, associationId);
  const members = await listContributionMembers(tenant.tx, associationId, year);
  const byId = new Map(members.map((member) => [member.memberId, member]));
  const errors: FieldError[] = [];

  const seen = new Set<string>();
  input.members.forEach((entry, index) => {
    if (!byId.has(entry.memberId) || seen.has(entry.memberId)) {
      errors.push({ path: memberPath(index, "memberId"), message: "Okänd medlem, eller samma medlem två gånger." });
    }
    seen.add(entry.memberId);
    if (entry.memberFrom !== null && entry.memberFrom.slice(0, 4) !== String(year)) {
      errors.push({
        path: memberPath(index, "memberFrom"),
        message: `Medlem från ska vara ett datum under ${year}, eller tomt om medlemmen var med hela året.`,
      });
    }
  });
  const missing = members.filter((member) => !seen.has(member.memberId));
  if (missing.length > 0) {
    errors.push({
      path: "members",
      message: `Ange andel för varje medlem: ${missing.map((member) => member.name).join(", ")} saknas.`,
    });
  }
  if (errors.length > 0) throw invalidInput(errors);

  const entries = input.members.map((entry) => ({ entry, member: byId.get(entry.memberId) as ContributionMember }));
  const check = checkFundingShares(
    entries.map(({ entry, member }) => ({ type: member.type, basisPoints: entry.basisPoints })),
  );
  if (!check.ok) throw invalidInput(check.problems.map((message) => ({ path: "members", message })));
  const expected = expectedAmounts(
    input.totalOre,
    entries.map(({ entry }) => entry.basisPoints),
  ) as bigint[];

  const plans = entries.map(({ entry, member }, index) => {
    const amountOre = amountDue(expected[index], entry.decidedOre);
    const result = reschedule({
      amountOre,
      year,
      invoicing: entry.invoicing,
      memberFrom: entry.memberFrom,
      previousInvoicing: member.stored ? member.invoicing : undefined,
      existing: member.instalments,
    });
    if (!result.ok)
      errors.push({ path: memberPath(index, result.field), message: `${member.name}: ${result.message}` });
    return { entry, member, amountOre, instalments: result.ok ? result.instalments : ([] as StoredInstalment[]) };
  });
  if (errors.length > 0) throw invalidInput(errors);

  if (!(await claimYear(tenant.tx, associationId, year, input.version, input.totalOre))) {
    throw conflict(STALE_CONTRIBUTIONS(year));
  }
  const lines = await memberBudgetLines(tenant.tx, associationId);
  for (const { entry, amountOre, instalments } of plans) {
    await upsertMemberContribution(tenant.tx, associationId, year, entry);
    await replaceInstalments(tenant.tx, associationId, year, entry.memberId, instalments);
    const lineId = lines.get(entry.memberId);
    if (lineId) {
      await replaceBudgetAmounts(tenant.tx, associationId, {
        scenario: "budget",
        year,
        lineId,
        months: periodise(amountOre, year, membershipPeriod(year, entry.memberFrom)),
      });
    }
  }
  await audit(
    tenant,
    action,
    { type: "fiscal_year", id: String(year) },
    {
      year,
      totalOre: String(input.totalOre),
      members: Object.fromEntries(
        plans.map(({ entry, member, amountOre, instalments }) => [
          member.name,
          {
            basisPoints: entry.basisPoints,
            memberFrom: entry.memberFrom,
            decidedOre: entry.decidedOre === null ? null : String(entry.decidedOre),
            amountOre: String(amountOre),
            invoicing: entry.invoicing,
            instalments: instalments.length,
          },
        ]),
      ),
    },
  );
}
