import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { MAX_FAILURES_PER_EMAIL } from "../../src/accounts/sign-in.js";
import { hashSecret } from "../../src/platform/auth/secrets.js";
import { describeEachDatabase } from "../support/database.js";
import { buildApiToken, buildAssociation, buildMember, buildUser, TEST_PASSWORD } from "../support/factories.js";
import { bearer, buildTestApp, TestBrowser } from "../support/http.js";
import { snapshotData } from "../support/snapshot.js";

const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)?.[0] ?? "";
const pathOf = (url: string) => new URL(url).pathname;

describeEachDatabase("signing in", (database) => {
  it("answers a wrong password and an unknown e-mail alike, with one generic message", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app } = buildTestApp(database());
    const browser = new TestBrowser(app);
    const wrong = await browser.post("/login", { email: user.email, password: "fel-lösenord-123" });
    const unknown = await browser.post("/login", { email: "ingen@exempel.test", password: "fel-lösenord-123" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toContain("Fel e-postadress eller lösenord.");
    expect(await unknown.text()).toContain("Fel e-postadress eller lösenord.");
    expect(browser.cookie("samordna_session")).toBeUndefined();
  });

  it("locks an e-mail out after repeated failures, even for the right password", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app } = buildTestApp(database());
    const browser = new TestBrowser(app);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      expect((await browser.post("/login", { email: user.email, password: `fel-${i}-lösenord` })).status).toBe(401);
    }
    const locked = await browser.post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("För många misslyckade försök");
    expect(browser.cookie("samordna_session")).toBeUndefined();
  });

  it("sets a fresh HttpOnly, SameSite=Lax session cookie at every sign-in and forgets it at logout", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app } = buildTestApp(database());
    const browser = new TestBrowser(app);
    const first = await browser.login(user.email, TEST_PASSWORD);
    const cookie = first.headers.getSetCookie().find((line) => line.startsWith("samordna_session="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const firstToken = browser.cookie("samordna_session") as string;
    const again = await browser.post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(again.status).toBe(303);
    expect(browser.cookie("samordna_session")).not.toBe(firstToken);
    const stale = await db.selectFrom("session").select("id").where("id", "=", hashSecret(firstToken)).execute();
    expect(stale).toEqual([]);
    await browser.post("/logout", {});
    expect(browser.cookie("samordna_session")).toBeUndefined();
    expect((await browser.get("/account")).status).toBe(303);
  });

  it("marks cookies Secure with the __Host- prefix behind https", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app } = buildTestApp(database(), { publicUrl: "https://samordna.exempel.se", secureCookies: true });
    const login = await app.request("https://samordna.exempel.se/login");
    const csrfCookie = login.headers.getSetCookie().find((line) => line.startsWith("__Host-samordna_csrf="));
    expect(csrfCookie).toMatch(/Secure/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] as string;
    const signedIn = await app.request("https://samordna.exempel.se/login", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://samordna.exempel.se",
        cookie: (csrfCookie ?? "").split(";")[0] as string,
      },
      body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD, _csrf: csrf }),
    });
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers.getSetCookie().find((line) => line.startsWith("__Host-samordna_session="));
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/HttpOnly/);
    expect(signedIn.headers.get("strict-transport-security")).toContain("max-age=");
  });

  it("never redirects to another site after sign-in", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app } = buildTestApp(database());
    const browser = new TestBrowser(app);
    const response = await browser.post("/login?next=//evil.example/", { email: user.email, password: TEST_PASSWORD });
    expect(response.headers.get("location")).toBe("/");
  });
});

describeEachDatabase("CSRF protection", (database) => {
  it("rejects a form without token, with a wrong token or from another origin, and writes nothing", async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const { app } = buildTestApp(database());
    const browser = new TestBrowser(app);
    await browser.login(admin.email, TEST_PASSWORD);
    const before = await snapshotData(db);
    const form = { name: "Ny kommun", type: "kommun", fundingShare: "0" };
    const url = `/f/${association.slug}/members`;
    for (const options of [
      { csrf: null },
      { csrf: "fel-token-som-inte-finns-0123456789" },
      { origin: "https://evil.example" },
      { origin: null },
    ]) {
      const response = await browser.post(url, form, options);
      expect(response.status, JSON.stringify(options)).toBe(403);
    }
    const anonymous = new TestBrowser(app);
    expect(
      (await anonymous.post("/login", { email: admin.email, password: TEST_PASSWORD }, { csrf: null })).status,
    ).toBe(403);
    expect(await snapshotData(db)).toEqual(before);
    expect((await browser.post(url, form)).status).toBe(303);
  });
});

describeEachDatabase("passwords, resets and invitations", (database) => {
  it("changes the password and signs out the other devices", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app } = buildTestApp(database());
    const laptop = new TestBrowser(app);
    const phone = new TestBrowser(app);
    await laptop.login(user.email, TEST_PASSWORD);
    await phone.login(user.email, TEST_PASSWORD);
    const wrong = await laptop.post("/account/password", {
      currentPassword: "inte-rätt-lösenord",
      password: "ett-nytt-långt-lösenord",
      passwordConfirmation: "ett-nytt-långt-lösenord",
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("Det nuvarande lösenordet stämmer inte.");
    const changed = await laptop.post("/account/password", {
      currentPassword: TEST_PASSWORD,
      password: "ett-nytt-långt-lösenord",
      passwordConfirmation: "ett-nytt-långt-lösenord",
    });
    expect(changed.status).toBe(303);
    expect((await laptop.get("/account")).status).toBe(200);
    expect((await phone.get("/account")).status).toBe(303);
    await new TestBrowser(app).login(user.email, "ett-nytt-långt-lösenord");
  });

  it("resets a forgotten password through a single-use link, and says the same for unknown addresses", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app, mailer } = buildTestApp(database());
    const browser = new TestBrowser(app);
    const unknown = await browser.post("/password-reset", { email: "okand@exempel.test" });
    const known = await browser.post("/password-reset", { email: user.email });
    expect(unknown.status).toBe(303);
    expect(known.status).toBe(303);
    expect(mailer.outbox.map((mail) => mail.to)).toEqual([user.email]);
    const link = pathOf(linkIn(mailer.outbox[0]?.text ?? ""));
    expect((await browser.get(link)).status).toBe(200);
    const mismatch = await browser.post(link, {
      password: "nytt-lösenord-12345",
      passwordConfirmation: "annat-lösenord-12345",
    });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain("Lösenorden är inte lika.");
    const done = await browser.post(link, {
      password: "nytt-lösenord-12345",
      passwordConfirmation: "nytt-lösenord-12345",
    });
    expect(done.status).toBe(303);
    expect((await browser.get("/account")).status).toBe(200);
    expect((await new TestBrowser(app).get(link)).status).toBe(404);
    await new TestBrowser(app).login(user.email, "nytt-lösenord-12345");
  });

  it("sends at most three reset links an hour to one address, answering the same", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app, mailer } = buildTestApp(database());
    const browser = new TestBrowser(app);
    for (let i = 0; i < 5; i++) expect((await browser.post("/password-reset", { email: user.email })).status).toBe(303);
    expect(mailer.outbox.filter((mail) => mail.to === user.email)).toHaveLength(3);
  });

  it("refuses an expired reset link", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const { app, mailer } = buildTestApp(database());
    const browser = new TestBrowser(app);
    await browser.post("/password-reset", { email: user.email });
    await sql`update one_time_token set expires_at = now() - interval '1 minute'`.execute(db);
    expect((await browser.get(pathOf(linkIn(mailer.outbox[0]?.text ?? "")))).status).toBe(404);
  });

  it("invites a new person who chooses a password and lands in the association", async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const { app, mailer } = buildTestApp(database());
    const browser = new TestBrowser(app);
    await browser.login(admin.email, TEST_PASSWORD);
    const invited = await browser.post(`/f/${association.slug}/users`, {
      name: "Ny Handläggare",
      email: "ny.handlaggare@exempel.test",
      role: "officer",
    });
    expect(invited.status).toBe(303);
    expect(mailer.outbox[0]?.to).toBe("ny.handlaggare@exempel.test");
    const newcomer = new TestBrowser(app);
    const link = pathOf(linkIn(mailer.outbox[0]?.text ?? ""));
    const accepted = await newcomer.post(link, {
      name: "Ny Handläggare",
      password: "mitt-eget-lösenord",
      passwordConfirmation: "mitt-eget-lösenord",
    });
    expect(accepted.status).toBe(303);
    const home = await newcomer.get("/");
    expect(home.headers.get("location")).toBe(`/f/${association.slug}`);
    const start = await newcomer.get(`/f/${association.slug}`);
    expect(await start.text()).toContain("handläggare");
  });
});

describe.each([["read"], ["write"]] as const)("API token with %s scope", (scope) => {
  describeEachDatabase(`API tokens (${scope})`, (database) => {
    it("reads always, writes only with write scope", async () => {
      const { db } = database();
      const association = await buildAssociation(db);
      const admin = await buildUser(db, { associationId: association.id, role: "admin" });
      const token = await buildApiToken(db, { associationId: association.id, userId: admin.id, scope });
      const { app } = buildTestApp(database());
      const base = `/api/v1/associations/${association.slug}`;
      expect((await app.request(`${base}/members`, bearer(token.secret))).status).toBe(200);
      const created = await app.request(
        `${base}/members`,
        bearer(token.secret, { method: "POST", body: JSON.stringify({ name: "Skrivkommun", type: "kommun" }) }),
      );
      expect(created.status).toBe(scope === "write" ? 201 : 403);
    });
  });
});

describeEachDatabase("API token validity", (database) => {
  it("rejects missing, unknown, revoked and expired tokens with problem+json", async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    await buildMember(db, association.id);
    const revoked = await buildApiToken(db, { associationId: association.id, userId: admin.id, revoked: true });
    const expired = await buildApiToken(db, {
      associationId: association.id,
      userId: admin.id,
      expiresAt: new Date(Date.now() - 1000),
    });
    const { app } = buildTestApp(database());
    const url = `/api/v1/associations/${association.slug}/members`;
    for (const init of [{}, bearer("sam_finns-inte"), bearer(revoked.secret), bearer(expired.secret)]) {
      const response = await app.request(url, init);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      const problem = (await response.json()) as { status: number; title: string };
      expect(problem.status).toBe(401);
    }
  });

  it("revokes a token from the UI", async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const admin = await buildUser(db, { associationId: association.id, role: "officer" });
    const { app } = buildTestApp(database());
    const browser = new TestBrowser(app);
    await browser.login(admin.email, TEST_PASSWORD);
    const page = await browser.post(`/f/${association.slug}/api-tokens`, {
      name: "Export",
      scope: "read",
      expiresInDays: "30",
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    const secret = /id="new-token"[^>]*value="(sam_[^"]+)"/.exec(html)?.[1] ?? /value="(sam_[^"]+)"/.exec(html)?.[1];
    expect(secret).toBeDefined();
    const url = `/api/v1/associations/${association.slug}`;
    expect((await app.request(url, bearer(secret as string))).status).toBe(200);
    const tokenId = /api-tokens\/([0-9a-f-]{36})\/revoke/.exec(html)?.[1] as string;
    expect((await browser.post(`/f/${association.slug}/api-tokens/${tokenId}/revoke`, {})).status).toBe(303);
    expect((await app.request(url, bearer(secret as string))).status).toBe(401);
  });
});
