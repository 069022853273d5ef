import type { Routes } from "../platform/http/routes.js";

/** Budget structure, budget and plan years, forecast. */
export function registerBudgetRoutes(_routes: Routes) {}
