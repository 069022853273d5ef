import { expect, it } from "vitest";
import {
  demoLogin,
  describeBrowser,
  expectErrorSummary,
  expectNoAxeViolations,
  flashes,
  follow,
  heading,
  login,
  logout,
  open,
  pathOf,
  press,
  unique,
} from "../support/browser.js";

describeBrowser("insatser: from application to approved slutrapport", (env) => {
  it("runs an insats through decision, requisition and a Gävleborg slutrapport to PDF and Word", async () => {
    const page = env.page;
    const name = unique("Stegvis till arbete ");

    // The insatsägare drafts the application with its goals and budget, and sends it in.
    await login(page, demoLogin("owner_contact").email);
    await open(page, "/f/exempel/interventions/new");
    await page.getByLabel("Insatsens namn").fill(name);
    await page.getByLabel("Inriktning").selectOption({ label: "Individinriktad" });
    await page.getByLabel("Bakgrund och behov (frivilligt)").fill("Många står långt från arbetsmarknaden.");
    await page.getByLabel("Syfte (frivilligt)").fill("Fler i arbete eller studier.");
    await page.getByLabel("Startdatum").fill("2026-01-01");
    await page.getByLabel("Slutdatum").fill("2026-10-31");
    await page.getByLabel("Kvinnor (frivilligt)").fill("12");
    await page.getByLabel("Män (frivilligt)").fill("10");
    await press(page, "Spara");
    const insats = pathOf(page);
    await page.locator("summary", { hasText: "Lägg till mål" }).click();
    await page.getByLabel("Nivå").selectOption({ label: "Delmål" });
    await page.getByRole("textbox", { name: "Mål", exact: true }).fill("Tio deltagare börjar arbeta eller studera");
    await page.getByLabel("Målvärde (frivilligt)").fill("10");
    await page.getByLabel("Enhet (frivilligt)").fill("deltagare");
    await press(page, "Lägg till mål");
    await follow(page, "Ändra budget");
    await page.getByLabel("Lönekostnader, kronor").fill("tusen");
    expect((await press(page, "Spara")).status()).toBe(422);
    expect((await expectErrorSummary(page)).join(" ")).toContain("Ange beloppet för 2026 i hela kronor");
    await page.getByLabel("Lönekostnader, kronor").fill("300 000");
    await page.getByLabel("Resekostnader, kronor").fill("20 000");
    await press(page, "Spara");
    expect(await page.getByRole("table", { name: "Budget per kostnadsslag och år" }).textContent()).toMatch(
      /320\s000\skr/,
    );
    await press(page, "Skicka in ansökan");
    await logout(page);

    // The officer prepares it and records the board's decision in one step.
    await login(page, demoLogin("officer").email);
    await open(page, insats);
    await page.getByLabel("Ny kommentar").fill("Ser bra ut. Vi tar upp den på nästa möte.");
    await press(page, "Skicka kommentar");
    await press(page, "Ta upp till beredning");
    await follow(page, "Registrera beslut");
    await page.getByRole("combobox", { name: "Beslut", exact: true }).selectOption({ label: "Bevilja" });
    await page.getByLabel("Paragraf").fill("§ 14");
    await page.getByLabel("Beslutsdatum").fill("2025-12-10");
    await page.getByLabel("2026, kronor").fill("300 000");
    await press(page, "Registrera beslut");
    expect(await flashes(page)).toContain("Beslutet är registrerat: ansökan är beviljad.");
    await press(page, "Starta insatsen");
    await logout(page);

    // The insatsägare claims the first quarter's costs.
    await login(page, demoLogin("owner_contact").email);
    await open(page, insats);
    await follow(page, "Rekvisitioner och återföringar");
    await follow(page, "Ny rekvisition");
    await page.getByLabel("Periodens första dag").fill("2026-01-01");
    await page.getByLabel("Periodens sista dag").fill("2026-03-31");
    await page.getByLabel("Lönekostnader, kronor").fill("75 000");
    await page.getByLabel("Resekostnader, kronor").fill("4 000");
    await press(page, "Skicka rekvisitionen");
    expect(await flashes(page)).toContain("Rekvisitionen är inskickad.");
    const requisition = pathOf(page);
    await logout(page);

    // The officer approves it and ends the insats.
    await login(page, demoLogin("officer").email);
    await open(page, requisition);
    await page.getByRole("combobox", { name: "Beslut", exact: true }).selectOption({ label: "Godkänn" });
    await press(page, "Spara beslutet");
    expect(await page.getByRole("table", { name: "Medel per år" }).textContent()).toMatch(/79\s000\skr/);
    await open(page, insats);
    await press(page, "Avsluta insatsen");
    await logout(page);

    // The insatsägare writes the slutrapport on Gävleborg's form and hands it in.
    await login(page, demoLogin("owner_contact").email);
    await open(page, insats);
    await follow(page, "Rapporter");
    await page
      .getByLabel("Mall")
      .selectOption({ label: "Slutrapport – Insats för samverkansmedel (Samordningsförbund Gävleborg)" });
    await press(page, "Påbörja");
    expect(await heading(page)).toBe("Slutrapport");
    expect(await page.getByText("Tio deltagare börjar arbeta eller studera").count()).toBeGreaterThan(0);
    for (const answer of await page.locator("textarea").all()) await answer.fill("Insatsen genomfördes enligt plan.");
    for (const status of await page.locator('select[name$=".status"]').all())
      await status.selectOption({ label: "Uppnått" });
    await page
      .getByRole("group", { name: "3. Samverkansparter" })
      .or(page.locator("#field-partners"))
      .getByLabel("Ej aktuellt")
      .check();
    await page.locator('input[name$=".date"]').first().fill("2026-11-15");
    await page.locator('input[name$=".name"]').first().fill("Kim Kontakt");
    await press(page, "Spara utkast");
    expect(await flashes(page)).toContain("Rapporten är sparad som utkast.");
    await press(page, "Lämna in rapporten");
    expect(await flashes(page)).toContain("Rapporten är inlämnad till förbundet.");
    const report = pathOf(page);
    await logout(page);

    // The officer notes its arrival, approves it and downloads it.
    await login(page, demoLogin("officer").email);
    await open(page, report);
    await expectNoAxeViolations(page, "the report page");
    await page.getByLabel("Ankomstdatum").fill("2026-11-16");
    await page.getByLabel("Diarienummer").fill("SF 2026/91");
    await press(page, "Registrera ankomst");
    await press(page, "Godkänn rapporten");
    expect(await flashes(page)).toContain("Rapporten är godkänd.");
    const pdf = await page.request.get(`${report}.pdf`);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    const docx = await page.request.get(`${report}.docx`);
    expect(docx.headers()["content-disposition"]).toMatch(/attachment; filename="slutrapport-.*\.docx"/);
    await follow(page, "Utskriftsvänlig version");
    expect(await page.getByRole("heading", { name: "5.1 Måluppfyllelse" }).count()).toBe(1);
    await open(page, insats);
    expect(await page.locator(".lead").textContent()).toContain("Slutrapport godkänd");
  }, 120_000);
});
