import { z } from "zod";
import { baseOf } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { Button, ErrorSummary, Field, Select } from "../platform/ui/components.js";
import { formatDateTime } from "../platform/ui/format.js";
import { type AuditFilter, listAuditActions, listAuditEntries } from "./repository.js";

const PAGE_SIZE = 50;

const isoDay = z.iso.date("Ange datum som ÅÅÅÅ-MM-DD.");
const filterSchema = z.object({
  action: z.string().trim().max(80).optional(),
  actor: z.string().trim().max(120).optional(),
  entityType: z.string().trim().max(40).optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
  before: z.coerce.bigint().positive().optional(),
});

const blankToUndefined = (query: Record<string, string>) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value.trim() !== ""));

export function registerAuditRoutes({ association: router, api }: Routes) {
  associationPage(router, "GET", "/audit-log", "audit_log.read", async (c) => {
    const tenant = c.get("tenant");
    const parsed = filterSchema.safeParse(blankToUndefined(c.req.query()));
    const query = parsed.success ? parsed.data : {};
    const errors = parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    const filter: AuditFilter = { ...query, beforeId: query.before, limit: PAGE_SIZE + 1 };
    const [rows, actions] = await Promise.all([
      listAuditEntries(tenant.tx, tenant.association.id, filter),
      listAuditActions(tenant.tx, tenant.association.id),
    ]);
    const entries = rows.slice(0, PAGE_SIZE);
    const more = rows.length > PAGE_SIZE;
    const base = baseOf(c);
    const values = Object.fromEntries(Object.entries(c.req.query()).map(([key, value]) => [key, value]));
    const nextQuery = new URLSearchParams({ ...values, before: String(entries.at(-1)?.id ?? "") }).toString();
    return renderPage(
      c,
      "Logg",
      <>
        <h1>Logg</h1>
        <ErrorSummary errors={errors} />
        <p>Allt som ändras i förbundet loggas: vem, när, vad. Loggen kan inte ändras i efterhand.</p>
        {/* With htmx only the results are replaced (and the address updated); without it, the whole page reloads. */}
        <form
          method="get"
          action={`${base}/audit-log`}
          class="filter-form"
          aria-label="Filtrera loggen"
          hx-get={`${base}/audit-log`}
          hx-target="#audit-results"
          hx-select="#audit-results"
          hx-swap="outerHTML"
          hx-push-url="true"
        >
          <Select
            name="action"
            label="Händelse"
            options={actions.map((action) => ({ value: action, label: action }))}
            value={values.action}
            emptyOption="Alla"
          />
          <Field name="actor" label="Användare" type="search" value={values.actor} />
          <Field name="from" label="Från och med" type="date" value={values.from} errors={errors} width="medium" />
          <Field name="to" label="Till och med" type="date" value={values.to} errors={errors} width="medium" />
          <Button kind="secondary">Filtrera</Button>
        </form>
        <div id="audit-results" aria-live="polite">
          {entries.length === 0 ? (
            <p>Inga händelser matchar.</p>
          ) : (
            <div class="table-wrapper">
              <table>
                <caption class="visually-hidden">Händelser, nyaste först</caption>
                <thead>
                  <tr>
                    <th scope="col">Tid</th>
                    <th scope="col">Användare</th>
                    <th scope="col">Händelse</th>
                    <th scope="col">Objekt</th>
                    <th scope="col">Ändring</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => (
                    <tr>
                      <td>{formatDateTime(entry.occurred_at)}</td>
                      <td>{entry.actor_label ?? "system"}</td>
                      <td>{entry.action}</td>
                      <td>{entry.entity_type ? `${entry.entity_type} ${entry.entity_id ?? ""}` : "–"}</td>
                      <td>
                        <code class="summary">{JSON.stringify(entry.summary)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {more && (
            <p>
              <a href={`${base}/audit-log?${nextQuery}`}>Äldre händelser</a>
            </p>
          )}
        </div>
      </>,
      errors.length > 0 ? 422 : 200,
    );
  });

  api.add(router, {
    method: "get",
    path: "/audit-entries",
    operationId: "listAuditEntries",
    summary: "The association's audit log, newest first (keyset pagination with `before`)",
    tag: "audit",
    permission: "audit_log.read",
    query: filterSchema.extend({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    response: z.object({
      items: z.array(
        z.object({
          id: z.number().int(),
          occurredAt: z.string(),
          actor: z.string().nullable(),
          action: z.string(),
          entityType: z.string().nullable(),
          entityId: z.string().nullable(),
          summary: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
    handler: async ({ tenant, query }) => {
      const rows = await listAuditEntries(tenant.tx, tenant.association.id, { ...query, beforeId: query.before });
      return {
        items: rows.map((row) => ({
          id: row.id,
          occurredAt: row.occurred_at,
          actor: row.actor_label,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          summary: row.summary,
        })),
      };
    },
  });
}
