import { isoDate } from "./answer-model.js";
import type { GoalStatus } from "./template-model.js";

/**
 * Tolerant readers for what legacy reports typed into fields: the formats of the data-quality table in the
 * slutrapport analysis (§4 #1, #8, #12). Each returns undefined rather than guessing, so the caller keeps the raw text.
 */

/** ISO, YYYYMMDD or YYMMDD (all legacy reports are from this century), not inside a longer number. */
const DATE_TOKEN = /(\(\s*)?(?<!\d)(\d{4}-\d{2}-\d{2}|\d{8}|\d{6})(?!\d)/g;

function toIso(token: string): string | undefined {
  const digits = token.replaceAll("-", "");
  const full = digits.length === 6 ? `20${digits}` : digits;
  const iso = `${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}`;
  return isoDate.safeParse(iso).success ? iso : undefined;
}

export type LegacyPeriod = { start?: string; end?: string; alternativeStart?: string };

/**
 * "2022-01-01—2022-12-31", "20220801–20221231", "2019-02-01 tom 2020-02-01", "210601-220531",
 * "Startdatum: 160101 - Slutdatum: 171231"; a date in parentheses after the start is an alternative start
 * ("2016-01-01 (2014-09-01)"), and other parenthesised words are ignored.
 */
export function parseLegacyPeriod(raw: string): LegacyPeriod | undefined {
  const main: string[] = [];
  let alternativeStart: string | undefined;
  for (const match of raw.matchAll(DATE_TOKEN)) {
    const iso = toIso(match[2]!);
    if (!iso) return undefined;
    if (match[1] && main.length === 1 && !alternativeStart) alternativeStart = iso;
    else if (match[1]) return undefined;
    else main.push(iso);
  }
  if (main.length !== 2) return undefined;
  const [start, end] = main as [string, string];
  return alternativeStart ? { start, end, alternativeStart } : { start, end };
}

/** "280 000kr", "400.000", "25.000 kr", "620000", "96 997 kr" → öre. */
export function parseLegacyKronor(raw: string): bigint | undefined {
  let compact = raw.replace(/[\s\u00a0]/g, "").replace(/kr\.?$/i, "");
  if (/^\d{1,3}(\.\d{3})+$/.test(compact)) compact = compact.replaceAll(".", "");
  return /^\d{1,11}$/.test(compact) ? BigInt(compact) * 100n : undefined;
}

/**
 * The normalised status words of the legacy analysis, mapped onto the five statuses. "ej relevant" (a goal that no
 * longer applies, never assessed) becomes "ej bedömt"; "ej angivet" means the report does not say, so no status.
 */
export function normaliseGoalStatus(status: string): GoalStatus | undefined {
  const word = status.trim().toLowerCase();
  if (word.startsWith("ej angivet")) return undefined;
  if (word.startsWith("delvis")) return "delvis uppnått";
  if (word.startsWith("ej uppnått")) return "ej uppnått";
  if (word.startsWith("uppnått")) return "uppnått";
  if (word.startsWith("struket")) return "struket";
  if (word.startsWith("ej relevant") || word.startsWith("ej bedömt")) return "ej bedömt";
  return undefined;
}
