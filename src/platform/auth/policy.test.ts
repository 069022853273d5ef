import { describe, expect, it } from "vitest";
import type { Role } from "../db/schema.js";
import { can, isReadPermission, type Permission, policy, roles } from "./policy.js";

/**
 * The role table of the foundation issue, written out by hand so that a change to the policy must be a deliberate
 * change here too: admin (förbundschef/kansli) everything; officer works with insatser, deltagare, ekonomi and
 * board material but does not manage users or the log; staff (admin, officer) keep the organisation registry and
 * make the förbund's moves in an insats's lifecycle; owner_contact only the insatser of its own organisations and
 * their participants (with identities; officers see pseudonyms, only admin reads identities association-wide); board
 * and auditor read participant statistics; board reads board material and reports; board and auditor read the economy; auditor reads reports.
 */
const expected: Record<Permission, Role[]> = {
  "association.read": ["admin", "officer", "owner_contact", "board", "auditor"],
  "member.read": ["admin", "officer", "auditor"],
  "member.write": ["admin"],
  "user.read": ["admin"],
  "user.write": ["admin"],
  "audit_log.read": ["admin"],
  "api_token.manage_own": ["admin", "officer", "owner_contact", "board", "auditor"],
  "api_token.manage_all": ["admin"],
  "organisation.read": ["admin", "officer", "owner_contact"],
  "organisation.write": ["admin", "officer"],
  "intervention.read": ["admin", "officer", "owner_contact"],
  "intervention.write": ["admin", "officer", "owner_contact"],
  "intervention.manage": ["admin", "officer"],
  "participant.read": ["admin", "officer", "owner_contact"],
  "participant.write": ["admin", "officer", "owner_contact"],
  "participant.identity.read": ["admin", "owner_contact"],
  "participant_privacy.manage": ["admin"],
  "participant_statistics.read": ["admin", "officer", "owner_contact", "board", "auditor"],
  "economy.read": ["admin", "officer", "board", "auditor"],
  "economy.write": ["admin", "officer"],
  "economy_settings.manage": ["admin"],
  "board_material.read": ["admin", "officer", "board"],
  "board_material.write": ["admin"],
  "report.read": ["admin", "officer", "board", "auditor"],
  "report.write": ["admin", "officer"],
  "report_template.manage": ["admin"],
};

describe("who may do what", () => {
  it("covers exactly the permissions of the table", () => {
    expect(Object.keys(policy).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [permission, allowed] of Object.entries(expected) as [Permission, Role[]][]) {
    for (const role of roles) {
      const may = allowed.includes(role);
      it(`${role} ${may ? "may" : "may not"} ${permission}`, () => {
        expect(can(role, permission)).toBe(may);
      });
    }
  }

  it("grants nothing without a role", () => {
    for (const permission of Object.keys(policy) as Permission[]) expect(can(undefined, permission)).toBe(false);
  });

  it("lets the board and the auditor only read", () => {
    for (const permission of Object.keys(policy) as Permission[]) {
      if (permission === "api_token.manage_own") continue;
      for (const role of ["board", "auditor"] as const) {
        if (can(role, permission)) expect(isReadPermission(permission), `${role} ${permission}`).toBe(true);
      }
    }
  });
});
