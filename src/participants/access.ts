import { loadIntervention } from "../interventions/access.js";
import type { Tenant } from "../platform/http/env.js";
import { notFound } from "../platform/http/errors.js";
import { findEnrolment } from "./repository.js";

/**
 * An enrolment in an insats the caller may see (staff: all; an insatsägare's contact: its organisations' insatser),
 * or the same 404 as for one that does not exist.
 */
export async function loadEnrolment(tenant: Tenant, interventionId: string, enrolmentId: string) {
  const intervention = await loadIntervention(tenant, interventionId);
  const enrolment = await findEnrolment(tenant.tx, tenant.association.id, intervention.id, enrolmentId);
  if (!enrolment) throw notFound();
  return { intervention, enrolment };
}
