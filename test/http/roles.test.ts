import { expect, it } from "vitest";
import { associationPageRoutes } from "../../src/associations/tenant.js";
import { can, roles } from "../../src/platform/auth/policy.js";
import { describeEachDatabase } from "../support/database.js";
import { buildApiToken, buildPopulatedAssociation, TEST_PASSWORD } from "../support/factories.js";
import { bearer, buildTestApp, TestBrowser } from "../support/http.js";

/** Each role gets exactly what the policy table grants: on every page, form action and API endpoint. */
describeEachDatabase("roles in practice", (database) => {
  for (const role of roles) {
    it(`${role} reaches exactly its pages and endpoints`, async () => {
      const { db } = database();
      const own = await buildPopulatedAssociation(db);
      const { app, api } = buildTestApp(database());
      const browser = new TestBrowser(app);
      await browser.login(own.users[role].email, TEST_PASSWORD);
      const csrf = await browser.csrfToken();
      const fill = (path: string) =>
        path.replace(":slug", own.association.slug).replace(/:(\w+)/g, (_, name: string) => own.ids[name] as string);

      // Reads first: the form actions below may delete what they point at.
      const token = await buildApiToken(db, {
        associationId: own.association.id,
        userId: own.users[role].id,
        scope: "write",
      });
      for (const endpoint of api.endpoints.filter((e) => e.method === "get")) {
        const path = `/api/v1/associations/${own.association.slug}${endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => own.ids[name] as string)}`;
        const response = await app.request(path, bearer(token.secret));
        expect(response.status, `${role} GET ${endpoint.path}`).toBe(can(role, endpoint.permission) ? 200 : 403);
      }

      expect(associationPageRoutes.length).toBeGreaterThan(10);
      const getsFirst = [...associationPageRoutes].sort(
        (x, y) => Number(x.method === "POST") - Number(y.method === "POST"),
      );
      for (const route of getsFirst) {
        const allowed = can(role, route.permission);
        const response =
          route.method === "GET"
            ? await browser.get(fill(route.path))
            : await browser.post(fill(route.path), {}, { csrf });
        const label = `${role} ${route.method} ${route.path} (${route.permission})`;
        if (allowed) {
          expect(response.status, label).not.toBe(403);
          if (route.method === "GET") expect(response.status, label).toBe(200);
        } else {
          expect(response.status, label).toBe(403);
        }
      }
    });
  }
});
