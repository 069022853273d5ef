import { randomBytes } from "node:crypto";
import { z } from "zod";
import { audit } from "../audit/record.js";
import { can } from "../platform/auth/policy.js";
import { decrypt, encrypt, type Keyring, keyedHash } from "../platform/crypto/keyring.js";
import type { Gender } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import type { Tenant } from "../platform/http/env.js";
import {
  findParticipantByHash,
  findParticipantSettings,
  insertParticipant,
  insertParticipantSettings,
  readIdentityCiphertext,
  readIdentityCiphertexts,
  updateParticipantDetails,
  upsertIdentityCiphertexts,
} from "./repository.js";

/** What identifies a person: only ever held encrypted in the database and never written to logs or URLs. */
export type Identity = { personalNumber: string; name: string | null };

/** How a participant is named where the identity is not shown: the association's running number. */
export const pseudonym = (participant: { number: number }) => `D-${participant.number}`;

const identitySchema = z.object({ personalNumber: z.string(), name: z.string().nullable() });

const pseudonymKeyContext = (associationId: string) => `pseudonym-key:${associationId}`;
const identityContext = (associationId: string, participantId: string) =>
  `participant-identity:${associationId}:${participantId}`;

/**
 * The association's participant settings, created on first use with a random pseudonym key (encrypted with the
 * keyring, so that key rotation re-encrypts it while the hashes it makes stay the same).
 */
export async function participantSettings(tx: Tx, keyring: Keyring, associationId: string, lock = false) {
  const existing = await findParticipantSettings(tx, associationId, lock);
  if (existing) return existing;
  const key = encrypt(keyring, randomBytes(32).toString("base64"), pseudonymKeyContext(associationId));
  await insertParticipantSettings(tx, associationId, key);
  const created = await findParticipantSettings(tx, associationId, lock);
  if (!created) throw new Error("participant settings were not created");
  return created;
}

/** The keyed hash that recognises the same person in several insatser of one association, and only there. */
export async function identityHash(
  tx: Tx,
  keyring: Keyring,
  associationId: string,
  normalised: string,
  settings?: Awaited<ReturnType<typeof participantSettings>>,
) {
  return (await identityHasher(tx, keyring, associationId, settings))(normalised);
}

/** For many numbers at once: the pseudonym key is decrypted once. */
export async function identityHasher(
  tx: Tx,
  keyring: Keyring,
  associationId: string,
  settings?: Awaited<ReturnType<typeof participantSettings>>,
) {
  settings ??= await participantSettings(tx, keyring, associationId);
  const key = Buffer.from(decrypt(keyring, settings.pseudonym_key, pseudonymKeyContext(associationId)), "base64");
  return (normalised: string) => keyedHash(key, normalised);
}

export async function storeIdentity(
  tx: Tx,
  keyring: Keyring,
  associationId: string,
  participantId: string,
  identity: Identity,
) {
  await storeIdentities(tx, keyring, associationId, [{ participantId, identity }]);
}

export async function storeIdentities(
  tx: Tx,
  keyring: Keyring,
  associationId: string,
  identities: { participantId: string; identity: Identity }[],
) {
  await upsertIdentityCiphertexts(
    tx,
    associationId,
    identities.map(({ participantId, identity }) => ({
      participantId,
      ciphertext: encrypt(keyring, JSON.stringify(identity), identityContext(associationId, participantId)),
    })),
  );
}

export type Person = {
  /** Normalised twelve digits (personal-number.ts), or null for a registration that only counts. */
  personalNumber: string | null;
  name: string | null;
  gender: Gender;
  birthYear: number | null;
};

/**
 * The participant a personnummer belongs to in the association, recognised by the keyed hash, or a new one; with a
 * personnummer the identity is stored encrypted. `updateDetails` lets given gender and birth year replace a known
 * person's. Callers lock the association's participant settings first (participantSettings with lock), so that two
 * enrolments cannot both create the same person.
 */
export async function recognisePerson(
  tx: Tx,
  keyring: Keyring,
  associationId: string,
  person: Person,
  options: { settings: Awaited<ReturnType<typeof participantSettings>>; updateDetails: boolean },
) {
  const hash =
    person.personalNumber === null
      ? null
      : await identityHash(tx, keyring, associationId, person.personalNumber, options.settings);
  const known = hash ? await findParticipantByHash(tx, associationId, hash) : undefined;
  const details = { gender: person.gender, birthYear: person.birthYear };
  if (known && options.updateDetails) await updateParticipantDetails(tx, associationId, known.id, details);
  const participant = known ?? (await insertParticipant(tx, associationId, { identityHash: hash, ...details }));
  if (person.personalNumber !== null) {
    await storeIdentity(tx, keyring, associationId, participant.id, {
      personalNumber: person.personalNumber,
      name: person.name,
    });
  }
  return { participant, known: known !== undefined };
}

/** Admin everywhere; the insatsägare's contact for the insatser it can see (interventions/access.ts). */
export const mayReadIdentity = (tenant: Tenant) => can(tenant.role, "participant.identity.read");

/**
 * Decrypts a participant's identity for someone allowed to see it, and records the read in the audit log in the same
 * transaction: no identity is shown without its trace. Undefined for a participant without (or no longer with) one.
 */
export async function revealIdentity(options: {
  tenant: Tenant;
  keyring: Keyring;
  participantId: string;
  purpose: string;
}): Promise<Identity | undefined> {
  const { tenant, keyring, participantId, purpose } = options;
  if (!mayReadIdentity(tenant)) return undefined;
  const row = await readIdentityCiphertext(tenant.tx, tenant.association.id, participantId);
  if (!row) return undefined;
  const identity = identitySchema.parse(
    JSON.parse(decrypt(keyring, row.ciphertext, identityContext(tenant.association.id, participantId))),
  );
  await audit(tenant, "participant.identity.read", { type: "participant", id: participantId }, { purpose });
  return identity;
}

/**
 * revealIdentity for many participants at once (an export): one audit entry lists every participant whose identity
 * was read. Participants without an identity are absent from the map.
 */
export async function revealIdentities(options: {
  tenant: Tenant;
  keyring: Keyring;
  participantIds: string[];
  purpose: string;
}): Promise<Map<string, Identity>> {
  const { tenant, keyring, participantIds, purpose } = options;
  const identities = new Map<string, Identity>();
  if (!mayReadIdentity(tenant)) return identities;
  const rows = await readIdentityCiphertexts(tenant.tx, tenant.association.id, participantIds);
  for (const row of rows) {
    const context = identityContext(tenant.association.id, row.participant_id);
    identities.set(row.participant_id, identitySchema.parse(JSON.parse(decrypt(keyring, row.ciphertext, context))));
  }
  if (identities.size > 0) {
    await audit(tenant, "participant.identity.read", undefined, { purpose, participantIds: [...identities.keys()] });
  }
  return identities;
}

/** For key rotation: the contexts a stored value was encrypted under. */
export const encryptionContexts = { pseudonymKey: pseudonymKeyContext, identity: identityContext };
