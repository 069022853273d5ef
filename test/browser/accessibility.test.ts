import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import type { Role } from "../../src/platform/db/schema.js";
import {
  demoLogin,
  describeBrowser,
  expectErrorSummary,
  expectNoAxeViolations,
  heading,
  horizontalOverflow,
  login,
  mailTo,
  navigateBy,
  open,
  pathOf,
  SLUG,
  unique,
} from "../support/browser.js";

const base = `/f/${SLUG}`;
const admin = demoLogin("admin");

/** Opens a page, checks its status and h1, and runs axe on it. */
async function checkPage(page: Page, path: string, expected: { status?: number; h1?: string } = {}) {
  const response = await open(page, path);
  expect(response.status(), `status of ${path}`).toBe(expected.status ?? 200);
  if (expected.h1 !== undefined) expect(await heading(page), `h1 of ${path}`).toBe(expected.h1);
  await expectNoAxeViolations(page, path);
}

/** Submits the page's form (by its button) and expects it back with errors: 422 (or the given status). */
async function submitWithErrors(page: Page, button: string, status = 422) {
  const response = await navigateBy(page, page.getByRole("button", { name: button, exact: true }));
  expect(response.status(), `status after "${button}"`).toBe(status);
  return expectErrorSummary(page);
}

describeBrowser("accessibility (axe-core, WCAG 2.1 A/AA): every page of the foundation", (env) => {
  // --- Signed out -----------------------------------------------------------------------------------------------

  for (const [path, h1] of [
    ["/login", "Logga in"],
    ["/password-reset", "Återställ lösenord"],
    ["/about", "Om Samordna"],
    ["/dev/outbox", "Utkorg (utveckling)"],
  ] as const) {
    it(`${path} (signed out)`, async () => {
      await checkPage(env.page, path, { h1 });
    });
  }

  it("a page that does not exist (404), signed out and signed in", async () => {
    await checkPage(env.page, "/finns-inte", { status: 404, h1: "Sidan finns inte" });
    await login(env.page, admin.email);
    await checkPage(env.page, `${base}/members/00000000-0000-4000-8000-000000000000/edit`, {
      status: 404,
      h1: "Sidan finns inte",
    });
  });

  it("/login with errors: empty form, and a wrong password", async () => {
    const page = env.page;
    await open(page, "/login");
    const messages = await submitWithErrors(page, "Logga in");
    expect(messages.length).toBeGreaterThanOrEqual(2);
    await expectNoAxeViolations(page, "/login with errors");

    await page.getByLabel("E-postadress").fill(admin.email);
    await page.getByLabel("Lösenord", { exact: true }).fill("inte-rätt-lösenord");
    const response = await navigateBy(page, page.getByRole("button", { name: "Logga in" }));
    expect(response.status()).toBe(401);
    await expectNoAxeViolations(page, "/login after a wrong password");
  });

  it("/password-reset with an invalid e-mail address", async () => {
    const page = env.page;
    await open(page, "/password-reset");
    await page.getByLabel("E-postadress").fill("inte-en-adress");
    await submitWithErrors(page, "Skicka länk");
    await expectNoAxeViolations(page, "/password-reset with errors");
  });

  it("choose a new password (link from /dev/outbox), without and with errors", async () => {
    const page = env.page;
    const auditor = demoLogin("auditor");
    await open(page, "/password-reset");
    await page.getByLabel("E-postadress").fill(auditor.email);
    await navigateBy(page, page.getByRole("button", { name: "Skicka länk" }));
    expect(pathOf(page)).toBe("/login");
    await expectNoAxeViolations(page, "/login with the reset flash");

    const { link } = await mailTo(page, auditor.email, "Återställ ditt lösenord i Samordna");
    await expectNoAxeViolations(page, "/dev/outbox with mail");
    expect(link.startsWith(`${env.url}/password-reset/`)).toBe(true);
    await checkPage(page, link, { h1: "Välj nytt lösenord" });

    await page.getByLabel("Nytt lösenord").fill("kort");
    await page.getByLabel("Upprepa lösenordet").fill("annat");
    await submitWithErrors(page, "Spara lösenord");
    await expectNoAxeViolations(page, "choose password with errors");
  });

  it("an invitation's choose-password page (link from /dev/outbox), without and with errors", async () => {
    const page = env.page;
    const email = `${unique("inbjuden-")}@exempel.test`;
    await login(page, admin.email);
    await open(page, `${base}/users`);
    const invite = page.getByRole("form", { name: "Bjud in en användare" });
    await invite.getByLabel("Namn").fill("Ida Inbjudansdotter");
    await invite.getByLabel("E-postadress").fill(email);
    await invite.getByLabel("Roll").selectOption({ label: "Styrelseledamot" });
    await navigateBy(page, invite.getByRole("button", { name: "Skicka inbjudan" }));
    await expectNoAxeViolations(page, "users page with the invitation flash");

    const { link } = await mailTo(page, email);
    const guest = await env.newPage();
    await checkPage(guest, link, { h1: "Välkommen till Samordna" });
    await guest.getByLabel("Ditt namn").fill("");
    await guest.getByLabel("Nytt lösenord").fill("kort");
    await submitWithErrors(guest, "Spara lösenord");
    await expectNoAxeViolations(guest, "invitation with errors");
  });

  it("an invalid one-time link", async () => {
    await checkPage(env.page, "/password-reset/inte-en-riktig-lank", { status: 404, h1: "Länken fungerar inte" });
  });

  // --- The start page for each role ------------------------------------------------------------------------------

  for (const role of ["admin", "officer", "owner_contact", "board", "auditor"] as const satisfies readonly Role[]) {
    it(`${base} as ${role}`, async () => {
      const user = demoLogin(role);
      await login(env.page, user.email);
      expect(pathOf(env.page)).toBe(base);
      await expectNoAxeViolations(env.page, `${base} as ${role}`);
    });
  }

  it(`/ and /account as admin (/ redirects to the only association)`, async () => {
    const page = env.page;
    await login(page, admin.email);
    await open(page, "/");
    expect(pathOf(page)).toBe(base);
    await checkPage(page, "/account", { h1: "Mitt konto" });
  });

  it("/account with errors (change password)", async () => {
    const page = env.page;
    await login(page, admin.email);
    await open(page, "/account");
    const form = page.getByRole("form", { name: "Byt lösenord" });
    await form.getByLabel("Nytt lösenord").fill("kort");
    await submitWithErrors(page, "Byt lösenord");
    await expectNoAxeViolations(page, "/account with errors");
  });

  it("a page the role may not see (403 for the board on Medlemmar)", async () => {
    await login(env.page, demoLogin("board").email);
    await checkPage(env.page, `${base}/members`, { status: 403 });
  });

  // --- The admin's pages ------------------------------------------------------------------------------------------

  for (const [path, h1] of [
    ["/members", "Medlemmar"],
    ["/members/new", "Lägg till medlem"],
    ["/funding-shares", "Ändra andelar"],
    ["/users", "Användare"],
    ["/audit-log", "Logg"],
    ["/api-tokens", "API-nycklar"],
    ["/organisations", "Organisationer"],
    ["/organisations/new", "Lägg till organisation"],
    ["/interventions", "Insatser"],
    ["/interventions/new", "Registrera insats"],
    ["/participants", "Deltagare"],
    ["/economy", "Ekonomi"],
    ["/board", "Styrelse"],
    ["/reports", "Rapporter"],
    ["/portfolio", "Portföljöversikt"],
    ["/report-templates", "Rapportmallar"],
  ] as const) {
    it(`${base}${path} as admin`, async () => {
      await login(env.page, admin.email);
      await checkPage(env.page, `${base}${path}`, { h1 });
    });
  }

  it("a member's edit page", async () => {
    const page = env.page;
    await login(page, admin.email);
    await open(page, `${base}/members`);
    await navigateBy(page, page.getByRole("link", { name: "Ändra Region Exempel" }));
    expect(pathOf(page)).toMatch(new RegExp(`^${base}/members/[0-9a-f-]{36}/edit$`));
    expect(await heading(page)).toBe("Ändra Region Exempel");
    await expectNoAxeViolations(page, "member edit page");
  });

  it("the member form with errors (sent empty), new and edit", async () => {
    const page = env.page;
    await login(page, admin.email);
    await open(page, `${base}/members/new`);
    const messages = await submitWithErrors(page, "Spara");
    expect(messages).toEqual(expect.arrayContaining(["Ange medlemmens namn.", "Välj typ av medlem."]));
    await expectNoAxeViolations(page, "new member with errors");

    await open(page, `${base}/members`);
    await navigateBy(page, page.getByRole("link", { name: "Ändra Lillby kommun" }));
    await page.getByLabel("Namn").fill("");
    await page.getByLabel("Organisationsnummer").fill("123");
    await submitWithErrors(page, "Spara");
    await expectNoAxeViolations(page, "edit member with errors");
  });

  it("the invite form with a bad e-mail address", async () => {
    const page = env.page;
    await login(page, admin.email);
    await open(page, `${base}/users`);
    const invite = page.getByRole("form", { name: "Bjud in en användare" });
    await invite.getByLabel("Namn").fill("Felix Felskrivning");
    await invite.getByLabel("E-postadress").fill("felix.exempel.test");
    const messages = await submitWithErrors(page, "Skicka inbjudan");
    expect(messages.length).toBeGreaterThanOrEqual(1);
    await expectNoAxeViolations(page, "invite form with errors");
  });

  it("the API token form with days = 0", async () => {
    const page = env.page;
    await login(page, admin.email);
    await open(page, `${base}/api-tokens`);
    await page.getByLabel("Namn").fill(unique("Nyckel "));
    await page.getByLabel("Giltig i antal dagar").fill("0");
    const messages = await submitWithErrors(page, "Skapa nyckel");
    expect(messages).toEqual(["Ange giltighetstid i dagar, 1–365."]);
    await expectNoAxeViolations(page, "token form with errors");
  });

  it("the API token page showing a new token once", async () => {
    const page = env.page;
    await login(page, demoLogin("officer").email);
    await open(page, `${base}/api-tokens`);
    await page.getByLabel("Namn").fill(unique("Nyckel "));
    await navigateBy(page, page.getByRole("button", { name: "Skapa nyckel" }));
    expect(await page.locator("#new-token").inputValue()).toMatch(/^sam_/);
    await expectNoAxeViolations(page, "token created");
  });

  it("the funding shares form with shares that do not add up, and with a share that is not a number", async () => {
    const page = env.page;
    await login(page, admin.email);
    await open(page, `${base}/funding-shares`);
    await page.getByLabel("Försäkringskassan (Försäkringskassan)").fill("40");
    const messages = await submitWithErrors(page, "Spara andelar");
    expect(messages.join("\n")).toContain("Andelarna ska tillsammans bli 100,00");
    await expectNoAxeViolations(page, "funding shares that do not add up");

    await page.getByLabel("Region Exempel (Region)").fill("tjugofem");
    const fieldMessages = await submitWithErrors(page, "Spara andelar");
    expect(fieldMessages).toContain("Ange andelen för Region Exempel i procent med högst två decimaler.");
    await expectNoAxeViolations(page, "funding shares with a share that is not a number");
  });

  it("the audit log filtered, and with an invalid date in the address", async () => {
    const page = env.page;
    await login(page, admin.email);
    await checkPage(page, `${base}/audit-log?action=association.create`, { h1: "Logg" });
    await checkPage(page, `${base}/audit-log?from=2026-13-45`, { h1: "Logg", status: 422 });
    await expectErrorSummary(page);
  });

  // --- Platform administration ----------------------------------------------------------------------------------

  it("/admin/associations as the superadmin (/ redirects there), and its form with errors", async () => {
    const page = env.page;
    await login(page, demoLogin("superadmin").email);
    expect(pathOf(page)).toBe("/admin/associations");
    await checkPage(page, "/admin/associations", { h1: "Förbund på plattformen" });
    await page.getByLabel("Adressnamn").fill("Inte Giltigt!");
    await page.getByLabel("Första administratörens e-postadress").fill("ingen-adress");
    const messages = await submitWithErrors(page, "Skapa förbund och skicka inbjudan");
    expect(messages.length).toBeGreaterThanOrEqual(4);
    await expectNoAxeViolations(page, "/admin/associations with errors");
  });

  // --- Reflow (WCAG 1.4.10, not covered by axe): at 320 CSS px the page itself must not scroll sideways ---------

  /** Soft-asserts, page by page, that nothing but a data table in its own scroll box is wider than the window. */
  async function expectReflow(page: Page, paths: string[]) {
    for (const path of paths) {
      await open(page, path);
      const overflow = await horizontalOverflow(page);
      expect
        .soft(
          overflow.scrollWidth,
          `${path} scrolls sideways at ${overflow.width} CSS px (WCAG 1.4.10 Reflow); caused by:\n  ${overflow.causes.join("\n  ")}\n`,
        )
        .toBeLessThanOrEqual(overflow.width);
    }
  }

  it("reflows at 320 CSS px without horizontal scrolling: signed-out pages", async () => {
    const page = await env.newPage({ viewport: { width: 320, height: 640 } });
    // A mail in the outbox, so that /dev/outbox is checked with content whatever tests ran before.
    await open(page, "/password-reset");
    await page.getByLabel("E-postadress").fill(demoLogin("officer").email);
    await navigateBy(page, page.getByRole("button", { name: "Skicka länk" }));
    await expectReflow(page, ["/login", "/password-reset", "/about", "/dev/outbox", "/finns-inte"]);
  });

  it("reflows at 320 CSS px without horizontal scrolling: the admin's pages", async () => {
    const page = await env.newPage({ viewport: { width: 320, height: 640 } });
    await login(page, admin.email);
    // A token, so that the token table is checked whatever tests ran before.
    await open(page, `${base}/api-tokens`);
    await page.getByLabel("Namn").fill(unique("Smal skärm "));
    await navigateBy(page, page.getByRole("button", { name: "Skapa nyckel" }));
    await expectReflow(page, [
      base,
      `${base}/members`,
      `${base}/members/new`,
      `${base}/funding-shares`,
      `${base}/users`,
      `${base}/audit-log`,
      `${base}/api-tokens`,
      `${base}/organisations`,
      `${base}/interventions`,
      `${base}/interventions/new`,
      "/account",
    ]);
  });

  it("reflows at 320 CSS px without horizontal scrolling: platform administration", async () => {
    const page = await env.newPage({ viewport: { width: 320, height: 640 } });
    await login(page, demoLogin("superadmin").email);
    await expectReflow(page, ["/admin/associations"]);
  });
});
