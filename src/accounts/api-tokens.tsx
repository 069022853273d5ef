import type { Context } from "hono";
import { z } from "zod";
import { baseOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { audit } from "../audit/record.js";
import { can } from "../platform/auth/policy.js";
import type { TenantEnv } from "../platform/http/env.js";
import { type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readForm, requiredText } from "../platform/http/validation.js";
import { Button, ErrorSummary, Field, PostForm, RowAction, Select } from "../platform/ui/components.js";
import { formatDate, formatDateTime } from "../platform/ui/format.js";
import { createApiToken, MAX_TOKEN_DAYS } from "./create-api-token.js";
import { findApiToken, listApiTokens, revokeApiToken } from "./repository.js";

const scopeNames = { read: "Läsa", write: "Läsa och skriva" } as const;

const tokenForm = z.object({
  name: requiredText("Ge nyckeln ett namn, t.ex. vad den används till.", 80),
  scope: z.enum(["read", "write"], { error: "Välj vad nyckeln får göra." }),
  expiresInDays: z.coerce
    .number({ error: `Ange giltighetstid i dagar, 1–${MAX_TOKEN_DAYS}.` })
    .int(`Ange giltighetstid i hela dagar, 1–${MAX_TOKEN_DAYS}.`)
    .min(1, `Ange giltighetstid i dagar, 1–${MAX_TOKEN_DAYS}.`)
    .max(MAX_TOKEN_DAYS, `Högst ${MAX_TOKEN_DAYS} dagar.`),
});

export function registerApiTokenRoutes({ association: router }: Routes) {
  const page = async (
    c: Context<TenantEnv>,
    extra: {
      form?: { values: Record<string, string>; errors: FieldError[] };
      created?: { name: string; secret: string };
    } = {},
  ) => {
    const tenant = c.get("tenant");
    const seesAll = can(tenant.role, "api_token.manage_all");
    const tokens = await listApiTokens(tenant.tx, tenant.association.id, seesAll ? {} : { userId: tenant.user.id });
    const base = baseOf(c);
    const now = new Date();
    if (extra.created) c.header("Cache-Control", "no-store");
    return renderPage(
      c,
      "API-nycklar",
      <>
        <h1>API-nycklar</h1>
        <p>
          En personlig API-nyckel låter ett annat system läsa eller lämna uppgifter i förbundet med dina behörigheter.
          Se <a href="/api/v1/openapi.json">API-beskrivningen (OpenAPI)</a>.
        </p>
        {extra.created && (
          <div class="notice notice--success" role="status">
            <h2>Nyckeln {extra.created.name} är skapad</h2>
            <p>Kopiera nyckeln nu. Den visas bara den här gången.</p>
            <p>
              <label for="new-token">API-nyckel</label>
              <input id="new-token" class="token" type="text" readonly value={extra.created.secret} />
            </p>
          </div>
        )}
        <ErrorSummary errors={extra.form?.errors} />
        {tokens.length === 0 ? (
          <p>Det finns inga API-nycklar.</p>
        ) : (
          <div class="table-wrapper">
            <table>
              <caption class="visually-hidden">API-nycklar</caption>
              <thead>
                <tr>
                  <th scope="col">Namn</th>
                  {seesAll && <th scope="col">Användare</th>}
                  <th scope="col">Får</th>
                  <th scope="col">Skapad</th>
                  <th scope="col">Gäller till</th>
                  <th scope="col">Senast använd</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr>
                    <th scope="row">{token.name}</th>
                    {seesAll && <td>{token.userName}</td>}
                    <td>{scopeNames[token.scope]}</td>
                    <td>{formatDate(token.createdAt)}</td>
                    <td>{formatDate(token.expiresAt)}</td>
                    <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "Aldrig"}</td>
                    <td>
                      {token.revokedAt ? (
                        "Återkallad"
                      ) : token.expiresAt <= now ? (
                        "Utgången"
                      ) : (
                        <RowAction
                          action={`${base}/api-tokens/${token.id}/revoke`}
                          csrfToken={c.get("csrfToken")}
                          label="Återkalla"
                          object={token.name}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2>Ny API-nyckel</h2>
        <PostForm action={`${base}/api-tokens`} csrfToken={c.get("csrfToken")} label="Ny API-nyckel">
          <Field
            name="name"
            label="Namn"
            required
            value={extra.form?.values.name}
            errors={extra.form?.errors}
            hint="T.ex. Export till kommunens statistik."
          />
          <Select
            name="scope"
            label="Nyckeln får"
            required
            options={[
              { value: "read", label: scopeNames.read },
              { value: "write", label: scopeNames.write },
            ]}
            value={extra.form?.values.scope ?? "read"}
            errors={extra.form?.errors}
          />
          <Field
            name="expiresInDays"
            label="Giltig i antal dagar"
            type="number"
            required
            value={extra.form?.values.expiresInDays ?? "90"}
            errors={extra.form?.errors}
            width="short"
            hint={`Högst ${MAX_TOKEN_DAYS} dagar.`}
          />
          <Button>Skapa nyckel</Button>
        </PostForm>
      </>,
      extra.form ? 422 : 200,
    );
  };

  associationPage(router, "GET", "/api-tokens", "api_token.manage_own", (c) => page(c));

  associationPage(router, "POST", "/api-tokens", "api_token.manage_own", async (c) => {
    const form = await readForm(c.req, tokenForm);
    if (!form.ok) return page(c, { form });
    const tenant = c.get("tenant");
    const created = await createApiToken({
      tx: tenant.tx,
      associationId: tenant.association.id,
      user: tenant.user,
      ...form.data,
    });
    return page(c, { created: { name: created.name, secret: created.secret } });
  });

  associationPage(router, "POST", "/api-tokens/:tokenId/revoke", "api_token.manage_own", async (c) => {
    const tenant = c.get("tenant");
    const token = await findApiToken(tenant.tx, tenant.association.id, idParam(c, "tokenId"));
    if (!token || (token.user_id !== tenant.user.id && !can(tenant.role, "api_token.manage_all"))) throw notFound();
    await revokeApiToken(tenant.tx, tenant.association.id, token.id);
    await audit(tenant, "api_token.revoke", { type: "api_token", id: token.id }, { name: token.name });
    return redirectWithFlash(c, `${baseOf(c)}/api-tokens`, `Nyckeln ${token.name} är återkallad.`);
  });
}
