import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { insertApiToken, insertUser, upsertRole } from "../../src/accounts/repository.js";
import { insertAssociation, insertMember } from "../../src/associations/repository.js";
import { insertAuditEntry } from "../../src/audit/repository.js";
import {
  insertComment,
  insertGoal,
  insertGoalRevision,
  insertIntervention,
  insertStatusChange,
  replaceBudget,
  replaceGrants,
  upsertPartner,
} from "../../src/interventions/repository.js";
import { insertContact, insertOrganisation } from "../../src/organisations/repository.js";
import { participantSettings, recognisePerson } from "../../src/participants/identity.js";
import { fictionalPersonalNumber, parsePersonalNumber } from "../../src/participants/personal-number.js";
import {
  insertEnrolment,
  insertGuidanceCaseCount,
  recordExit,
  replaceParticipantCodes,
  upsertFollowUp,
} from "../../src/participants/repository.js";
import { hashPassword } from "../../src/platform/auth/password.js";
import { hashSecret, newSecret } from "../../src/platform/auth/secrets.js";
import type { DB, Gender, InterventionStatus, Role, TokenScope } from "../../src/platform/db/schema.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import { builtinTemplates } from "../../src/reports/builtin/index.js";
import { insertReport, insertTemplate, upsertTemplateDefault } from "../../src/reports/repository.js";
import type { TemplateVersion } from "../../src/reports/template-model.js";
import { insertRepayment, insertRequisition } from "../../src/requisitions/repository.js";
import { testKeyring } from "./http.js";

/** Test factories (after Outline's): each call makes new, unique rows; overrides pick what a test cares about. */

export const TEST_PASSWORD = "korrekt-häst-batteri-häftstift";
let passwordHash: Promise<string> | undefined;
const unique = () => randomBytes(4).toString("hex");

export async function buildAssociation(db: Kysely<DB>, overrides: { slug?: string; name?: string } = {}) {
  const suffix = unique();
  return db.transaction().execute((tx) =>
    insertAssociation(tx, {
      slug: overrides.slug ?? `forbund-${suffix}`,
      name: overrides.name ?? `Samordningsförbundet Test ${suffix}`,
      organisationNumber: "222000-9910",
    }),
  );
}

export async function buildUser(
  db: Kysely<DB>,
  options: {
    associationId?: string;
    role?: Role;
    isSuperadmin?: boolean;
    email?: string;
    name?: string;
    password?: string | null;
  } = {},
) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash =
    options.password === null ? null : options.password ? await hashPassword(options.password) : await passwordHash;
  return db.transaction().execute(async (tx) => {
    const user = await insertUser(tx, {
      email: options.email ?? `user-${unique()}@exempel.test`,
      name: options.name ?? `Testperson ${unique()}`,
      passwordHash: hash,
      isSuperadmin: options.isSuperadmin ?? false,
    });
    if (options.associationId) await upsertRole(tx, options.associationId, user.id, options.role ?? "admin");
    return user;
  });
}

export async function buildMember(
  db: Kysely<DB>,
  associationId: string,
  overrides: { name?: string; basisPoints?: number } = {},
) {
  return db.transaction().execute((tx) =>
    insertMember(tx, associationId, {
      name: overrides.name ?? `Testkommun ${unique()}`,
      type: "kommun",
      fundingShareBasisPoints: overrides.basisPoints ?? 0,
    }),
  );
}

export async function buildApiToken(
  db: Kysely<DB>,
  options: { associationId: string; userId: string; scope?: TokenScope; expiresAt?: Date; revoked?: boolean },
) {
  const secret = newSecret("sam_");
  const token = await db.transaction().execute(async (tx) => {
    const row = await insertApiToken(tx, {
      associationId: options.associationId,
      userId: options.userId,
      name: `Testnyckel ${unique()}`,
      tokenHash: hashSecret(secret),
      scope: options.scope ?? "read",
      expiresAt: options.expiresAt ?? new Date(Date.now() + 86_400_000),
    });
    if (options.revoked) {
      await tx.updateTable("api_token").set({ revoked_at: new Date() }).where("id", "=", row.id).execute();
    }
    return row;
  });
  return { ...token, secret };
}

export async function buildOrganisation(
  db: Kysely<DB>,
  associationId: string,
  overrides: { name?: string; memberId?: string; contactUserId?: string } = {},
) {
  return db.transaction().execute(async (tx) => {
    const organisation = await insertOrganisation(tx, associationId, {
      name: overrides.name ?? `Testorganisation ${unique()}`,
      memberId: overrides.memberId,
    });
    if (overrides.contactUserId) await insertContact(tx, associationId, organisation.id, overrides.contactUserId);
    return organisation;
  });
}

/** An insats in draft (or the given status), with a grant for its first year and, if given, a partner. */
export async function buildIntervention(
  db: Kysely<DB>,
  associationId: string,
  options: {
    ownerOrganisationId: string;
    name?: string;
    status?: InterventionStatus;
    partnerOrganisationId?: string;
    startDate?: string;
    endDate?: string;
  },
) {
  return db.transaction().execute(async (tx) => {
    const intervention = await insertIntervention(tx, associationId, {
      name: options.name ?? `Testinsats ${unique()}`,
      ownerOrganisationId: options.ownerOrganisationId,
      kind: "individual",
      startDate: options.startDate ?? "2026-01-01",
      endDate: options.endDate ?? "2027-12-31",
    });
    const status = options.status ?? "draft";
    if (status !== "draft") {
      await tx.updateTable("intervention").set({ status }).where("id", "=", intervention.id).execute();
    }
    await insertStatusChange(tx, associationId, {
      interventionId: intervention.id,
      from: null,
      to: status,
      user: { id: null, name: "Testfabriken" },
    });
    await replaceGrants(tx, associationId, intervention.id, [{ year: 2026, amountOre: 25_000_000n }]);
    if (options.partnerOrganisationId) {
      await upsertPartner(tx, associationId, intervention.id, {
        organisationId: options.partnerOrganisationId,
        role: "cooperating_partner",
      });
    }
    return { ...intervention, status };
  });
}

/**
 * A participant enrolled in an insats, written straight through the repository (as the owner): with a personnummer
 * the identity is encrypted with the test keyring and the person recognised by the keyed hash, as the app does.
 */
export async function buildEnrolment(
  db: Kysely<DB>,
  associationId: string,
  options: {
    interventionId: string;
    personalNumber?: string;
    name?: string;
    gender?: Gender;
    birthYear?: number;
    enrolledOn?: string;
    incomeSource?: string;
    referrerMemberId?: string;
    exit?: { exitedOn: string; exitReason: string; incomeSource: string };
  },
) {
  const keyring = testKeyring();
  return db.transaction().execute(async (tx) => {
    const parsed = options.personalNumber ? parsePersonalNumber(options.personalNumber) : undefined;
    if (parsed && !parsed.ok) throw new Error(`buildEnrolment: ${parsed.message}`);
    const number = parsed?.ok ? parsed.value : undefined;
    const settings = await participantSettings(tx, keyring, associationId, true);
    const { participant } = await recognisePerson(
      tx,
      keyring,
      associationId,
      {
        personalNumber: number?.normalised ?? null,
        name: options.name ?? null,
        gender: options.gender ?? number?.gender ?? "other_unknown",
        birthYear: options.birthYear ?? number?.birthYear ?? null,
      },
      { settings, updateDetails: false },
    );
    const enrolledOn = options.enrolledOn ?? "2026-02-01";
    const enrolment = await insertEnrolment(
      tx,
      associationId,
      {
        participantId: participant.id,
        interventionId: options.interventionId,
        enrolledOn,
        referrerMemberId: options.referrerMemberId ?? null,
        incomeSourceAtEnrolment: options.incomeSource ?? "forsorjningsstod",
        targetAtStart: null,
        consentOn: number ? enrolledOn : null,
        consentVersion: number ? "1" : null,
      },
      null,
    );
    if (options.exit) {
      await recordExit(tx, associationId, enrolment.id, enrolment.version, {
        exitedOn: options.exit.exitedOn,
        exitReason: options.exit.exitReason,
        incomeSourceAtExit: options.exit.incomeSource,
      });
    }
    return { participant, enrolment };
  });
}

/**
 * An association with a row in every tenant table and a user per role: the victim in cross-tenant tests. A new
 * tenant table must get a row here, or the standing isolation test reports it as unchecked.
 */
export async function buildPopulatedAssociation(db: Kysely<DB>) {
  const association = await buildAssociation(db);
  const users = {} as Record<Role, Awaited<ReturnType<typeof buildUser>>>;
  for (const role of ["admin", "officer", "owner_contact", "board", "auditor"] as const) {
    users[role] = await buildUser(db, { associationId: association.id, role });
  }
  const member = await buildMember(db, association.id, { name: `Medlem i ${association.slug}` });
  const token = await buildApiToken(db, { associationId: association.id, userId: users.admin.id, scope: "write" });
  await db.transaction().execute((tx) =>
    insertAuditEntry(tx, {
      associationId: association.id,
      actor: { id: users.admin.id, label: users.admin.email },
      action: "test.seed",
      entityType: "member",
      entityId: member.id,
    }),
  );
  const organisation = await buildOrganisation(db, association.id, {
    name: `Insatsägare i ${association.slug}`,
    memberId: member.id,
    contactUserId: users.owner_contact.id,
  });
  const partner = await buildOrganisation(db, association.id, { name: `Samverkanspart i ${association.slug}` });
  const intervention = await buildIntervention(db, association.id, {
    ownerOrganisationId: organisation.id,
    name: `Insats i ${association.slug}`,
    partnerOrganisationId: partner.id,
  });
  const seeded = await db.transaction().execute(async (tx) => {
    const actor = { id: users.officer.id, name: users.officer.name };
    const goal = await insertGoal(tx, association.id, intervention.id, { level: "sub", text: "Ett delmål" });
    await insertGoalRevision(tx, association.id, {
      interventionId: intervention.id,
      goalId: goal.id,
      change: "changed",
      revisedOn: "2026-04-01",
      reason: "Reviderat",
      user: actor,
    });
    await replaceBudget(tx, association.id, intervention.id, [
      { year: 2026, costCategory: "salaries", amountOre: 10_000_000n },
    ]);
    await insertComment(tx, association.id, { interventionId: intervention.id, body: "En kommentar", user: actor });
    const requisition = await insertRequisition(
      tx,
      association.id,
      intervention.id,
      { periodStart: "2026-01-01", periodEnd: "2026-03-31", lines: [{ costCategory: "salaries", amountOre: 100n }] },
      actor,
    );
    await insertRepayment(tx, association.id, intervention.id, { amountOre: 100n, repaidOn: "2026-12-01" }, actor);
    const template = builtinTemplates[0] as TemplateVersion;
    const report = await insertReport(tx, association.id, {
      interventionId: intervention.id,
      kind: "final",
      templateKey: template.key,
      template,
      answers: {},
    });
    await insertTemplate(tx, association.id, {
      key: `${association.slug}/slutrapport`,
      basedOn: template.key,
      definition: { ...template, key: `${association.slug}/slutrapport` },
      createdBy: actor.name,
    });
    await upsertTemplateDefault(tx, association.id, "final", template.key);
    return { goal, requisition, report };
  });
  const enrolled = await buildEnrolment(db, association.id, {
    interventionId: intervention.id,
    personalNumber: fictionalPersonalNumber("19900312", 100 + (Number.parseInt(association.id.slice(0, 4), 16) % 800)),
    name: "Testa Testsson",
    exit: { exitedOn: "2026-06-30", exitReason: "arbete", incomeSource: "lon" },
  });
  await db.transaction().execute(async (tx) => {
    await upsertFollowUp(tx, association.id, enrolled.enrolment.id, {
      kind: "after_90_days",
      followedUpOn: "2026-09-30",
      outcome: "arbete",
      incomeSource: "lon",
    });
    await insertGuidanceCaseCount(
      tx,
      association.id,
      intervention.id,
      { periodStart: "2026-01-01", periodEnd: "2026-06-30", women: 3, men: 2, genderUnknown: 1, note: null },
      null,
    );
    await replaceParticipantCodes(tx, association.id, "exit_reason", [
      { code: "arbete", label: "Arbete", nationalCode: "arbete", active: true },
    ]);
  });
  const economy = await buildEconomy(db, association.id, { memberId: member.id, interventionId: intervention.id });
  /** The ids a route parameter may name, by parameter name. */
  const ids: Record<string, string> = {
    memberId: member.id,
    userId: users.officer.id,
    tokenId: token.id,
    organisationId: organisation.id,
    interventionId: intervention.id,
    goalId: seeded.goal.id,
    requisitionId: seeded.requisition.id,
    reportId: seeded.report.id,
    enrolmentId: enrolled.enrolment.id,
    participantId: enrolled.participant.id,
    lineId: economy.lineId,
    importId: economy.importId,
    mappingId: economy.mappingId,
    year: "2026",
    memberYear: "2026",
    // The seeded contribution's first instalment.
    instalment: "1",
    // Not an id, but a route parameter all the same: the follow-up the seeded enrolment has.
    kind: "after_90_days",
  };
  return { association, users, member, token, organisation, partner, intervention, ids };
}

/**
 * A year of economy for one member and one insats: contribution with an invoice, a budget line per section that
 * matters, budget and forecast, and an imported SIE-like ledger with a mapping. Written straight to the tables so
 * that the isolation tests do not depend on the economy module's use cases.
 */
export async function buildEconomy(
  db: Kysely<DB>,
  associationId: string,
  options: { memberId: string; interventionId: string; year?: number },
) {
  const year = options.year ?? 2026;
  return inAssociation(db, associationId, async (tx) => {
    await tx
      .insertInto("economy_settings")
      .values({ association_id: associationId })
      .onConflict((c) => c.doNothing())
      .execute();
    await tx
      .insertInto("fiscal_year")
      .values({ association_id: associationId, year, total_contribution_ore: 100_000_000n })
      .execute();
    await tx
      .insertInto("member_contribution")
      .values({ association_id: associationId, year, member_id: options.memberId, funding_share_basis_points: 10000 })
      .execute();
    await tx
      .insertInto("contribution_invoice")
      .values({
        association_id: associationId,
        year,
        member_id: options.memberId,
        instalment: 1,
        due_on: `${year}-01-31`,
        amount_ore: 100_000_000n,
      })
      .execute();
    const line = await tx
      .insertInto("budget_line")
      .values({
        association_id: associationId,
        section: "individual",
        name: "Insatsen",
        intervention_id: options.interventionId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("budget_amount")
      .values(
        (["budget", "forecast"] as const).map((scenario) => ({
          association_id: associationId,
          scenario,
          year,
          line_id: line.id,
          month: 1,
          amount_ore: 50_000_000n,
        })),
      )
      .execute();
    const imported = await tx
      .insertInto("actuals_import")
      .values({
        association_id: associationId,
        source: "sie",
        year,
        period_start: `${year}-01-01`,
        period_end: `${year}-12-31`,
        file_name: "bokforing.se",
        file_sha256: new Uint8Array(32),
        imported_by_label: "Test",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("actual_transaction")
      .values({
        association_id: associationId,
        import_id: imported.id,
        row_number: 1,
        booked_on: `${year}-02-01`,
        account: "4010",
        amount_ore: 1_000_00n,
      })
      .execute();
    await tx
      .insertInto("actual_balance")
      .values({
        association_id: associationId,
        import_id: imported.id,
        kind: "opening",
        year_index: 0,
        account: "1930",
        amount_ore: 5_000_00n,
      })
      .execute();
    await tx
      .insertInto("ledger_account")
      .values({ association_id: associationId, number: "4010", name: "Insatskostnader" })
      .execute();
    await tx
      .insertInto("ledger_object")
      .values({ association_id: associationId, code: "P1", name: "Insatsen" })
      .execute();
    const mapping = await tx
      .insertInto("account_mapping")
      .values({ association_id: associationId, account: "4010", line_id: line.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { lineId: line.id, importId: imported.id, mappingId: mapping.id, year };
  });
}
