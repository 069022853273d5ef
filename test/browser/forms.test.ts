import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import {
  ASSOCIATION_NAME,
  DEMO_PASSWORD,
  demoLogin,
  describeBrowser,
  expectErrorSummary,
  flashes,
  heading,
  login,
  logout,
  mailTo,
  navigateBy,
  open,
  pathOf,
  SLUG,
  textOf,
  unique,
} from "../support/browser.js";

const base = `/f/${SLUG}`;
const admin = demoLogin("admin");
const NEW_PASSWORD = "en ny lång lösenfras för testet";

/** The cells of the table row whose row header is `name`. */
async function rowOf(page: Page, name: string): Promise<string[]> {
  const row = page.locator("tbody tr").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
  expect(await row.count(), `one row for ${name}`).toBe(1);
  // Swedish number formats use no-break spaces ("50,00 %"); compare with plain ones.
  return (await row.locator("th, td").allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
}

/** As the demo admin: invites a new person with a role and returns the invitation link from /dev/outbox. */
async function invite(page: Page, person: { name: string; email: string; role: string }): Promise<string> {
  await open(page, `${base}/users`);
  const form = page.getByRole("form", { name: "Bjud in en användare" });
  await form.getByLabel("Namn").fill(person.name);
  await form.getByLabel("E-postadress").fill(person.email);
  await form.getByLabel("Roll").selectOption({ label: person.role });
  const response = await navigateBy(page, form.getByRole("button", { name: "Skicka inbjudan" }));
  expect(response.status()).toBe(200);
  expect(pathOf(page)).toBe(`${base}/users`);
  expect(await flashes(page)).toEqual([`Inbjudan till ${person.email} är skickad.`]);
  const mail = await mailTo(page, person.email);
  expect(mail.subject).toBe(`Inbjudan till ${ASSOCIATION_NAME} i Samordna`);
  expect(mail.link.startsWith(`${new URL(page.url()).origin}/invitation/`)).toBe(true);
  return mail.link;
}

/** Fills in a choose-password page (invitation or reset) and sends it. */
async function choosePassword(page: Page, password: string, name?: string) {
  if (name !== undefined) await page.getByLabel("Ditt namn").fill(name);
  await page.getByLabel("Nytt lösenord").fill(password);
  await page.getByLabel("Upprepa lösenordet").fill(password);
  return navigateBy(page, page.getByRole("button", { name: "Spara lösenord" }));
}

/** Requests a password reset through the form and returns the link from /dev/outbox. */
async function requestReset(page: Page, email: string): Promise<string> {
  await open(page, "/login");
  await navigateBy(page, page.getByRole("link", { name: "Glömt lösenordet?" }));
  expect(pathOf(page)).toBe("/password-reset");
  await page.getByLabel("E-postadress").fill(email);
  await navigateBy(page, page.getByRole("button", { name: "Skicka länk" }));
  expect(pathOf(page)).toBe("/login");
  expect(await flashes(page)).toEqual([
    "Om adressen har ett konto har vi skickat en länk för att välja nytt lösenord. Kontrollera din e-post.",
  ]);
  const mail = await mailTo(page, email, "Återställ ditt lösenord i Samordna");
  expect(mail.link.startsWith(`${new URL(page.url()).origin}/password-reset/`)).toBe(true);
  return mail.link;
}

describeBrowser("user-facing forms, end to end", (browserEnv) => {
  it("adds a member, which is then listed", async () => {
    const page = browserEnv.page;
    const name = unique("Testby kommun ");
    await login(page, admin.email);
    await open(page, `${base}/members`);
    await navigateBy(page, page.getByRole("link", { name: "Lägg till medlem" }));
    expect(pathOf(page)).toBe(`${base}/members/new`);
    await page.getByLabel("Namn").fill(name);
    await page.getByLabel("Typ").selectOption({ label: "Kommun" });
    await page.getByLabel("Organisationsnummer").fill("212000-1355");
    const response = await navigateBy(page, page.getByRole("button", { name: "Spara" }));
    expect(response.status()).toBe(200);
    expect(pathOf(page)).toBe(`${base}/members`);
    expect(await flashes(page)).toEqual([`${name} är tillagd.`]);
    expect(await rowOf(page, name)).toEqual([name, "Kommun", "212000-1355", "0,00 %", "0,00 %", `Ändra ${name}`]);
  });

  it("refuses funding shares that do not follow the law's split: 422, error summary, nothing saved", async () => {
    const page = browserEnv.page;
    await login(page, admin.email);
    await open(page, `${base}/members`);
    await navigateBy(page, page.getByRole("link", { name: "Ändra andelar" }));
    const fk = page.getByLabel("Försäkringskassan (Försäkringskassan)");
    const region = page.getByLabel("Region Exempel (Region)");
    expect(await fk.inputValue()).toBe("50");
    await fk.fill("40");
    await region.fill("35");
    const response = await navigateBy(page, page.getByRole("button", { name: "Spara andelar" }));
    expect(response.status()).toBe(422);
    expect(pathOf(page)).toBe(`${base}/funding-shares`);
    const messages = await expectErrorSummary(page);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Staten (Försäkringskassan och Arbetsförmedlingen) ska stå för 50,00"),
        expect.stringContaining("Regionen ska stå för 25,00"),
      ]),
    );
    // What was typed is kept for correcting.
    expect(await fk.inputValue()).toBe("40");
    expect(await region.inputValue()).toBe("35");

    await open(page, `${base}/members`);
    expect((await rowOf(page, "Försäkringskassan"))[3]).toBe("50,00 %");
    expect((await rowOf(page, "Region Exempel"))[3]).toBe("25,00 %");
    await open(page, `${base}/audit-log`);
    expect(await textOf(page.locator("tbody"))).not.toContain("member.funding_shares_set");
  });

  it("changes funding shares that do follow the law's split", async () => {
    const page = browserEnv.page;
    await login(page, admin.email);
    await open(page, `${base}/funding-shares`);
    await page.getByLabel("Exempelby kommun (Kommun)").fill("12,5");
    await page.getByLabel("Lillby kommun (Kommun)").fill("12,5");
    await navigateBy(page, page.getByRole("button", { name: "Spara andelar" }));
    expect(pathOf(page)).toBe(`${base}/members`);
    expect(await flashes(page)).toEqual(["Andelarna är sparade."]);
    expect((await rowOf(page, "Lillby kommun"))[3]).toBe("12,50 %");
    expect((await rowOf(page, "Lillby kommun"))[4]).toBe("50,00 %");
  });

  it("invites a user, who follows the mailed link, chooses name and password and is signed in", async () => {
    const page = browserEnv.page;
    const person = { name: "Inga Inbjuden", email: `${unique("inbjuden-")}@exempel.test`, role: "Handläggare" };
    await login(page, admin.email);
    const link = await invite(page, person);
    await open(page, `${base}/users`);
    expect((await rowOf(page, person.name)).slice(0, 3)).toEqual([person.name, person.email, "Inbjuden"]);

    const guest = await browserEnv.newPage();
    await open(guest, link);
    expect(await heading(guest)).toBe("Välkommen till Samordna");
    expect(await guest.getByLabel("Ditt namn").inputValue()).toBe(person.name);
    expect(await textOf(guest.locator("main"))).toContain(`Konto: ${person.email}`);
    const response = await choosePassword(guest, NEW_PASSWORD, "Inga Inbjuden-Andersson");
    expect(response.status()).toBe(200);
    expect(pathOf(guest)).toBe(base);
    expect(await heading(guest)).toBe(ASSOCIATION_NAME);
    expect(await textOf(guest.getByRole("navigation", { name: "Konto" }))).toContain(
      "Inga Inbjuden-Andersson, Handläggare",
    );

    // The link works once.
    const again = await open(guest, link);
    expect(again.status()).toBe(404);
    expect(await heading(guest)).toBe("Länken fungerar inte");

    // The admin now sees the person as active, under the chosen name.
    await open(page, `${base}/users`);
    expect((await rowOf(page, "Inga Inbjuden-Andersson")).slice(0, 3)).toEqual([
      "Inga Inbjuden-Andersson",
      person.email,
      "Aktiv",
    ]);
  });

  it("after accepting an invitation, greets the new user with “Välkommen! Ditt konto är aktiverat.”", async () => {
    // Fails today (app bug): POST /invitation/:secret redirects with the flash to "/", and GET "/" consumes the
    // flash (app.tsx takes it on every GET) and redirects on to /f/{slug}, so the message is never shown.
    const page = browserEnv.page;
    const person = { name: "Vera Välkommen", email: `${unique("valkommen-")}@exempel.test`, role: "Revisor" };
    await login(page, admin.email);
    const link = await invite(page, person);
    const guest = await browserEnv.newPage();
    await open(guest, link);
    await choosePassword(guest, NEW_PASSWORD);
    expect(pathOf(guest)).toBe(base);
    expect(await flashes(guest), "KNOWN APP BUG: the flash is consumed by the redirect through /").toEqual([
      "Välkommen! Ditt konto är aktiverat.",
    ]);
  });

  it("shows a new API token once, and revokes it", async () => {
    const page = browserEnv.page;
    const name = unique("Statistikexport ");
    await login(page, demoLogin("officer").email);
    await open(page, `${base}/api-tokens`);
    await page.getByLabel("Namn").fill(name);
    await page.getByLabel("Nyckeln får").selectOption({ label: "Läsa" });
    await page.getByLabel("Giltig i antal dagar").fill("30");
    const created = await navigateBy(page, page.getByRole("button", { name: "Skapa nyckel" }));
    expect(created.status()).toBe(200);
    expect(created.headers()["cache-control"]).toBe("no-store");
    expect(await textOf(page.getByRole("status"))).toContain(`Nyckeln ${name} är skapad`);
    const secret = await page.getByRole("textbox", { name: "API-nyckel", exact: true }).inputValue();
    expect(secret).toMatch(/^sam_\S{20,}$/);

    // The key works against the API…
    const api = `${browserEnv.url}/api/v1/associations/${SLUG}/members`;
    const withKey = { headers: { authorization: `Bearer ${secret}` } };
    expect((await fetch(api, withKey)).status).toBe(200);

    // …and is never shown again.
    await open(page, `${base}/api-tokens`);
    expect(await page.content()).not.toContain(secret);
    expect(await page.locator("#new-token").count()).toBe(0);
    expect((await rowOf(page, name)).at(-1)).toBe(`Återkalla ${name}`);

    const revoked = await navigateBy(page, page.getByRole("button", { name: `Återkalla ${name}`, exact: true }));
    expect(revoked.status()).toBe(200);
    expect(await flashes(page)).toEqual([`Nyckeln ${name} är återkallad.`]);
    expect((await rowOf(page, name)).at(-1)).toBe("Återkallad");
    expect((await fetch(api, withKey)).status).toBe(401);
  });

  it("resets a forgotten password through the mailed link", async () => {
    const page = browserEnv.page;
    const board = demoLogin("board");
    const link = await requestReset(page, board.email);
    await open(page, link);
    expect(await heading(page)).toBe("Välj nytt lösenord");
    expect(await textOf(page.locator("main"))).toContain(`Konto: ${board.email}`);
    const response = await choosePassword(page, NEW_PASSWORD);
    expect(response.status()).toBe(200);
    // Signed in.
    expect(pathOf(page)).toBe(base);
    expect(await textOf(page.getByRole("navigation", { name: "Konto" }))).toContain(board.name);

    // The new password works, the old one does not, and the link is used up.
    await logout(page);
    const old = await browserEnv.newPage();
    await open(old, "/login");
    await old.getByLabel("E-postadress").fill(board.email);
    await old.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
    expect((await navigateBy(old, old.getByRole("button", { name: "Logga in" }))).status()).toBe(401);
    await login(page, board.email, NEW_PASSWORD);
    expect(pathOf(page)).toBe(base);
    expect((await open(page, link)).status()).toBe(404);
  });

  it("after resetting the password, says “Lösenordet är bytt och du är inloggad.”", async () => {
    // Fails today (app bug): the same lost flash as after an invitation; POST /password-reset/:secret redirects to
    // "/", which consumes the flash and redirects on.
    const page = browserEnv.page;
    const officer = demoLogin("owner_contact");
    const link = await requestReset(page, officer.email);
    await open(page, link);
    await choosePassword(page, NEW_PASSWORD);
    expect(pathOf(page)).toBe(base);
    expect(await flashes(page), "KNOWN APP BUG: the flash is consumed by the redirect through /").toEqual([
      "Lösenordet är bytt och du är inloggad.",
    ]);
  });

  it("lets the superadmin create an association, whose first admin accepts the invitation", async () => {
    const page = browserEnv.page;
    const slug = unique("norra-");
    const name = `Samordningsförbundet ${slug}`;
    const adminEmail = `${unique("chef-")}@exempel.test`;
    await login(page, demoLogin("superadmin").email);
    expect(pathOf(page)).toBe("/admin/associations");
    const form = page.getByRole("form", { name: "Nytt förbund" });
    await form.getByLabel("Namn", { exact: true }).fill(name);
    await form.getByLabel("Adressnamn").fill(slug);
    await form.getByLabel("Första administratörens namn").fill("Frida Förstachef");
    await form.getByLabel("Första administratörens e-postadress").fill(adminEmail);
    const response = await navigateBy(page, form.getByRole("button", { name: "Skapa förbund och skicka inbjudan" }));
    expect(response.status()).toBe(200);
    expect(pathOf(page)).toBe("/admin/associations");
    expect(await flashes(page)).toEqual([`${name} är skapat och inbjudan är skickad.`]);
    expect((await rowOf(page, name))[1]).toBe(`/f/${slug}`);

    // A second association with the same address name is refused on the form.
    await form.getByLabel("Namn", { exact: true }).fill(`${name} igen`);
    await form.getByLabel("Adressnamn").fill(slug);
    await form.getByLabel("Första administratörens namn").fill("Frida Förstachef");
    await form.getByLabel("Första administratörens e-postadress").fill(adminEmail);
    const duplicate = await navigateBy(page, form.getByRole("button", { name: "Skapa förbund och skicka inbjudan" }));
    expect(duplicate.status()).toBe(422);
    expect(await expectErrorSummary(page)).toEqual(["Adressnamnet används redan."]);

    const mail = await mailTo(page, adminEmail);
    expect(mail.subject).toBe(`Inbjudan till ${name} i Samordna`);
    const firstAdmin = await browserEnv.newPage();
    await open(firstAdmin, mail.link);
    await choosePassword(firstAdmin, NEW_PASSWORD);
    expect(pathOf(firstAdmin)).toBe(`/f/${slug}`);
    expect(await heading(firstAdmin)).toBe(name);
    expect(await textOf(firstAdmin.getByRole("navigation", { name: "Konto" }))).toContain(
      "Frida Förstachef, Administratör",
    );
  });
});
