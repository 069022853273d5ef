import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashSecret } from "../../src/platform/auth/secrets.js";
import { openPGlite } from "../../src/platform/db/database.js";
import { runCli } from "../support/cli.js";
import { databaseTargets, openEmptyDatabase } from "../support/database.js";

for (const target of databaseTargets()) {
  describe(`the samordna command [${target}]`, () => {
    let cleanup: () => Promise<void>;
    let dir: string;
    const saved = { ...process.env };

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), "samordna-cli-"));
      process.env.SAMORDNA_DEMO_PASSWORD = "demo-lösenord-123";
      process.env.LOG_LEVEL = "silent";
      if (target === "postgres") {
        const database = await openEmptyDatabase("postgres");
        process.env.DATABASE_URL = database.url;
        cleanup = () => database.close();
      } else {
        delete process.env.DATABASE_URL;
        process.env.SAMORDNA_DATA_DIR = dir;
        cleanup = async () => {};
      }
    });

    afterEach(async () => {
      process.env = { ...saved };
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it("migrates, loads the demo, creates a user and an API token", async () => {
      expect((await runCli(["migrate"])).out).toContain("Migrations are up to date.");
      const demo = await runCli(["demo"]);
      expect(demo.out).toContain("forbundschef@exempel.test");
      expect(demo.out).toContain("demo-lösenord-123");
      const created = await runCli([
        "user:create",
        "--email",
        "Ny.Handlaggare@exempel.test",
        "--name",
        "Ny Handläggare",
        "--association",
        "exempel",
        "--role",
        "officer",
      ]);
      expect(created.code).toBe(0);
      expect(created.out).toMatch(/Created ny\.handlaggare@exempel\.test with password \S{20,}/);
      const token = await runCli([
        "token:create",
        "--email",
        "ny.handlaggare@exempel.test",
        "--association",
        "exempel",
        "--scope",
        "write",
      ]);
      expect(token.code).toBe(0);
      const secret = token.out.trim();
      expect(secret).toMatch(/^sam_/);
      if (target === "pglite") {
        const database = await openPGlite(dir);
        const stored = await database.db.selectFrom("api_token").select(["token_hash", "scope"]).execute();
        await database.close();
        expect(stored).toEqual([{ token_hash: hashSecret(secret), scope: "write" }]);
      }
    });

    it("backs up, restores into an empty database and creates synthetic data", async () => {
      await runCli(["demo"]);
      expect((await runCli(["synth", "--associations", "2", "--seed", "7"])).out).toContain(
        "Created 2 synthetic associations",
      );
      const file = join(dir, "backup.sql");
      const backup = await runCli(["backup", file]);
      expect(backup.code).toBe(0);
      expect(backup.out).toMatch(/Wrote \d+ rows from \d+ tables/);
      const refused = await runCli(["restore", file]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain("already holds data");
      if (target === "postgres") {
        const second = await openEmptyDatabase("postgres");
        process.env.DATABASE_URL = second.url;
        const previous = cleanup;
        cleanup = async () => {
          await previous();
          await second.close();
        };
      } else {
        process.env.SAMORDNA_DATA_DIR = join(dir, "restored");
      }
      const restored = await runCli(["restore", file]);
      expect(restored.err).toBe("");
      expect(restored.out).toMatch(/Restored \d+ rows/);
      expect(restored.out.match(/\d+ rows/)?.[0]).toBe(backup.out.match(/\d+ rows/)?.[0]);
    });

    it("explains what is wrong with a command", async () => {
      expect(
        (await runCli(["token:create", "--email", "ingen@exempel.test", "--association", "exempel"])).err,
      ).toContain("No user with e-mail ingen@exempel.test");
      const missing = await runCli(["user:create", "--name", "Utan Adress"]);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain("--email is required");
      const unknown = await runCli(["trolla"]);
      expect(unknown.code).toBe(2);
      expect(unknown.out).toContain("Usage: samordna <command>");
    });
  });
}
