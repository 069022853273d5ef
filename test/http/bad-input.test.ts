import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/database.js";
import { buildApiToken, buildAssociation, buildMember, buildUser, TEST_PASSWORD } from "../support/factories.js";
import { bearer, buildTestApp, TestBrowser } from "../support/http.js";
import { snapshotData } from "../support/snapshot.js";

/**
 * Every form and API body of the foundation, given bad input: a clear Swedish message, the right status, the
 * user's values kept, and not a single row changed.
 */
describeEachDatabase("bad input is refused with a clear error and nothing written", (database) => {
  async function setup() {
    const { db } = database();
    const association = await buildAssociation(db);
    const admin = await buildUser(db, { associationId: association.id, role: "admin" });
    const superadmin = await buildUser(db, { isSuperadmin: true });
    const member = await buildMember(db, association.id, { name: "Befintlig kommun" });
    const token = await buildApiToken(db, { associationId: association.id, userId: admin.id, scope: "write" });
    const { app, mailer } = buildTestApp(database());
    const browser = new TestBrowser(app);
    await browser.login(admin.email, TEST_PASSWORD);
    return { db, association, admin, superadmin, member, token, app, mailer, browser, base: `/f/${association.slug}` };
  }

  it("on the association's forms", async () => {
    const { db, base, member, browser, admin } = await setup();
    const cases: [string, Record<string, string>, number, string][] = [
      [`${base}/members`, { name: "", type: "kommun", fundingShare: "" }, 422, "Ange medlemmens namn."],
      [`${base}/members`, { name: "Ny", type: "landsting", fundingShare: "" }, 422, "Välj typ av medlem."],
      [`${base}/members`, { name: "Ny", type: "kommun", fundingShare: "12,345" }, 422, "högst två decimaler"],
      [`${base}/members`, { name: "Ny", type: "kommun", fundingShare: "101" }, 422, "högst två decimaler"],
      [
        `${base}/members`,
        { name: "Ny", type: "kommun", organisationNumber: "123456-7890" },
        422,
        "giltigt organisationsnummer",
      ],
      [`${base}/members`, { name: "befintlig KOMMUN", type: "kommun" }, 422, "Namnet används redan."],
      [`${base}/members/${member.id}`, { name: "", type: "kommun" }, 422, "Ange medlemmens namn."],
      [`${base}/funding-shares`, { [`share.${member.id}`]: "30" }, 422, "ska tillsammans bli 100,00"],
      [`${base}/funding-shares`, { [`share.${member.id}`]: "trettio" }, 422, "Ange andelen för Befintlig kommun"],
      [
        `${base}/users`,
        { name: "Ny Person", email: "inte-en-adress", role: "officer" },
        422,
        "Ange en giltig e-postadress",
      ],
      [`${base}/users`, { name: "Ny Person", email: "ny@exempel.test", role: "kung" }, 422, "Välj en roll."],
      [`${base}/users/${admin.id}/role`, { role: "officer" }, 409, "minst en administratör"],
      [`${base}/users/${admin.id}/remove`, {}, 409, "minst en administratör"],
      [`${base}/api-tokens`, { name: "", scope: "read", expiresInDays: "30" }, 422, "Ge nyckeln ett namn"],
      [`${base}/api-tokens`, { name: "X", scope: "allt", expiresInDays: "30" }, 422, "Välj vad nyckeln får göra."],
      [`${base}/api-tokens`, { name: "X", scope: "read", expiresInDays: "0" }, 422, "Ange giltighetstid i dagar"],
      [`${base}/api-tokens`, { name: "X", scope: "read", expiresInDays: "400" }, 422, "Högst 365 dagar."],
      [
        "/account/password",
        { currentPassword: TEST_PASSWORD, password: "kort", passwordConfirmation: "kort" },
        422,
        "minst 12 tecken",
      ],
    ];
    for (const [url, fields, status, message] of cases) {
      const before = await snapshotData(db);
      const response = await browser.post(url, fields);
      const html = await response.text();
      expect(response.status, `${url} ${JSON.stringify(fields)}`).toBe(status);
      expect(html, url).toContain(message);
      expect(html, url).toContain('class="error-summary"');
      expect(await snapshotData(db), `${url} wrote something`).toEqual(before);
    }
  });

  it("keeps what the user typed when a form comes back", async () => {
    const { base, browser } = await setup();
    const response = await browser.post(`${base}/members`, {
      name: "Storstad kommun",
      type: "kommun",
      fundingShare: "abc",
    });
    const html = await response.text();
    expect(html).toContain('value="Storstad kommun"');
    expect(html).toContain('value="abc"');
    expect(html).toMatch(/<a href="#field-fundingShare">/);
    expect(html).toMatch(/id="field-fundingShare"[^>]*aria-invalid="true"/);
  });

  it("on the sign-in, reset and platform forms", async () => {
    const { db, app, association, superadmin } = await setup();
    const anonymous = new TestBrowser(app);
    const platform = new TestBrowser(app);
    await platform.login(superadmin.email, TEST_PASSWORD);
    const cases: [TestBrowser, string, Record<string, string>, number, string][] = [
      [anonymous, "/login", { email: "", password: "" }, 422, "Ange en e-postadress."],
      [anonymous, "/password-reset", { email: "nej" }, 422, "Ange en giltig e-postadress"],
      [
        platform,
        "/admin/associations",
        { name: "", slug: "Ogiltigt Namn!", adminName: "", adminEmail: "x" },
        422,
        "Adressnamnet får bara",
      ],
      [
        platform,
        "/admin/associations",
        { name: "Dubblett", slug: association.slug, adminName: "A B", adminEmail: "ny@exempel.test" },
        422,
        "Adressnamnet används redan.",
      ],
      [
        platform,
        "/admin/associations",
        { name: "Nytt", slug: "nytt", organisationNumber: "999", adminName: "A B", adminEmail: "ny@exempel.test" },
        422,
        "giltigt organisationsnummer",
      ],
    ];
    for (const [browser, url, fields, status, message] of cases) {
      const before = await snapshotData(db);
      const response = await browser.post(url, fields);
      expect(response.status, `${url} ${JSON.stringify(fields)}`).toBe(status);
      expect(await response.text(), url).toContain(message);
      expect(await snapshotData(db), `${url} wrote something`).toEqual(before);
    }
  });

  it("on the one-time link forms", async () => {
    const { db, app, mailer, admin } = await setup();
    const browser = new TestBrowser(app);
    await browser.post("/password-reset", { email: admin.email });
    const link = new URL(/https?:\/\/\S+/.exec(mailer.outbox[0]?.text ?? "")?.[0] as string).pathname;
    const before = await snapshotData(db);
    const response = await browser.post(link, { password: "kort", passwordConfirmation: "annat" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Lösenordet måste ha minst 12 tecken.");
    expect(html).toContain("Lösenorden är inte lika.");
    expect(await snapshotData(db)).toEqual(before);
  });

  it("on the API, as problem+json with field paths", async () => {
    const { db, association, member, token, app } = await setup();
    const base = `/api/v1/associations/${association.slug}`;
    const cases: [string, string, string, number, string[]][] = [
      ["POST", "/members", JSON.stringify({ type: "kommun" }), 422, ["name"]],
      [
        "POST",
        "/members",
        JSON.stringify({ name: "X", type: "landsting", fundingShareBasisPoints: 2.5 }),
        422,
        ["type", "fundingShareBasisPoints"],
      ],
      [
        "POST",
        "/members",
        JSON.stringify({ name: "X", type: "kommun", fundingShareBasisPoints: 10001 }),
        422,
        ["fundingShareBasisPoints"],
      ],
      ["POST", "/members", JSON.stringify({ name: "Befintlig kommun", type: "kommun" }), 409, ["name"]],
      ["POST", "/members", "{ inte json", 400, []],
      ["PUT", `/members/${member.id}`, JSON.stringify({ name: "", type: "kommun" }), 422, ["name"]],
      [
        "PUT",
        "/funding-shares",
        JSON.stringify({ shares: [{ memberId: member.id, basisPoints: 3000 }] }),
        422,
        ["shares"],
      ],
      [
        "PUT",
        "/funding-shares",
        JSON.stringify({ shares: [{ memberId: "inte-ett-id", basisPoints: 1 }] }),
        422,
        ["shares.0.memberId"],
      ],
      ["GET", "/audit-entries?from=igår", "", 422, ["from"]],
    ];
    for (const [method, path, body, status, paths] of cases) {
      const before = await snapshotData(db);
      const response = await app.request(`${base}${path}`, bearer(token.secret, { method, ...(body ? { body } : {}) }));
      expect(response.status, `${method} ${path} ${body}`).toBe(status);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await response.json()) as {
        title: string;
        status: number;
        errors?: { path: string; detail: string }[];
      };
      expect(problem.status).toBe(status);
      expect(problem.title.length).toBeGreaterThan(0);
      expect([...new Set((problem.errors ?? []).map((error) => error.path))].sort(), `${method} ${path}`).toEqual(
        [...paths].sort(),
      );
      for (const error of problem.errors ?? []) expect(error.detail.length).toBeGreaterThan(0);
      expect(await snapshotData(db), `${method} ${path} wrote something`).toEqual(before);
    }
  });
});
