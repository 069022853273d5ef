import type { Role } from "../db/schema.js";

export const roles = ["admin", "officer", "owner_contact", "board", "auditor"] as const satisfies readonly Role[];

export const roleNames: Record<Role, string> = {
  admin: "Administratör (förbundschef/kansli)",
  officer: "Handläggare",
  owner_contact: "Kontaktperson för insatsägare",
  board: "Styrelseledamot",
  auditor: "Revisor",
};

const everyone = roles;
const staff = ["admin", "officer"] as const;

/**
 * Who may do what within an association: the single source for authorisation. Routes name one permission each;
 * row-level security is the second wall beneath. `owner_contact` is further limited to the insatser of the
 * organisations it is a contact for (interventions/visibility.ts), and may change an insats only while the
 * lifecycle gives the move to the insatsägare (interventions/lifecycle.ts).
 */
export const policy = {
  "association.read": everyone,
  "member.read": ["admin", "officer", "auditor"],
  "member.write": ["admin"],
  "user.read": ["admin"],
  "user.write": ["admin"],
  "audit_log.read": ["admin"],
  "api_token.manage_own": everyone,
  "api_token.manage_all": ["admin"],
  "organisation.read": ["admin", "officer", "owner_contact"],
  "organisation.write": staff,
  "intervention.read": ["admin", "officer", "owner_contact"],
  "intervention.write": ["admin", "officer", "owner_contact"],
  "intervention.manage": staff,
  "participant.read": ["admin", "officer", "owner_contact"],
  "participant.write": ["admin", "officer", "owner_contact"],
  // Identities (personnummer, name): the förbund's administrator and the insatsägare's contact of that insats only;
  // every read is in the audit log. Officers work with pseudonyms.
  "participant.identity.read": ["admin", "owner_contact"],
  "participant_privacy.manage": ["admin"],
  "participant_statistics.read": everyone,
  // The board follows the economy in its reports; the kansli keeps the books in order; settings that change how
  // every statement is printed are the förbundschef's.
  "economy.read": ["admin", "officer", "board", "auditor"],
  "economy.write": staff,
  "economy_settings.manage": ["admin"],
  "board_material.read": ["admin", "officer", "board"],
  "board_material.write": ["admin"],
  "report.read": ["admin", "officer", "board", "auditor"],
  "report.write": staff,
  "report_template.manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof policy;

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && (policy[permission] as readonly Role[]).includes(role);
}

/** Permissions that only read; a read-scoped API token is limited to these. */
export function isReadPermission(permission: Permission): boolean {
  return permission.endsWith(".read");
}
