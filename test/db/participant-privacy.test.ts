import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type Kysely, sql } from "kysely";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { encryptionContexts, identityHash } from "../../src/participants/identity.js";
import { fictionalPersonalNumber, parsePersonalNumber } from "../../src/participants/personal-number.js";
import { anonymiseExpired } from "../../src/participants/retention.js";
import { rotateKeys } from "../../src/participants/rotate-keys.js";
import { verifyKeyring } from "../../src/platform/crypto/key-check.js";
import { decrypt, generateKeyLine, KeyringError, keyIdOf, parseKeyring } from "../../src/platform/crypto/keyring.js";
import { openPGlite } from "../../src/platform/db/database.js";
import { migrate } from "../../src/platform/db/migrate.js";
import type { DB } from "../../src/platform/db/schema.js";
import { createMailer } from "../../src/platform/mail/mailer.js";
import { startServer } from "../../src/server.js";
import { runCli } from "../support/cli.js";
import { describeEachDatabase, openTestDatabase } from "../support/database.js";
import {
  buildApiToken,
  buildAssociation,
  buildEnrolment,
  buildIntervention,
  buildOrganisation,
  buildUser,
  TEST_PASSWORD,
} from "../support/factories.js";
import { bearer, TEST_KEYS, TestBrowser, testConfig, testKeyring } from "../support/http.js";

/** Fictional people, each written as the forms accept it, and every way the number could leak into a table. */
const people = [
  { personalNumber: fictionalPersonalNumber("19760923", 318), name: "Ingrid Hemligsdotter" },
  { personalNumber: fictionalPersonalNumber("20010205", 471), name: "Oskar Okändsson" },
];
const leakForms = (person: (typeof people)[number]) => {
  const twelve = person.personalNumber;
  return [
    twelve,
    twelve.slice(2),
    `${twelve.slice(0, 8)}-${twelve.slice(8)}`,
    `${twelve.slice(2, 8)}-${twelve.slice(8)}`,
  ];
};

/** Every row of every table of the database, as text: where an identity would show if it were stored in the clear. */
async function databaseText(db: Kysely<DB>): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  expect(tables.rows.map((row) => row.table_name)).toContain("participant_identity");
  const texts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(db);
    texts.push(...rows.rows.map((row) => row.row));
  }
  return texts.join("\n");
}

/** An association with an admin, an API token and an individinriktad insats, to enrol through the app. */
async function enrolmentSetup(db: Kysely<DB>) {
  const association = await buildAssociation(db);
  const admin = await buildUser(db, { associationId: association.id, role: "admin" });
  const owner = await buildOrganisation(db, association.id, { name: "Exempelby kommun" });
  const intervention = await buildIntervention(db, association.id, { ownerOrganisationId: owner.id });
  const secret = (await buildApiToken(db, { associationId: association.id, userId: admin.id, scope: "write" })).secret;
  return { association, admin, intervention, secret };
}

describeEachDatabase("participants' identities at rest", (database, target) => {
  it("stores no personnummer or name in the clear in any table, whatever the app did with them", async () => {
    const { db } = database();
    const { association, admin, intervention, secret } = await enrolmentSetup(db);
    const { app } = createApp({
      config: testConfig(),
      database: database(),
      mailer: createMailer({ smtpUrl: undefined, from: "test", logger: pino({ level: "silent" }) }),
      logger: pino({ level: "silent" }),
      keyring: testKeyring(),
    });
    const api = `/api/v1/associations/${association.slug}/interventions/${intervention.id}/enrolments`;
    for (const person of people) {
      const response = await app.request(
        api,
        bearer(secret, {
          method: "POST",
          body: JSON.stringify({
            personalNumber: `${person.personalNumber.slice(2, 8)}-${person.personalNumber.slice(8)}`,
            name: person.name,
            enrolledOn: "2026-03-02",
            consentOn: "2026-03-02",
            incomeSourceAtEnrolment: "sjukpenning",
          }),
        }),
      );
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };
      const revealed = await app.request(`${api}/${id}?include=identity`, bearer(secret));
      expect(JSON.stringify(await revealed.json())).toContain(person.name);
    }
    const client = new TestBrowser(app);
    await client.login(admin.email, TEST_PASSWORD);
    const privacy = `/f/${association.slug}/participants/privacy`;
    const search = await (await client.post(privacy, { personalNumber: people[0]?.personalNumber ?? "" })).text();
    const participantId = /name="participantId" value="([^"]+)"/.exec(search)?.[1] ?? "";
    expect((await client.post(`${privacy}/export`, { participantId })).status).toBe(200);

    const text = await databaseText(db);
    expect(text).toContain(association.id);
    for (const person of people) {
      for (const form of leakForms(person)) expect(text).not.toContain(form);
      expect(text).not.toContain(person.name);
    }
  });

  it("never writes an identity to the logs, during enrolment, identity reads and GDPR requests", async () => {
    const { db } = database();
    const { association, admin, intervention, secret } = await enrolmentSetup(db);
    const lines: string[] = [];
    const logger = pino(
      { level: "trace" },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const mailer = createMailer({ smtpUrl: undefined, from: "test", logger });
    const { app } = createApp({ config: testConfig(), database: database(), mailer, logger, keyring: testKeyring() });
    const api = `/api/v1/associations/${association.slug}/interventions/${intervention.id}/enrolments`;
    const person = people[1] as (typeof people)[number];
    const enrolment = {
      personalNumber: person.personalNumber,
      name: person.name,
      enrolledOn: "2026-04-01",
      consentOn: "2026-04-01",
      incomeSourceAtEnrolment: "lon",
    };
    const created = await app.request(api, bearer(secret, { method: "POST", body: JSON.stringify(enrolment) }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // The same person again in an overlapping period: refused, with the error logged but not the identity.
    const refused = await app.request(api, bearer(secret, { method: "POST", body: JSON.stringify(enrolment) }));
    expect(refused.status).toBe(422);
    expect((await app.request(`${api}/${id}?include=identity`, bearer(secret))).status).toBe(200);
    const client = new TestBrowser(app);
    await client.login(admin.email, TEST_PASSWORD);
    const privacy = `/f/${association.slug}/participants/privacy`;
    const search = await (await client.post(privacy, { personalNumber: person.personalNumber })).text();
    const participantId = /name="participantId" value="([^"]+)"/.exec(search)?.[1] ?? "";
    expect((await client.post(`${privacy}/export`, { participantId })).status).toBe(200);
    expect((await client.post(privacy, { personalNumber: `${person.personalNumber.slice(0, 11)}0` })).status).toBe(422);

    const all = lines.join("");
    expect(all).toContain("/participants/privacy");
    expect(all).toContain(`"status":422`);
    for (const form of leakForms(person)) expect(all).not.toContain(form);
    expect(all).not.toContain(person.name);
  });

  it("re-encrypts every identity and pseudonym key under the new key, and still recognises every person", async () => {
    const own = await openTestDatabase(target);
    try {
      const { db } = own;
      const ringA = testKeyring();
      await verifyKeyring(db, ringA);
      const association = await buildAssociation(db);
      const owner = await buildOrganisation(db, association.id, { name: "Exempelby kommun" });
      const intervention = await buildIntervention(db, association.id, { ownerOrganisationId: owner.id });
      const numbers = [101, 102, 103, 104, 105].map((serial) => fictionalPersonalNumber("19800101", serial));
      for (const personalNumber of numbers) {
        await buildEnrolment(db, association.id, { interventionId: intervention.id, personalNumber, name: "Namn" });
      }
      const keyB = generateKeyLine("b");
      const ringBA = parseKeyring(`${keyB},${TEST_KEYS}`, "test");
      const ringB = parseKeyring(keyB, "test");
      await verifyKeyring(db, ringBA);

      const summary = await rotateKeys(db, ringBA, 2);
      expect(summary).toEqual({ identities: 5, pseudonymKeys: 1, retiredKeys: ["test1"] });
      expect(await rotateKeys(db, ringBA, 2)).toEqual({ identities: 0, pseudonymKeys: 0, retiredKeys: [] });

      await verifyKeyring(db, ringB);
      await expect(verifyKeyring(db, ringA)).rejects.toThrow(/"b", which is not configured/);
      const identities = await db.selectFrom("participant_identity").selectAll().execute();
      expect(identities).toHaveLength(5);
      const decrypted = identities.map((row) => {
        expect(keyIdOf(row.ciphertext)).toBe("b");
        const context = encryptionContexts.identity(row.association_id, row.participant_id);
        return JSON.parse(decrypt(ringB, row.ciphertext, context)).personalNumber as string;
      });
      expect(decrypted.sort()).toEqual(numbers);
      const participants = await db.selectFrom("participant").select(["id", "identity_hash"]).execute();
      await db.transaction().execute(async (tx) => {
        for (const personalNumber of numbers) {
          const parsed = parsePersonalNumber(personalNumber);
          if (!parsed.ok) throw new Error(parsed.message);
          const hash = await identityHash(tx, ringB, association.id, parsed.value.normalised);
          expect(participants.some((row) => row.identity_hash && Buffer.from(row.identity_hash).equals(hash))).toBe(
            true,
          );
        }
      });
    } finally {
      await own.close();
    }
  });

  it("refuses a keyring with a wrong or a missing key, naming the key", async () => {
    const { db } = database();
    await verifyKeyring(db, testKeyring());
    const wrong = parseKeyring(generateKeyLine("test1"), "test");
    await expect(verifyKeyring(db, wrong)).rejects.toThrow(KeyringError);
    await expect(verifyKeyring(db, wrong)).rejects.toThrow(
      'The configured key "test1" is not the key this database was encrypted with',
    );
    const missing = parseKeyring(`${generateKeyLine("new")}`, "test");
    await expect(verifyKeyring(db, missing)).rejects.toThrow(
      'The database holds data encrypted with the key "test1", which is not configured',
    );
  });

  it("anonymises exactly the participants past the retention time, and keeps their statistics rows", async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const owner = await buildOrganisation(db, association.id, { name: "Exempelby kommun" });
    const first = await buildIntervention(db, association.id, { ownerOrganisationId: owner.id });
    const second = await buildIntervention(db, association.id, { ownerOrganisationId: owner.id });
    const enrol = (serial: number, exitedOn: string | null, interventionId = first.id) =>
      buildEnrolment(db, association.id, {
        interventionId,
        personalNumber: fictionalPersonalNumber("19900101", serial),
        name: `Person ${serial}`,
        ...(exitedOn ? { exit: { exitedOn, exitReason: "arbete", incomeSource: "lon" } } : {}),
      });
    // Five years (the default) before 2032-07-01 is 2027-07-01.
    const longAgo = await enrol(201, "2026-06-30");
    const onTheDay = await enrol(202, "2027-07-01");
    const recent = await enrol(203, "2027-07-02");
    const stillEnrolled = await enrol(204, null);
    await enrol(205, "2026-03-31");
    const backAgain = await enrol(205, "2027-12-31", second.id);
    const withoutIdentity = await buildEnrolment(db, association.id, {
      interventionId: first.id,
      gender: "man",
      exit: { exitedOn: "2026-02-28", exitReason: "avbrott", incomeSource: "okand" },
    });
    const enrolmentsBefore = await db
      .selectFrom("enrolment")
      .selectAll()
      .where("association_id", "=", association.id)
      .orderBy("id")
      .execute();

    const summary = await anonymiseExpired(db, "2032-07-01");
    expect(summary.anonymised).toBeGreaterThanOrEqual(3);
    const participants = await db
      .selectFrom("participant")
      .select(["id", "identity_hash", "anonymised_at", "gender", "birth_year"])
      .where("association_id", "=", association.id)
      .execute();
    const anonymised = participants.filter((row) => row.anonymised_at !== null).map((row) => row.id);
    const due = [longAgo, onTheDay, withoutIdentity].map((enrolled) => enrolled.participant.id);
    expect(anonymised.sort()).toEqual(due.sort());
    for (const kept of [recent, stillEnrolled, backAgain]) {
      expect(participants.find((row) => row.id === kept.participant.id)?.identity_hash).not.toBeNull();
    }
    const identities = await db
      .selectFrom("participant_identity")
      .select("participant_id")
      .where("association_id", "=", association.id)
      .execute();
    expect(identities.map((row) => row.participant_id).sort()).toEqual(
      [recent, stillEnrolled, backAgain].map((enrolled) => enrolled.participant.id).sort(),
    );
    expect(participants).toHaveLength(6);
    const withIdentity = participants.filter((row) => row.id !== withoutIdentity.participant.id);
    expect(withIdentity.map((row) => row.birth_year)).toEqual([1990, 1990, 1990, 1990, 1990]);
    const enrolmentsAfter = await db
      .selectFrom("enrolment")
      .selectAll()
      .where("association_id", "=", association.id)
      .orderBy("id")
      .execute();
    expect(enrolmentsAfter.map(({ target_at_start: _, ...rest }) => rest)).toEqual(
      enrolmentsBefore.map(({ target_at_start: _, ...rest }) => rest),
    );
    const audits = await db
      .selectFrom("audit_log")
      .select(["actor_user_id", "summary"])
      .where("association_id", "=", association.id)
      .where("action", "=", "participant.anonymise")
      .execute();
    expect(audits).toEqual([{ actor_user_id: null, summary: { count: 3, today: "2032-07-01" } }]);

    await anonymiseExpired(db, "2032-07-01");
    const again = await db
      .selectFrom("audit_log")
      .select("id")
      .where("association_id", "=", association.id)
      .where("action", "=", "participant.anonymise")
      .execute();
    expect(again).toHaveLength(1);
  });
});

/** The CLI on the embedded database in SAMORDNA_DATA_DIR, whatever the surrounding environment points at. */
async function run(args: string[], env: Record<string, string> = {}) {
  const { out, err, code } = await runCli(args, { DATABASE_URL: undefined, LOG_LEVEL: "silent", ...env });
  return { out: out + err, code };
}

describe("the encryption keys at start-up and on the command line", () => {
  it("refuses to start on a data directory encrypted with another key, saying so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "samordna-keys-"));
    try {
      const config = (keys: string) =>
        testConfig({
          env: "development",
          database: { kind: "pglite", dataDir: dir },
          encryptionKeys: { kind: "environment", keys },
        });
      const server = await startServer(config(TEST_KEYS), pino({ level: "silent" }));
      await server.close();
      await expect(startServer(config(generateKeyLine("test1")), pino({ level: "silent" }))).rejects.toThrow(
        'The configured key "test1" is not the key this database was encrypted with',
      );
      const restarted = await startServer(config(TEST_KEYS), pino({ level: "silent" }));
      await restarted.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints a new key line that the keyring accepts", async () => {
    const { out } = await run(["keys:generate", "--id", "k2027"]);
    const keyring = parseKeyring(out, "output");
    expect(keyring.activeId).toBe("k2027");
    expect(keyring.keys.get("k2027")).toHaveLength(32);
  });

  it("rotates the keys and anonymises from the command line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "samordna-keys-cli-"));
    try {
      const seeded = await openPGlite(dir);
      await migrate(seeded.db);
      await verifyKeyring(seeded.db, testKeyring());
      const association = await buildAssociation(seeded.db);
      const owner = await buildOrganisation(seeded.db, association.id, { name: "Exempelby kommun" });
      const intervention = await buildIntervention(seeded.db, association.id, { ownerOrganisationId: owner.id });
      await buildEnrolment(seeded.db, association.id, {
        interventionId: intervention.id,
        personalNumber: fictionalPersonalNumber("19700707", 707),
        exit: { exitedOn: "2026-06-30", exitReason: "arbete", incomeSource: "lon" },
      });
      await seeded.close();
      const env = { SAMORDNA_DATA_DIR: dir, SAMORDNA_ENCRYPTION_KEYS: `${generateKeyLine("b")},${TEST_KEYS}` };

      expect(await run(["keys:rotate"], env)).toEqual({
        out: 'Re-encrypted 1 identities and 1 pseudonym keys with "b". Retired keys: test1.\n',
        code: 0,
      });
      expect((await run(["keys:rotate"], { ...env, SAMORDNA_ENCRYPTION_KEYS: TEST_KEYS })).out).toContain(
        'The database holds data encrypted with the key "b", which is not configured',
      );
      expect((await run(["participants:anonymise", "--today", "31 dec"], env)).code).toBe(2);
      expect(await run(["participants:anonymise", "--today", "2031-06-30"], env)).toEqual({
        out: "Anonymised 1 participants in 1 associations.\n",
        code: 0,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
