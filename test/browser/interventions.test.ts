import { expect, it } from "vitest";
import {
  demoLogin,
  describeBrowser,
  expectErrorSummary,
  expectNoAxeViolations,
  flashes,
  heading,
  login,
  logout,
  navigateBy,
  open,
  pathOf,
  press,
  SLUG,
  unique,
} from "../support/browser.js";

const base = `/f/${SLUG}`;

describeBrowser("insatser: from the owner's application to a running insats", (env) => {
  it("an insatsägare drafts and submits an application; an officer prepares, grants and starts it", async () => {
    const page = env.page;
    const name = unique("Jobbspåret ");

    await login(page, demoLogin("owner_contact").email);
    await navigateBy(page, page.getByRole("navigation", { name: "Moduler" }).getByRole("link", { name: "Insatser" }));
    await expectNoAxeViolations(page, "the owner's list of insatser");
    await navigateBy(page, page.getByRole("link", { name: "Ny ansökan" }));
    expect(await heading(page)).toBe("Ny ansökan");
    await expectNoAxeViolations(page, "the new application form");

    // An empty form comes back with every problem listed and linked.
    expect((await press(page, "Spara")).status()).toBe(422);
    expect((await expectErrorSummary(page)).join(" ")).toContain("Ange insatsens namn.");
    await page.getByLabel("Insatsens namn").fill(name);
    // The owner's only organisation is chosen already; the förbund's own fields are not in the form.
    expect(await page.getByLabel("Insatsägare").inputValue()).not.toBe("");
    expect(await page.getByLabel("Diarienummer").count()).toBe(0);
    await page.getByLabel("Inriktning").selectOption({ label: "Individinriktad" });
    await page.getByLabel("Målgrupp").fill("Unga vuxna 18–29 år med försörjningsstöd");
    await page.getByLabel("Startdatum").fill("2027-01-01");
    await page.getByLabel("Slutdatum").fill("2028-06-30");
    expect((await press(page, "Spara")).status()).toBe(200);
    expect(await heading(page)).toBe(name);
    expect(await flashes(page)).toContain(`${name} är registrerad som utkast.`);

    await page.getByText("Lägg till part").click();
    await page.getByLabel("Organisation", { exact: true }).selectOption({ label: "Arbetsförmedlingen, Exempelby" });
    await page.getByLabel("Roll").selectOption({ label: "Medsökande" });
    await page.getByLabel("Kontaktperson (frivilligt)", { exact: true }).fill("Kim Kontakt");
    await press(page, "Lägg till");
    await expect(page.getByRole("rowheader", { name: "Arbetsförmedlingen, Exempelby" }).count()).resolves.toBe(1);

    await press(page, "Skicka in ansökan");
    expect(await page.locator(".lead").textContent()).toContain("Inskickad ansökan");
    // Submitted, the application is no longer the owner's to change.
    expect(await page.getByRole("link", { name: "Ändra uppgifterna" }).count()).toBe(0);
    const insats = pathOf(page);
    await logout(page);

    await login(page, demoLogin("officer").email);
    await open(page, insats);
    await press(page, "Ta upp till beredning");
    // Granting without the decision on record is refused with the reason.
    expect((await press(page, "Bevilja")).status()).toBe(422);
    expect((await expectErrorSummary(page)).join(" ")).toContain("Ange beslutets paragraf och datum");

    await navigateBy(page, page.getByRole("link", { name: "Ändra uppgifterna" }));
    await expectNoAxeViolations(page, "the officer's edit form");
    await page.getByLabel("Diarienummer").fill("SF 2026/77");
    await page.getByLabel("Beslut, paragraf").fill("§ 31");
    await page.getByLabel("Beslutsdatum").fill("2026-11-20");
    await press(page, "Spara");

    await navigateBy(page, page.getByRole("link", { name: "Ändra beviljade medel" }));
    await expectNoAxeViolations(page, "the grants form");
    await page.getByLabel("2027, kronor").fill("tusen");
    expect((await press(page, "Spara")).status()).toBe(422);
    await page.getByLabel("2027, kronor").fill("600 000");
    await page.getByLabel("2028, kronor").fill("300000");
    await press(page, "Spara");
    expect(await page.locator("tfoot").first().textContent()).toMatch(/900\s000\skr/);

    await press(page, "Bevilja");
    await press(page, "Starta insatsen");
    expect(await page.locator(".lead").textContent()).toContain("Pågående");
    const history = await page.getByRole("table", { name: "Statushistorik" }).textContent();
    for (const status of ["Utkast", "Inskickad ansökan", "Under beredning", "Beviljad", "Pågående"]) {
      expect(history).toContain(status);
    }

    await open(page, `${base}/interventions?status=ongoing`);
    await expectNoAxeViolations(page, "the filtered list");
    expect(await page.getByRole("link", { name }).count()).toBe(1);
  });

  it("an officer keeps the organisation registry and links the insatsägare's contact", async () => {
    const page = env.page;
    await login(page, demoLogin("officer").email);
    await open(page, `${base}/organisations/new`);
    const name = unique("Stiftelsen Exempel ");
    await page.getByLabel("Namn").fill(name);
    await press(page, "Spara");
    expect(await heading(page)).toBe(name);
    await page.getByLabel("Användare med rollen Kontaktperson för insatsägare").selectOption({ index: 1 });
    await press(page, "Koppla");
    expect(await flashes(page)).toContain("Kontaktpersonen är kopplad.");
    await open(page, `${base}/organisations`);
    await expectNoAxeViolations(page, "the organisation list");
  });
});
