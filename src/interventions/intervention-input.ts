import { z } from "zod";
import { optionalInteger, optionalText, requiredText } from "../platform/http/validation.js";

/** A calendar date typed as ÅÅÅÅ-MM-DD that exists (zod's ISO date knows month lengths and leap years). */
export const calendarDate = (message: string) => z.iso.date({ error: message });

const optionalDate = (message: string) =>
  z
    .union([calendarDate(message), z.literal("")])
    .transform((value) => (value === "" ? undefined : value))
    .optional();

export const interventionKinds = ["individual", "structural"] as const;
export const kindNames: Record<(typeof interventionKinds)[number], string> = {
  individual: "Individinriktad",
  structural: "Strukturinriktad",
};

/** Fields that only the förbund's staff fill in: the insatsägare's contact never sees them in a form. */
export const staffFields = ["conditions", "registryNumber", "decisionSection", "decisionDate"] as const;

const optionalCount = optionalInteger({
  message: "Ange ett heltal.",
  min: 0,
  minMessage: "Antalet kan inte vara negativt.",
  max: 1_000_000,
});

const fields = z.object({
  name: requiredText("Ange insatsens namn.", 200),
  ownerOrganisationId: z.uuid("Välj insatsägare."),
  kind: z.enum(interventionKinds, { error: "Välj om insatsen är individ- eller strukturinriktad." }),
  targetGroup: optionalText(4000),
  background: optionalText(20000),
  purpose: optionalText(20000),
  method: optionalText(20000),
  plannedWomen: optionalCount,
  plannedMen: optionalCount,
  plannedGenderUnknown: optionalCount,
  startDate: calendarDate("Ange startdatum som ÅÅÅÅ-MM-DD."),
  endDate: calendarDate("Ange slutdatum som ÅÅÅÅ-MM-DD."),
  intakeEndDate: optionalDate("Ange sista dag för intag som ÅÅÅÅ-MM-DD."),
  conditions: optionalText(4000),
  registryNumber: optionalText(50),
  decisionSection: optionalText(20),
  decisionDate: optionalDate("Ange beslutsdatum som ÅÅÅÅ-MM-DD."),
});

function checkPeriod(input: z.output<typeof fields>, ctx: z.RefinementCtx) {
  if (input.endDate < input.startDate) {
    ctx.addIssue({ code: "custom", path: ["endDate"], message: "Slutdatum kan inte vara före startdatum." });
  }
  if (input.intakeEndDate && (input.intakeEndDate < input.startDate || input.intakeEndDate > input.endDate)) {
    ctx.addIssue({
      code: "custom",
      path: ["intakeEndDate"],
      message: "Sista dag för intag ska ligga inom insatstiden.",
    });
  }
}

/** An insats as the API and the form give it (a new one, or all of an existing one's fields). */
export const interventionBody = fields.superRefine(checkPeriod);
export type InterventionInput = z.output<typeof interventionBody>;

/** A change must say which version it changes, so that a concurrent change is detected instead of overwritten. */
export const interventionUpdateBody = fields
  .extend({ version: z.coerce.number({ error: "Versionen saknas." }).int().min(1) })
  .superRefine(checkPeriod);

/** Whole kronor as people type them: "250 000", "250000 kr". At most 10 000 000 000 kr. */
export const MAX_AMOUNT_ORE = 1_000_000_000_000n;

export function parseKronor(text: string): bigint | undefined {
  const compact = text.replace(/[\s\u00a0]/g, "").replace(/kr$/i, "");
  if (!/^\d{1,11}$/.test(compact)) return undefined;
  const ore = BigInt(compact) * 100n;
  return ore <= MAX_AMOUNT_ORE ? ore : undefined;
}

export const grantsBody = z.object({
  grants: z
    .array(
      z.object({
        year: z.number().int().min(2000).max(2100),
        amountOre: z
          .number({ error: "Ange beloppet i öre som ett heltal." })
          .int("Ange beloppet i öre som ett heltal.")
          .min(0, "Beloppet kan inte vara negativt.")
          .max(Number(MAX_AMOUNT_ORE), "Beloppet kan vara högst 10 000 000 000 kr."),
      }),
    )
    .max(20),
});
export type GrantInput = { year: number; amountOre: bigint };

export const partnerRoles = ["co_applicant", "cooperating_partner"] as const;
export const partnerRoleNames: Record<(typeof partnerRoles)[number], string> = {
  co_applicant: "Medsökande",
  cooperating_partner: "Samverkanspart",
};

export const partnerBody = z.object({
  organisationId: z.uuid("Välj organisation."),
  role: z.enum(partnerRoles, { error: "Välj medsökande eller samverkanspart." }),
  contactName: optionalText(120),
  contactEmail: z
    .union([z.email("Ange en giltig e-postadress, t.ex. namn@exempel.se."), z.literal("")])
    .transform((value) => (value === "" ? undefined : value))
    .optional(),
});
export type PartnerInput = z.output<typeof partnerBody>;

export const transitionBody = z.object({
  to: z.string({ error: "Välj vad som ska hända." }),
  comment: optionalText(4000),
});
