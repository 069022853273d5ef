import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { findUserByEmail, insertUser, updatePassword, upsertRole } from "../accounts/repository.js";
import { findAssociationBySlug, insertAssociation, insertMember } from "../associations/repository.js";
import { insertAuditEntry } from "../audit/repository.js";
import {
  insertIntervention,
  insertStatusChange,
  replaceGrants,
  updateStatus,
  upsertPartner,
} from "../interventions/repository.js";
import { insertContact, insertOrganisation } from "../organisations/repository.js";
import { hashPassword } from "../platform/auth/password.js";
import type { DB, MemberType, Role } from "../platform/db/schema.js";
import { enterAssociation, outsideAssociation, type Tx } from "../platform/db/scope.js";

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
    const memberIds = new Map<string, string>();
    if (!existing) {
      for (const member of demoMembers) {
        const { id } = await insertMember(tx, association.id, {
          name: member.name,
          type: member.type,
          organisationNumber: member.organisationNumber ?? undefined,
          fundingShareBasisPoints: member.basisPoints,
        });
        memberIds.set(member.name, id);
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
      if (!existing && demoUser.role === "owner_contact") {
        await loadDemoInterventions(tx, association.id, memberIds, user);
      }
    }
    return !existing;
  });
  return { created, password, generated };
}

/**
 * Organisations and three insatser in different stages, so that every page has something to show: one running
 * with money granted for two years, one ended, and an application the demo's insatsägare is still drafting.
 */
async function loadDemoInterventions(
  tx: Tx,
  associationId: string,
  memberIds: Map<string, string>,
  ownerContact: { id: string; name: string },
) {
  const organisation = async (name: string, member?: string) =>
    (await insertOrganisation(tx, associationId, { name, memberId: member ? memberIds.get(member) : undefined })).id;
  const employment = await organisation("Exempelby kommun, arbetsmarknadsenheten", "Exempelby kommun");
  const clinic = await organisation("Region Exempel, vårdcentralen Centrum", "Region Exempel");
  const office = await organisation("Arbetsförmedlingen, Exempelby", "Arbetsförmedlingen");
  const association = await organisation("Föreningen Steget");
  await insertContact(tx, associationId, employment, ownerContact.id);
  const demoData = { id: null, name: "Demodata" };

  const insatser = [
    {
      name: "Arbetsträning Exempelby",
      owner: employment,
      kind: "individual" as const,
      period: ["2026-01-01", "2027-12-31"],
      decision: ["§ 14", "2025-11-20", "SF 2025/31"],
      grants: [
        [2026, 85_000_000n],
        [2027, 90_000_000n],
      ] as const,
      partners: [
        [office, "co_applicant"],
        [association, "cooperating_partner"],
      ] as const,
      path: ["submitted", "in_preparation", "granted", "ongoing"] as const,
    },
    {
      name: "Hälsolots Lillby",
      owner: clinic,
      kind: "individual" as const,
      period: ["2025-03-01", "2026-02-28"],
      decision: ["§ 5", "2025-02-12", "SF 2025/04"],
      grants: [
        [2025, 40_000_000n],
        [2026, 8_000_000n],
      ] as const,
      partners: [[employment, "cooperating_partner"]] as const,
      path: ["submitted", "in_preparation", "granted", "ongoing", "ended"] as const,
    },
    {
      name: "Kartläggning av långvarigt försörjningsstöd",
      owner: employment,
      kind: "structural" as const,
      period: ["2027-01-01", "2027-06-30"],
      decision: undefined,
      grants: [] as const,
      partners: [] as const,
      path: [] as const,
    },
  ];
  for (const insats of insatser) {
    const intervention = await insertIntervention(tx, associationId, {
      name: insats.name,
      ownerOrganisationId: insats.owner,
      kind: insats.kind,
      startDate: insats.period[0] as string,
      endDate: insats.period[1] as string,
      decisionSection: insats.decision?.[0],
      decisionDate: insats.decision?.[1],
      registryNumber: insats.decision?.[2],
    });
    await insertStatusChange(tx, associationId, {
      interventionId: intervention.id,
      from: null,
      to: "draft",
      user: ownerContact,
    });
    await replaceGrants(
      tx,
      associationId,
      intervention.id,
      insats.grants.map(([year, amountOre]) => ({ year, amountOre })),
    );
    for (const [organisationId, role] of insats.partners) {
      await upsertPartner(tx, associationId, intervention.id, { organisationId, role });
    }
    let from = intervention.status;
    for (const to of insats.path) {
      await updateStatus(tx, associationId, intervention.id, from, to);
      await insertStatusChange(tx, associationId, { interventionId: intervention.id, from, to, user: demoData });
      from = to;
    }
  }
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
