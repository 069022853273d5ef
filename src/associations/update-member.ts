import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, notFound } from "../platform/http/errors.js";
import type { MemberInput } from "./member-input.js";
import { findMember, findMemberByName, updateMember as updateMemberRow } from "./repository.js";

export type UpdateMemberOptions = { tenant: Tenant; memberId: string; input: MemberInput };

export async function updateMember({ tenant, memberId, input }: UpdateMemberOptions) {
  const associationId = tenant.association.id;
  const before = await findMember(tenant.tx, associationId, memberId);
  if (!before) throw notFound();
  const sameName = await findMemberByName(tenant.tx, associationId, input.name);
  if (sameName && sameName.id !== memberId) {
    throw conflict("Det finns redan en medlem med det namnet.", [{ path: "name", message: "Namnet används redan." }]);
  }
  const after = await updateMemberRow(tenant.tx, associationId, memberId, input);
  if (!after) throw notFound();
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, from, to] of [
    ["name", before.name, after.name],
    ["type", before.type, after.type],
    ["organisationNumber", before.organisation_number, after.organisation_number],
    ["fundingShareBasisPoints", before.funding_share_basis_points, after.funding_share_basis_points],
  ] as const) {
    if (from !== to) changes[field] = { from, to };
  }
  await audit(tenant, "member.update", { type: "member", id: memberId }, { changes });
  return after;
}
