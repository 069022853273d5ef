import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { invalidInput } from "../platform/http/errors.js";
import { checkFundingShares } from "./funding-shares.js";
import { listMembers, updateFundingShares } from "./repository.js";

export type SetFundingSharesOptions = { tenant: Tenant; shares: { memberId: string; basisPoints: number }[] };

/** Replaces every member's share at once; the new set must follow the law's split, or nothing is saved. */
export async function setFundingShares({ tenant, shares }: SetFundingSharesOptions) {
  const associationId = tenant.association.id;
  const members = await listMembers(tenant.tx, associationId);
  const byId = new Map(shares.map((share) => [share.memberId, share.basisPoints]));
  const unknown = shares.filter((share) => !members.some((member) => member.id === share.memberId));
  const missing = members.filter((member) => !byId.has(member.id));
  if (unknown.length > 0 || missing.length > 0 || byId.size !== shares.length) {
    throw invalidInput([{ path: "shares", message: "Ange andelen för varje medlem i förbundet, en gång var." }]);
  }
  const check = checkFundingShares(
    members.map((member) => ({ type: member.type, basisPoints: byId.get(member.id) ?? 0 })),
  );
  if (!check.ok) throw invalidInput(check.problems.map((message) => ({ path: "shares", message })));
  await updateFundingShares(tenant.tx, associationId, shares);
  await audit(tenant, "member.funding_shares_set", undefined, {
    shares: Object.fromEntries(members.map((member) => [member.name, byId.get(member.id)])),
  });
  return check;
}
