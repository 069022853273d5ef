import type { Routes } from "../platform/http/routes.js";

/** Medlemsbidrag: fiscal years, each member's expected and decided amount, invoicing schedule. */
export function registerContributionRoutes(_routes: Routes) {}
