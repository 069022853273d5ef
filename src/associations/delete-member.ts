import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict, notFound } from "../platform/http/errors.js";
import { deleteMember as deleteMemberRow, findMember } from "./repository.js";

export type DeleteMemberOptions = { tenant: Tenant; memberId: string };

export async function deleteMember({ tenant, memberId }: DeleteMemberOptions) {
  const associationId = tenant.association.id;
  const member = await findMember(tenant.tx, associationId, memberId);
  if (!member) throw notFound();
  try {
    await deleteMemberRow(tenant.tx, associationId, memberId);
  } catch (error) {
    // Later modules (contributions, board seats) refer to members; history must not lose its member.
    if ((error as { code?: string }).code === "23503") {
      throw conflict("Medlemmen förekommer i förbundets uppgifter och kan inte tas bort.");
    }
    throw error;
  }
  await audit(tenant, "member.delete", { type: "member", id: memberId }, { name: member.name });
}
