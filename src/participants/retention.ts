import type { Kysely } from "kysely";
import { insertAuditEntry } from "../audit/repository.js";
import type { DB } from "../platform/db/schema.js";
import { inAssociation, outsideAssociation } from "../platform/db/scope.js";
import { anonymiseParticipants, participantsDueForAnonymisation } from "./repository.js";

export type RetentionSummary = { associations: number; anonymised: number };

/**
 * Gallring: removes the identity of every participant whose last exit lies further back than the association's
 * retention time, keeping the pseudonymous rows that statistics count. Idempotent, so the hourly housekeeping may run
 * it as often as it likes; each association is its own transaction, audited without an actor (the system did it).
 */
export async function anonymiseExpired(db: Kysely<DB>, today: string): Promise<RetentionSummary> {
  const associations = await outsideAssociation(db, (tx) =>
    tx.selectFrom("association").select("id").orderBy("id").execute(),
  );
  const summary: RetentionSummary = { associations: 0, anonymised: 0 };
  for (const { id } of associations) {
    const count = await inAssociation(db, id, async (tx) => {
      const due = await participantsDueForAnonymisation(tx, id, today);
      if (due.length === 0) return 0;
      await anonymiseParticipants(tx, id, due);
      await insertAuditEntry(tx, {
        associationId: id,
        actor: null,
        action: "participant.anonymise",
        summary: { count: due.length, today },
      });
      return due.length;
    });
    if (count > 0) {
      summary.associations += 1;
      summary.anonymised += count;
    }
  }
  return summary;
}
