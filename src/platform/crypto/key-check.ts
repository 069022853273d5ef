import type { Kysely } from "kysely";
import type { DB } from "../db/schema.js";
import { decrypt, encrypt, type Keyring, KeyringError } from "./keyring.js";

const CHECK_TEXT = "samordna-key-check";
const checkContext = (keyId: string) => `key-check:${keyId}`;

/**
 * Refuses to start with a keyring that cannot read the database: every key that may still have data (a row here) must
 * be present and decrypt its known value. The active key gets its row on first use. Run as the owner, at start-up and
 * before key rotation; key rotation removes the rows of keys it has retired.
 */
export async function verifyKeyring(db: Kysely<DB>, keyring: Keyring): Promise<void> {
  const checks = await db.selectFrom("encryption_key_check").selectAll().execute();
  for (const check of checks) {
    if (!keyring.keys.has(check.key_id)) {
      throw new KeyringError(
        `The database holds data encrypted with the key "${check.key_id}", which is not configured ` +
          "(SAMORDNA_ENCRYPTION_KEYS or the key file). Add it back; samordna keys:rotate can then retire it.",
      );
    }
    try {
      if (decrypt(keyring, check.check_value, checkContext(check.key_id)) === CHECK_TEXT) continue;
    } catch {
      // reported below, with the key id
    }
    throw new KeyringError(
      `The configured key "${check.key_id}" is not the key this database was encrypted with. ` +
        "Check SAMORDNA_ENCRYPTION_KEYS or the key file: starting with a wrong key would leave identities unreadable.",
    );
  }
  if (!checks.some((check) => check.key_id === keyring.activeId)) {
    await db
      .insertInto("encryption_key_check")
      .values({ key_id: keyring.activeId, check_value: encrypt(keyring, CHECK_TEXT, checkContext(keyring.activeId)) })
      .onConflict((conflict) => conflict.column("key_id").doNothing())
      .execute();
  }
}

/** After every value has been re-encrypted with the active key, the other keys hold no data any more. */
export async function retireKeys(db: Kysely<DB>, keyring: Keyring): Promise<string[]> {
  const retired = await db
    .deleteFrom("encryption_key_check")
    .where("key_id", "<>", keyring.activeId)
    .returning("key_id")
    .execute();
  return retired.map((row) => row.key_id);
}
