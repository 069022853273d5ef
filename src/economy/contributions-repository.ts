import { sql } from "kysely";
import type { Invoicing, MemberType } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import type { StoredInstalment } from "./contributions.js";

/** The SQL of medlemsbidrag: the year's total, each member's part of it and its instalments. */

export type YearSummary = {
  year: number;
  totalContributionOre: bigint;
  decidedOre: bigint;
  invoicedOre: bigint;
  paidOre: bigint;
  members: number;
};

/** Every fiscal year with its decided and paid sums, one statement. */
export async function listContributionYears(tx: Tx, associationId: string): Promise<YearSummary[]> {
  const rows = await tx
    .selectFrom("fiscal_year as f")
    .select((eb) => [
      "f.year",
      "f.total_contribution_ore",
      eb
        .selectFrom("member_contribution as m")
        .select((inner) => inner.fn.coalesce(inner.fn.sum<bigint>("m.decided_ore"), inner.lit(0)).as("sum"))
        .whereRef("m.association_id", "=", "f.association_id")
        .whereRef("m.year", "=", "f.year")
        .as("decided_ore"),
      eb
        .selectFrom("member_contribution as m")
        .select((inner) => inner.fn.countAll<number>().as("count"))
        .whereRef("m.association_id", "=", "f.association_id")
        .whereRef("m.year", "=", "f.year")
        .as("members"),
      eb
        .selectFrom("contribution_invoice as i")
        .select((inner) => inner.fn.coalesce(inner.fn.sum<bigint>("i.amount_ore"), inner.lit(0)).as("sum"))
        .whereRef("i.association_id", "=", "f.association_id")
        .whereRef("i.year", "=", "f.year")
        .where("i.invoiced_on", "is not", null)
        .as("invoiced_ore"),
      eb
        .selectFrom("contribution_invoice as i")
        .select((inner) => inner.fn.coalesce(inner.fn.sum<bigint>("i.amount_ore"), inner.lit(0)).as("sum"))
        .whereRef("i.association_id", "=", "f.association_id")
        .whereRef("i.year", "=", "f.year")
        .where("i.paid_on", "is not", null)
        .as("paid_ore"),
    ])
    .where("f.association_id", "=", associationId)
    .orderBy("f.year", "desc")
    .execute();
  return rows.map((row) => ({
    year: row.year,
    totalContributionOre: row.total_contribution_ore,
    decidedOre: BigInt(row.decided_ore ?? 0),
    invoicedOre: BigInt(row.invoiced_ore ?? 0),
    paidOre: BigInt(row.paid_ore ?? 0),
    members: Number(row.members ?? 0),
  }));
}

export type ContributionMember = {
  memberId: string;
  name: string;
  type: MemberType;
  /** The member's share as the member list has it today, the default for a year that has no row for it yet. */
  defaultBasisPoints: number;
  stored: boolean;
  basisPoints: number;
  memberFrom: string | null;
  decidedOre: bigint | null;
  invoicing: Invoicing;
  instalments: StoredInstalment[];
};

/**
 * The contributing members (every member but "other") with their part of the year, or the defaults when the year has
 * no row for them yet: today's share and the schedule they had the year before.
 */
export async function listContributionMembers(
  tx: Tx,
  associationId: string,
  year: number,
): Promise<ContributionMember[]> {
  const members = await tx
    .selectFrom("member")
    .leftJoin("member_contribution as c", (join) =>
      join
        .onRef("c.association_id", "=", "member.association_id")
        .onRef("c.member_id", "=", "member.id")
        .on("c.year", "=", year),
    )
    .leftJoin("member_contribution as p", (join) =>
      join
        .onRef("p.association_id", "=", "member.association_id")
        .onRef("p.member_id", "=", "member.id")
        .on("p.year", "=", year - 1),
    )
    .select([
      "member.id",
      "member.name",
      "member.type",
      "member.funding_share_basis_points",
      "c.year as stored_year",
      "c.funding_share_basis_points as basis_points",
      "c.member_from",
      "c.decided_ore",
      "c.invoicing",
      "p.invoicing as previous_invoicing",
    ])
    .where("member.association_id", "=", associationId)
    .where("member.type", "!=", "other")
    .orderBy(sql`array_position(array['fk','af','region','kommun'], member.type)`)
    .orderBy("member.name")
    .execute();
  const instalments = await listInstalments(tx, associationId, year);
  return members.map((row) => ({
    memberId: row.id,
    name: row.name,
    type: row.type,
    defaultBasisPoints: row.funding_share_basis_points,
    stored: row.stored_year !== null,
    basisPoints: row.basis_points ?? row.funding_share_basis_points,
    memberFrom: row.member_from,
    decidedOre: row.decided_ore,
    invoicing: row.invoicing ?? row.previous_invoicing ?? "yearly",
    instalments: instalments.get(row.id) ?? [],
  }));
}

async function listInstalments(tx: Tx, associationId: string, year: number) {
  const rows = await tx
    .selectFrom("contribution_invoice")
    .select(["member_id", "instalment", "due_on", "amount_ore", "invoiced_on", "paid_on"])
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .orderBy("member_id")
    .orderBy("instalment")
    .execute();
  const byMember = new Map<string, StoredInstalment[]>();
  for (const row of rows) {
    const list = byMember.get(row.member_id) ?? [];
    list.push({
      instalment: row.instalment,
      dueOn: row.due_on,
      amountOre: row.amount_ore,
      invoicedOn: row.invoiced_on,
      paidOn: row.paid_on,
    });
    byMember.set(row.member_id, list);
  }
  return byMember;
}

/**
 * Sets the year's total if the year is still at `version` (0: the year does not exist yet and is created), counting
 * the change; false when someone else changed the year first.
 */
export async function claimYear(
  tx: Tx,
  associationId: string,
  year: number,
  version: number,
  totalOre: bigint,
): Promise<boolean> {
  if (version === 0) {
    const inserted = await tx
      .insertInto("fiscal_year")
      .values({ association_id: associationId, year, total_contribution_ore: totalOre })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    return inserted.numInsertedOrUpdatedRows === 1n;
  }
  const updated = await tx
    .updateTable("fiscal_year")
    .set((eb) => ({ total_contribution_ore: totalOre, version: eb("version", "+", 1) }))
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .where("version", "=", version)
    .executeTakeFirst();
  return updated.numUpdatedRows === 1n;
}

export async function upsertMemberContribution(
  tx: Tx,
  associationId: string,
  year: number,
  row: {
    memberId: string;
    basisPoints: number;
    memberFrom: string | null;
    decidedOre: bigint | null;
    invoicing: Invoicing;
  },
) {
  const values = {
    funding_share_basis_points: row.basisPoints,
    member_from: row.memberFrom,
    decided_ore: row.decidedOre,
    invoicing: row.invoicing,
  };
  await tx
    .insertInto("member_contribution")
    .values({ association_id: associationId, year, member_id: row.memberId, ...values })
    .onConflict((conflict) => conflict.columns(["association_id", "year", "member_id"]).doUpdateSet(values))
    .execute();
}

/** Replaces a member's instalments of the year (the invoiced ones come back unchanged from `reschedule`). */
export async function replaceInstalments(
  tx: Tx,
  associationId: string,
  year: number,
  memberId: string,
  instalments: readonly StoredInstalment[],
) {
  await tx
    .deleteFrom("contribution_invoice")
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .where("member_id", "=", memberId)
    .execute();
  if (instalments.length === 0) return;
  await tx
    .insertInto("contribution_invoice")
    .values(
      instalments.map((instalment) => ({
        association_id: associationId,
        year,
        member_id: memberId,
        instalment: instalment.instalment,
        due_on: instalment.dueOn,
        amount_ore: instalment.amountOre,
        invoiced_on: instalment.invoicedOn,
        paid_on: instalment.paidOn,
      })),
    )
    .execute();
}

export async function findInstalment(
  tx: Tx,
  associationId: string,
  key: { year: number; memberId: string; instalment: number },
) {
  return tx
    .selectFrom("contribution_invoice")
    .innerJoin("member", (join) =>
      join
        .onRef("member.association_id", "=", "contribution_invoice.association_id")
        .onRef("member.id", "=", "contribution_invoice.member_id"),
    )
    .select([
      "member.name",
      "contribution_invoice.due_on",
      "contribution_invoice.amount_ore",
      "contribution_invoice.invoiced_on",
      "contribution_invoice.paid_on",
    ])
    .where("contribution_invoice.association_id", "=", associationId)
    .where("contribution_invoice.year", "=", key.year)
    .where("contribution_invoice.member_id", "=", key.memberId)
    .where("contribution_invoice.instalment", "=", key.instalment)
    .executeTakeFirst();
}

export async function updateInstalmentDates(
  tx: Tx,
  associationId: string,
  key: { year: number; memberId: string; instalment: number },
  dates: { invoicedOn: string | null; paidOn: string | null },
) {
  await tx
    .updateTable("contribution_invoice")
    .set({ invoiced_on: dates.invoicedOn, paid_on: dates.paidOn })
    .where("association_id", "=", associationId)
    .where("year", "=", key.year)
    .where("member_id", "=", key.memberId)
    .where("instalment", "=", key.instalment)
    .execute();
}

/** The medlemsbidrag budget line of each member (ensureBudgetStructure makes them). */
export async function memberBudgetLines(tx: Tx, associationId: string): Promise<Map<string, string>> {
  const rows = await tx
    .selectFrom("budget_line")
    .select(["id", "member_id"])
    .where("association_id", "=", associationId)
    .where("member_id", "is not", null)
    .execute();
  return new Map(rows.map((row) => [row.member_id as string, row.id]));
}
