import { sql } from "kysely";
import type { Tx } from "../platform/db/scope.js";

export type AuditEntry = {
  associationId: string | null;
  actor: { id: string; label: string } | null;
  /** dotted verb, e.g. "member.create", "user.login_failed" */
  action: string;
  entityType?: string;
  entityId?: string;
  /** What changed, as field names and non-personal values. Never a personal identity value. */
  summary?: Record<string, unknown>;
  requestId?: string;
};

export async function insertAuditEntry(tx: Tx, entry: AuditEntry) {
  await tx
    .insertInto("audit_log")
    .values({
      association_id: entry.associationId,
      actor_user_id: entry.actor?.id ?? null,
      actor_label: entry.actor?.label ?? null,
      action: entry.action,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      summary: JSON.stringify(entry.summary ?? {}),
      request_id: entry.requestId ?? null,
    })
    .execute();
}

export type AuditFilter = {
  action?: string | undefined;
  actor?: string | undefined;
  entityType?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  beforeId?: bigint | undefined;
  limit: number;
};

/** Newest first, keyset-paginated on id so that paging stays fast however long the log grows. */
export function listAuditEntries(tx: Tx, associationId: string, filter: AuditFilter) {
  let query = tx
    .selectFrom("audit_log")
    .selectAll()
    .where("association_id", "=", associationId)
    .orderBy("id", "desc")
    .limit(filter.limit);
  if (filter.action) query = query.where("action", "like", `${escapeLike(filter.action)}%`);
  if (filter.actor) query = query.where("actor_label", "ilike", `%${escapeLike(filter.actor)}%`);
  if (filter.entityType) query = query.where("entity_type", "=", filter.entityType);
  // Dates are Swedish calendar days.
  if (filter.from) query = query.where("occurred_at", ">=", swedishMidnight(filter.from, 0));
  if (filter.to) query = query.where("occurred_at", "<", swedishMidnight(filter.to, 1));
  if (filter.beforeId !== undefined) query = query.where("id", "<", filter.beforeId);
  return query.execute();
}

export async function listAuditActions(tx: Tx, associationId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom("audit_log")
    .select("action")
    .distinct()
    .where("association_id", "=", associationId)
    .orderBy("action")
    .execute();
  return rows.map((row) => row.action);
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function swedishMidnight(day: string, addDays: number) {
  return sql<Date>`((${day}::date + ${addDays}::int)::timestamp at time zone 'Europe/Stockholm')`;
}
