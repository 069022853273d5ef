import type { Routes } from "../platform/http/routes.js";

/** Income statement, balance sheet, cash flow, notes, key figures and the economy settings. */
export function registerStatementRoutes(_routes: Routes) {}
