import type { CostCategory } from "../platform/db/schema.js";

/**
 * Kostnadsslag as the förbund's templates print them (Härnösand-Timrå's cost table): the application's budget, the
 * requisitions and the final report's cost table use the same rows, so budget and utfall can be compared.
 */
export const costCategories = [
  "activities",
  "external_services",
  "salaries",
  "premises",
  "material",
  "travel",
  "other",
] as const satisfies readonly CostCategory[];

export const costCategoryNames: Record<CostCategory, string> = {
  activities: "Aktiviteter",
  external_services: "Externa tjänster",
  salaries: "Lönekostnader",
  premises: "Lokalkostnader",
  material: "Material",
  travel: "Resekostnader",
  other: "Övriga kostnader",
};
