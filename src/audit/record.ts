import type { Tenant } from "../platform/http/env.js";
import { insertAuditEntry } from "./repository.js";

/** Records what a user did in an association, in the same transaction as the change itself. */
export function audit(
  tenant: Tenant,
  action: string,
  entity: { type: string; id: string } | undefined,
  summary: Record<string, unknown> = {},
) {
  return insertAuditEntry(tenant.tx, {
    associationId: tenant.association.id,
    actor: { id: tenant.user.id, label: tenant.user.email },
    action,
    ...(entity ? { entityType: entity.type, entityId: entity.id } : {}),
    summary,
  });
}
