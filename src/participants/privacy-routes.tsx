import type { Routes } from "../platform/http/routes.js";

export function registerPrivacyRoutes(_routes: Routes) {}
