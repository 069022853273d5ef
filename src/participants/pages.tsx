import type { Routes } from "../platform/http/routes.js";

export function registerParticipantPages(_routes: Routes) {}
