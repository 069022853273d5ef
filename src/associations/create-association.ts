import { inviteUser } from "../accounts/invite-user.js";
import { insertAuditEntry } from "../audit/repository.js";
import type { Tx } from "../platform/db/scope.js";
import { enterAssociation } from "../platform/db/scope.js";
import { conflict } from "../platform/http/errors.js";
import type { Mail } from "../platform/mail/mailer.js";
import { findAssociationBySlug, insertAssociation } from "./repository.js";

export type CreateAssociationOptions = {
  tx: Tx;
  actor: { id: string; label: string };
  publicUrl: string;
  input: { slug: string; name: string; organisationNumber?: string | undefined; adminEmail: string; adminName: string };
};

/** A platform administrator creates an association and invites its first administrator, in one transaction. */
export async function createAssociation({ tx, actor, publicUrl, input }: CreateAssociationOptions) {
  if (await findAssociationBySlug(tx, input.slug)) {
    throw conflict("Adressnamnet används redan av ett annat förbund.", [
      { path: "slug", message: "Adressnamnet används redan." },
    ]);
  }
  const association = await insertAssociation(tx, input);
  await enterAssociation(tx, association.id);
  await insertAuditEntry(tx, {
    associationId: association.id,
    actor,
    action: "association.create",
    entityType: "association",
    entityId: association.id,
    summary: { slug: association.slug, name: association.name },
  });
  const invitation: { mail: Mail } = await inviteUser({
    tx,
    association,
    actor,
    email: input.adminEmail,
    name: input.adminName,
    role: "admin",
    publicUrl,
  });
  return { association, mail: invitation.mail };
}
