import type { Kysely } from "kysely";
import { retireKeys } from "../platform/crypto/key-check.js";
import { decrypt, encrypt, type Keyring, needsReencryption } from "../platform/crypto/keyring.js";
import type { DB } from "../platform/db/schema.js";
import { encryptionContexts } from "./identity.js";

export type RotationSummary = { identities: number; pseudonymKeys: number; retiredKeys: string[] };

/**
 * Re-encrypts every stored identity and pseudonym key that is not under the active key, then retires the other keys
 * (their check rows), after which they may be removed from the configuration. Runs as the owner, whose
 * owner_maintenance policy sees every association. Each batch is its own transaction, so a long rotation neither
 * holds locks on the whole table nor loses its progress: run again, it continues where it stopped. The pseudonym keys
 * keep their value, so the identity hashes that recognise a person stay the same. The caller has verified the keyring.
 */
export async function rotateKeys(db: Kysely<DB>, keyring: Keyring, batchSize = 500): Promise<RotationSummary> {
  let identities = 0;
  let after: { associationId: string; participantId: string } | undefined;
  for (;;) {
    const batch = await db.transaction().execute(async (tx) => {
      let query = tx.selectFrom("participant_identity").selectAll();
      if (after) {
        const { associationId, participantId } = after;
        query = query.where((eb) =>
          eb.or([
            eb("association_id", ">", associationId),
            eb.and([eb("association_id", "=", associationId), eb("participant_id", ">", participantId)]),
          ]),
        );
      }
      const rows = await query
        .orderBy("association_id")
        .orderBy("participant_id")
        .limit(batchSize)
        .forUpdate()
        .execute();
      let changed = 0;
      for (const row of rows) {
        if (!needsReencryption(keyring, row.ciphertext)) continue;
        const context = encryptionContexts.identity(row.association_id, row.participant_id);
        await tx
          .updateTable("participant_identity")
          .set({ ciphertext: encrypt(keyring, decrypt(keyring, row.ciphertext, context), context) })
          .where("association_id", "=", row.association_id)
          .where("participant_id", "=", row.participant_id)
          .execute();
        changed += 1;
      }
      return { last: rows.at(-1), changed };
    });
    identities += batch.changed;
    if (!batch.last) break;
    after = { associationId: batch.last.association_id, participantId: batch.last.participant_id };
  }

  // One row per association: a few hundred at most, so one transaction.
  const pseudonymKeys = await db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom("participant_settings")
      .select(["association_id", "pseudonym_key"])
      .forUpdate()
      .execute();
    let changed = 0;
    for (const row of rows) {
      if (!needsReencryption(keyring, row.pseudonym_key)) continue;
      const context = encryptionContexts.pseudonymKey(row.association_id);
      await tx
        .updateTable("participant_settings")
        .set({ pseudonym_key: encrypt(keyring, decrypt(keyring, row.pseudonym_key, context), context) })
        .where("association_id", "=", row.association_id)
        .execute();
      changed += 1;
    }
    return changed;
  });

  return { identities, pseudonymKeys, retiredKeys: await retireKeys(db, keyring) };
}
