import { join } from "node:path";
import { z } from "zod";
import type { KeySource } from "./platform/crypto/keyring.js";

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === "" ? undefined : value))
  .pipe(z.url().optional());

const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  PUBLIC_URL: optionalUrl,
  DATABASE_URL: optionalUrl,
  SAMORDNA_DATA_DIR: z.string().default("./data"),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default("Samordna <noreply@samordna.invalid>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: z
    .enum(["true", "false", ""])
    .default("false")
    .transform((value) => value === "true"),
  SAMORDNA_DEMO_PASSWORD: z.string().min(12, "måste vara minst 12 tecken").optional(),
  SAMORDNA_ENCRYPTION_KEYS: z.string().optional(),
  SAMORDNA_ENCRYPTION_KEY_FILE: z.string().optional(),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  publicUrl: string;
  /** Cookies get `Secure` and the `__Host-` prefix when the public URL is https. */
  secureCookies: boolean;
  database: { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string | undefined };
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  trustProxy: boolean;
  demoPassword: string | undefined;
  /** Where the keys that encrypt participants' identities come from (platform/crypto/keyring.ts). */
  encryptionKeys: KeySource;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads the environment once at start-up and refuses to start on anything missing or malformed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production") {
    const missing = (["DATABASE_URL", "PUBLIC_URL", "SMTP_URL"] as const).filter((key) => !e[key]);
    if (missing.length > 0) {
      throw new ConfigError(
        `NODE_ENV=production requires ${missing.join(", ")}. ` +
          "Production runs on PostgreSQL, sends real e-mail and needs its public address for links.",
      );
    }
  }
  if (e.NODE_ENV === "production" && !e.SAMORDNA_ENCRYPTION_KEYS && !e.SAMORDNA_ENCRYPTION_KEY_FILE) {
    throw new ConfigError(
      "NODE_ENV=production requires SAMORDNA_ENCRYPTION_KEYS or SAMORDNA_ENCRYPTION_KEY_FILE: participants' identities " +
        "are encrypted with it, and a key kept apart from the database is what makes that worth anything.",
    );
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL }
      : { kind: "pglite", dataDir: e.SAMORDNA_DATA_DIR === "memory://" ? undefined : e.SAMORDNA_DATA_DIR },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    demoPassword: e.SAMORDNA_DEMO_PASSWORD,
    encryptionKeys: encryptionKeySource(e),
  };
}

/**
 * Explicit keys first; otherwise a key file beside the embedded data (created on first start outside production), or
 * a key that lives as long as the process for an in-memory database.
 */
function encryptionKeySource(e: z.output<typeof environmentSchema>): KeySource {
  if (e.SAMORDNA_ENCRYPTION_KEYS) return { kind: "environment", keys: e.SAMORDNA_ENCRYPTION_KEYS };
  if (e.SAMORDNA_ENCRYPTION_KEY_FILE)
    return { kind: "file", path: e.SAMORDNA_ENCRYPTION_KEY_FILE, createIfMissing: false };
  if (!e.DATABASE_URL && e.SAMORDNA_DATA_DIR === "memory://") return { kind: "ephemeral" };
  return {
    kind: "file",
    path: join(e.SAMORDNA_DATA_DIR, "encryption.key"),
    createIfMissing: e.NODE_ENV !== "production",
  };
}
