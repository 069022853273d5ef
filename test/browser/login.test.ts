import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import {
  ASSOCIATION_NAME,
  DEMO_PASSWORD,
  demoLogin,
  describeBrowser,
  flashes,
  focusedElement,
  heading,
  login,
  logout,
  modules,
  navigateBy,
  open,
  pathOf,
  SLUG,
  textOf,
} from "../support/browser.js";

const base = `/f/${SLUG}`;

/** The links of the main navigation that carry aria-current="page". */
async function currentLinks(page: Page): Promise<string[]> {
  return (await modules(page).locator('a[aria-current="page"]').allInnerTexts()).map((text) => text.trim());
}

describeBrowser("logging in, the main navigation and logging out", (env) => {
  it("logs the demo admin in through the form, walks the modules and logs out through the header", async () => {
    const page = env.page;
    const admin = demoLogin("admin");
    await login(page, admin.email);
    expect(pathOf(page)).toBe(base);
    expect(await heading(page)).toBe(ASSOCIATION_NAME);
    expect(await currentLinks(page)).toEqual(["Start"]);
    expect(await textOf(page.getByRole("navigation", { name: "Konto" }))).toContain(admin.name);

    const stops = [
      { link: "Medlemmar", path: `${base}/members`, h1: "Medlemmar" },
      { link: "Användare", path: `${base}/users`, h1: "Användare" },
      { link: "Logg", path: `${base}/audit-log`, h1: "Logg" },
      { link: "API-nycklar", path: `${base}/api-tokens`, h1: "API-nycklar" },
      { link: "Start", path: base, h1: ASSOCIATION_NAME },
    ];
    for (const stop of stops) {
      const response = await navigateBy(page, modules(page).getByRole("link", { name: stop.link, exact: true }));
      expect(response.status(), stop.link).toBe(200);
      expect(pathOf(page), stop.link).toBe(stop.path);
      expect(await heading(page), stop.link).toBe(stop.h1);
      expect(await currentLinks(page), `aria-current on ${stop.link}`).toEqual([stop.link]);
      expect(await page.title(), stop.link).toContain(`${ASSOCIATION_NAME} – Samordna`);
    }

    const response = await logout(page);
    expect(response.status()).toBe(200);
    expect(pathOf(page)).toBe("/login");
    expect(await heading(page)).toBe("Logga in");
    expect(await flashes(page)).toEqual(["Du är utloggad."]);
    expect(await textOf(page.getByRole("status"))).toBe("Du är utloggad.");

    // The session is gone: the association's pages send you to the login page again.
    await open(page, `${base}/members`);
    expect(pathOf(page)).toBe(`/login?next=${encodeURIComponent(`${base}/members`)}`);
  });

  it("shows “Fel e-postadress eller lösenord.” for a wrong password and stays on /login", async () => {
    const page = env.page;
    const admin = demoLogin("admin");
    await open(page, "/login");
    await page.getByLabel("E-postadress").fill(admin.email);
    await page.getByLabel("Lösenord", { exact: true }).fill(`${DEMO_PASSWORD}-fel`);
    const response = await navigateBy(page, page.getByRole("button", { name: "Logga in" }));
    expect(response.status()).toBe(401);
    expect(pathOf(page)).toBe("/login");
    expect(await heading(page)).toBe("Logga in");
    expect(await textOf(page.getByRole("alert"))).toBe("Fel e-postadress eller lösenord.");
    // The e-mail address is kept, the password is not; the message has focus (app.js).
    expect(await page.getByLabel("E-postadress").inputValue()).toBe(admin.email);
    expect(await page.getByLabel("Lösenord", { exact: true }).inputValue()).toBe("");
    expect((await focusedElement(page)).role).toBe("alert");
    // Still signed out.
    await open(page, base);
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("after login, goes to the page that asked for it (?next=)", async () => {
    const page = env.page;
    await open(page, `${base}/audit-log`);
    expect(pathOf(page)).toBe(`/login?next=${encodeURIComponent(`${base}/audit-log`)}`);
    await page.getByLabel("E-postadress").fill(demoLogin("admin").email);
    await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
    await navigateBy(page, page.getByRole("button", { name: "Logga in" }));
    expect(pathOf(page)).toBe(`${base}/audit-log`);
    expect(await heading(page)).toBe("Logg");
  });

  for (const signedIn of [false, true]) {
    it(`skip link: the first Tab focuses “Hoppa till innehållet”, activating it moves to #main (${signedIn ? "signed in" : "signed out"})`, async () => {
      const page = env.page;
      if (signedIn) await login(page, demoLogin("admin").email);
      else await open(page, "/login");
      await page.keyboard.press("Tab");
      const focused = await focusedElement(page);
      expect({ text: focused.text, href: focused.href }).toEqual({ text: "Hoppa till innehållet", href: "#main" });
      // Visible while focused (it is hidden off-screen otherwise).
      const box = await page.getByRole("link", { name: "Hoppa till innehållet" }).boundingBox();
      expect(box, "the focused skip link is on screen").not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.width).toBeGreaterThan(1);

      await page.keyboard.press("Enter");
      await expect.poll(async () => (await focusedElement(page)).id).toBe("main");
      expect(new URL(page.url()).hash).toBe("#main");
      // The next Tab continues inside the main content, not back in the header.
      await page.keyboard.press("Tab");
      expect((await focusedElement(page)).insideMain).toBe(true);
    });
  }

  it("has a favicon, so the browser's automatic /favicon.ico request does not log a 404 console error", async () => {
    // Fails today (app bug, see the browser-tier report): the layout declares no <link rel="icon"> and the server has
    // no /favicon.ico, so Chromium logs "Failed to load resource: … 404 (/favicon.ico)" on the first page a browser
    // opens. The console check of the other tests exempts only that one line; this test keeps it visible. (Checked
    // directly rather than by waiting for the console line, which Chromium logs once per browser, not per context.)
    const page = env.page;
    await open(page, "/login");
    const declared = await page
      .locator('link[rel~="icon"]')
      .first()
      .getAttribute("href", { timeout: 1000 })
      .catch(() => null);
    if (declared?.startsWith("data:")) return;
    const icon = new URL(declared ?? "/favicon.ico", page.url()).toString();
    const response = await page.request.get(icon);
    expect(response.status(), `GET ${icon} (declared icon: ${declared ?? "none"})`).toBe(200);
  });
});
