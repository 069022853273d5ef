import type { Routes } from "../platform/http/routes.js";

export function registerParticipantApi(_routes: Routes) {}
