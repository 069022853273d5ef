import type { Context, Next } from "hono";
import { z } from "zod";
import { outsideAssociation } from "../platform/db/scope.js";
import type { AppEnv } from "../platform/http/env.js";
import type { FieldError } from "../platform/http/errors.js";
import { notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { email, optionalText, readForm, requiredText } from "../platform/http/validation.js";
import { isOrganisationNumber } from "../platform/organisation-number.js";
import { Button, ErrorSummary, Field, PostForm } from "../platform/ui/components.js";
import { formatDate } from "../platform/ui/format.js";
import { createAssociation } from "./create-association.js";
import { listAssociations } from "./repository.js";
import { formErrorsOf } from "./routes.js";

const associationForm = z.object({
  name: requiredText("Ange förbundets namn.", 160),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Adressnamnet får bara innehålla a–z, 0–9 och bindestreck, t.ex. norra-lan.")
    .max(60, "Högst 60 tecken."),
  organisationNumber: optionalText(20).refine(
    (value) => value === undefined || isOrganisationNumber(value),
    "Ange ett giltigt organisationsnummer.",
  ),
  adminName: requiredText("Ange namnet på förbundets första administratör.", 120),
  adminEmail: email,
});

/** Platform administration is for superadmins only; to everyone else it does not exist. */
async function superadminOnly(c: Context<AppEnv>, next: Next) {
  if (!c.get("user")?.isSuperadmin) throw notFound();
  await next();
}

export function registerPlatformAdminRoutes({ app }: Routes) {
  const page = async (c: Context<AppEnv>, form?: { values: Record<string, string>; errors: FieldError[] }) => {
    const associations = await outsideAssociation(c.get("deps").database.db, (tx) => listAssociations(tx));
    return renderPage(
      c,
      "Förbund på plattformen",
      <>
        <h1>Förbund på plattformen</h1>
        <p>
          Som plattformsadministratör skapar du förbund och bjuder in deras första administratör. Förbundens uppgifter
          ser du inte, om du inte själv har en roll i förbundet.
        </p>
        <div class="table-wrapper">
          <table>
            <caption class="visually-hidden">Förbund</caption>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">Adress</th>
                <th scope="col">Organisationsnummer</th>
                <th scope="col">Skapat</th>
              </tr>
            </thead>
            <tbody>
              {associations.map((association) => (
                <tr>
                  <th scope="row">{association.name}</th>
                  <td>/f/{association.slug}</td>
                  <td>{association.organisation_number ?? "–"}</td>
                  <td>{formatDate(association.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2>Nytt förbund</h2>
        <ErrorSummary errors={form?.errors} />
        <PostForm action="/admin/associations" csrfToken={c.get("csrfToken")} label="Nytt förbund">
          <Field
            name="name"
            label="Namn"
            required
            value={form?.values.name}
            errors={form?.errors}
            hint="T.ex. Samordningsförbundet Norra länet."
          />
          <Field
            name="slug"
            label="Adressnamn"
            required
            value={form?.values.slug}
            errors={form?.errors}
            hint="Används i adressen /f/adressnamn. Små bokstäver a–z, siffror och bindestreck."
            width="medium"
          />
          <Field
            name="organisationNumber"
            label="Organisationsnummer"
            value={form?.values.organisationNumber}
            errors={form?.errors}
            width="medium"
          />
          <Field
            name="adminName"
            label="Första administratörens namn"
            required
            value={form?.values.adminName}
            errors={form?.errors}
          />
          <Field
            name="adminEmail"
            label="Första administratörens e-postadress"
            type="email"
            required
            value={form?.values.adminEmail}
            errors={form?.errors}
          />
          <Button>Skapa förbund och skicka inbjudan</Button>
        </PostForm>
      </>,
      form ? 422 : 200,
    );
  };

  app.get("/admin/associations", superadminOnly, (c) => page(c));

  app.post("/admin/associations", superadminOnly, async (c) => {
    const form = await readForm(c.req, associationForm);
    if (!form.ok) return page(c, form);
    const { database, config, mailer } = c.get("deps");
    const user = c.get("user")!;
    let created: Awaited<ReturnType<typeof createAssociation>>;
    try {
      created = await outsideAssociation(database.db, (tx) =>
        createAssociation({
          tx,
          actor: { id: user.id, label: user.email },
          publicUrl: config.publicUrl,
          input: form.data,
        }),
      );
    } catch (error) {
      return page(c, { values: form.values, errors: await formErrorsOf(error) });
    }
    await mailer.send(created.mail);
    return redirectWithFlash(
      c,
      "/admin/associations",
      `${created.association.name} är skapat och inbjudan är skickad.`,
    );
  });
}
