import type { Permission } from "../platform/auth/policy.js";

/**
 * Modules that are planned but not built yet. Each has its place in the navigation already; the module's own
 * routes replace its entry here when it lands.
 */
export const upcomingModules: { path: string; title: string; permission: Permission; description: string }[] = [
  {
    path: "/board",
    title: "Styrelse",
    permission: "board_material.read",
    description: "Kallelser, ärenden, protokoll med löpande paragrafnummer, justering och anslag.",
  },
  {
    path: "/reports",
    title: "Rapporter",
    permission: "report.read",
    description: "Delårsrapporter, årsredovisning, styrkort och enkäter, som PDF, DOCX och XLSX.",
  },
];
