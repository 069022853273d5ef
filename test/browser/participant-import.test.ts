import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import {
  demoLogin,
  describeBrowser,
  expectNoAxeViolations,
  flashes,
  heading,
  login,
  navigateBy,
  open,
  pathOf,
} from "../support/browser.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/participants/${name}`, import.meta.url));

async function uploadFile(page: Page, name: string) {
  await page.getByLabel("Fil med deltagare (CSV eller Excel)").setInputFiles(fixture(name));
  return navigateBy(page, page.getByRole("button", { name: "Läs in och kontrollera", exact: true }));
}

const enrolmentCount = async (page: Page) =>
  Number(
    /(\d+) inskrivning/.exec(
      (await page.getByRole("status").filter({ hasText: "inskrivning" }).textContent()) ?? "",
    )?.[1],
  );

describeBrowser("deltagare: import from a file", (env) => {
  it("shows a bad row's error, then imports the corrected file and lists the participants", async () => {
    const page = env.page;
    await login(page, demoLogin("officer").email);
    await open(page, "/f/exempel/interventions");
    await navigateBy(page, page.getByRole("link", { name: "Arbetsträning Exempelby", exact: true }));
    const participants = `${pathOf(page)}/participants`;
    await open(page, participants);
    const before = await enrolmentCount(page);

    await navigateBy(page, page.getByRole("link", { name: "Importera deltagare", exact: true }));
    expect(await heading(page)).toBe("Importera deltagare");
    await expectNoAxeViolations(page, "the upload page");

    expect((await uploadFile(page, "with-bad-row.csv")).status()).toBe(422);
    expect(await heading(page)).toBe("Kontrollera importen");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("1 rad har fel");
    const badRow = page.getByRole("row", { name: /^4\b/ });
    expect(await badRow.textContent()).toContain("Kontrollsiffran stämmer inte");
    expect(await badRow.locator('[aria-invalid="true"]').count()).toBe(2);
    expect(await page.getByRole("button", { name: /^Importera/ }).count()).toBe(0);
    await expectNoAxeViolations(page, "the preview with errors");

    expect((await uploadFile(page, "fixed.csv")).status()).toBe(200);
    expect(await page.getByText("Alla 4 rader kan läsas in.").count()).toBe(1);
    await expectNoAxeViolations(page, "the preview without errors");
    await navigateBy(page, page.getByRole("button", { name: "Importera 4 rader", exact: true }));
    expect(pathOf(page)).toBe(participants);
    expect(await flashes(page)).toContain("4 deltagare har lästs in från filen.");
    expect(await enrolmentCount(page)).toBe(before + 4);
    expect(await page.getByRole("table", { name: "Inskrivna deltagare" }).textContent()).toContain("2026-04-15");
  });
});
