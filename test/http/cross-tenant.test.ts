import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/database.js";
import { buildApiToken, buildPopulatedAssociation, TEST_PASSWORD } from "../support/factories.js";
import { bearer, buildTestApp, TestBrowser } from "../support/http.js";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  const?: unknown;
  anyOf?: JsonSchema[];
  minimum?: number;
};

/** A valid-looking body for an endpoint, so that input validation cannot answer before the tenant check does. */
function example(schema: JsonSchema | undefined, id: string): unknown {
  if (!schema) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf?.[0]) return example(schema.anyOf[0], id);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "object") {
    return Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([key]) => schema.required?.includes(key))
        .map(([key, inner]) => [key, example(inner, id)]),
    );
  }
  if (type === "array") return [example(schema.items, id)];
  // At least 1: a body of counts (lotsärenden) must count something.
  if (type === "integer" || type === "number") return Math.max(schema.minimum ?? 0, 1);
  if (type === "boolean") return false;
  if (schema.format === "date") return "2026-01-01";
  return schema.format === "uuid" ? id : "Exempel";
}

/**
 * Formbricks-style standing attack test: every registered route, requested by a user of association A with
 * association B's slug and ids (and with A's slug but B's ids), must answer 403 or 404 and show nothing of B.
 * A new route is covered automatically; a route parameter this test cannot fill makes it fail loudly.
 */
describeEachDatabase("no route crosses from one association to another", (database) => {
  it("refuses every page, form and API endpoint", async () => {
    const { db } = database();
    const a = await buildPopulatedAssociation(db);
    const b = await buildPopulatedAssociation(db);
    const { app, api } = buildTestApp(database());
    const attacker = new TestBrowser(app);
    await attacker.login(a.users.admin.email, TEST_PASSWORD);
    const csrf = await attacker.csrfToken();
    const token = await buildApiToken(db, {
      associationId: a.association.id,
      userId: a.users.admin.id,
      scope: "write",
    });
    const bodies = new Map(
      api.endpoints.map((endpoint) => [
        `${endpoint.method.toUpperCase()} /api/v1/associations/:slug${endpoint.path.replace(/\{(\w+)\}/g, ":$1")}`,
        endpoint.body,
      ]),
    );
    const openapi = (await (await app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: { "application/json"?: { schema: JsonSchema } } } }>
      >;
    };
    const secrets = [
      b.association.name,
      b.member.name,
      ...Object.values(b.users).flatMap((user) => [user.email, user.name]),
    ];

    const routes = new Map<string, { method: string; path: string }>();
    for (const route of app.routes) {
      if (route.method === "ALL" || !route.path.includes(":slug")) continue;
      routes.set(`${route.method} ${route.path}`, { method: route.method, path: route.path });
    }
    expect(routes.size).toBeGreaterThan(20);

    const notIds = new Set(["year", "memberYear", "kind"]);
    const checked: string[] = [];
    for (const { method, path } of routes.values()) {
      const params = [...path.matchAll(/:(\w+)/g)].map((match) => match[1] as string).filter((name) => name !== "slug");
      for (const name of params) expect(b.ids[name], `no id for route parameter :${name} in ${path}`).toBeDefined();
      const variants = [{ slug: b.association.slug, label: "B's slug" }];
      // A year (or a follow-up kind) is no id: every association has a 2026, so only real ids can cross over.
      if (params.some((name) => !notIds.has(name))) {
        variants.push({ slug: a.association.slug, label: "A's slug with B's ids" });
      }
      for (const variant of variants) {
        const url = path.replace(":slug", variant.slug).replace(/:(\w+)/g, (_, name: string) => b.ids[name] as string);
        let response: Response;
        if (path.startsWith("/api/")) {
          const openapiPath = path.replace("/api/v1", "").replace(/:(\w+)/g, "{$1}");
          const schema =
            openapi.paths[openapiPath]?.[method.toLowerCase()]?.requestBody?.content["application/json"]?.schema;
          const body = bodies.get(`${method} ${path}`) ? JSON.stringify(example(schema, b.member.id)) : undefined;
          response = await app.request(url, bearer(token.secret, { method, ...(body ? { body } : {}) }));
        } else if (method === "GET") {
          response = await attacker.get(url);
        } else {
          response = await attacker.post(url, {}, { csrf });
        }
        const text = await response.text();
        expect([403, 404], `${method} ${url} (${variant.label}) answered ${response.status}`).toContain(
          response.status,
        );
        for (const secret of secrets) expect(text, `${method} ${url} shows B's data`).not.toContain(secret);
        checked.push(`${method} ${path} (${variant.label})`);
      }
    }
    expect(checked.length).toBeGreaterThan(routes.size);
  });
});
