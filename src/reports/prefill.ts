import { goalLevelNames } from "../interventions/application-input.js";
import { listBudget, listGoals, listGrants, listPartners } from "../interventions/repository.js";
import { periodCounts, periodSets } from "../participants/statistics-repository.js";
import type { GoalStatus as InsatsGoalStatus } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { approvedPerCategory } from "../requisitions/repository.js";
import type { ReportAnswers } from "./answer-model.js";
import { type GoalStatus, type TemplateVersion, walkSections } from "./template-model.js";

const reportStatusOf: Record<InsatsGoalStatus, GoalStatus | undefined> = {
  achieved: "uppnått",
  partly_achieved: "delvis uppnått",
  not_achieved: "ej uppnått",
  struck: "struket",
  not_assessed: undefined,
};

/** What the insats record already knows: printed in the report, never typed into it. */
export type InsatsFacts = {
  name: string;
  periodStart: string;
  periodEnd: string;
  intakeEnd: string | null;
  grantedOre: bigint;
  usedOre: bigint;
  owner: { id: string; name: string };
  partners: {
    id: string;
    name: string;
    role: "co_applicant" | "cooperating_partner";
    contactName: string | null;
    email: string | null;
  }[];
  goals: Awaited<ReturnType<typeof listGoals>>;
  budget: Awaited<ReturnType<typeof listBudget>>;
  usedPerCategory: Awaited<ReturnType<typeof approvedPerCategory>>;
  /** Persons enrolled in the insats at some time in its period, by kön, from the participant register. */
  participants?: { woman: number; man: number; unknown: number };
};

async function participantsInPeriod(
  tx: Tx,
  associationId: string,
  intervention: { id: string; start_date: string; end_date: string },
): Promise<InsatsFacts["participants"]> {
  const rows = await periodCounts(tx, {
    associationId,
    from: intervention.start_date,
    to: intervention.end_date,
    interventionIds: [intervention.id],
  });
  const persons = (gender: string) =>
    rows.find((row) => row.grouping_set === periodSets.gender && row.gender === gender)?.active_persons ?? 0;
  return { woman: persons("woman"), man: persons("man"), unknown: persons("other_unknown") };
}

export async function loadFacts(
  tx: Tx,
  associationId: string,
  intervention: {
    id: string;
    name: string;
    start_date: string;
    end_date: string;
    intake_end_date: string | null;
    owner_organisation_id: string;
    owner_name: string;
  },
): Promise<InsatsFacts> {
  const grants = await listGrants(tx, associationId, intervention.id);
  const usedPerCategory = await approvedPerCategory(tx, associationId, intervention.id);
  return {
    name: intervention.name,
    periodStart: intervention.start_date,
    periodEnd: intervention.end_date,
    intakeEnd: intervention.intake_end_date,
    grantedOre: grants.reduce((sum, grant) => sum + grant.amount_ore, 0n),
    usedOre: usedPerCategory.reduce((sum, line) => sum + line.amount_ore, 0n),
    owner: { id: intervention.owner_organisation_id, name: intervention.owner_name },
    partners: (await listPartners(tx, associationId, intervention.id)).map((partner) => ({
      id: partner.organisation_id,
      name: partner.organisation_name,
      role: partner.role,
      contactName: partner.contact_name,
      email: partner.contact_email,
    })),
    goals: await listGoals(tx, associationId, intervention.id),
    budget: await listBudget(tx, associationId, intervention.id),
    usedPerCategory,
    participants: await participantsInPeriod(tx, associationId, intervention),
  };
}

/**
 * A new report starts from what the insats already holds: its goals (with any status set), its parties, and its
 * budget and approved requisitions per kostnadsslag, and the participants registered in its period. The writer then
 * adds outcomes and text.
 */
export function prefillAnswers(template: TemplateVersion, facts: InsatsFacts): ReportAnswers {
  const answers: ReportAnswers = {};
  for (const section of walkSections(template.sections)) {
    switch (section.type) {
      case "goal_table":
        answers[section.key] = {
          value: {
            rows: facts.goals.map((goal) => {
              const status = reportStatusOf[goal.status];
              return {
                level: goalLevelNames[goal.level],
                goal: goal.text,
                ...(status ? { status } : {}),
                ...(goal.target_value === null ? {} : { targetValue: goal.target_value }),
                ...(goal.unit ? { unit: goal.unit } : {}),
              };
            }),
          },
        };
        break;
      case "cost_table":
        answers[section.key] = {
          value: {
            rows: section.config.rows.map((row) => {
              const budget = facts.budget
                .filter((line) => line.cost_category === row.key)
                .reduce<bigint | undefined>((sum, line) => (sum ?? 0n) + line.amount_ore, undefined);
              const used = facts.usedPerCategory.find((line) => line.cost_category === row.key)?.amount_ore;
              return {
                category: row.key,
                ...(budget === undefined ? {} : { budgetOre: budget.toString() }),
                ...(used === undefined ? {} : { outcomeOre: used.toString() }),
              };
            }),
          },
        };
        break;
      case "party_list": {
        // A form may list the owner and the partners under separate headings: each list takes its own roles.
        const roles = section.config.roles.map((role) => role.role);
        answers[section.key] = {
          value: {
            rows: [
              { role: "owner" as const, organisationId: facts.owner.id, organisationName: facts.owner.name },
              ...facts.partners.map((partner) => ({
                role: "partner" as const,
                organisationId: partner.id,
                organisationName: partner.name,
                ...(partner.contactName ? { contactName: partner.contactName } : {}),
                ...(partner.email ? { email: partner.email } : {}),
              })),
            ].filter((row) => roles.includes(row.role)),
          },
        };
        break;
      }
      case "participant_stats": {
        // The register knows the participants by kön, not by the form's outcomes: it fills a form that asks only
        // for the number of participants, and only when the insats has registered any.
        const counts = facts.participants;
        const [only] = section.config.outcomes;
        if (section.config.render === "total" && section.config.outcomes.length === 1 && only && counts) {
          if (counts.woman + counts.man + counts.unknown > 0) {
            answers[section.key] = { value: { rows: [{ outcome: only.key, ...counts }] } };
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return answers;
}
