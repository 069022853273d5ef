import { z } from "zod";
import { costCategories } from "../interventions/cost-categories.js";
import { calendarDate, MAX_AMOUNT_ORE } from "../interventions/intervention-input.js";
import { optionalText } from "../platform/http/validation.js";

export const requisitionStatusNames = {
  submitted: "Inskickad",
  approved: "Godkänd",
  returned: "Återsänd",
} as const;

const periodFields = z.object({
  periodStart: calendarDate("Ange periodens första dag som ÅÅÅÅ-MM-DD."),
  periodEnd: calendarDate("Ange periodens sista dag som ÅÅÅÅ-MM-DD."),
  note: optionalText(4000),
});

/** A requisition covers part of one calendar year, so that used money can be set against that year's grant. */
function checkPeriod(input: z.output<typeof periodFields>, ctx: z.RefinementCtx) {
  if (input.periodEnd < input.periodStart) {
    ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "Periodens slut kan inte vara före dess början." });
  } else if (input.periodStart.slice(0, 4) !== input.periodEnd.slice(0, 4)) {
    ctx.addIssue({
      code: "custom",
      path: ["periodEnd"],
      message: "En rekvisition gäller ett kalenderår: dela upp perioden vid årsskiftet.",
    });
  }
}

export const requisitionForm = periodFields.superRefine(checkPeriod);

const amountOre = z
  .number({ error: "Ange beloppet i öre som ett heltal." })
  .int("Ange beloppet i öre som ett heltal.")
  .min(0, "Beloppet kan inte vara negativt.")
  .max(Number(MAX_AMOUNT_ORE), "Beloppet kan vara högst 10 000 000 000 kr.");

export const requisitionBody = periodFields
  .extend({
    lines: z
      .array(z.object({ costCategory: z.enum(costCategories, { error: "Okänt kostnadsslag." }), amountOre }))
      .min(1, "Ange kostnader för minst ett kostnadsslag.")
      .max(costCategories.length),
  })
  .superRefine(checkPeriod);

export type RequisitionInput = z.output<typeof requisitionForm> & {
  lines: { costCategory: (typeof costCategories)[number]; amountOre: bigint }[];
};

export const requisitionDecisionBody = z.object({
  decision: z.enum(["approve", "return"], { error: "Välj godkänn eller återsänd." }),
  comment: optionalText(4000),
  overGrantReason: optionalText(4000),
});
export type RequisitionDecisionInput = z.output<typeof requisitionDecisionBody>;

export const repaymentForm = z.object({
  repaidOn: calendarDate("Ange datum för återföringen som ÅÅÅÅ-MM-DD."),
  decisionReference: optionalText(200),
  note: optionalText(4000),
});

export const repaymentBody = repaymentForm.extend({
  amountOre: amountOre.min(1, "Beloppet måste vara större än noll."),
});
export type RepaymentInput = z.output<typeof repaymentForm> & { amountOre: bigint };
