import type { Kysely } from "kysely";
import { expect } from "vitest";
import type { DB } from "../../src/platform/db/schema.js";
import { bearer, type TestBrowser } from "./http.js";
import { snapshotData } from "./snapshot.js";

/** Bad input through a form: 422, the message in an error summary, and not a row written anywhere. */
export async function expectFormsRefused(
  db: Kysely<DB>,
  browser: TestBrowser,
  cases: readonly [url: string, fields: Record<string, string>, message: string][],
) {
  for (const [url, fields, message] of cases) {
    const before = await snapshotData(db);
    const response = await browser.post(url, fields);
    const html = await response.text();
    expect(response.status, `${url} ${JSON.stringify(fields)}`).toBe(422);
    expect(html, url).toContain(message);
    expect(html, url).toContain('class="error-summary"');
    expect(await snapshotData(db), `${url} wrote something`).toEqual(before);
  }
}

/** Bad input through the API: 422 problem+json naming the field, and not a row written anywhere. */
export async function expectApiRefused(
  db: Kysely<DB>,
  request: (path: string, init: RequestInit) => Response | Promise<Response>,
  secret: string,
  cases: readonly [method: string, path: string, body: unknown, field: string][],
) {
  for (const [method, path, body, field] of cases) {
    const before = await snapshotData(db);
    const response = await request(path, bearer(secret, { method, body: JSON.stringify(body) }));
    expect(response.status, `${method} ${path}`).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(await response.json()), path).toContain(field);
    expect(await snapshotData(db), `${path} wrote something`).toEqual(before);
  }
}
