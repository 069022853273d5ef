import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decrypt,
  encrypt,
  generateKeyLine,
  KeyringError,
  keyedHash,
  keyIdOf,
  loadKeyring,
  needsReencryption,
  parseKeyring,
} from "./keyring.js";

const lineA = generateKeyLine("a");
const lineB = generateKeyLine("b");

describe("keyring", () => {
  it("encrypts with the active key and decrypts any text (property)", () => {
    const ring = parseKeyring(lineA, "test");
    fc.assert(
      fc.property(fc.string(), fc.string(), (text, context) => {
        const sealed = encrypt(ring, text, context);
        expect(keyIdOf(sealed)).toBe("a");
        expect(decrypt(ring, sealed, context)).toBe(text);
      }),
    );
  });

  it("never stores the plaintext and never encrypts the same text twice alike", () => {
    const ring = parseKeyring(lineA, "test");
    const one = encrypt(ring, "198507099805", "row-1");
    const two = encrypt(ring, "198507099805", "row-1");
    expect(one.equals(two)).toBe(false);
    expect(one.toString("latin1")).not.toContain("198507099805");
  });

  it("refuses a value moved to another row, an altered value and a wrong key", () => {
    const ring = parseKeyring(lineA, "test");
    const sealed = encrypt(ring, "hemligt", "row-1");
    expect(() => decrypt(ring, sealed, "row-2")).toThrow(KeyringError);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    expect(() => decrypt(ring, altered, "row-1")).toThrow(KeyringError);
    const impostor = parseKeyring(generateKeyLine("a"), "test");
    expect(() => decrypt(impostor, sealed, "row-1")).toThrow(/does not decrypt/);
    expect(() => decrypt(parseKeyring(lineB, "test"), sealed, "row-1")).toThrow(/does not hold/);
  });

  it("decrypts with an older key and says what needs re-encryption", () => {
    const old = encrypt(parseKeyring(lineA, "test"), "text", "ctx");
    const rotated = parseKeyring(`${lineB}\n${lineA}`, "test");
    expect(rotated.activeId).toBe("b");
    expect(decrypt(rotated, old, "ctx")).toBe("text");
    expect(needsReencryption(rotated, old)).toBe(true);
    expect(needsReencryption(rotated, encrypt(rotated, "text", "ctx"))).toBe(false);
  });

  it("explains a malformed keyring instead of starting with it", () => {
    expect(() => parseKeyring("", "SAMORDNA_ENCRYPTION_KEYS")).toThrow(/holds no encryption key/);
    expect(() => parseKeyring("a:c2hvcnQ=", "SAMORDNA_ENCRYPTION_KEYS")).toThrow(/32 random bytes/);
    expect(() => parseKeyring(`${lineA},${lineA}`, "SAMORDNA_ENCRYPTION_KEYS")).toThrow(/appears twice/);
  });

  it("creates a missing key file only where allowed, readable by the owner alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "samordna-keys-"));
    const path = join(dir, "nested", "encryption.key");
    expect(() => loadKeyring({ kind: "file", path, createIfMissing: false })).toThrow(/does not exist/);
    const created = loadKeyring({ kind: "file", path, createIfMissing: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadKeyring({ kind: "file", path, createIfMissing: false }).activeId).toBe(created.activeId);
    expect(readFileSync(path, "utf8")).toMatch(/^k\d{8}:/);
  });

  it("hashes with a key, so that the same number gives the same hash only under the same key", () => {
    const one = Buffer.alloc(32, 1);
    const two = Buffer.alloc(32, 2);
    expect(keyedHash(one, "198507099805").equals(keyedHash(one, "198507099805"))).toBe(true);
    expect(keyedHash(one, "198507099805").equals(keyedHash(two, "198507099805"))).toBe(false);
  });
});
