import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict } from "../platform/http/errors.js";
import type { MemberInput } from "./member-input.js";
import { findMemberByName, insertMember } from "./repository.js";

export type CreateMemberOptions = { tenant: Tenant; input: MemberInput };

export async function createMember({ tenant, input }: CreateMemberOptions) {
  const associationId = tenant.association.id;
  if (await findMemberByName(tenant.tx, associationId, input.name)) {
    throw conflict("Det finns redan en medlem med det namnet.", [{ path: "name", message: "Namnet används redan." }]);
  }
  const member = await insertMember(tenant.tx, associationId, input);
  await audit(
    tenant,
    "member.create",
    { type: "member", id: member.id },
    {
      name: member.name,
      type: member.type,
      fundingShareBasisPoints: member.funding_share_basis_points,
    },
  );
  return member;
}
