import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { DatabaseLockedError, openPGlite } from "../../src/platform/db/database.js";
import { createMailer } from "../../src/platform/mail/mailer.js";
import { startServer } from "../../src/server.js";
import { databaseTargets, describeEachDatabase, openEmptyDatabase } from "../support/database.js";
import { buildUser } from "../support/factories.js";
import { buildTestApp, TEST_KEYS, TestBrowser, testConfig, testKeyring } from "../support/http.js";

describeEachDatabase("health and security headers", (database) => {
  it("reports live and ready", async () => {
    const { app } = buildTestApp(database());
    expect(await (await app.request("/healthz")).text()).toBe("ok");
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });
  });

  it("sends a CSP without inline scripts, and refuses framing", async () => {
    const { app } = buildTestApp(database());
    const response = await app.request("/login");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.text()).not.toMatch(/<script>(?!<\/script>)/);
  });

  it("logs the route pattern, never the one-time secret in the path", async () => {
    const { db } = database();
    const lines: string[] = [];
    const logger = pino(
      { level: "info" },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const user = await buildUser(db);
    const mailer = createMailer({ smtpUrl: undefined, from: "test", logger });
    const { app } = createApp({ config: testConfig(), database: database(), mailer, logger, keyring: testKeyring() });
    const browser = new TestBrowser(app);
    await browser.post("/password-reset", { email: user.email });
    const link = /https?:\/\/\S+/.exec(mailer.outbox?.[0]?.text ?? "")?.[0] as string;
    const secret = link.split("/").at(-1) as string;
    await browser.get(new URL(link).pathname);
    const all = lines.join("");
    expect(all).toContain('"route":"/password-reset/:secret"');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(user.email);
  });
});

describe("readiness before migration", () => {
  for (const target of databaseTargets()) {
    it(`is not ready on an unmigrated database [${target}]`, async () => {
      const database = await openEmptyDatabase(target);
      try {
        const { app } = buildTestApp(database);
        const response = await app.request("/readyz");
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual({ status: "migrations pending" });
      } finally {
        await database.close();
      }
    });
  }
});

describe("configuration", () => {
  it("refuses to start in production without the secrets production needs", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/DATABASE_URL, PUBLIC_URL, SMTP_URL/);
    const complete = {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://app@db/samordna",
      PUBLIC_URL: "https://samordna.exempel.se",
      SMTP_URL: "smtp://mail.exempel.se",
    };
    // Identities are encrypted with a key kept apart from the database: production must bring its own.
    expect(() => loadConfig(complete)).toThrow(/SAMORDNA_ENCRYPTION_KEYS or SAMORDNA_ENCRYPTION_KEY_FILE/);
    expect(() => loadConfig({ ...complete, SAMORDNA_ENCRYPTION_KEYS: TEST_KEYS })).not.toThrow();
    expect(loadConfig({ ...complete, SAMORDNA_ENCRYPTION_KEY_FILE: "/etc/samordna/keys" }).encryptionKeys).toEqual({
      kind: "file",
      path: "/etc/samordna/keys",
      createIfMissing: false,
    });
  });

  it("names each malformed setting", () => {
    expect(() => loadConfig({ PORT: "tusen", DATABASE_URL: "inte en url" })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });

  it("uses secure cookies when the public address is https", () => {
    expect(loadConfig({ PUBLIC_URL: "https://samordna.exempel.se/" })).toMatchObject({
      publicUrl: "https://samordna.exempel.se",
      secureCookies: true,
    });
    expect(loadConfig({}).database).toEqual({ kind: "pglite", dataDir: "./data" });
  });
});

describe("the embedded database", () => {
  it("is held by one process at a time and released on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "samordna-lock-"));
    try {
      const first = await openPGlite(dir);
      await expect(openPGlite(dir)).rejects.toThrow(DatabaseLockedError);
      await first.close();
      const second = await openPGlite(dir);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("starting the server", () => {
  it("serves the demo, then drains and closes cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "samordna-start-"));
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      const config = testConfig({
        env: "development",
        database: { kind: "pglite", dataDir: dir },
        demoPassword: "demo-lösenord-123",
      });
      const server = await startServer(config, pino({ level: "silent" }), { demo: true });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      const login = await fetch(`${server.url}/login`);
      expect(login.status).toBe(200);
      await server.close();
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      const reopened = await openPGlite(dir);
      const users = await reopened.db.selectFrom("user_account").select("email").execute();
      expect(users.map((user) => user.email)).toContain("forbundschef@exempel.test");
      await reopened.close();
    } finally {
      process.stdout.write = write;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never loads the demo in production", async () => {
    const config = testConfig({ env: "production" });
    await expect(startServer(config, pino({ level: "silent" }), { demo: true })).rejects.toThrow(
      /never loaded in production/,
    );
  });
});
