import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { loadIntervention } from "./access.js";
import { insertComment } from "./repository.js";

export type AddCommentOptions = { tenant: Tenant; interventionId: string; body: string };

/** A message in the conversation about the application, seen by the förbund's staff and the insatsägare alike. */
export async function addComment({ tenant, interventionId, body }: AddCommentOptions) {
  await loadIntervention(tenant, interventionId);
  await insertComment(tenant.tx, tenant.association.id, { interventionId, body, user: tenant.user });
  await audit(tenant, "intervention.comment", { type: "intervention", id: interventionId });
}
