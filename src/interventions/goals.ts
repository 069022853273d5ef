import { audit } from "../audit/record.js";
import type { InterventionStatus } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, forbidden, invalidInput, notFound } from "../platform/http/errors.js";
import { assertMayEdit, isStaff, loadIntervention } from "./access.js";
import type { GoalInput, RevisionInput } from "./application-input.js";
import { deleteGoal, findGoal, insertGoal, insertGoalRevision, touchIntervention, updateGoal } from "./repository.js";

const grantedStatuses: readonly InterventionStatus[] = [
  "granted",
  "ongoing",
  "ended",
  "final_report_submitted",
  "final_report_approved",
];

/** Once granted, the goals are the board's: they change only through a recorded revision. */
export const goalsAreGranted = (status: InterventionStatus) => grantedStatuses.includes(status);

export type SaveGoalOptions = {
  tenant: Tenant;
  interventionId: string;
  /** Absent for a new goal. */
  goalId?: string | undefined;
  goal: GoalInput;
  /** Required once the insats is granted; ignored before. */
  revision?: RevisionInput | undefined;
};

/** Writes a goal into the application, or, after the grant, revises the goals with date, reason and decision. */
export async function saveGoal({ tenant, interventionId, goalId, goal, revision }: SaveGoalOptions) {
  const associationId = tenant.association.id;
  const intervention = await loadIntervention(tenant, interventionId);
  const existing = goalId ? await findGoal(tenant.tx, associationId, interventionId, goalId) : undefined;
  if (goalId && !existing) throw notFound();
  const revised = goalsAreGranted(intervention.status);
  if (revised) assertRevision(tenant, revision);
  else assertMayEdit(tenant, intervention.status);
  if (existing?.status === "struck") {
    throw new AppError(409, "Målet är struket", "Ett struket mål ändras inte. Lägg till ett nytt mål i stället.");
  }
  if (existing) await updateGoal(tenant.tx, associationId, existing.id, goal);
  const saved = existing ?? (await insertGoal(tenant.tx, associationId, interventionId, goal));
  if (revised && revision) {
    await insertGoalRevision(tenant.tx, associationId, {
      interventionId,
      goalId: saved.id,
      change: existing ? "changed" : "added",
      ...revision,
      previous: existing,
      user: tenant.user,
    });
  }
  await touchIntervention(tenant.tx, associationId, interventionId);
  await audit(
    tenant,
    existing ? "intervention.goal_change" : "intervention.goal_add",
    { type: "intervention", id: interventionId },
    { goalId: saved.id, revised },
  );
  return saved;
}

export type StrikeGoalOptions = { tenant: Tenant; interventionId: string; goalId: string; revision: RevisionInput };

/** Strikes a granted goal ("beslut att stryka målsättningarna"): it stays on record, marked struket. */
export async function strikeGoal({ tenant, interventionId, goalId, revision }: StrikeGoalOptions) {
  const associationId = tenant.association.id;
  const intervention = await loadIntervention(tenant, interventionId);
  const goal = await findGoal(tenant.tx, associationId, interventionId, goalId);
  if (!goal) throw notFound();
  if (!goalsAreGranted(intervention.status)) {
    throw new AppError(409, "Målet kan tas bort i stället", "Före beviljandet tas ett mål bort ur ansökan.");
  }
  assertRevision(tenant, revision);
  if (goal.status === "struck") throw new AppError(409, "Målet är redan struket", "Målet ströks tidigare.");
  await updateGoal(tenant.tx, associationId, goalId, {
    level: goal.level,
    text: goal.text,
    targetValue: goal.target_value ?? undefined,
    unit: goal.unit ?? undefined,
    status: "struck",
  });
  await insertGoalRevision(tenant.tx, associationId, {
    interventionId,
    goalId,
    change: "struck",
    ...revision,
    user: tenant.user,
  });
  await touchIntervention(tenant.tx, associationId, interventionId);
  await audit(tenant, "intervention.goal_strike", { type: "intervention", id: interventionId }, { goalId });
}

export type RemoveGoalOptions = { tenant: Tenant; interventionId: string; goalId: string };

/** Takes a goal out of an application that is not yet granted. */
export async function removeGoal({ tenant, interventionId, goalId }: RemoveGoalOptions) {
  const associationId = tenant.association.id;
  const intervention = await loadIntervention(tenant, interventionId);
  if (!(await findGoal(tenant.tx, associationId, interventionId, goalId))) throw notFound();
  if (goalsAreGranted(intervention.status)) {
    throw new AppError(409, "Målet är beviljat", "Ett beviljat mål tas inte bort: stryk det med en revidering.");
  }
  assertMayEdit(tenant, intervention.status);
  await deleteGoal(tenant.tx, associationId, goalId);
  await touchIntervention(tenant.tx, associationId, interventionId);
  await audit(tenant, "intervention.goal_remove", { type: "intervention", id: interventionId }, { goalId });
}

function assertRevision(tenant: Tenant, revision: RevisionInput | undefined): asserts revision is RevisionInput {
  if (!isStaff(tenant)) throw forbidden();
  if (!revision) {
    throw invalidInput([
      { path: "revisedOn", message: "Ange datum för ändringen: beviljade mål ändras bara genom en revidering." },
      { path: "reason", message: "Skriv varför målet ändras." },
    ]);
  }
}
