import { listMembers } from "../associations/repository.js";
import { loadIntervention } from "../interventions/access.js";
import type { Keyring } from "../platform/crypto/keyring.js";
import { csvDocument } from "../platform/export/csv.js";
import { cell } from "../platform/export/document.js";
import { renderXlsx } from "../platform/export/xlsx.js";
import type { Tenant } from "../platform/http/env.js";
import type { Table } from "../platform/import/table-file.js";
import { revealIdentities } from "./identity.js";
import { exportCells, participantColumns, protectFormula } from "./participant-columns.js";
import { listEnrolments } from "./repository.js";

/**
 * An insats's participants with their identities, in the columns the import reads (participant-columns.ts), so that
 * the file can be imported into another insats. Reading the identities is recorded as one audit entry.
 */
export async function participantExport(tenant: Tenant, keyring: Keyring, interventionId: string) {
  const intervention = await loadIntervention(tenant, interventionId);
  const associationId = tenant.association.id;
  const enrolments = (await listEnrolments(tenant.tx, associationId, interventionId)).reverse();
  const members = new Map((await listMembers(tenant.tx, associationId)).map((member) => [member.id, member.name]));
  const identities = await revealIdentities({
    tenant,
    keyring,
    participantIds: [...new Set(enrolments.filter((row) => row.has_identity).map((row) => row.participant_id))],
    purpose: "export",
  });
  const table: Table = {
    headers: participantColumns.map((column) => column.header),
    rows: enrolments.map((row) =>
      exportCells({
        identity: identities.get(row.participant_id),
        gender: row.gender,
        birthYear: row.birth_year,
        enrolledOn: row.enrolled_on,
        referrerName: row.referrer_member_id === null ? null : (members.get(row.referrer_member_id) ?? null),
        incomeSourceAtEnrolment: row.income_source_at_enrolment,
        targetAtStart: row.target_at_start,
        consentOn: row.consent_on,
        consentVersion: row.consent_version,
        exitedOn: row.exited_on,
        exitReason: row.exit_reason,
        incomeSourceAtExit: row.income_source_at_exit,
      }),
    ),
  };
  return { intervention, table };
}

/** A cell that a spreadsheet would run as a formula is written as text. */
export function participantCsv({ headers, rows }: Table): Buffer {
  return Buffer.from(csvDocument([headers, ...rows.map((row) => row.map(protectFormula))]), "utf8");
}

/** Every cell is text, so that a personnummer or a date stays as written. */
export function participantXlsx({ headers, rows }: Table, title: string): Promise<Buffer> {
  return renderXlsx(
    [
      {
        name: "Deltagare",
        table: {
          type: "table",
          columns: headers.map((header) => ({ header })),
          rows: rows.map((row) => row.map((text) => cell(text))),
        },
      },
    ],
    { title },
  );
}
