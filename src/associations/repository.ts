import { sql } from "kysely";
import type { MemberType } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";

/** All SQL of the associations module: associations (the tenants) and their members. */

export function findAssociationBySlug(tx: Tx, slug: string) {
  return tx.selectFrom("association").selectAll().where("slug", "=", slug).executeTakeFirst();
}

export function listAssociations(tx: Tx) {
  return tx
    .selectFrom("association")
    .select(["id", "slug", "name", "organisation_number", "created_at"])
    .orderBy("name")
    .execute();
}

export function insertAssociation(
  tx: Tx,
  association: { slug: string; name: string; organisationNumber?: string | undefined },
) {
  return tx
    .insertInto("association")
    .values({
      slug: association.slug,
      name: association.name,
      organisation_number: association.organisationNumber ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type MemberInput = {
  name: string;
  type: MemberType;
  organisationNumber?: string | undefined;
  fundingShareBasisPoints: number;
};

export function listMembers(tx: Tx, associationId: string) {
  return tx
    .selectFrom("member")
    .selectAll()
    .where("association_id", "=", associationId)
    .orderBy(sql`array_position(array['fk','af','region','kommun','other'], type)`)
    .orderBy("name")
    .execute();
}

export function findMember(tx: Tx, associationId: string, memberId: string) {
  return tx
    .selectFrom("member")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("id", "=", memberId)
    .executeTakeFirst();
}

export function findMemberByName(tx: Tx, associationId: string, name: string) {
  return tx
    .selectFrom("member")
    .select("id")
    .where("association_id", "=", associationId)
    .where(sql`lower(name)`, "=", name.toLowerCase())
    .executeTakeFirst();
}

export function insertMember(tx: Tx, associationId: string, member: MemberInput) {
  return tx
    .insertInto("member")
    .values({
      association_id: associationId,
      name: member.name,
      type: member.type,
      organisation_number: member.organisationNumber ?? null,
      funding_share_basis_points: member.fundingShareBasisPoints,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateMember(tx: Tx, associationId: string, memberId: string, member: MemberInput) {
  return tx
    .updateTable("member")
    .set({
      name: member.name,
      type: member.type,
      organisation_number: member.organisationNumber ?? null,
      funding_share_basis_points: member.fundingShareBasisPoints,
    })
    .where("association_id", "=", associationId)
    .where("id", "=", memberId)
    .returningAll()
    .executeTakeFirst();
}

export async function updateFundingShares(
  tx: Tx,
  associationId: string,
  shares: { memberId: string; basisPoints: number }[],
) {
  for (const share of shares) {
    await tx
      .updateTable("member")
      .set({ funding_share_basis_points: share.basisPoints })
      .where("association_id", "=", associationId)
      .where("id", "=", share.memberId)
      .execute();
  }
}

export async function deleteMember(tx: Tx, associationId: string, memberId: string): Promise<boolean> {
  const result = await tx
    .deleteFrom("member")
    .where("association_id", "=", associationId)
    .where("id", "=", memberId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

/**
 * The administrator's start page in one statement (members, administrators, latest events): on the embedded
 * database every statement costs, and this is the page everyone opens first.
 */
export async function startPageFigures(tx: Tx, associationId: string) {
  const result = await sql<{
    members: { type: MemberType; basisPoints: number }[];
    admins: number;
    recent: { occurredAt: string; actor: string | null; action: string }[];
  }>`
    select
      (select coalesce(json_agg(json_build_object('type', type, 'basisPoints', funding_share_basis_points)), '[]')
         from member where association_id = ${associationId}) as members,
      (select count(*)::int from association_user where association_id = ${associationId} and role = 'admin') as admins,
      (select coalesce(json_agg(json_build_object('occurredAt', occurred_at, 'actor', actor_label, 'action', action)), '[]')
         from (select occurred_at, actor_label, action from audit_log
               where association_id = ${associationId} order by id desc limit 5) latest) as recent`.execute(tx);
  const row = result.rows[0]!;
  return { ...row, recent: row.recent.map((entry) => ({ ...entry, occurredAt: new Date(entry.occurredAt) })) };
}
