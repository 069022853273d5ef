import type { Tx } from "../platform/db/scope.js";

/** All SQL of the organisations module: the organisation registry and who acts for each organisation. */

export type OrganisationInput = {
  name: string;
  memberId?: string | undefined;
  organisationNumber?: string | undefined;
};

export function listOrganisations(tx: Tx, associationId: string) {
  return tx
    .selectFrom("organisation as o")
    .leftJoin("member as m", (join) =>
      join.onRef("m.association_id", "=", "o.association_id").onRef("m.id", "=", "o.member_id"),
    )
    .select([
      "o.id",
      "o.name",
      "o.member_id",
      "o.organisation_number",
      "m.name as member_name",
      "m.type as member_type",
    ])
    .where("o.association_id", "=", associationId)
    .orderBy("o.name")
    .execute();
}

export function findOrganisation(tx: Tx, associationId: string, organisationId: string) {
  return tx
    .selectFrom("organisation")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("id", "=", organisationId)
    .executeTakeFirst();
}

export function findOrganisationByName(tx: Tx, associationId: string, name: string) {
  return tx
    .selectFrom("organisation")
    .selectAll()
    .where("association_id", "=", associationId)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
    .executeTakeFirst();
}

export function insertOrganisation(tx: Tx, associationId: string, input: OrganisationInput) {
  return tx
    .insertInto("organisation")
    .values({
      association_id: associationId,
      name: input.name,
      member_id: input.memberId ?? null,
      organisation_number: input.organisationNumber ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateOrganisation(tx: Tx, associationId: string, organisationId: string, input: OrganisationInput) {
  return tx
    .updateTable("organisation")
    .set({
      name: input.name,
      member_id: input.memberId ?? null,
      organisation_number: input.organisationNumber ?? null,
    })
    .where("association_id", "=", associationId)
    .where("id", "=", organisationId)
    .returningAll()
    .executeTakeFirst();
}

export function listContacts(tx: Tx, associationId: string, organisationId: string) {
  return tx
    .selectFrom("organisation_contact as oc")
    .innerJoin("user_account as u", "u.id", "oc.user_id")
    .select(["u.id", "u.name", "u.email"])
    .where("oc.association_id", "=", associationId)
    .where("oc.organisation_id", "=", organisationId)
    .orderBy("u.name")
    .execute();
}

/** The organisations a user acts for: what an owner_contact may see. */
export async function organisationIdsOfContact(tx: Tx, associationId: string, userId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom("organisation_contact")
    .select("organisation_id")
    .where("association_id", "=", associationId)
    .where("user_id", "=", userId)
    .execute();
  return rows.map((row) => row.organisation_id);
}

export async function insertContact(tx: Tx, associationId: string, organisationId: string, userId: string) {
  await tx
    .insertInto("organisation_contact")
    .values({ association_id: associationId, organisation_id: organisationId, user_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteContact(tx: Tx, associationId: string, organisationId: string, userId: string) {
  const result = await tx
    .deleteFrom("organisation_contact")
    .where("association_id", "=", associationId)
    .where("organisation_id", "=", organisationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}
