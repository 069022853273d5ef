import { z } from "zod";
import { calendarDate } from "../interventions/intervention-input.js";
import type { Gender } from "../platform/db/schema.js";
import { optionalText } from "../platform/http/validation.js";

export const genders = ["woman", "man", "other_unknown"] as const satisfies readonly Gender[];
export const followUpKinds = ["after_90_days", "after_12_months"] as const;
export const followUpKindNames: Record<(typeof followUpKinds)[number], string> = {
  after_90_days: "Uppföljning efter 90 dagar",
  after_12_months: "Uppföljning efter 12 månader",
};

const optionalDate = (message: string) =>
  z
    .union([calendarDate(message), z.literal("")])
    .optional()
    .transform((value) => (value === "" || value === undefined ? null : value));

const code = (message: string) => z.string({ error: message }).trim().min(1, message).max(40, message);

const optionalCode = z
  .string()
  .trim()
  .max(40, "Okänd kod.")
  .optional()
  .transform((value) => (value === "" || value === undefined ? null : value));

const birthYear = z
  .union([z.literal(""), z.coerce.number({ error: "Ange födelseår med fyra siffror." })])
  .optional()
  .transform((value) => (value === "" || value === undefined ? null : value))
  .pipe(
    z
      .number()
      .int("Ange födelseår med fyra siffror.")
      .min(1900, "Ange ett födelseår från 1900.")
      .max(2100, "Ange ett rimligt födelseår.")
      .nullable(),
  );

/**
 * Inskrivning. With a personnummer, gender and birth year follow from it (a chosen gender wins, e.g. "annat");
 * without one the registration only counts, and gender must be given.
 */
export const enrolmentInput = z.object({
  personalNumber: z
    .string()
    .trim()
    .max(20, "Skriv personnumret med 10 eller 12 siffror, t.ex. ÅÅÅÅMMDD-NNNN.")
    .optional()
    .transform((value) => (value === "" || value === undefined ? null : value)),
  name: optionalText(200).transform((value) => value ?? null),
  gender: z
    .union([z.enum(genders, { error: "Välj kön." }), z.literal("")])
    .optional()
    .transform((value) => (value === "" || value === undefined ? null : value)),
  birthYear,
  enrolledOn: calendarDate("Ange inskrivningsdatum som ÅÅÅÅ-MM-DD."),
  referrerMemberId: z
    .union([z.uuid("Välj vilken medlem som aktualiserade deltagaren."), z.literal("")])
    .optional()
    .transform((value) => (value === "" || value === undefined ? null : value)),
  incomeSourceAtEnrolment: code("Välj försörjning vid start."),
  targetAtStart: optionalText(1000).transform((value) => value ?? null),
  consentOn: optionalDate("Ange datum för samtycket som ÅÅÅÅ-MM-DD."),
  consentVersion: optionalText(40).transform((value) => value ?? null),
});
export type EnrolmentInput = z.output<typeof enrolmentInput>;

export const exitInput = z.object({
  exitedOn: calendarDate("Ange avslutsdatum som ÅÅÅÅ-MM-DD."),
  exitReason: code("Välj avslutsorsak."),
  incomeSourceAtExit: code("Välj försörjning vid avslut."),
});
export type ExitInput = z.output<typeof exitInput>;

export const followUpInput = z.object({
  kind: z.enum(followUpKinds, { error: "Välj vilken uppföljning det gäller." }),
  followedUpOn: calendarDate("Ange datum för uppföljningen som ÅÅÅÅ-MM-DD."),
  outcome: code("Välj vad personen gör vid uppföljningen."),
  incomeSource: optionalCode,
});
export type FollowUpInput = z.output<typeof followUpInput>;

export const consentWithdrawalInput = z.object({
  withdrawnOn: calendarDate("Ange datum då samtycket återkallades som ÅÅÅÅ-MM-DD."),
});

const count = z.coerce
  .number({ error: "Ange ett heltal." })
  .int("Ange ett heltal.")
  .min(0, "Antalet kan inte vara negativt.")
  .max(100_000, "Ange högst 100 000.");

export const guidanceCaseInput = z
  .object({
    periodStart: calendarDate("Ange periodens första dag som ÅÅÅÅ-MM-DD."),
    periodEnd: calendarDate("Ange periodens sista dag som ÅÅÅÅ-MM-DD."),
    women: count,
    men: count,
    genderUnknown: count,
    note: optionalText(1000).transform((value) => value ?? null),
  })
  .superRefine((input, ctx) => {
    if (input.periodEnd < input.periodStart) {
      ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "Periodens slut kan inte vara före dess början." });
    }
    if (input.women + input.men + input.genderUnknown === 0) {
      ctx.addIssue({ code: "custom", path: ["women"], message: "Ange antal lotsärenden för minst ett kön." });
    }
  });
export type GuidanceCaseInput = z.output<typeof guidanceCaseInput>;
