import { z } from "zod";
import type { CostCategory, GoalLevel, GoalStatus } from "../platform/db/schema.js";
import { optionalInteger, optionalText, requiredText } from "../platform/http/validation.js";
import { calendarDate } from "./intervention-input.js";

export const goalLevels = ["overall", "sub"] as const satisfies readonly GoalLevel[];
export const goalLevelNames: Record<GoalLevel, string> = { overall: "Övergripande mål", sub: "Delmål" };

/** The vocabulary of måluppfyllelse every förbund can agree on (slutrapport-templates.md §4 #12). */
export const goalStatuses = [
  "achieved",
  "partly_achieved",
  "not_achieved",
  "struck",
  "not_assessed",
] as const satisfies readonly GoalStatus[];
export const goalStatusNames: Record<GoalStatus, string> = {
  achieved: "Uppnått",
  partly_achieved: "Delvis uppnått",
  not_achieved: "Ej uppnått",
  struck: "Struket",
  not_assessed: "Ej bedömt",
};

const optionalTarget = optionalInteger({
  message: "Ange målvärdet som ett heltal.",
  min: 0,
  minMessage: "Målvärdet kan inte vara negativt.",
  max: 1_000_000_000,
});

export const goalBody = z
  .object({
    level: z.enum(goalLevels, { error: "Välj övergripande mål eller delmål." }),
    text: requiredText("Skriv målet.", 2000),
    targetValue: optionalTarget,
    unit: optionalText(50),
  })
  .refine((goal) => goal.unit === undefined || goal.targetValue !== undefined, {
    path: ["targetValue"],
    message: "Ange målvärdet när du anger en enhet.",
  });
export type GoalInput = z.output<typeof goalBody>;

/** A change to a granted insats's goals says when, why and on whose decision. */
export const revisionBody = z.object({
  revisedOn: calendarDate("Ange datum för ändringen som ÅÅÅÅ-MM-DD."),
  reason: requiredText("Skriv varför målet ändras.", 2000),
  decisionReference: optionalText(200),
});
export type RevisionInput = z.output<typeof revisionBody>;

export const commentBody = z.object({ body: requiredText("Skriv en kommentar.", 4000) });

export type BudgetLine = { year: number; costCategory: CostCategory; amountOre: bigint };

export const decisionOutcomes = ["granted", "rejected"] as const;

export const decisionBody = z
  .object({
    outcome: z.enum(decisionOutcomes, { error: "Välj om ansökan beviljas eller avslås." }),
    decisionSection: requiredText("Ange beslutets paragraf, t.ex. § 42.", 20),
    decisionDate: calendarDate("Ange beslutsdatum som ÅÅÅÅ-MM-DD."),
    startDate: calendarDate("Ange startdatum som ÅÅÅÅ-MM-DD."),
    endDate: calendarDate("Ange slutdatum som ÅÅÅÅ-MM-DD."),
    conditions: optionalText(4000),
    motivation: optionalText(4000),
  })
  .superRefine((decision, ctx) => {
    if (decision.endDate < decision.startDate) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "Slutdatum kan inte vara före startdatum." });
    }
    if (decision.outcome === "rejected" && !decision.motivation) {
      ctx.addIssue({
        code: "custom",
        path: ["motivation"],
        message: "Skriv motiveringen till avslaget: den visas för insatsägaren.",
      });
    }
  });
export type DecisionInput = z.output<typeof decisionBody>;
export type DecisionColumns = Pick<
  DecisionInput,
  "decisionSection" | "decisionDate" | "startDate" | "endDate" | "conditions"
>;
