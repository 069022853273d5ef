import { expect, it } from "vitest";
import {
  demoLogin,
  describeBrowser,
  expectErrorSummary,
  flashes,
  focusedElement,
  hasGlobal,
  heading,
  login,
  logout,
  navigateBy,
  open,
  pathOf,
  SLUG,
  unique,
} from "../support/browser.js";

const base = `/f/${SLUG}`;

describeBrowser("without JavaScript, every form still works", (env) => {
  it("logs in, adds a member (after a failed attempt) and logs out with JavaScript disabled", async () => {
    const page = await env.newPage({ javaScriptEnabled: false });
    const name = unique("Utan-skript kommun ");

    // JavaScript really is off: htmx, which defines window.htmx as soon as it runs, never ran.
    await open(env.page, "/login");
    expect(await hasGlobal(env.page, "htmx"), "htmx runs with JavaScript on").toBe(true);
    await open(page, "/login");
    expect(await hasGlobal(page, "htmx"), "htmx does not run with JavaScript off").toBe(false);

    await login(page, demoLogin("admin").email);
    expect(pathOf(page)).toBe(base);

    await open(page, `${base}/members`);
    await navigateBy(page, page.getByRole("link", { name: "Lägg till medlem" }));
    expect(await heading(page)).toBe("Lägg till medlem");

    // Sent empty: the server answers 422 with the error summary (not focused, as app.js does not run).
    const invalid = await navigateBy(page, page.getByRole("button", { name: "Spara" }));
    expect(invalid.status()).toBe(422);
    expect(await expectErrorSummary(page, { focused: false })).toEqual(
      expect.arrayContaining(["Ange medlemmens namn.", "Välj typ av medlem."]),
    );
    expect((await focusedElement(page)).tag).toBe("body");

    await page.getByLabel("Namn").fill(name);
    await page.getByLabel("Typ").selectOption({ label: "Annan organisation" });
    await page.getByLabel("Andel av medlemsbidragen i procent").fill("0");
    const saved = await navigateBy(page, page.getByRole("button", { name: "Spara" }));
    expect(saved.status()).toBe(200);
    expect(pathOf(page)).toBe(`${base}/members`);
    expect(await flashes(page)).toEqual([`${name} är tillagd.`]);
    expect(await page.getByRole("rowheader", { name, exact: true }).count()).toBe(1);

    const loggedOut = await logout(page);
    expect(loggedOut.status()).toBe(200);
    expect(pathOf(page)).toBe("/login");
    expect(await flashes(page)).toEqual(["Du är utloggad."]);
    await open(page, `${base}/members`);
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("creates and revokes an API token with JavaScript disabled", async () => {
    const page = await env.newPage({ javaScriptEnabled: false });
    const name = unique("Utan skript ");
    await login(page, demoLogin("auditor").email);
    await open(page, `${base}/api-tokens`);
    await page.getByLabel("Namn").fill(name);
    await navigateBy(page, page.getByRole("button", { name: "Skapa nyckel" }));
    expect(await page.locator("#new-token").inputValue()).toMatch(/^sam_/);
    await open(page, `${base}/api-tokens`);
    await navigateBy(page, page.getByRole("button", { name: `Återkalla ${name}`, exact: true }));
    expect(await flashes(page)).toEqual([`Nyckeln ${name} är återkallad.`]);
  });
});
