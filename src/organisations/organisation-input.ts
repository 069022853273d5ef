import { z } from "zod";
import { optionalText, requiredText } from "../platform/http/validation.js";
import { formatOrganisationNumber, isOrganisationNumber } from "../platform/organisation-number.js";

/** An organisation as the API and the form give it: the form's empty member choice means "not a member". */
export const organisationBody = z.object({
  name: requiredText("Ange organisationens namn.", 200),
  memberId: z
    .union([z.uuid("Välj en medlem i listan."), z.literal("")])
    .transform((value) => (value === "" ? undefined : value))
    .optional(),
  organisationNumber: optionalText(20)
    .refine(
      (value) => value === undefined || isOrganisationNumber(value),
      "Ange ett giltigt organisationsnummer, t.ex. 212000-1234.",
    )
    .transform((value) => (value === undefined ? undefined : formatOrganisationNumber(value))),
});

export type OrganisationBody = z.output<typeof organisationBody>;
