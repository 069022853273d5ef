import { insertAuditEntry } from "../audit/repository.js";
import { roleNames } from "../platform/auth/policy.js";
import type { Role } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";
import type { Mail } from "../platform/mail/mailer.js";
import { createOneTimeLink } from "./one-time-links.js";
import { findRole, findUserByEmail, insertUser, upsertRole } from "./repository.js";

export type InviteUserOptions = {
  tx: Tx;
  association: { id: string; name: string };
  actor: { id: string; label: string };
  email: string;
  name: string;
  role: Role;
  publicUrl: string;
};

/**
 * Gives a person a role in the association. A new person gets an account without password and an invitation
 * link to choose one; someone who already has an account is told by e-mail. Returns the mail to send after commit.
 */
export async function inviteUser(
  options: InviteUserOptions,
): Promise<{ userId: string; mail: Mail; alreadyMember: boolean }> {
  const { tx, association } = options;
  let user = await findUserByEmail(tx, options.email);
  user ??= await insertUser(tx, { email: options.email, name: options.name, passwordHash: null });
  const previousRole = await findRole(tx, association.id, user.id);
  await upsertRole(tx, association.id, user.id, options.role);
  await insertAuditEntry(tx, {
    associationId: association.id,
    actor: options.actor,
    action: previousRole ? "user.role_changed" : "user.invited",
    entityType: "user",
    entityId: user.id,
    summary: { role: options.role, ...(previousRole ? { previousRole } : {}) },
  });
  const roleText = roleNames[options.role].toLowerCase();
  if (user.password_hash) {
    return {
      userId: user.id,
      alreadyMember: previousRole !== undefined,
      mail: {
        to: user.email,
        subject: `Du har fått en roll i ${association.name}`,
        text: `Hej ${user.name}!\n\nDu har fått rollen ${roleText} i ${association.name} i Samordna. Logga in som vanligt:\n\n${options.publicUrl}/login`,
      },
    };
  }
  const link = await createOneTimeLink(tx, options.publicUrl, user.id, "invitation");
  return {
    userId: user.id,
    alreadyMember: previousRole !== undefined,
    mail: {
      to: user.email,
      subject: `Inbjudan till ${association.name} i Samordna`,
      text: `Hej ${options.name}!\n\nDu är inbjuden till ${association.name} i Samordna med rollen ${roleText}. Följ länken inom sju dagar för att välja lösenord och aktivera ditt konto:\n\n${link}`,
    },
  };
}
