import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { findUserByEmail, insertUser, updatePassword, upsertRole } from "../accounts/repository.js";
import { findAssociationBySlug, insertAssociation, insertMember } from "../associations/repository.js";
import { insertAuditEntry } from "../audit/repository.js";
import {
  insertGoal,
  insertIntervention,
  insertStatusChange,
  replaceBudget,
  replaceGrants,
  updateStatus,
  upsertPartner,
} from "../interventions/repository.js";
import { insertContact, insertOrganisation } from "../organisations/repository.js";
import { participantSettings, recognisePerson } from "../participants/identity.js";
import { fictionalPersonalNumber, parsePersonalNumber } from "../participants/personal-number.js";
import { insertEnrolment, recordExit } from "../participants/repository.js";
import { hashPassword } from "../platform/auth/password.js";
import type { Keyring } from "../platform/crypto/keyring.js";
import type { DB, MemberType, Role } from "../platform/db/schema.js";
import { enterAssociation, outsideAssociation, type Tx } from "../platform/db/scope.js";
import { decideRequisition, insertRequisition } from "../requisitions/repository.js";

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
  options: { env: string; password?: string | undefined; keyring: Keyring },
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
        const interventions = await loadDemoInterventions(tx, association.id, memberIds, user);
        await loadDemoParticipants(tx, options.keyring, association.id, interventions, memberIds);
      }
    }
    return !existing;
  });
  return { created, password, generated };
}

/**
 * Organisations and three insatser in different stages, so that every page has something to show: one running
 * with money granted for two years, goals, a budget and requisitions (one still to handle), one ended and ready for
 * its slutrapport, and an application the demo's insatsägare is still drafting.
 */
async function loadDemoInterventions(
  tx: Tx,
  associationId: string,
  memberIds: Map<string, string>,
  ownerContact: { id: string; name: string },
): Promise<Map<string, string>> {
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
      application: {
        background: "Många unga vuxna i Exempelby har försörjningsstöd och långt till arbetsmarknaden.",
        purpose: "Att fler deltagare går vidare till arbete eller studier genom stegvis arbetsträning.",
        method: "Kartläggning, arbetsträning hos lokala arbetsgivare och stöd av en gemensam coach.",
        planned: [25, 20, 0] as const,
      },
      goals: [
        ["overall", "Fler unga vuxna i Exempelby försörjer sig själva", undefined, undefined],
        ["sub", "Deltagare som går vidare till arbete eller studier", 40, "procent"],
        ["sub", "Deltagare som får en gemensam planering med Arbetsförmedlingen", 45, "deltagare"],
      ] as const,
      budget: [
        [2026, "salaries", 70_000_000n],
        [2026, "activities", 10_000_000n],
        [2026, "travel", 5_000_000n],
        [2027, "salaries", 75_000_000n],
        [2027, "activities", 10_000_000n],
        [2027, "travel", 5_000_000n],
      ] as const,
      requisitions: [
        ["2026-01-01", "2026-03-31", 17_500_000n, "approved"],
        ["2026-04-01", "2026-06-30", 18_200_000n, "approved"],
        ["2026-07-01", "2026-09-30", 16_900_000n, "submitted"],
      ] as const,
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
      application: undefined,
      goals: [["sub", "Deltagare som fått en hälsoplan", 30, "deltagare"]] as const,
      budget: [] as const,
      requisitions: [["2025-03-01", "2025-12-31", 38_500_000n, "approved"]] as const,
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
      application: {
        background: "Allt fler hushåll har haft försörjningsstöd i mer än tre år.",
        purpose: "Att kartlägga vilka insatser som saknas för dem.",
        method: "Registerstudie och intervjuer med handläggare hos medlemmarna.",
        planned: undefined,
      },
      goals: [] as const,
      budget: [[2027, "external_services", 15_000_000n]] as const,
      requisitions: [] as const,
    },
  ];
  const ids = new Map<string, string>();
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
      background: insats.application?.background,
      purpose: insats.application?.purpose,
      method: insats.application?.method,
      plannedWomen: insats.application?.planned?.[0],
      plannedMen: insats.application?.planned?.[1],
      plannedGenderUnknown: insats.application?.planned?.[2],
    });
    for (const [level, text, targetValue, unit] of insats.goals) {
      await insertGoal(tx, associationId, intervention.id, { level, text, targetValue, unit });
    }
    await replaceBudget(
      tx,
      associationId,
      intervention.id,
      insats.budget.map(([year, costCategory, amountOre]) => ({ year, costCategory, amountOre })),
    );
    for (const [periodStart, periodEnd, amountOre, status] of insats.requisitions) {
      const requisition = await insertRequisition(
        tx,
        associationId,
        intervention.id,
        { periodStart, periodEnd, lines: [{ costCategory: "salaries", amountOre }] },
        ownerContact,
      );
      if (status === "approved") {
        await decideRequisition(tx, associationId, requisition.id, { status: "approved", user: demoData });
      }
    }
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
    ids.set(insats.name, intervention.id);
  }
  return ids;
}

type DemoEnrolment = {
  insats: string;
  enrolledOn: string;
  referrer: string;
  incomeSource: string;
  exit?: { exitedOn: string; reason: string; incomeSource: string };
};

/**
 * Made-up persons with valid but fictional personnummer (test/demo series, see personal-number.ts), enrolled and
 * exited the way the enrolment and exit use cases do, so that the insatser's deltagare and the statistics have
 * something to show. One of them takes part in both insatser, as a person recognised by the keyed hash.
 */
const demoParticipants: { name: string; birthDate: string; serial: number; enrolments: DemoEnrolment[] }[] = [
  {
    name: "Testa Testsson",
    birthDate: "19900412",
    serial: 242,
    enrolments: [
      {
        insats: "Hälsolots Lillby",
        enrolledOn: "2025-03-10",
        referrer: "Region Exempel",
        incomeSource: "sjukpenning",
        exit: { exitedOn: "2025-11-28", reason: "arbete", incomeSource: "lon" },
      },
    ],
  },
  {
    name: "Prova Provsson",
    birthDate: "19850923",
    serial: 157,
    enrolments: [
      {
        insats: "Hälsolots Lillby",
        enrolledOn: "2025-04-02",
        referrer: "Försäkringskassan",
        incomeSource: "sjuk_aktivitetsersattning",
        exit: { exitedOn: "2026-02-27", reason: "annan_insats", incomeSource: "sjuk_aktivitetsersattning" },
      },
      {
        insats: "Arbetsträning Exempelby",
        enrolledOn: "2026-03-02",
        referrer: "Arbetsförmedlingen",
        incomeSource: "aktivitetsstod",
      },
    ],
  },
  {
    name: "Exempla Exempelsdotter",
    birthDate: "19970105",
    serial: 368,
    enrolments: [
      {
        insats: "Hälsolots Lillby",
        enrolledOn: "2025-05-19",
        referrer: "Lillby kommun",
        incomeSource: "forsorjningsstod",
        exit: { exitedOn: "2026-01-30", reason: "studier", incomeSource: "studiemedel" },
      },
    ],
  },
  {
    name: "Låtsas Låtsasson",
    birthDate: "20010617",
    serial: 413,
    enrolments: [
      {
        insats: "Arbetsträning Exempelby",
        enrolledOn: "2026-01-19",
        referrer: "Exempelby kommun",
        incomeSource: "forsorjningsstod",
        exit: { exitedOn: "2026-06-12", reason: "arbete_med_stod", incomeSource: "lon" },
      },
    ],
  },
  {
    name: "Påhitta Påhittsdotter",
    birthDate: "19990830",
    serial: 286,
    enrolments: [
      {
        insats: "Arbetsträning Exempelby",
        enrolledOn: "2026-02-09",
        referrer: "Exempelby kommun",
        incomeSource: "forsorjningsstod",
      },
    ],
  },
  {
    name: "Demo Demosson",
    birthDate: "19930214",
    serial: 519,
    enrolments: [
      {
        insats: "Arbetsträning Exempelby",
        enrolledOn: "2026-02-23",
        referrer: "Arbetsförmedlingen",
        incomeSource: "arbetsloshetsersattning",
        exit: { exitedOn: "2026-05-29", reason: "avbrott", incomeSource: "arbetsloshetsersattning" },
      },
    ],
  },
  {
    name: "Övning Övningsdotter",
    birthDate: "20030321",
    serial: 634,
    enrolments: [
      { insats: "Arbetsträning Exempelby", enrolledOn: "2026-04-13", referrer: "Lillby kommun", incomeSource: "ingen" },
    ],
  },
];

async function loadDemoParticipants(
  tx: Tx,
  keyring: Keyring,
  associationId: string,
  interventions: Map<string, string>,
  memberIds: Map<string, string>,
) {
  const settings = await participantSettings(tx, keyring, associationId, true);
  for (const person of demoParticipants) {
    const parsed = parsePersonalNumber(fictionalPersonalNumber(person.birthDate, person.serial));
    if (!parsed.ok) throw new Error(`the demo personnummer of ${person.name} is invalid`);
    const { normalised, gender, birthYear } = parsed.value;
    const { participant } = await recognisePerson(
      tx,
      keyring,
      associationId,
      { personalNumber: normalised, name: person.name, gender, birthYear },
      { settings, updateDetails: false },
    );
    for (const enrolment of person.enrolments) {
      const created = await insertEnrolment(
        tx,
        associationId,
        {
          participantId: participant.id,
          interventionId: interventions.get(enrolment.insats)!,
          enrolledOn: enrolment.enrolledOn,
          referrerMemberId: memberIds.get(enrolment.referrer) ?? null,
          incomeSourceAtEnrolment: enrolment.incomeSource,
          targetAtStart: null,
          consentOn: enrolment.enrolledOn,
          consentVersion: settings.consent_version,
        },
        null,
      );
      const { exit } = enrolment;
      if (exit) {
        await recordExit(tx, associationId, created.id, created.version, {
          exitedOn: exit.exitedOn,
          exitReason: exit.reason,
          incomeSourceAtExit: exit.incomeSource,
        });
      }
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
