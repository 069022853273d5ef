import { sql } from "kysely";
import type { Tx } from "../platform/db/scope.js";
import type { RepaymentInput, RequisitionInput } from "./requisition-input.js";

/** All SQL of requisitions (rekvisitioner) and repayments (återföringar). */

export function listRequisitions(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("requisition as r")
    .selectAll("r")
    .select(
      sql<bigint>`(select coalesce(sum(l.amount_ore), 0)::bigint from requisition_line l
        where l.association_id = r.association_id and l.requisition_id = r.id)`.as("total_ore"),
    )
    .where("r.association_id", "=", associationId)
    .where("r.intervention_id", "=", interventionId)
    .orderBy("r.period_start")
    .orderBy("r.submitted_at")
    .execute();
}

export function findRequisition(tx: Tx, associationId: string, interventionId: string, requisitionId: string) {
  return tx
    .selectFrom("requisition")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .where("id", "=", requisitionId)
    .executeTakeFirst();
}

export function listRequisitionLines(tx: Tx, associationId: string, requisitionId: string) {
  return tx
    .selectFrom("requisition_line")
    .select(["cost_category", "amount_ore"])
    .where("association_id", "=", associationId)
    .where("requisition_id", "=", requisitionId)
    .execute();
}

async function replaceLines(tx: Tx, associationId: string, requisitionId: string, input: RequisitionInput) {
  await tx
    .deleteFrom("requisition_line")
    .where("association_id", "=", associationId)
    .where("requisition_id", "=", requisitionId)
    .execute();
  await tx
    .insertInto("requisition_line")
    .values(
      input.lines.map((line) => ({
        association_id: associationId,
        requisition_id: requisitionId,
        cost_category: line.costCategory,
        amount_ore: line.amountOre,
      })),
    )
    .execute();
}

export async function insertRequisition(
  tx: Tx,
  associationId: string,
  interventionId: string,
  input: RequisitionInput,
  user: { id: string | null; name: string },
) {
  const requisition = await tx
    .insertInto("requisition")
    .values({
      association_id: associationId,
      intervention_id: interventionId,
      period_start: input.periodStart,
      period_end: input.periodEnd,
      note: input.note ?? null,
      submitted_by: user.id,
      submitted_by_label: user.name,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await replaceLines(tx, associationId, requisition.id, input);
  return requisition;
}

/** A returned requisition, corrected and sent again; only from the version the writer saw. */
export async function resubmitRequisition(
  tx: Tx,
  associationId: string,
  requisitionId: string,
  version: number,
  input: RequisitionInput,
  user: { id: string | null; name: string },
) {
  const updated = await tx
    .updateTable("requisition")
    .set((eb) => ({
      period_start: input.periodStart,
      period_end: input.periodEnd,
      note: input.note ?? null,
      status: "submitted",
      submitted_by: user.id,
      submitted_by_label: user.name,
      submitted_at: sql`now()`,
      version: eb("version", "+", 1),
    }))
    .where("association_id", "=", associationId)
    .where("id", "=", requisitionId)
    .where("status", "=", "returned")
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
  if (updated) await replaceLines(tx, associationId, requisitionId, input);
  return updated;
}

/** Approves or returns a submitted requisition; undefined when someone else decided it first. */
export function decideRequisition(
  tx: Tx,
  associationId: string,
  requisitionId: string,
  decision: {
    status: "approved" | "returned";
    comment?: string | undefined;
    overGrantReason?: string | undefined;
    user: { id: string | null; name: string };
  },
) {
  return tx
    .updateTable("requisition")
    .set((eb) => ({
      status: decision.status,
      decision_comment: decision.comment ?? null,
      over_grant_reason: decision.overGrantReason ?? null,
      decided_by: decision.user.id,
      decided_by_label: decision.user.name,
      decided_at: sql`now()`,
      version: eb("version", "+", 1),
    }))
    .where("association_id", "=", associationId)
    .where("id", "=", requisitionId)
    .where("status", "=", "submitted")
    .returningAll()
    .executeTakeFirst();
}

/** Approved requisitions of an insats, summed per calendar year of their period. */
export function approvedPerYear(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("requisition as r")
    .innerJoin("requisition_line as l", (join) =>
      join.onRef("l.association_id", "=", "r.association_id").onRef("l.requisition_id", "=", "r.id"),
    )
    .select([
      sql<number>`extract(year from r.period_start)::int`.as("year"),
      sql<bigint>`sum(l.amount_ore)::bigint`.as("amount_ore"),
    ])
    .where("r.association_id", "=", associationId)
    .where("r.intervention_id", "=", interventionId)
    .where("r.status", "=", "approved")
    .groupBy(sql`extract(year from r.period_start)`)
    .orderBy("year")
    .execute();
}

export function listRepayments(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("repayment")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .orderBy("repaid_on")
    .execute();
}

export function insertRepayment(
  tx: Tx,
  associationId: string,
  interventionId: string,
  input: RepaymentInput,
  user: { id: string | null; name: string },
) {
  return tx
    .insertInto("repayment")
    .values({
      association_id: associationId,
      intervention_id: interventionId,
      amount_ore: input.amountOre,
      repaid_on: input.repaidOn,
      decision_reference: input.decisionReference ?? null,
      note: input.note ?? null,
      recorded_by: user.id,
      recorded_by_label: user.name,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The portfolio: per insats and calendar year, what was granted, what approved requisitions used and what was
 * repaid. One statement that aggregates each source once (no per-row subqueries), so the page costs little more for
 * 400 insatser than for 4.
 */
export function portfolio(
  tx: Tx,
  associationId: string,
  filter: { year?: number | undefined; kind?: string | undefined; status?: string | undefined },
) {
  const inYear = (column: ReturnType<typeof sql>) =>
    filter.year === undefined ? sql`` : sql`and ${column} = ${filter.year}`;
  const kind = filter.kind === undefined ? sql`` : sql`and i.kind = ${filter.kind}`;
  const status = filter.status === undefined ? sql`` : sql`and i.status = ${filter.status}`;
  return sql<{
    intervention_id: string;
    name: string;
    owner_name: string;
    kind: "individual" | "structural";
    status: string;
    year: number;
    granted_ore: bigint;
    requisitioned_ore: bigint;
    repaid_ore: bigint;
  }>`
    with granted as (
      select intervention_id, year, sum(amount_ore) as amount from intervention_grant
      where association_id = ${associationId} ${inYear(sql`year`)}
      group by intervention_id, year
    ), requisitioned as (
      select r.intervention_id, extract(year from r.period_start)::int as year, sum(l.amount_ore) as amount
      from requisition r
      join requisition_line l on l.association_id = r.association_id and l.requisition_id = r.id
      where r.association_id = ${associationId} and r.status = 'approved'
        ${inYear(sql`extract(year from r.period_start)::int`)}
      group by r.intervention_id, extract(year from r.period_start)::int
    ), repaid as (
      select intervention_id, extract(year from repaid_on)::int as year, sum(amount_ore) as amount from repayment
      where association_id = ${associationId} ${inYear(sql`extract(year from repaid_on)::int`)}
      group by intervention_id, extract(year from repaid_on)::int
    ), years as (
      select intervention_id, year from granted
      union select intervention_id, year from requisitioned
      union select intervention_id, year from repaid
    )
    select i.id as intervention_id, i.name, o.name as owner_name, i.kind, i.status, y.year,
      coalesce(g.amount, 0)::bigint as granted_ore,
      coalesce(q.amount, 0)::bigint as requisitioned_ore,
      coalesce(p.amount, 0)::bigint as repaid_ore
    from years y
    join intervention i on i.association_id = ${associationId} and i.id = y.intervention_id
    join organisation o on o.association_id = i.association_id and o.id = i.owner_organisation_id
    left join granted g on g.intervention_id = y.intervention_id and g.year = y.year
    left join requisitioned q on q.intervention_id = y.intervention_id and q.year = y.year
    left join repaid p on p.intervention_id = y.intervention_id and p.year = y.year
    where true ${kind} ${status}
    order by i.name, i.id, y.year
  `
    .execute(tx)
    .then((result) => result.rows);
}

/** Approved requisitions of an insats per kostnadsslag: the utfall of its cost table. */
export function approvedPerCategory(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("requisition as r")
    .innerJoin("requisition_line as l", (join) =>
      join.onRef("l.association_id", "=", "r.association_id").onRef("l.requisition_id", "=", "r.id"),
    )
    .select(["l.cost_category", sql<bigint>`sum(l.amount_ore)::bigint`.as("amount_ore")])
    .where("r.association_id", "=", associationId)
    .where("r.intervention_id", "=", interventionId)
    .where("r.status", "=", "approved")
    .groupBy("l.cost_category")
    .execute();
}
