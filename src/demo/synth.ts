import type { Kysely } from "kysely";
import { findUserByEmail, insertUser, upsertRole } from "../accounts/repository.js";
import {
  findAssociationBySlug,
  insertAssociation,
  insertMember,
  type MemberInput,
} from "../associations/repository.js";
import { hashPassword } from "../platform/auth/password.js";
import { roles } from "../platform/auth/policy.js";
import { type Keyring, loadKeyring } from "../platform/crypto/keyring.js";
import type { DB, UserAccount } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import { generateApplications, generateInterventions, generateOrganisations } from "./synth-interventions.js";
import { generateParticipants } from "./synth-participants.js";
import { generateReports } from "./synth-reports.js";
import { generateRequisitions } from "./synth-requisitions.js";
import {
  createRng,
  DAY,
  type Generator,
  insertRows,
  largestRemainder,
  personName,
  placeEnds,
  placeStarts,
  type Rng,
  type SynthAssociation,
  type SynthScale,
} from "./synth-support.js";

/**
 * Synthetic data for benchmarks: the same seed gives the same associations, members, users, organisations, insatser
 * with their applications, requisitions, repayments and reports, deltagare with their enrolments, and audit entries on
 * any database (generated ids and created_at aside). All names are made up. Each
 * module appends its generator to `generators`; every generator draws from its own random stream, derived from the
 * seed, the association and the generator's name, so that a new generator never changes what the others produce.
 */

// Generators in other modules build on these.
export type { Generator, Rng, SynthAssociation } from "./synth-support.js";
export { createRng, largestRemainder } from "./synth-support.js";

export const generators: Generator[] = [
  { name: "members", generate: generateMembers },
  { name: "users", generate: generateUsers },
  { name: "audit_log", generate: generateAuditLog },
  { name: "organisations", generate: generateOrganisations },
  { name: "interventions", generate: generateInterventions },
  { name: "applications", generate: generateApplications },
  { name: "requisitions", generate: generateRequisitions },
  { name: "reports", generate: generateReports },
  { name: "participants", generate: generateParticipants },
];

/**
 * What `samordna synth --national` creates: every förbund in Sweden, each with ten years of insatser, and 1 000 000
 * deltagare in all (synth-participants.ts).
 */
export const nationalScale = { associations: 80, interventionsPerYear: 40, years: 10 } as const;

/** What `samordna synth --associations N` gives each association: a short history, quick to make and to back up. */
export const quickScale: SynthScale = { interventionsPerYear: 4, years: 5 };

/**
 * Creates associations synth-<seed>-1 … synth-<seed>-N, one transaction each, skipping those that exist, so that a
 * re-run (or a larger N) only adds what is missing. Writes as the owner, past row-level security, so every row names
 * its association itself. `now` defaults to the start of today (UTC), so that reruns on one day give identical
 * timestamps; the scale per association defaults to the national one. Without a keyring (tests), the pseudonym keys
 * are encrypted with a throwaway key: the synthetic deltagare never need them.
 */
export async function synthesize(
  db: Kysely<DB>,
  options: { associations: number; seed: number; now?: Date; keyring?: Keyring } & Partial<SynthScale>,
): Promise<{ associations: number }> {
  const { associations: count, seed } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`The seed must be a whole number ≥ 0, not ${seed}`);
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`Cannot create ${count} associations`);
  const scale: SynthScale = {
    interventionsPerYear: options.interventionsPerYear ?? nationalScale.interventionsPerYear,
    years: options.years ?? nationalScale.years,
  };
  for (const [name, value] of Object.entries(scale)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, not ${value}`);
  }
  const now = options.now ?? new Date(new Date().setUTCHours(0, 0, 0, 0));
  // argon2 is slow by design and salted at random: one hash, shared by every synthetic user, keeps it fast.
  const passwordHash = await hashPassword(`synth-password-${seed}`);
  const keyring = options.keyring ?? loadKeyring({ kind: "ephemeral" });
  let created = 0;
  for (let index = 1; index <= count; index++) {
    const slug = `synth-${seed}-${index}`;
    const added = await db.transaction().execute(async (tx) => {
      if (await findAssociationBySlug(tx, slug)) return false;
      const association = await insertAssociation(tx, { slug, name: `Samordningsförbundet Syntet ${index}` });
      const target: SynthAssociation = {
        association,
        index,
        seed,
        scale,
        now,
        passwordHash,
        keyring,
        members: [],
        users: [],
        organisations: [],
        interventions: [],
      };
      for (const generator of generators) {
        await generator.generate(tx, target, createRng(`${seed}/${index}/${generator.name}`));
      }
      return true;
    });
    if (added) created++;
  }
  return { associations: created };
}

async function generateMembers(tx: Tx, target: SynthAssociation, rng: Rng) {
  const used = new Set<string>();
  const placeName = () => {
    for (;;) {
      const name = rng.pick(placeStarts) + rng.pick(placeEnds);
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
  const region = placeName();
  const kommuner = Array.from({ length: rng.int(2, 6) }, placeName);
  // Populations differ a lot between kommuner, and so do their shares.
  const shares = largestRemainder(
    2500,
    kommuner.map(() => Math.exp(rng.next() * 3)),
  );
  const members: MemberInput[] = [
    // The state's half is paid by Försäkringskassan, also on behalf of Arbetsförmedlingen.
    { name: "Försäkringskassan", type: "fk", fundingShareBasisPoints: 5000 },
    { name: "Arbetsförmedlingen", type: "af", fundingShareBasisPoints: 0 },
    { name: `Region ${region}`, type: "region", fundingShareBasisPoints: 2500 },
    ...kommuner.map(
      (name, i): MemberInput => ({ name: `${name} kommun`, type: "kommun", fundingShareBasisPoints: shares[i]! }),
    ),
  ];
  for (const member of members) target.members.push(await insertMember(tx, target.association.id, member));
}

async function generateUsers(tx: Tx, target: SynthAssociation, rng: Rng) {
  for (const role of roles) {
    const email = `${role}-${target.index}@synth-${target.seed}.test`;
    const name = personName(rng);
    // The account may outlive a deleted association of an earlier run.
    const user =
      (await findUserByEmail(tx, email)) ?? (await insertUser(tx, { email, name, passwordHash: target.passwordHash }));
    await upsertRole(tx, target.association.id, user.id, role);
    target.users.push({ role, user });
  }
}

async function generateAuditLog(tx: Tx, target: SynthAssociation, rng: Rng) {
  const { association, members, users, now } = target;
  const admin = users.find((u) => u.role === "admin")!.user;
  const start = now.getTime() - 365 * DAY;
  const entry = (
    at: number,
    actor: UserAccount,
    action: string,
    entity?: { type: string; id: string },
    summary = {},
  ) => ({
    association_id: association.id,
    actor_user_id: actor.id,
    actor_label: actor.email,
    occurred_at: new Date(Math.floor(at)),
    action,
    entity_type: entity?.type ?? null,
    entity_id: entity?.id ?? null,
    summary: JSON.stringify(summary),
  });
  const entries = [
    entry(start, admin, "association.create", { type: "association", id: association.id }, { slug: association.slug }),
    ...users.map(({ role, user }, i) =>
      entry(start + (i + 1) * 60_000, admin, "user.invited", { type: "user", id: user.id }, { role }),
    ),
  ];
  const timed: ReturnType<typeof entry>[] = [];
  for (let n = rng.int(200, 400); n > 0; n--) {
    const at = start + DAY + rng.next() * 363 * DAY;
    const actor = rng.next() < 0.7 ? admin : rng.pick(users).user;
    const member = rng.pick(members);
    const kind = rng.next();
    if (kind < 0.5) {
      const to = member.funding_share_basis_points;
      const change = { fundingShareBasisPoints: { from: Math.max(0, to - rng.int(1, 50)), to } };
      timed.push(entry(at, actor, "member.update", { type: "member", id: member.id }, { changes: change }));
    } else if (kind < 0.7) {
      const shares = Object.fromEntries(members.map((m) => [m.name, m.funding_share_basis_points]));
      timed.push(entry(at, admin, "member.funding_shares_set", undefined, { shares }));
    } else if (kind < 0.85) {
      timed.push(entry(at, actor, "user.password_changed", { type: "user", id: actor.id }));
    } else {
      const { role, user } = rng.pick(users);
      const previousRole = rng.pick(roles.filter((other) => other !== role));
      timed.push(entry(at, admin, "user.role_changed", { type: "user", id: user.id }, { role, previousRole }));
    }
  }
  // In time order, so that ids grow with time as in real use (the audit page pages by id).
  timed.sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime());
  entries.push(...timed);
  await insertRows(tx, "audit_log", entries);
}
