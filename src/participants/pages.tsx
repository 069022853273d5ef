import type { Context } from "hono";
import { findMember, listMembers } from "../associations/repository.js";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { loadIntervention, visibleOwners } from "../interventions/access.js";
import { listInterventions } from "../interventions/repository.js";
import { can } from "../platform/auth/policy.js";
import type { TenantEnv } from "../platform/http/env.js";
import { AppError, type FieldError } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readForm } from "../platform/http/validation.js";
import { formatDate } from "../platform/ui/format.js";
import { loadEnrolment } from "./access.js";
import { codeLists } from "./codes.js";
import { enrolmentContext, enrolParticipant } from "./enrol-participant.js";
import { exitParticipant } from "./exit-participant.js";
import { type Identity, mayReadIdentity, participantSettings, pseudonym, revealIdentity } from "./identity.js";
import {
  consentWithdrawalInput,
  enrolmentInput,
  exitInput,
  followUpInput,
  guidanceCaseInput,
} from "./participant-input.js";
import { recordFollowUp } from "./record-follow-up.js";
import { recordGuidanceCases } from "./record-guidance-cases.js";
import { countEnrolments, listEnrolments, listFollowUps, listGuidanceCaseCounts } from "./repository.js";
import {
  type EnrolmentFilter,
  type EnrolmentForm,
  EnrolmentFormPage,
  EnrolmentPage,
  enrolmentFilters,
  InterventionParticipantsPage,
  type OverviewRow,
  ParticipantsOverviewPage,
} from "./views.js";
import { withdrawConsent } from "./withdraw-consent.js";

type Insats = Awaited<ReturnType<typeof loadIntervention>>;
type Problem = { values: Record<string, string>; errors: FieldError[]; status: 409 | 422 };

const pathOf = (c: Context<TenantEnv>, intervention: { id: string }) => `${baseOf(c)}/interventions/${intervention.id}`;

/** A use case's refusal as a form problem: a stale version is 409, anything else the user can correct 422. */
async function problemOf(error: unknown, values: Record<string, string>): Promise<Problem> {
  const errors = await formErrorsOf(error);
  return { values, errors, status: error instanceof AppError && error.status === 409 ? 409 : 422 };
}

/**
 * The identity never goes back to the browser in a re-rendered form: it would travel (and be cached) once more only
 * to save typing.
 */
function withoutIdentity(values: Record<string, string>) {
  const { personalNumber: _personalNumber, name: _name, ...rest } = values;
  return rest;
}

const filterOf = (c: Context<TenantEnv>): EnrolmentFilter =>
  enrolmentFilters.find((filter) => filter === c.req.query("status")) ?? "all";

async function renderParticipants(
  c: Context<TenantEnv>,
  intervention: Insats,
  filter: EnrolmentFilter,
  problem?: Problem,
) {
  const tenant = c.get("tenant");
  const associationId = tenant.association.id;
  const active = filter === "all" ? undefined : filter === "active";
  return renderPage(
    c,
    "Deltagare och lotsärenden",
    <InterventionParticipantsPage
      path={pathOf(c, intervention)}
      csrfToken={c.get("csrfToken")}
      intervention={intervention}
      filter={filter}
      enrolments={await listEnrolments(tenant.tx, associationId, intervention.id, { active })}
      guidanceCases={await listGuidanceCaseCounts(tenant.tx, associationId, intervention.id)}
      codes={await codeLists(tenant.tx, associationId)}
      mayWrite={can(tenant.role, "participant.write")}
      values={problem?.values}
      errors={problem?.errors}
    />,
    problem?.status ?? 200,
  );
}

async function renderEnrolmentForm(
  c: Context<TenantEnv>,
  interventionId: string,
  values?: Record<string, string>,
  errors?: FieldError[],
) {
  const tenant = c.get("tenant");
  const associationId = tenant.association.id;
  const { intervention, codes } = await enrolmentContext(tenant, interventionId);
  const today = formatDate(new Date());
  const settings = await participantSettings(tenant.tx, c.get("deps").keyring, associationId);
  const members = await listMembers(tenant.tx, associationId);
  return renderPage(
    c,
    "Skriv in deltagare",
    <EnrolmentFormPage
      path={pathOf(c, intervention)}
      csrfToken={c.get("csrfToken")}
      intervention={intervention}
      members={members.map((member) => ({ value: member.id, label: member.name }))}
      codes={codes}
      values={values ?? { enrolledOn: today, consentOn: today, consentVersion: settings.consent_version }}
      errors={errors}
    />,
    errors ? 422 : 200,
  );
}

async function renderEnrolment(
  c: Context<TenantEnv>,
  options: {
    identity?: Identity | undefined;
    problem?: (Problem & { form: EnrolmentForm }) | undefined;
  } = {},
) {
  const tenant = c.get("tenant");
  const associationId = tenant.association.id;
  const { intervention, enrolment } = await loadEnrolment(
    tenant,
    idParam(c, "interventionId"),
    idParam(c, "enrolmentId"),
  );
  const referrer = enrolment.referrer_member_id
    ? await findMember(tenant.tx, associationId, enrolment.referrer_member_id)
    : undefined;
  return renderPage(
    c,
    `Deltagare ${pseudonym(enrolment)}`,
    <EnrolmentPage
      path={pathOf(c, intervention)}
      csrfToken={c.get("csrfToken")}
      intervention={intervention}
      enrolment={enrolment}
      codes={await codeLists(tenant.tx, associationId)}
      followUps={await listFollowUps(tenant.tx, associationId, enrolment.id)}
      referrer={referrer?.name}
      mayReadIdentity={mayReadIdentity(tenant)}
      mayWrite={can(tenant.role, "participant.write")}
      identity={options.identity}
      problem={options.problem}
    />,
    options.problem?.status ?? 200,
  );
}

const enrolmentPath = (c: Context<TenantEnv>) =>
  `${baseOf(c)}/interventions/${idParam(c, "interventionId")}/participants/${idParam(c, "enrolmentId")}`;

/** Deltagare: the overview, an insats' participants and lotsärenden, enrolment, exit, follow-up and consent. */
export function registerParticipantPages(routes: Routes) {
  const { association: router } = routes;

  associationPage(router, "GET", "/participants", "participant_statistics.read", async (c) => {
    const tenant = c.get("tenant");
    const associationId = tenant.association.id;
    let insatser: OverviewRow[] | undefined;
    if (can(tenant.role, "participant.read")) {
      const rows = await listInterventions(tenant.tx, associationId, {
        kind: "individual",
        visibleTo: await visibleOwners(tenant),
      });
      const counts = await countEnrolments(
        tenant.tx,
        associationId,
        rows.map((row) => row.id),
      );
      insatser = rows.map((row) => ({ ...row, active: 0, total: 0, ...counts.get(row.id) }));
    }
    return renderPage(
      c,
      "Deltagare",
      <ParticipantsOverviewPage
        base={baseOf(c)}
        insatser={insatser}
        mayManagePrivacy={can(tenant.role, "participant_privacy.manage")}
      />,
    );
  });

  associationPage(router, "GET", "/interventions/:interventionId/participants", "participant.read", async (c) =>
    renderParticipants(c, await loadIntervention(c.get("tenant"), idParam(c, "interventionId")), filterOf(c)),
  );

  associationPage(router, "POST", "/interventions/:interventionId/guidance-cases", "participant.write", async (c) => {
    const tenant = c.get("tenant");
    const intervention = await loadIntervention(tenant, idParam(c, "interventionId"));
    const form = await readForm(c.req, guidanceCaseInput);
    if (!form.ok) return renderParticipants(c, intervention, "all", { ...form, status: 422 });
    await recordGuidanceCases({ tenant, interventionId: intervention.id, input: form.data });
    return redirectWithFlash(c, `${pathOf(c, intervention)}/participants`, "Lotsärendena är registrerade.");
  });

  associationPage(router, "GET", "/interventions/:interventionId/participants/new", "participant.write", async (c) =>
    renderEnrolmentForm(c, idParam(c, "interventionId")),
  );

  associationPage(router, "POST", "/interventions/:interventionId/participants/new", "participant.write", async (c) => {
    const tenant = c.get("tenant");
    const interventionId = idParam(c, "interventionId");
    const form = await readForm(c.req, enrolmentInput);
    const values = withoutIdentity(form.values);
    if (!form.ok) return renderEnrolmentForm(c, interventionId, values, form.errors);
    try {
      const { enrolment, participant } = await enrolParticipant({
        tenant,
        keyring: c.get("deps").keyring,
        interventionId,
        input: form.data,
      });
      return redirectWithFlash(
        c,
        `${baseOf(c)}/interventions/${interventionId}/participants/${enrolment.id}`,
        `${pseudonym(participant)} är inskriven.`,
      );
    } catch (error) {
      return renderEnrolmentForm(c, interventionId, values, await formErrorsOf(error));
    }
  });

  associationPage(
    router,
    "GET",
    "/interventions/:interventionId/participants/:enrolmentId",
    "participant.read",
    async (c) => renderEnrolment(c),
  );

  // A POST, so that the identity is shown only on an explicit request and each showing is audited once.
  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/participants/:enrolmentId/identity",
    "participant.identity.read",
    async (c) => {
      const tenant = c.get("tenant");
      const { enrolment } = await loadEnrolment(tenant, idParam(c, "interventionId"), idParam(c, "enrolmentId"));
      const identity = await revealIdentity({
        tenant,
        keyring: c.get("deps").keyring,
        participantId: enrolment.participant_id,
        purpose: "Visad på deltagarens sida",
      });
      return renderEnrolment(c, { identity });
    },
  );

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/participants/:enrolmentId/exit",
    "participant.write",
    async (c) => {
      const tenant = c.get("tenant");
      const form = await readForm(c.req, exitInput);
      if (!form.ok) return renderEnrolment(c, { problem: { ...form, status: 422, form: "exit" } });
      const version = Number(form.values.version);
      try {
        await exitParticipant({
          tenant,
          interventionId: idParam(c, "interventionId"),
          enrolmentId: idParam(c, "enrolmentId"),
          version: Number.isInteger(version) ? version : 0,
          input: form.data,
        });
      } catch (error) {
        return renderEnrolment(c, { problem: { ...(await problemOf(error, form.values)), form: "exit" } });
      }
      return redirectWithFlash(c, enrolmentPath(c), "Avslutet är registrerat.");
    },
  );

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/participants/:enrolmentId/follow-ups",
    "participant.write",
    async (c) => {
      const tenant = c.get("tenant");
      const form = await readForm(c.req, followUpInput);
      if (!form.ok) return renderEnrolment(c, { problem: { ...form, status: 422, form: "followUp" } });
      try {
        await recordFollowUp({
          tenant,
          interventionId: idParam(c, "interventionId"),
          enrolmentId: idParam(c, "enrolmentId"),
          input: form.data,
        });
      } catch (error) {
        return renderEnrolment(c, { problem: { ...(await problemOf(error, form.values)), form: "followUp" } });
      }
      return redirectWithFlash(c, enrolmentPath(c), "Uppföljningen är registrerad.");
    },
  );

  associationPage(
    router,
    "POST",
    "/interventions/:interventionId/participants/:enrolmentId/consent-withdrawal",
    "participant.write",
    async (c) => {
      const tenant = c.get("tenant");
      const form = await readForm(c.req, consentWithdrawalInput);
      if (!form.ok) return renderEnrolment(c, { problem: { ...form, status: 422, form: "consent" } });
      let anonymised: boolean;
      try {
        ({ anonymised } = await withdrawConsent({
          tenant,
          interventionId: idParam(c, "interventionId"),
          enrolmentId: idParam(c, "enrolmentId"),
          withdrawnOn: form.data.withdrawnOn,
        }));
      } catch (error) {
        return renderEnrolment(c, { problem: { ...(await problemOf(error, form.values)), form: "consent" } });
      }
      return redirectWithFlash(
        c,
        enrolmentPath(c),
        anonymised
          ? "Samtycket är återkallat och personuppgifterna är raderade. De avidentifierade uppgifterna finns kvar i statistiken."
          : "Samtycket är återkallat. Personuppgifterna finns kvar eftersom en annan inskrivning av deltagaren vilar på samtycke.",
      );
    },
  );
}
