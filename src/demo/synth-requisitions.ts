import { randomUUID } from "node:crypto";
import type { Insertable } from "kysely";
import type { RepaymentTable, RequisitionLineTable, RequisitionTable } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import {
  DAY,
  duringOfficeHours,
  insertRows,
  isoDate,
  largestRemainder,
  officerOf,
  type Rng,
  type SynthAssociation,
  type SynthIntervention,
} from "./synth-support.js";

/** Synthetic rekvisitioner per quarter of every granted insats, and återföringar of unused money after the end. */

const returnComments = [
  "Underlag för lönekostnaderna saknas.",
  "Perioden överlappar den förra rekvisitionen.",
  "Beloppen per kostnadsslag stämmer inte med bilagan.",
];
const overGrantReasons = [
  "Fler deltagare än planerat; styrelsen godkände merkostnaden.",
  "Ökade lönekostnader efter avtalsrörelsen, godkända av förbundschefen.",
];
const finished = new Set(["ended", "final_report_submitted", "final_report_approved"]);

/** The calendar quarters of the insats's period within one year, cut to the period: a requisition never spans years. */
function quarters(intervention: SynthIntervention, year: number) {
  const start = Date.parse(intervention.startDate);
  const end = Date.parse(intervention.endDate);
  const slices: { from: number; to: number; days: number }[] = [];
  for (let q = 0; q < 4; q++) {
    const from = Math.max(Date.UTC(year, 3 * q, 1), start);
    const to = Math.min(Date.UTC(year, 3 * q + 3, 0), end);
    if (from <= to) slices.push({ from, to, days: (to - from) / DAY + 1 });
  }
  return slices;
}

/**
 * Each quarter's costs are claimed some weeks after it ends and decided some weeks later; claims made after `now` are
 * left out, and decisions after `now` are still pending. Most insatser use 80–100 % of their grant and stay within
 * each year's grant; a few use much less, and a few spend more, approved with a reason as the förbund must give.
 */
export async function generateRequisitions(tx: Tx, target: SynthAssociation, rng: Rng) {
  const now = target.now.getTime();
  const associationId = target.association.id;
  const officer = officerOf(target);
  const requisitions: Insertable<RequisitionTable>[] = [];
  const lines: Insertable<RequisitionLineTable>[] = [];
  const repayments: Insertable<RepaymentTable>[] = [];

  for (const intervention of target.interventions) {
    if (intervention.grants.length === 0) continue;
    const kind = rng.next();
    const overspends = kind < 0.05;
    const use = overspends ? 1.05 + rng.next() * 0.1 : kind < 0.15 ? 0.4 + rng.next() * 0.35 : 0.8 + rng.next() * 0.2;
    const granted = intervention.grants.reduce((sum, grant) => sum + grant.amountOre, 0n);
    let approved = 0n;
    claims: for (const grant of intervention.grants) {
      const yearGrant = Number(grant.amountOre / 100n);
      const slices = quarters(intervention, grant.year);
      const daysInYear = slices.reduce((sum, slice) => sum + slice.days, 0);
      let claimedInYear = 0;
      for (const slice of slices) {
        const submittedAt = duringOfficeHours(slice.to + rng.int(10, 45) * DAY, rng);
        if (submittedAt > now) break claims;
        const wanted = Math.round(((yearGrant * slice.days) / daysInYear) * use * (0.85 + rng.next() * 0.3));
        const kronor = overspends ? wanted : Math.min(wanted, yearGrant - claimedInYear);
        if (kronor <= 0) continue;
        claimedInYear += kronor;
        const amountOre = BigInt(kronor) * 100n;
        const decidedAt = duringOfficeHours(submittedAt + rng.int(3, 25) * DAY, rng);
        const returned = decidedAt <= now && decidedAt > now - 60 * DAY && rng.next() < 0.2;
        const status = decidedAt > now ? "submitted" : returned ? "returned" : "approved";
        const overGrant = status === "approved" && approved + amountOre > granted;
        if (status === "approved") approved += amountOre;
        const id = randomUUID();
        requisitions.push({
          association_id: associationId,
          id,
          intervention_id: intervention.id,
          period_start: isoDate(slice.from),
          period_end: isoDate(slice.to),
          status,
          submitted_by: intervention.contact.id,
          submitted_by_label: intervention.contact.name,
          submitted_at: new Date(submittedAt),
          ...(status === "submitted"
            ? {}
            : { decided_by: officer.id, decided_by_label: officer.name, decided_at: new Date(decidedAt) }),
          decision_comment: returned ? rng.pick(returnComments) : null,
          over_grant_reason: overGrant ? rng.pick(overGrantReasons) : null,
          // A decision is a change of the requisition, as in decideRequisition.
          version: status === "submitted" ? 1 : 2,
        });
        const weights = intervention.costShares.map((share) => share.weight * (0.7 + rng.next() * 0.6));
        largestRemainder(kronor, weights).forEach((part, i) => {
          if (part === 0) return;
          lines.push({
            association_id: associationId,
            requisition_id: id,
            cost_category: intervention.costShares[i]!.category,
            amount_ore: BigInt(part) * 100n,
          });
        });
      }
    }

    const unused = granted - approved;
    if (finished.has(intervention.status) && unused >= 100_000n && rng.next() < 0.25) {
      const repaidOn = Date.parse(intervention.endDate) + rng.int(30, 150) * DAY;
      const recordedAt = duringOfficeHours(repaidOn + rng.int(0, 10) * DAY, rng);
      const kronor = Math.floor((Number(unused / 100n) * (0.2 + rng.next() * 0.8)) / 100) * 100;
      if (recordedAt <= now) {
        repayments.push({
          association_id: associationId,
          intervention_id: intervention.id,
          amount_ore: BigInt(kronor) * 100n,
          repaid_on: isoDate(repaidOn),
          note: "Oförbrukade medel återförda efter insatsens slut.",
          recorded_by: officer.id,
          recorded_by_label: officer.name,
          recorded_at: new Date(recordedAt),
        });
      }
    }
  }
  await insertRows(tx, "requisition", requisitions);
  await insertRows(tx, "requisition_line", lines);
  await insertRows(tx, "repayment", repayments);
}
