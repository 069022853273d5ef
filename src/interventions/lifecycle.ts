import type { InterventionStatus } from "../platform/db/schema.js";

/** The statuses in the order an insats passes through them (avslagen is a dead end beside beviljad). */
export const interventionStatuses = [
  "draft",
  "submitted",
  "in_preparation",
  "granted",
  "rejected",
  "ongoing",
  "ended",
  "final_report_submitted",
  "final_report_approved",
] as const satisfies readonly InterventionStatus[];

export const statusNames: Record<InterventionStatus, string> = {
  draft: "Utkast",
  submitted: "Inskickad ansökan",
  in_preparation: "Under beredning",
  granted: "Beviljad",
  rejected: "Avslagen",
  ongoing: "Pågående",
  ended: "Avslutad",
  final_report_submitted: "Slutrapport inlämnad",
  final_report_approved: "Slutrapport godkänd",
};

/**
 * Who makes a move: the insatsägare (its contact persons, or the förbund's staff on its behalf) or only the staff.
 * `needs` names what the move requires: a comment (a return or a rejection must say why) or a recorded decision.
 */
export type Transition = {
  from: InterventionStatus;
  to: InterventionStatus;
  action: string;
  by: "owner" | "staff";
  needs?: "comment" | "decision";
};

/** Every legal move; anything not listed is refused. */
export const transitions: readonly Transition[] = [
  { from: "draft", to: "submitted", action: "Skicka in ansökan", by: "owner" },
  { from: "submitted", to: "in_preparation", action: "Ta upp till beredning", by: "staff" },
  { from: "submitted", to: "draft", action: "Återsänd till insatsägaren", by: "staff", needs: "comment" },
  { from: "in_preparation", to: "draft", action: "Återsänd till insatsägaren", by: "staff", needs: "comment" },
  { from: "in_preparation", to: "granted", action: "Bevilja", by: "staff", needs: "decision" },
  { from: "in_preparation", to: "rejected", action: "Avslå", by: "staff", needs: "comment" },
  { from: "granted", to: "ongoing", action: "Starta insatsen", by: "staff" },
  { from: "ongoing", to: "ended", action: "Avsluta insatsen", by: "staff" },
  { from: "ended", to: "final_report_submitted", action: "Lämna in slutrapport", by: "owner" },
  { from: "final_report_submitted", to: "ended", action: "Återsänd slutrapporten", by: "staff", needs: "comment" },
  { from: "final_report_submitted", to: "final_report_approved", action: "Godkänn slutrapporten", by: "staff" },
];

export function findTransition(from: InterventionStatus, to: InterventionStatus): Transition | undefined {
  return transitions.find((transition) => transition.from === from && transition.to === to);
}

/** The moves open from a status to someone who is staff (admin, officer) or not (the insatsägare's contact). */
export function transitionsFrom(status: InterventionStatus, isStaff: boolean): Transition[] {
  return transitions.filter((transition) => transition.from === status && (isStaff || transition.by === "owner"));
}

/** The insatsägare may change the insats's own text only while the application is a draft. */
export function ownerMayEdit(status: InterventionStatus): boolean {
  return status === "draft";
}
