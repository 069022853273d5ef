import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { findUserByEmail, insertUser, updatePassword, upsertRole } from "../accounts/repository.js";
import { findAssociationBySlug, insertAssociation, insertMember } from "../associations/repository.js";
import { insertAuditEntry } from "../audit/repository.js";
import { hashPassword } from "../platform/auth/password.js";
import type { DB, MemberType, Role } from "../platform/db/schema.js";
import { enterAssociation, outsideAssociation } from "../platform/db/scope.js";

/** Everything here is fictional: names, e-mail addresses and organisation numbers. */
export const DEMO_SLUG = "exempel";

const demoMembers: { name: string; type: MemberType; organisationNumber: string | null; basisPoints: number }[] = [
  // The state's half is paid by Försäkringskassan, also on behalf of Arbetsförmedlingen.
  { name: "Försäkringskassan", type: "fk", organisationNumber: null, basisPoints: 5000 },
  { name: "Arbetsförmedlingen", type: "af", organisationNumber: null, basisPoints: 0 },
  { name: "Region Exempel", type: "region", organisationNumber: "232100-9918", basisPoints: 2500 },
  { name: "Exempelby kommun", type: "kommun", organisationNumber: "212000-9911", basisPoints: 1500 },
  { name: "Lillby kommun", type: "kommun", organisationNumber: "212000-9929", basisPoints: 1000 },
];

export const demoUsers: { email: string; name: string; role: Role | "superadmin" }[] = [
  { email: "forbundschef@exempel.test", name: "Eva Exempelsson", role: "admin" },
  { email: "handlaggare@exempel.test", name: "Oskar Provström", role: "officer" },
  { email: "insatsagare@exempel.test", name: "Maja Testberg", role: "owner_contact" },
  { email: "styrelse@exempel.test", name: "Nils Påhittsson", role: "board" },
  { email: "revisor@exempel.test", name: "Greta Fiktiv", role: "auditor" },
  { email: "plattform@exempel.test", name: "Plattformsadministratör", role: "superadmin" },
];

export type DemoResult = { created: boolean; password: string; generated: boolean };

/**
 * Creates the demo association "Samordningsförbundet Exempel" with members and one user per role, once. On every
 * call the demo users get the given (or a new, printed) password, so whoever runs `npm start` can always log in.
 */
export async function loadDemo(
  db: Kysely<DB>,
  options: { env: string; password?: string | undefined },
): Promise<DemoResult> {
  if (options.env === "production")
    throw new Error("The demo association is never loaded in production (NODE_ENV=production).");
  const generated = options.password === undefined;
  const password = options.password ?? randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const created = await outsideAssociation(db, async (tx) => {
    const existing = await findAssociationBySlug(tx, DEMO_SLUG);
    const association =
      existing ??
      (await insertAssociation(tx, {
        slug: DEMO_SLUG,
        name: "Samordningsförbundet Exempel",
        organisationNumber: "222000-9910",
      }));
    await enterAssociation(tx, association.id);
    if (!existing) {
      for (const member of demoMembers) {
        await insertMember(tx, association.id, {
          name: member.name,
          type: member.type,
          organisationNumber: member.organisationNumber ?? undefined,
          fundingShareBasisPoints: member.basisPoints,
        });
      }
      await insertAuditEntry(tx, {
        associationId: association.id,
        actor: null,
        action: "association.create",
        entityType: "association",
        entityId: association.id,
        summary: { slug: DEMO_SLUG, demo: true },
      });
    }
    for (const demoUser of demoUsers) {
      const user =
        (await findUserByEmail(tx, demoUser.email)) ??
        (await insertUser(tx, {
          email: demoUser.email,
          name: demoUser.name,
          passwordHash,
          isSuperadmin: demoUser.role === "superadmin",
        }));
      await updatePassword(tx, user.id, passwordHash);
      if (!existing && demoUser.role !== "superadmin") await upsertRole(tx, association.id, user.id, demoUser.role);
    }
    return !existing;
  });
  return { created, password, generated };
}

export function printDemoLogins(url: string, demo: DemoResult) {
  const lines = [
    "",
    "  Samordna demo: Samordningsförbundet Exempel",
    `  Öppna ${url}/login och logga in med en av användarna nedan.`,
    "",
    ...demoUsers.map((user) => `    ${user.email.padEnd(28)} ${user.role}`),
    "",
    `  Lösenord för alla: ${demo.password}${demo.generated ? "  (nytt vid varje start; sätt SAMORDNA_DEMO_PASSWORD för ett fast)" : ""}`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
