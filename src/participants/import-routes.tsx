import type { Routes } from "../platform/http/routes.js";

export function registerImportRoutes(_routes: Routes) {}
