import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/database.js";
import { buildAssociation, buildUser, TEST_PASSWORD } from "../support/factories.js";
import { buildTestApp, TestBrowser } from "../support/http.js";

describeEachDatabase("signing in and reaching the start page", (database) => {
  it("logs in, shows the association's start page and logs out", async () => {
    const { db } = database();
    const association = await buildAssociation(db);
    const user = await buildUser(db, { associationId: association.id, role: "admin" });
    const { app } = buildTestApp(database());
    const browser = new TestBrowser(app);
    await browser.login(user.email, TEST_PASSWORD);
    const home = await browser.get("/");
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe(`/f/${association.slug}`);
    const start = await browser.get(`/f/${association.slug}`);
    expect(start.status).toBe(200);
    expect(await start.text()).toContain(association.name);
    const logout = await browser.post("/logout", {});
    expect(logout.status).toBe(303);
    expect((await browser.get(`/f/${association.slug}`)).status).toBe(303);
  });
});
