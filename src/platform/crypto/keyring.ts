import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The keys that encrypt participants' identities at rest (AES-256-GCM). The first key is the active one and encrypts
 * everything new; the others only decrypt what they once encrypted, until `samordna keys:rotate` has re-encrypted it
 * with the active key. Keys are written "id:base64" (32 random bytes), one per line in a key file or comma-separated in
 * SAMORDNA_ENCRYPTION_KEYS.
 */
export type Keyring = { activeId: string; keys: ReadonlyMap<string, Buffer> };

export class KeyringError extends Error {
  override name = "KeyringError";
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function parseKeyring(text: string, source: string): Keyring {
  const entries = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (entries.length === 0) throw new KeyringError(`${source} holds no encryption key.`);
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(":");
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), "base64");
    if (separator < 1 || !KEY_ID.test(id) || key.length !== 32) {
      throw new KeyringError(
        `${source}, key ${index + 1}: write each key as "id:base64" with 32 random bytes ` +
          "(samordna keys:generate prints one).",
      );
    }
    if (keys.has(id)) throw new KeyringError(`${source}: the key id "${id}" appears twice.`);
    keys.set(id, key);
  }
  return { activeId: entries[0]?.slice(0, entries[0].indexOf(":")) ?? "", keys };
}

/** A new key line, "id:base64", for a key file or SAMORDNA_ENCRYPTION_KEYS. */
export function generateKeyLine(id = `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`): string {
  if (!KEY_ID.test(id)) throw new KeyringError(`A key id is 1–32 letters, digits, "-" or "_": "${id}" is not.`);
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export type KeySource =
  | { kind: "environment"; keys: string }
  | { kind: "file"; path: string; createIfMissing: boolean }
  | { kind: "ephemeral" };

/**
 * The keyring from the environment or a key file. A missing file is created (mode 0600) only where configuration
 * allows it (development and demo on the embedded database); production must bring its own key.
 */
export function loadKeyring(source: KeySource): Keyring {
  if (source.kind === "environment") return parseKeyring(source.keys, "SAMORDNA_ENCRYPTION_KEYS");
  if (source.kind === "ephemeral") return parseKeyring(generateKeyLine("ephemeral"), "ephemeral key");
  if (!existsSync(source.path)) {
    if (!source.createIfMissing) {
      throw new KeyringError(
        `The encryption key file ${source.path} does not exist. Create it with "samordna keys:generate > FILE" ` +
          "and keep a copy in a safe place: without it the participants' identities cannot be read.",
      );
    }
    mkdirSync(dirname(source.path), { recursive: true });
    writeFileSync(source.path, `${generateKeyLine()}\n`, { mode: 0o600 });
    chmodSync(source.path, 0o600);
  }
  return parseKeyring(readFileSync(source.path, "utf8"), source.path);
}

function keyOf(keyring: Keyring, id: string): Buffer {
  const key = keyring.keys.get(id);
  if (!key) throw new KeyringError(`Data is encrypted with the key "${id}", which the keyring does not hold.`);
  return key;
}

/**
 * Encrypts with the active key. The associated data (e.g. the row's ids) binds the ciphertext to its row: a value
 * copied to another row does not decrypt there.
 */
export function encrypt(keyring: Keyring, plaintext: string, associatedData: string): Buffer {
  const id = Buffer.from(keyring.activeId, "ascii");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyOf(keyring, keyring.activeId), iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id, iv, cipher.getAuthTag(), body]);
}

/** The id of the key a value was encrypted with. */
export function keyIdOf(ciphertext: Uint8Array): string {
  const blob = Buffer.from(ciphertext);
  if (blob[0] !== FORMAT_VERSION) throw new KeyringError("Unknown ciphertext format.");
  return blob.subarray(2, 2 + (blob[1] ?? 0)).toString("ascii");
}

/** Decrypts, or throws: a wrong key or a tampered value never yields text. */
export function decrypt(keyring: Keyring, ciphertext: Uint8Array, associatedData: string): string {
  const blob = Buffer.from(ciphertext);
  const id = keyIdOf(blob);
  const start = 2 + id.length;
  const iv = blob.subarray(start, start + IV_BYTES);
  const tag = blob.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", keyOf(keyring, id), iv);
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(start + IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new KeyringError(`The key "${id}" does not decrypt this value: wrong key or altered data.`);
  }
}

/** True when the value is encrypted with another key than the active one (key rotation re-encrypts it). */
export const needsReencryption = (keyring: Keyring, ciphertext: Uint8Array) => keyIdOf(ciphertext) !== keyring.activeId;

/** HMAC-SHA256: a keyed hash that recognises a value without revealing it. */
export const keyedHash = (key: Uint8Array, value: string): Buffer =>
  createHmac("sha256", key).update(value, "utf8").digest();
