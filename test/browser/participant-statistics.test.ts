import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { demoLogin, describeBrowser, expectNoAxeViolations, heading, login, open, SLUG } from "../support/browser.js";

/** Every section's chart is one labelled image, and the table with the same numbers is beside it. */
async function expectChartsAndTables(page: Page) {
  const charts = page.locator("svg[role=img]");
  expect(await charts.count()).toBe(3);
  for (const chart of await charts.all()) {
    expect(await chart.getAttribute("aria-label")).toMatch(/^Stapeldiagram: /);
    expect(await chart.locator("title").textContent()).toMatch(/^Stapeldiagram: /);
  }
  expect(await page.getByRole("table", { name: /^Deltagare per kön / }).count()).toBe(1);
  expect(await page.getByRole("table", { name: /^Avslutsorsak per kön/ }).count()).toBe(1);
  expect(await page.getByRole("columnheader", { name: "Kvinna" }).count()).toBeGreaterThan(0);
}

describeBrowser("deltagarstatistik", (env) => {
  it("shows the association's and an insats's statistics with charts and tables, accessible", async () => {
    const page = env.page;
    await login(page, demoLogin("officer").email);
    await open(page, `/f/${SLUG}/participants/statistics?from=2026-01-01&to=2026-12-31`);
    expect(await heading(page)).toBe("Deltagarstatistik");
    await expectChartsAndTables(page);
    await expectNoAxeViolations(page, "association statistics");

    const interventionId = await page
      .locator("#field-interventionId option:not([value=''])")
      .first()
      .getAttribute("value");
    expect(interventionId).toBeTruthy();
    await open(page, `/f/${SLUG}/interventions/${interventionId}/participants/statistics`);
    expect(await heading(page)).toMatch(/^Deltagarstatistik: /);
    await expectChartsAndTables(page);
    await expectNoAxeViolations(page, "insats statistics");

    // A period that is not one comes back in the form with its error.
    await open(page, `/f/${SLUG}/participants/statistics?from=2026-13-01&to=2026-12-31`);
    expect(await page.getByRole("alert").textContent()).toContain("Ange datumet som ÅÅÅÅ-MM-DD.");
    await expectNoAxeViolations(page, "statistics with a wrong period");
  });

  it("shows the board the published statistics", async () => {
    const page = env.page;
    await login(page, demoLogin("board").email);
    await open(page, `/f/${SLUG}/participants/statistics`);
    await expectChartsAndTables(page);
    expect(await page.getByText("Antal mellan 1 och 4 visas som <5").count()).toBe(1);
    await expectNoAxeViolations(page, "association statistics for the board");
  });
});
