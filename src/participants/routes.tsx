import type { Routes } from "../platform/http/routes.js";
import { registerParticipantApi } from "./api.js";
import { registerImportRoutes } from "./import-routes.js";
import { registerParticipantPages } from "./pages.js";
import { registerPrivacyRoutes } from "./privacy-routes.js";
import { registerStatisticsRoutes } from "./statistics-routes.js";

/** Deltagare: enrolment and follow-up pages, statistics, bulk import and export, privacy requests, and the API. */
export function registerParticipantRoutes(routes: Routes) {
  registerStatisticsRoutes(routes);
  registerImportRoutes(routes);
  registerPrivacyRoutes(routes);
  registerParticipantApi(routes);
  // Last: Hono tries routes in registration order, and /participants/:enrolmentId would otherwise answer 404 for
  // /participants/import and /participants/statistics.
  registerParticipantPages(routes);
}
