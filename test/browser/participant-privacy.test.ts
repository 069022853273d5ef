import { expect, it } from "vitest";
import { fictionalPersonalNumber } from "../../src/participants/personal-number.js";
import {
  demoLogin,
  describeBrowser,
  expectErrorSummary,
  expectNoAxeViolations,
  flashes,
  heading,
  login,
  navigateBy,
  open,
  pathOf,
  SLUG,
  unique,
} from "../support/browser.js";
import { buildEnrolment } from "../support/factories.js";

describeBrowser("participants' personal data: settings and GDPR requests", (env) => {
  it("lets the administrator change the settings and find a person's enrolments by personnummer", async () => {
    const { db } = env.server.database;
    const insatser = await db
      .selectFrom("intervention as i")
      .innerJoin("association as a", "a.id", "i.association_id")
      .select(["i.id", "i.name", "i.association_id", "i.start_date"])
      .where("a.slug", "=", SLUG)
      .where("i.kind", "=", "individual")
      .orderBy("i.start_date")
      .limit(2)
      .execute();
    expect(insatser.length).toBeGreaterThan(0);
    const personalNumber = fictionalPersonalNumber("19880614", 400 + Math.floor(Math.random() * 500));
    for (const insats of insatser) {
      await buildEnrolment(db, insats.association_id, {
        interventionId: insats.id,
        personalNumber,
        name: "Britta Webbsson",
        enrolledOn: insats.start_date,
      });
    }

    const page = env.page;
    await login(page, demoLogin("admin").email);
    await open(page, `/f/${SLUG}/participants/settings`);
    expect(await heading(page)).toBe("Inställningar för deltagare");
    await expectNoAxeViolations(page, "the participant settings");
    await page.getByLabel("Gallringstid i år").fill("0");
    const refused = await navigateBy(page, page.getByRole("button", { name: "Spara" }));
    expect(refused.status()).toBe(422);
    expect(await expectErrorSummary(page)).toEqual(["Ange gallringstiden i hela år, 1–50."]);
    await expectNoAxeViolations(page, "the participant settings with an error");
    await page.getByLabel("Gallringstid i år").fill("6");
    const label = unique("Arbetsträning ");
    await page.getByLabel("Kod för ny kod", { exact: true }).first().fill("arbetstraning");
    await page.getByLabel("Benämning för ny kod", { exact: true }).first().fill(label);
    await page
      .getByLabel("Nationell kod för ny kod", { exact: true })
      .first()
      .selectOption({ label: "Annan försörjning" });
    await navigateBy(page, page.getByRole("button", { name: "Spara" }));
    expect(await flashes(page)).toContain("Inställningarna är sparade.");
    expect(await page.getByLabel("Gallringstid i år").inputValue()).toBe("6");
    expect(await page.getByLabel(`Benämning för ${label}`).inputValue()).toBe(label);

    await navigateBy(page, page.getByRole("link", { name: "Registerutdrag och radering" }));
    expect(await heading(page)).toBe("Personuppgifter om deltagare");
    await expectNoAxeViolations(page, "the privacy page");
    await page
      .getByLabel("Personnummer eller samordningsnummer")
      .fill(`${personalNumber.slice(0, 8)}-${personalNumber.slice(8)}`);
    await navigateBy(page, page.getByRole("button", { name: "Sök" }));
    expect(pathOf(page)).toBe(`/f/${SLUG}/participants/privacy`);
    expect(page.url()).not.toContain(personalNumber.slice(2, 8));
    const enrolments = page.getByRole("table", { name: "Inskrivningar i förbundets insatser" });
    for (const insats of insatser) expect(await enrolments.textContent()).toContain(insats.name);
    expect(await page.getByRole("button", { name: "Exportera personens uppgifter" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Radera personuppgifter" }).count()).toBe(1);
    await expectNoAxeViolations(page, "the privacy page with a person found");
  });
});
