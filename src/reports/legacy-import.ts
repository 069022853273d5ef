import type { ReportImportFile } from "./import-reports.js";
import type { LegacyConversion } from "./legacy.js";

/**
 * A converted legacy report as an entry of the import format. The owner a report leaves unsaid is its first
 * candidate (the conversion's notes say why), so that every report lands on an insats.
 */
export function legacyImportEntry(conversion: LegacyConversion): ReportImportFile["reports"][number] {
  const { insats } = conversion;
  return {
    sourceId: conversion.sourceId,
    insats: {
      name: insats.name,
      ownerName: insats.ownerName ?? insats.ownerCandidates[0] ?? "Okänd insatsägare",
      periodStart: insats.periodStart ?? "",
      periodEnd: insats.periodEnd ?? "",
      ...(insats.grantedOre === undefined ? {} : { grantedOre: insats.grantedOre.toString() }),
      partners: insats.partners,
    },
    report: { kind: "final", templateKey: conversion.templateKey, status: "approved", answers: conversion.answers },
  };
}
