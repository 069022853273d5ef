import type { Hono } from "hono";
import pino from "pino";
import { createApp } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { loadKeyring } from "../../src/platform/crypto/keyring.js";
import type { Database } from "../../src/platform/db/database.js";
import type { AppEnv } from "../../src/platform/http/env.js";
import { createMailer, type Mailer } from "../../src/platform/mail/mailer.js";

export const ORIGIN = "http://localhost";

/** A fixed test key, so that tests can decrypt what the app stored. */
export const TEST_KEYS = "test1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
export const testKeyring = () => loadKeyring({ kind: "environment", keys: TEST_KEYS });

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: "test",
    port: 0,
    host: "127.0.0.1",
    publicUrl: ORIGIN,
    secureCookies: false,
    database: { kind: "pglite", dataDir: undefined },
    smtpUrl: undefined,
    mailFrom: "Samordna <noreply@samordna.invalid>",
    logLevel: "silent",
    trustProxy: false,
    demoPassword: undefined,
    encryptionKeys: { kind: "environment", keys: TEST_KEYS },
    ...overrides,
  };
}

export function buildTestApp(database: Database, overrides: Partial<Config> = {}) {
  const logger = pino({ level: "silent" });
  const mailer = createMailer({ smtpUrl: undefined, from: "test", logger }) as Mailer & {
    outbox: NonNullable<Mailer["outbox"]>;
  };
  const config = testConfig(overrides);
  const { app, api } = createApp({ config, database, mailer, logger, keyring: loadKeyring(config.encryptionKeys) });
  return { app, api, mailer };
}

/**
 * A cookie-keeping client for the app, in process: it sends the Origin header and the form's CSRF token as a
 * browser would.
 */
export class TestBrowser {
  private cookies = new Map<string, string>();
  constructor(private readonly app: Hono<AppEnv>) {}

  cookie(name: string) {
    return this.cookies.get(name);
  }

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await this.app.request(path, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === "" || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(path: string) {
    return this.request(path);
  }

  /** The CSRF token the server puts in its forms for this browser. */
  async csrfToken(): Promise<string> {
    const page = await (await this.get(this.cookies.has("samordna_session") ? "/account" : "/login")).text();
    const match = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!match?.[1]) throw new Error("no CSRF token on the page");
    return match[1];
  }

  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: string | null; origin?: string | null } = {},
  ) {
    const body = new URLSearchParams(fields);
    const csrf = options.csrf === undefined ? await this.csrfToken() : options.csrf;
    if (csrf !== null) body.set("_csrf", csrf);
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (options.origin !== null) headers.origin = options.origin ?? ORIGIN;
    return this.request(path, { method: "POST", body, headers });
  }

  async login(email: string, password: string) {
    const response = await this.post("/login", { email, password });
    if (response.status !== 303) throw new Error(`login failed with ${response.status}`);
    return response;
  }
}

export function bearer(secret: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${secret}`);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return { ...init, headers };
}
