import { createHash } from "node:crypto";
import type { Insertable } from "kysely";
import type { Keyring } from "../platform/crypto/keyring.js";
import type {
  Association,
  CostCategory,
  DB,
  GoalStatus,
  InterventionKind,
  InterventionStatus,
  Member,
  Role,
  UserAccount,
} from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";

/** What the synthetic data generators share: random streams, the association being filled, bulk inserts, dates. */

export type Rng = {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
};

/** How much history each association gets: insatser started per year, over this many years before `now`. */
export type SynthScale = { interventionsPerYear: number; years: number };

export type SynthOrganisation = {
  id: string;
  name: string;
  memberType: Member["type"] | null;
  /** The synthetic owner_contact user, for the organisations it acts for. */
  contact: UserAccount | null;
};

/** Who did something: a user, or a made-up person who has no account (changed_by null, as for imports). */
export type SynthActor = { id: string | null; name: string };

/** One status change of an insats; `at` is epoch milliseconds. */
export type SynthStatusEvent = {
  from: InterventionStatus | null;
  to: InterventionStatus;
  at: number;
  comment?: string;
};

/**
 * An insats as planned by the interventions generator, for later generators to build on. Dates are 'YYYY-MM-DD';
 * amounts are öre per calendar year of the period.
 */
export type SynthIntervention = {
  id: string;
  name: string;
  kind: InterventionKind;
  status: InterventionStatus;
  startDate: string;
  endDate: string;
  ownerOrganisationId: string;
  /** The insatsägare's contact person, who submits the application, the requisitions and the reports. */
  contact: SynthActor;
  /** The status history up to `now`, oldest first; the last event's `to` is `status`. */
  events: SynthStatusEvent[];
  /** What the application asks for; the budget lines add up to it. */
  applied: { year: number; amountOre: bigint }[];
  /** Empty until the board grants the insats. */
  grants: { year: number; amountOre: bigint }[];
  /** Set by the applications generator: the budget's kostnadsslag and their weights, which requisitions follow. */
  costShares: { category: CostCategory; weight: number }[];
  /** Set by the applications generator. */
  goals: { id: string; status: GoalStatus }[];
};

export type SynthAssociation = {
  association: Association;
  index: number;
  seed: number;
  scale: SynthScale;
  /** The end of the synthetic history: nothing happens after it. */
  now: Date;
  passwordHash: string;
  /** Encrypts the association's pseudonym key (participant_settings). */
  keyring: Keyring;
  /** Filled by the generators in order, for later ones to refer to. */
  members: Member[];
  users: { role: Role; user: UserAccount }[];
  organisations: SynthOrganisation[];
  interventions: SynthIntervention[];
};

export type Generator = { name: string; generate: (tx: Tx, target: SynthAssociation, rng: Rng) => Promise<void> };

/** mulberry32, seeded from a hash of the key: small, fast and the same on every platform. */
export function createRng(key: string): Rng {
  let state = createHash("sha256").update(key).digest().readUInt32LE(0);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** Splits total in proportion to weights, in whole units that add up to exactly total (largest remainder). */
export function largestRemainder(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, i) => ({ i, rest: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    shares[i]! += 1;
  }
  return shares;
}

// PostgreSQL takes at most 65 535 parameters per statement; 1 000 rows of the widest table stay well below.
const ROWS_PER_STATEMENT = 1000;

/** Multi-row inserts: one statement per thousand rows instead of one per row, which is what makes national scale fast. */
export async function insertRows<T extends keyof DB & string>(tx: Tx, table: T, rows: Insertable<DB[T]>[]) {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    // Kysely cannot relate Insertable<DB[T]> to its own insert type while T is still generic.
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT) as never;
    await tx.insertInto(table).values(chunk).execute();
  }
}

export const DAY = 86_400_000;

/** The förbund's officer, who moves insatser and decides requisitions in the synthetic history. */
export function officerOf(target: SynthAssociation): SynthActor {
  return target.users.find((u) => u.role === "officer")!.user;
}

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A time during office hours on the day of `ms`, so that events look like people's work. */
export const duringOfficeHours = (ms: number, rng: Rng) =>
  Math.floor(ms / DAY) * DAY + rng.int(7 * 60, 16 * 60) * 60_000 + rng.int(0, 59_999);

// Syllables chosen so that their combinations are not the names of real kommuner or regions.
export const placeStarts = [
  "Kvarn",
  "Ljung",
  "Myr",
  "Råg",
  "Sälg",
  "Tjärn",
  "Vass",
  "Gärd",
  "Hjort",
  "Lomm",
  "Orr",
  "Trast",
];
export const placeEnds = ["inge", "ebro", "ahult", "arp", "eryd", "åsen", "emåla", "etorp", "abäcken", "elöv"];
const firstNames = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Ahmed", "Leila", "Mikael", "Elin"];
const surnameEnds = ["ström", "berg", "lund", "kvist", "sson", "dahl"];

/** A made-up person's name: common first names and surnames built from the place syllables. */
export function personName(rng: Rng) {
  return `${rng.pick(firstNames)} ${rng.pick(placeStarts)}${rng.pick(surnameEnds)}`;
}

/** An e-mail address for a made-up person, in the reserved .test domain. */
export function emailFor(name: string, domain: string) {
  const local = name
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z]+/g, ".");
  return `${local}@${domain}`;
}
