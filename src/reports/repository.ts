import { sql } from "kysely";
import type { ReportKind, ReportStatus } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";

/** All SQL of report templates and reports. */

export function listTemplates(tx: Tx, associationId: string) {
  return tx
    .selectFrom("report_template as t")
    .selectAll("t")
    .select((eb) =>
      eb
        .selectFrom("report as r")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("r.association_id", "=", "t.association_id")
        .whereRef("r.template_key", "=", "t.key")
        .as("report_count"),
    )
    .where("t.association_id", "=", associationId)
    .orderBy("t.key")
    .execute();
}

export function findTemplateRow(tx: Tx, associationId: string, key: string) {
  return tx
    .selectFrom("report_template")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("key", "=", key)
    .executeTakeFirst();
}

export async function insertTemplate(
  tx: Tx,
  associationId: string,
  template: { key: string; basedOn: string; definition: unknown; createdBy: string },
) {
  await tx
    .insertInto("report_template")
    .values({
      association_id: associationId,
      key: template.key,
      based_on: template.basedOn,
      definition: JSON.stringify(template.definition),
      created_by_label: template.createdBy,
    })
    .execute();
}

export async function updateTemplateDefinition(tx: Tx, associationId: string, key: string, definition: unknown) {
  await tx
    .updateTable("report_template")
    .set({ definition: JSON.stringify(definition) })
    .where("association_id", "=", associationId)
    .where("key", "=", key)
    .execute();
}

export async function countReportsUsing(tx: Tx, associationId: string, templateKey: string) {
  const row = await tx
    .selectFrom("report")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("association_id", "=", associationId)
    .where("template_key", "=", templateKey)
    .executeTakeFirstOrThrow();
  return row.n;
}

export function listTemplateDefaults(tx: Tx, associationId: string) {
  return tx
    .selectFrom("report_template_default")
    .select(["kind", "template_key"])
    .where("association_id", "=", associationId)
    .execute();
}

export async function upsertTemplateDefault(tx: Tx, associationId: string, kind: ReportKind, templateKey: string) {
  await tx
    .insertInto("report_template_default")
    .values({ association_id: associationId, kind, template_key: templateKey })
    .onConflict((oc) => oc.columns(["association_id", "kind"]).doUpdateSet({ template_key: templateKey }))
    .execute();
}

export function listReports(tx: Tx, associationId: string, interventionId: string) {
  return tx
    .selectFrom("report")
    .select(["id", "kind", "template_key", "status", "submitted_at", "arrival_date", "imported_from", "created_at"])
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .orderBy("created_at")
    .execute();
}

export function findReport(tx: Tx, associationId: string, interventionId: string, reportId: string) {
  return tx
    .selectFrom("report")
    .selectAll()
    .where("association_id", "=", associationId)
    .where("intervention_id", "=", interventionId)
    .where("id", "=", reportId)
    .executeTakeFirst();
}

export function insertReport(
  tx: Tx,
  associationId: string,
  report: {
    interventionId: string;
    kind: ReportKind;
    templateKey: string;
    template: unknown;
    answers: unknown;
    importedFrom?: string | undefined;
  },
) {
  return tx
    .insertInto("report")
    .values({
      association_id: associationId,
      intervention_id: report.interventionId,
      kind: report.kind,
      template_key: report.templateKey,
      template: JSON.stringify(report.template),
      answers: JSON.stringify(report.answers),
      imported_from: report.importedFrom ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Saves the answers only over the version the writer started from; undefined means someone saved in between. */
export function updateAnswers(tx: Tx, associationId: string, reportId: string, version: number, answers: unknown) {
  return tx
    .updateTable("report")
    .set((eb) => ({ answers: JSON.stringify(answers), version: eb("version", "+", 1), updated_at: sql`now()` }))
    .where("association_id", "=", associationId)
    .where("id", "=", reportId)
    .where("version", "=", version)
    .where("status", "in", ["draft", "returned"])
    .returningAll()
    .executeTakeFirst();
}

/** Moves the report only from the status the caller saw, so two people pressing the same button move it once. */
export function moveReport(
  tx: Tx,
  associationId: string,
  reportId: string,
  from: readonly ReportStatus[],
  change: {
    status: ReportStatus;
    submittedBy?: string;
    decidedBy?: string;
    decisionComment?: string | undefined;
  },
) {
  return tx
    .updateTable("report")
    .set((eb) => ({
      status: change.status,
      version: eb("version", "+", 1),
      updated_at: sql`now()`,
      ...(change.submittedBy ? { submitted_by_label: change.submittedBy, submitted_at: sql`now()` } : {}),
      ...(change.decidedBy
        ? {
            decided_by_label: change.decidedBy,
            decided_at: sql`now()`,
            decision_comment: change.decisionComment ?? null,
          }
        : {}),
    }))
    .where("association_id", "=", associationId)
    .where("id", "=", reportId)
    .where("status", "in", [...from])
    .returningAll()
    .executeTakeFirst();
}

export async function registerArrival(
  tx: Tx,
  associationId: string,
  reportId: string,
  arrival: { arrivalDate: string; registryNumber?: string | undefined },
) {
  await tx
    .updateTable("report")
    .set((eb) => ({
      arrival_date: arrival.arrivalDate,
      registry_number: arrival.registryNumber ?? null,
      version: eb("version", "+", 1),
      updated_at: sql`now()`,
    }))
    .where("association_id", "=", associationId)
    .where("id", "=", reportId)
    .execute();
}
