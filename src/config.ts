import { z } from "zod";

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
  };
}
