import { sql } from "kysely";
import type {
  GoalChange,
  GoalStatus,
  InterventionKind,
  InterventionStatus,
  PartnerRole,
} from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import type { BudgetLine, DecisionColumns, GoalInput } from "./application-input.js";
import type { GrantInput, InterventionInput, PartnerInput } from "./intervention-input.js";

/** All SQL of the insatser module. `visibleTo` is the set of owner organisations a caller may see (all if absent). */

export type InterventionFilter = {
  q?: string | undefined;
  status?: InterventionStatus | undefined;
  ownerOrganisationId?: string | undefined;
  year?: number | undefined;
  kind?: InterventionKind | undefined;
  visibleTo?: string[] | undefined;
};

export function listInterventions(tx: Tx, associationId: string, filter: InterventionFilter) {
  let query = tx
    .selectFrom("intervention as i")
    .innerJoin("organisation as o", (join) =>
      join.onRef("o.association_id", "=", "i.association_id").onRef("o.id", "=", "i.owner_organisation_id"),
    )
    .select([
      "i.id",
      "i.name",
      "i.kind",
      "i.status",
      "i.start_date",
      "i.end_date",
      "i.registry_number",
      "o.name as owner_name",
      sql<bigint>`(select coalesce(sum(g.amount_ore), 0)::bigint from intervention_grant g
        where g.association_id = i.association_id and g.intervention_id = i.id)`.as("granted_ore"),
    ])
    .where("i.association_id", "=", associationId);
  if (filter.visibleTo) {
    if (filter.visibleTo.length === 0) return Promise.resolve([]);
    query = query.where("i.owner_organisation_id", "in", filter.visibleTo);
  }
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb("i.name", "ilike", pattern),
        eb("i.registry_number", "ilike", pattern),
        eb("o.name", "ilike", pattern),
      ]),
    );
  }
  if (filter.status) query = query.where("i.status", "=", filter.status);
  if (filter.ownerOrganisationId) query = query.where("i.owner_organisation_id", "=", filter.ownerOrganisationId);
  if (filter.kind) query = query.where("i.kind", "=", filter.kind);
  if (filter.year) {
    query = query.where("i.start_date", "<=", `${filter.year}-12-31`).where("i.end_date", ">=", `${filter.year}-01-01`);
  }
  return query.orderBy("i.start_date", "desc").orderBy("i.name").execute();
}

export function findIntervention(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("intervention as i")
    .innerJoin("organisation as o", (join) =>
      join.onRef("o.association_id", "=", "i.association_id").onRef("o.id", "=", "i.owner_organisation_id"),
    )
    .selectAll("i")
    .select("o.name as owner_name")
    .where("i.association_id", "=", associationId)
    .where("i.id", "=", interventionId)
    .executeTakeFirst();
}

/** The columns an insats's input sets; also what an update compares to tell what changed. */
export const interventionColumns = (input: InterventionInput) => ({
  name: input.name,
  owner_organisation_id: input.ownerOrganisationId,
  kind: input.kind,
  target_group: input.targetGroup ?? null,
  background: input.background ?? null,
  purpose: input.purpose ?? null,
  method: input.method ?? null,
  planned_women: input.plannedWomen ?? null,
  planned_men: input.plannedMen ?? null,
  planned_gender_unknown: input.plannedGenderUnknown ?? null,
  start_date: input.startDate,
  end_date: input.endDate,
  intake_end_date: input.intakeEndDate ?? null,
  conditions: input.conditions ?? null,
  registry_number: input.registryNumber ?? null,
  decision_section: input.decisionSection ?? null,
  decision_date: input.decisionDate ?? null,
});

export function insertIntervention(tx: Tx, associationId: string, input: InterventionInput) {
  return tx
    .insertInto("intervention")
    .values({ association_id: associationId, ...interventionColumns(input) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes the insats only if nobody changed it since `version`; undefined means someone did (or it is gone). */
export function updateIntervention(
  tx: Tx,
  associationId: string,
  interventionId: string,
  version: number,
  input: InterventionInput,
) {
  return tx
    .updateTable("intervention")
    .set((eb) => ({ ...interventionColumns(input), version: eb("version", "+", 1), updated_at: sql`now()` }))
    .where("association_id", "=", associationId)
    .where("id", "=", interventionId)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

/** Moves the status only from the expected one, so two people pressing the same button move it once. */
export function updateStatus(
  tx: Tx,
  associationId: string,
  interventionId: string,
  from: InterventionStatus,
  to: InterventionStatus,
) {
  return tx
    .updateTable("intervention")
    .set((eb) => ({ status: to, version: eb("version", "+", 1), updated_at: sql`now()` }))
    .where("association_id", "=", associationId)
    .where("id", "=", interventionId)
    .where("status", "=", from)
    .returningAll()
    .executeTakeFirst();
}

export async function insertStatusChange(
  tx: Tx,
  associationId: string,
  change: {
    interventionId: string;
    from: InterventionStatus | null;
    to: InterventionStatus;
    /** Null for changes no user made: demo data, imports. */
    user: { id: string | null; name: string };
    comment?: string | undefined;
  },
) {
  await tx
    .insertInto("intervention_status_change")
    .values({
      association_id: associationId,
      intervention_id: change.interventionId,
      from_status: change.from,
      to_status: change.to,
      changed_by: change.user.id,
      changed_by_label: change.user.name,
      comment: change.comment ?? null,
    })
    .execute();
}

export function listStatusChanges(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("intervention_status_change")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .orderBy("changed_at")
    .execute();
}

export function listGrants(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("intervention_grant")
    .select(["year", "amount_ore"])
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .orderBy("year")
    .execute();
}

export async function replaceGrants(tx: Tx, associationId: string, interventionId: string, grants: GrantInput[]) {
  await tx
    .deleteFrom("intervention_grant")
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .execute();
  if (grants.length === 0) return;
  await tx
    .insertInto("intervention_grant")
    .values(
      grants.map((grant) => ({
        association_id: associationId,
        intervention_id: interventionId,
        year: grant.year,
        amount_ore: grant.amountOre,
      })),
    )
    .execute();
}

export function listPartners(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("intervention_partner as p")
    .innerJoin("organisation as o", (join) =>
      join.onRef("o.association_id", "=", "p.association_id").onRef("o.id", "=", "p.organisation_id"),
    )
    .select(["p.organisation_id", "o.name as organisation_name", "p.role", "p.contact_name", "p.contact_email"])
    .where("p.association_id", "=", associationId)
    .where("p.intervention_id", "=", interventionId)
    .orderBy("p.role")
    .orderBy("o.name")
    .execute();
}

export async function upsertPartner(tx: Tx, associationId: string, interventionId: string, partner: PartnerInput) {
  const values = {
    role: partner.role as PartnerRole,
    contact_name: partner.contactName ?? null,
    contact_email: partner.contactEmail ?? null,
  };
  await tx
    .insertInto("intervention_partner")
    .values({
      association_id: associationId,
      intervention_id: interventionId,
      organisation_id: partner.organisationId,
      ...values,
    })
    .onConflict((oc) => oc.columns(["association_id", "intervention_id", "organisation_id"]).doUpdateSet(values))
    .execute();
}

export async function deletePartner(tx: Tx, associationId: string, interventionId: string, organisationId: string) {
  const result = await tx
    .deleteFrom("intervention_partner")
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

/** Any change to what belongs to an insats (grants, partners) is a new version of it. */
export async function touchIntervention(tx: Tx, associationId: string, interventionId: string) {
  await tx
    .updateTable("intervention")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: sql`now()` }))
    .where("association_id", "=", associationId)
    .where("id", "=", interventionId)
    .execute();
}

export function listGoals(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("intervention_goal")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .orderBy("position")
    .execute();
}

export function findGoal(tx: Tx, associationId: string, interventionId: string, goalId: string) {
  return tx
    .selectFrom("intervention_goal")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .where("id", "=", goalId)
    .executeTakeFirst();
}

export function insertGoal(tx: Tx, associationId: string, interventionId: string, goal: GoalInput) {
  return tx
    .insertInto("intervention_goal")
    .values((eb) => ({
      association_id: associationId,
      intervention_id: interventionId,
      position: eb
        .selectFrom("intervention_goal")
        .select(sql<number>`coalesce(max(position), 0) + 1`.as("next"))
        .where("association_id", "=", associationId)
        .where("intervention_id", "=", interventionId),
      level: goal.level,
      text: goal.text,
      target_value: goal.targetValue ?? null,
      unit: goal.unit ?? null,
    }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateGoal(
  tx: Tx,
  associationId: string,
  goalId: string,
  goal: GoalInput & { status?: GoalStatus },
) {
  await tx
    .updateTable("intervention_goal")
    .set({
      level: goal.level,
      text: goal.text,
      target_value: goal.targetValue ?? null,
      unit: goal.unit ?? null,
      ...(goal.status ? { status: goal.status } : {}),
    })
    .where("association_id", "=", associationId)
    .where("id", "=", goalId)
    .execute();
}

export async function deleteGoal(tx: Tx, associationId: string, goalId: string) {
  await tx
    .deleteFrom("intervention_goal")
    .where("association_id", "=", associationId)
    .where("id", "=", goalId)
    .execute();
}

export async function insertGoalRevision(
  tx: Tx,
  associationId: string,
  revision: {
    interventionId: string;
    goalId: string;
    change: GoalChange;
    revisedOn: string;
    reason: string;
    decisionReference?: string | undefined;
    previous?: { text: string; target_value: number | null; unit: string | null } | undefined;
    user: { id: string | null; name: string };
  },
) {
  await tx
    .insertInto("intervention_goal_revision")
    .values({
      association_id: associationId,
      intervention_id: revision.interventionId,
      goal_id: revision.goalId,
      change: revision.change,
      revised_on: revision.revisedOn,
      reason: revision.reason,
      decision_reference: revision.decisionReference ?? null,
      previous_text: revision.previous?.text ?? null,
      previous_target_value: revision.previous?.target_value ?? null,
      previous_unit: revision.previous?.unit ?? null,
      recorded_by: revision.user.id,
      recorded_by_label: revision.user.name,
    })
    .execute();
}

export function listGoalRevisions(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("intervention_goal_revision as r")
    .innerJoin("intervention_goal as g", (join) =>
      join.onRef("g.association_id", "=", "r.association_id").onRef("g.id", "=", "r.goal_id"),
    )
    .selectAll("r")
    .select("g.text as goal_text")
    .where("r.association_id", "=", associationId)
    .where("r.intervention_id", "=", interventionId)
    .orderBy("r.revised_on")
    .orderBy("r.recorded_at")
    .execute();
}

export function listBudget(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("intervention_budget")
    .select(["year", "cost_category", "amount_ore"])
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .orderBy("year")
    .execute();
}

export async function replaceBudget(tx: Tx, associationId: string, interventionId: string, lines: BudgetLine[]) {
  await tx
    .deleteFrom("intervention_budget")
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .execute();
  if (lines.length === 0) return;
  await tx
    .insertInto("intervention_budget")
    .values(
      lines.map((line) => ({
        association_id: associationId,
        intervention_id: interventionId,
        year: line.year,
        cost_category: line.costCategory,
        amount_ore: line.amountOre,
      })),
    )
    .execute();
}

export function listComments(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("intervention_comment")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .orderBy("written_at")
    .execute();
}

export async function insertComment(
  tx: Tx,
  associationId: string,
  comment: { interventionId: string; body: string; user: { id: string | null; name: string } },
) {
  await tx
    .insertInto("intervention_comment")
    .values({
      association_id: associationId,
      intervention_id: comment.interventionId,
      body: comment.body,
      written_by: comment.user.id,
      written_by_label: comment.user.name,
    })
    .execute();
}

/** The board's decision as the förbund records it: paragraph, date, period and conditions. */
export async function updateDecision(tx: Tx, associationId: string, interventionId: string, decision: DecisionColumns) {
  await tx
    .updateTable("intervention")
    .set({
      decision_section: decision.decisionSection,
      decision_date: decision.decisionDate,
      start_date: decision.startDate,
      end_date: decision.endDate,
      conditions: decision.conditions ?? null,
    })
    .where("association_id", "=", associationId)
    .where("id", "=", interventionId)
    .execute();
}
