import { z } from "zod";
import { optionalText, requiredText } from "../platform/http/validation.js";
import { formatOrganisationNumber, isOrganisationNumber } from "../platform/organisation-number.js";
import { memberTypes, parsePercent, WHOLE } from "./funding-shares.js";

const organisationNumber = optionalText(20)
  .refine(
    (value) => value === undefined || isOrganisationNumber(value),
    "Ange ett giltigt organisationsnummer, t.ex. 212000-1234.",
  )
  .transform((value) => (value === undefined ? undefined : formatOrganisationNumber(value)));

const memberType = z.enum(memberTypes as [string, ...string[]], { error: "Välj typ av medlem." }) as z.ZodType<
  (typeof memberTypes)[number]
>;

/** The API's shape of a member: the share in hundredths of a percent (2500 = 25 %). */
export const memberBody = z.object({
  name: requiredText("Ange medlemmens namn.", 120),
  type: memberType,
  organisationNumber: organisationNumber,
  fundingShareBasisPoints: z
    .number({ error: "Ange andelen i hundradels procent, ett heltal 0–10000." })
    .int("Ange andelen i hundradels procent, ett heltal 0–10000.")
    .min(0, "Andelen kan inte vara negativ.")
    .max(WHOLE, "Andelen kan inte vara över 100 %.")
    .default(0),
});

/** The form's shape: the same fields, the share typed as a percentage such as "12,5". */
export const memberForm = z.object({
  name: memberBody.shape.name,
  type: memberType,
  organisationNumber: organisationNumber,
  fundingShare: z
    .string()
    .trim()
    .default("")
    .transform((text, ctx) => {
      if (text === "") return 0;
      const value = parsePercent(text);
      if (value === undefined) {
        ctx.addIssue({ code: "custom", message: "Ange andelen i procent med högst två decimaler, t.ex. 12,5." });
        return z.NEVER;
      }
      return value;
    }),
});

export type MemberInput = z.output<typeof memberBody>;

export function fromForm(form: z.output<typeof memberForm>): MemberInput {
  return {
    name: form.name,
    type: form.type,
    organisationNumber: form.organisationNumber,
    fundingShareBasisPoints: form.fundingShare,
  };
}
