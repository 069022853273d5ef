import type { MemberType } from "../platform/db/schema.js";
import { formatBasisPoints } from "../platform/ui/format.js";

export const memberTypeNames: Record<MemberType, string> = {
  fk: "Försäkringskassan",
  af: "Arbetsförmedlingen",
  region: "Region",
  kommun: "Kommun",
  other: "Annan organisation",
};

export const memberTypes = Object.keys(memberTypeNames) as MemberType[];

/** 100 % expressed in the stored unit, hundredths of a percent. */
export const WHOLE = 10000;

type Group = { key: "state" | "region" | "kommuner" | "other"; label: string; types: MemberType[]; required: number };

/**
 * Lag (2003:1210) 9 §: the state pays half (through Försäkringskassan, also for Arbetsförmedlingen), the region a
 * quarter and the kommuner together a quarter, divided between them by agreement. Other organisations pay nothing.
 */
export const fundingGroups: Group[] = [
  { key: "state", label: "Staten (Försäkringskassan och Arbetsförmedlingen)", types: ["fk", "af"], required: 5000 },
  { key: "region", label: "Regionen", types: ["region"], required: 2500 },
  { key: "kommuner", label: "Kommunerna", types: ["kommun"], required: 2500 },
  { key: "other", label: "Övriga organisationer", types: ["other"], required: 0 },
];

export type GroupCheck = { key: Group["key"]; label: string; required: number; actual: number; ok: boolean };

export type FundingShareCheck = { ok: boolean; total: number; groups: GroupCheck[]; problems: string[] };

export function checkFundingShares(members: { type: MemberType; basisPoints: number }[]): FundingShareCheck {
  const groups = fundingGroups.map((group) => {
    const actual = members
      .filter((member) => group.types.includes(member.type))
      .reduce((sum, m) => sum + m.basisPoints, 0);
    return { key: group.key, label: group.label, required: group.required, actual, ok: actual === group.required };
  });
  const total = members.reduce((sum, member) => sum + member.basisPoints, 0);
  const problems = groups
    .filter((group) => !group.ok)
    .map(
      (group) =>
        `${group.label} ska stå för ${formatBasisPoints(group.required)} men står för ${formatBasisPoints(group.actual)}.`,
    );
  if (total !== WHOLE)
    problems.push(`Andelarna ska tillsammans bli ${formatBasisPoints(WHOLE)} men blir ${formatBasisPoints(total)}.`);
  return { ok: problems.length === 0, total, groups, problems };
}

/** A kommun's share of the kommuner's quarter, the figure förbund agree on (often by population). */
export function shareOfGroup(basisPoints: number, groupTotal: number): number {
  return groupTotal === 0 ? 0 : basisPoints / groupTotal;
}

/** Reads "25", "12,5" or "12.50" (percent, at most two decimals) as hundredths of a percent; undefined if not valid. */
export function parsePercent(text: string): number | undefined {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim().replace(/\s|%/g, ""));
  if (!match) return undefined;
  const value = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return value <= WHOLE ? value : undefined;
}

/** The form's text for a stored share: 2500 → "25", 1250 → "12,5", 833 → "8,33". */
export function percentText(basisPoints: number): string {
  return (basisPoints / 100).toLocaleString("sv-SE", { maximumFractionDigits: 2, useGrouping: false });
}
