import type { Routes } from "../platform/http/routes.js";

export function registerStatisticsRoutes(_routes: Routes) {}
