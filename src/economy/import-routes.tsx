import type { Routes } from "../platform/http/routes.js";

/** Actuals imports (SIE 4, CSV/XLSX) and the account mapping. */
export function registerImportRoutes(_routes: Routes) {}
