import type { Context } from "hono";
import { baseOf, formErrorsOf } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import type { TenantEnv } from "../platform/http/env.js";
import type { FieldError } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { parseOrThrow, readForm } from "../platform/http/validation.js";
import {
  eraseForm,
  erasePerson,
  exportPerson,
  findPerson,
  participantForm,
  personOf,
  privacySearchForm,
} from "./gdpr.js";
import { pseudonym } from "./identity.js";
import { PrivacyPage, type SearchResult, SettingsPage } from "./privacy-views.js";
import { readSettingsForm, type SettingsForm, saveParticipantSettings, settingsState } from "./settings.js";

const TITLE = "Personuppgifter om deltagare";

function renderPrivacy(
  c: Context<TenantEnv>,
  options: { result?: SearchResult; values?: Record<string, string>; errors?: FieldError[] } = {},
) {
  return renderPage(
    c,
    TITLE,
    <PrivacyPage base={baseOf(c)} csrfToken={c.get("csrfToken")} {...options} />,
    options.errors ? 422 : 200,
  );
}

async function renderSettings(c: Context<TenantEnv>, problem?: { form: SettingsForm; errors: FieldError[] }) {
  return renderPage(
    c,
    "Inställningar för deltagare",
    <SettingsPage
      base={baseOf(c)}
      csrfToken={c.get("csrfToken")}
      state={await settingsState(c.get("tenant"))}
      form={problem?.form}
      errors={problem?.errors}
    />,
    problem ? 422 : 200,
  );
}

/** GDPR requests and the participant settings: the förbund's administrator only (participant_privacy.manage). */
export function registerPrivacyRoutes(routes: Routes) {
  const { association: router } = routes;

  associationPage(router, "GET", "/participants/privacy", "participant_privacy.manage", (c) => renderPrivacy(c));

  // A POST, so that the personnummer travels in the body and never in an address, a log line or the history.
  associationPage(router, "POST", "/participants/privacy", "participant_privacy.manage", async (c) => {
    const form = await readForm(c.req, privacySearchForm);
    if (!form.ok) return renderPrivacy(c, { values: form.values, errors: form.errors });
    try {
      const person = await findPerson(c.get("tenant"), c.get("deps").keyring, form.data.personalNumber);
      return renderPrivacy(c, { result: person ? { found: true, person } : { found: false } });
    } catch (error) {
      return renderPrivacy(c, { values: form.values, errors: await formErrorsOf(error) });
    }
  });

  associationPage(router, "POST", "/participants/privacy/export", "participant_privacy.manage", async (c) => {
    const { participantId } = parseOrThrow(participantForm, await c.req.parseBody());
    const exported = await exportPerson(c.get("tenant"), c.get("deps").keyring, participantId);
    return c.body(`${JSON.stringify(exported, null, 2)}\n`, 200, {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="registerutdrag-${exported.participant.pseudonym}.json"`,
      "cache-control": "no-store",
    });
  });

  associationPage(router, "POST", "/participants/privacy/erase", "participant_privacy.manage", async (c) => {
    const tenant = c.get("tenant");
    const body = await c.req.parseBody();
    const { participantId } = parseOrThrow(participantForm, body);
    const confirmed = eraseForm.safeParse(body);
    if (!confirmed.success) {
      const errors = [{ path: "confirm", message: confirmed.error.issues[0]?.message ?? "Bekräfta raderingen." }];
      return renderPrivacy(c, { result: { found: true, person: await personOf(tenant, participantId) }, errors });
    }
    const participant = await erasePerson(tenant, participantId);
    return redirectWithFlash(
      c,
      `${baseOf(c)}/participants/privacy`,
      `Personuppgifterna för deltagare ${pseudonym(participant)} är raderade. Inskrivningarna finns kvar utan identitet.`,
    );
  });

  associationPage(router, "GET", "/participants/settings", "participant_privacy.manage", (c) => renderSettings(c));

  associationPage(router, "POST", "/participants/settings", "participant_privacy.manage", async (c) => {
    const form = readSettingsForm(await c.req.parseBody());
    try {
      await saveParticipantSettings(c.get("tenant"), c.get("deps").keyring, form);
    } catch (error) {
      return renderSettings(c, { form, errors: await formErrorsOf(error) });
    }
    return redirectWithFlash(c, `${baseOf(c)}/participants/settings`, "Inställningarna är sparade.");
  });
}
