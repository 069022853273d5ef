import { z } from "zod";
import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { conflict } from "../platform/http/errors.js";
import { type EconomySettings, findEconomySettings, saveEconomySettings } from "./repository.js";

/**
 * How the association's statements are printed: the sign of avvikelse, the ceiling on eget kapital that Nationella
 * rådet recommends (a percentage of the year's contributions), and the SIE dimension of the per-insats objects.
 */

export const varianceSigns = ["actual_minus_budget", "budget_minus_actual"] as const;

/** The ceiling is entered as a percentage with up to two decimals ("20" or "12,5") and kept in hundredths. */
const percent = z.preprocess(
  (value) => (typeof value === "string" ? value.trim().replace(",", ".") : value),
  z.coerce
    .number({ error: "Ange taket i procent, t.ex. 20." })
    .min(0, "Taket kan inte vara under 0 %.")
    .max(100, "Taket kan inte vara över 100 %.")
    .refine(
      (value) => Number.isInteger(Math.round(value * 100)) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-9,
      {
        message: "Ange taket med högst två decimaler.",
      },
    ),
);

export const economySettingsInput = z.object({
  varianceSign: z.enum(varianceSigns, { error: "Välj hur avvikelsen räknas." }),
  equityCeilingPercent: percent,
  objectDimension: z.coerce
    .number({ error: "Ange dimensionens nummer, t.ex. 6." })
    .int("Ange dimensionens nummer som ett heltal.")
    .min(1, "Dimensionen är ett nummer från 1 till 999.")
    .max(999, "Dimensionen är ett nummer från 1 till 999."),
  version: z.coerce.number().int().min(0),
});

export type EconomySettingsInput = z.output<typeof economySettingsInput>;

export const SETTINGS_CONFLICT =
  "Någon annan har ändrat inställningarna sedan du öppnade sidan. Dina val är inte sparade men finns kvar i " +
  "formuläret: jämför och spara igen.";

export async function updateEconomySettings(tenant: Tenant, input: EconomySettingsInput): Promise<EconomySettings> {
  const associationId = tenant.association.id;
  const settings = {
    varianceSign: input.varianceSign,
    equityCeilingBasisPoints: Math.round(input.equityCeilingPercent * 100),
    objectDimension: input.objectDimension,
  };
  if (!(await saveEconomySettings(tenant.tx, associationId, settings, input.version)))
    throw conflict(SETTINGS_CONFLICT);
  await audit(tenant, "economy.settings.update", undefined, settings);
  return findEconomySettings(tenant.tx, associationId);
}
