import { expect, it } from "vitest";
import { fictionalPersonalNumber, formatPersonalNumber } from "../../src/participants/personal-number.js";
import {
  demoLogin,
  describeBrowser,
  expectErrorSummary,
  expectNoAxeViolations,
  flashes,
  follow,
  heading,
  login,
  open,
  press,
  SLUG,
  textOf,
} from "../support/browser.js";

describeBrowser("deltagare: enrol, look up and exit a participant", (env) => {
  it("enrols a participant through the form, shows the identity on request, exits them and lists them", async () => {
    const page = env.page;
    // A new person each run (the demo database outlives one test); an odd birth number is a man's.
    const number = fictionalPersonalNumber("19870412", 101 + 2 * Math.floor(Math.random() * 449));
    await login(page, demoLogin("admin").email);

    await open(page, `/f/${SLUG}/participants`);
    expect(await heading(page)).toBe("Deltagare");
    await expectNoAxeViolations(page, "the Deltagare overview");
    await follow(page, "Arbetsträning Exempelby");
    expect(await heading(page)).toBe("Deltagare och lotsärenden");
    await follow(page, "Skriv in deltagare");

    // Sent with a wrong check digit: the errors are listed, and the number is not sent back.
    const wrong = `${number.slice(0, 11)}${(Number(number.slice(11)) + 1) % 10}`;
    await page.getByLabel("Personnummer eller samordningsnummer").fill(formatPersonalNumber(wrong));
    await page.getByLabel("Försörjning vid start").selectOption({ label: "Försörjningsstöd" });
    expect((await press(page, "Skriv in")).status()).toBe(422);
    expect((await expectErrorSummary(page)).join(" ")).toContain("Kontrollsiffran stämmer inte");
    expect(await page.getByLabel("Personnummer eller samordningsnummer").inputValue()).toBe("");

    await page.getByLabel("Personnummer eller samordningsnummer").fill(formatPersonalNumber(number));
    await page.getByLabel("Namn", { exact: false }).fill("Fiktiva Testdeltagare");
    await page.getByLabel("Inskriven").fill("2026-03-02");
    await page.getByLabel("Aktualiserad av").selectOption({ label: "Exempelby kommun" });
    await page.getByLabel("Samtycke lämnat").fill("2026-03-02");
    expect((await press(page, "Skriv in")).status()).toBe(200);
    const pseudonym = (await heading(page)).replace("Deltagare ", "");
    expect(pseudonym).toMatch(/^D-\d+$/);
    expect(await flashes(page)).toContain(`${pseudonym} är inskriven.`);
    expect(await page.locator("main").textContent()).not.toContain("Fiktiva Testdeltagare");

    await press(page, "Visa personuppgifter");
    expect(await textOf(page.locator("main"))).toContain(formatPersonalNumber(number));

    await page.getByLabel("Avslutad").fill("2026-08-31");
    await page.getByLabel("Avslutsorsak").selectOption({ label: "Arbete" });
    await page.getByLabel("Försörjning vid avslut").selectOption({ label: "Lön" });
    await press(page, "Avsluta");
    expect(await flashes(page)).toContain("Avslutet är registrerat.");
    expect(await page.getByRole("heading", { name: "Ändra avslut" }).count()).toBe(1);

    await follow(page, "Deltagare: Arbetsträning Exempelby");
    await page.getByLabel("Visa").selectOption({ label: "Avslutade" });
    await press(page, "Visa");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: pseudonym, exact: true }) });
    expect(await row.getByRole("cell").allInnerTexts()).toEqual([
      "Man",
      "1987",
      "2026-03-02",
      "2026-08-31",
      "Arbete",
      "Lämnat 2026-03-02 (version 1)",
    ]);
  });
});
