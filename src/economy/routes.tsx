import type { Routes } from "../platform/http/routes.js";
import { registerBudgetRoutes } from "./budget-routes.js";
import { registerContributionRoutes } from "./contribution-routes.js";
import { registerImportRoutes } from "./import-routes.js";
import { registerStatementRoutes } from "./statement-routes.js";

/** Ekonomi: contributions, budget, actuals from the bookkeeping, statements and key figures, pages and API. */
export function registerEconomyRoutes(routes: Routes) {
  registerContributionRoutes(routes);
  registerBudgetRoutes(routes);
  registerImportRoutes(routes);
  registerStatementRoutes(routes);
}
