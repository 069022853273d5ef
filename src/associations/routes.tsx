import type { Context } from "hono";
import { z } from "zod";
import { can } from "../platform/auth/policy.js";
import type { TenantEnv } from "../platform/http/env.js";
import { AppError, type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readEach, readForm } from "../platform/http/validation.js";
import { registerAssociationApi } from "./api.js";
import { createMember } from "./create-member.js";
import { deleteMember } from "./delete-member.js";
import { checkFundingShares, parsePercent } from "./funding-shares.js";
import { fromForm, memberForm } from "./member-input.js";
import { findMember, listMembers } from "./repository.js";
import { setFundingShares } from "./set-funding-shares.js";
import { StartPage } from "./start-page.js";
import { associationPage } from "./tenant.js";
import { upcomingModules } from "./upcoming-modules.js";
import { updateMember } from "./update-member.js";
import { FundingSharesPage, MemberFormPage, MembersPage } from "./views.js";

export const baseOf = (c: Context<TenantEnv>) => `/f/${c.get("tenant").association.slug}`;

/** A malformed id in a URL is simply a page that does not exist. */
export function idParam(c: Context<TenantEnv>, name: string): string {
  const parsed = z.uuid().safeParse(c.req.param(name));
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** Conflicts (e.g. a duplicate name) are shown on the form like any other input error. */
export async function formErrorsOf(error: unknown): Promise<FieldError[]> {
  if (error instanceof AppError && (error.status === 409 || error.status === 422)) {
    return error.fieldErrors.length > 0 ? error.fieldErrors : [{ path: "form", message: error.detail ?? error.title }];
  }
  throw error;
}

export function registerAssociationRoutes(routes: Routes) {
  const { association: router } = routes;

  associationPage(router, "GET", "", "association.read", async (c) => {
    const tenant = c.get("tenant");
    return renderPage(c, "Start", await StartPage({ tenant, base: baseOf(c) }));
  });

  associationPage(router, "GET", "/members", "member.read", async (c) => {
    const tenant = c.get("tenant");
    const members = await listMembers(tenant.tx, tenant.association.id);
    const check = checkFundingShares(members.map((m) => ({ type: m.type, basisPoints: m.funding_share_basis_points })));
    return renderPage(
      c,
      "Medlemmar",
      <MembersPage
        base={baseOf(c)}
        members={members}
        check={check}
        canWrite={can(tenant.role, "member.write")}
        csrfToken={c.get("csrfToken")}
      />,
    );
  });

  associationPage(router, "GET", "/members/new", "member.write", (c) =>
    renderPage(c, "Lägg till medlem", <MemberFormPage base={baseOf(c)} csrfToken={c.get("csrfToken")} />),
  );

  associationPage(router, "POST", "/members", "member.write", async (c) => {
    const form = await readForm(c.req, memberForm);
    const rerender = (errors: FieldError[]) =>
      renderPage(
        c,
        "Lägg till medlem",
        <MemberFormPage base={baseOf(c)} csrfToken={c.get("csrfToken")} values={form.values} errors={errors} />,
        422,
      );
    if (!form.ok) return rerender(form.errors);
    try {
      const member = await createMember({ tenant: c.get("tenant"), input: fromForm(form.data) });
      return redirectWithFlash(c, `${baseOf(c)}/members`, `${member.name} är tillagd.`);
    } catch (error) {
      return rerender(await formErrorsOf(error));
    }
  });

  associationPage(router, "GET", "/members/:memberId/edit", "member.write", async (c) => {
    const tenant = c.get("tenant");
    const member = await findMember(tenant.tx, tenant.association.id, idParam(c, "memberId"));
    if (!member) throw notFound();
    return renderPage(
      c,
      `Ändra ${member.name}`,
      <MemberFormPage base={baseOf(c)} csrfToken={c.get("csrfToken")} member={member} />,
    );
  });

  associationPage(router, "POST", "/members/:memberId", "member.write", async (c) => {
    const tenant = c.get("tenant");
    const memberId = idParam(c, "memberId");
    const member = await findMember(tenant.tx, tenant.association.id, memberId);
    if (!member) throw notFound();
    const form = await readForm(c.req, memberForm);
    const rerender = (errors: FieldError[]) =>
      renderPage(
        c,
        `Ändra ${member.name}`,
        <MemberFormPage
          base={baseOf(c)}
          csrfToken={c.get("csrfToken")}
          member={member}
          values={form.values}
          errors={errors}
        />,
        422,
      );
    if (!form.ok) return rerender(form.errors);
    try {
      const updated = await updateMember({ tenant, memberId, input: fromForm(form.data) });
      return redirectWithFlash(c, `${baseOf(c)}/members`, `${updated.name} är sparad.`);
    } catch (error) {
      return rerender(await formErrorsOf(error));
    }
  });

  associationPage(router, "POST", "/members/:memberId/delete", "member.write", async (c) => {
    const tenant = c.get("tenant");
    const memberId = idParam(c, "memberId");
    const member = await findMember(tenant.tx, tenant.association.id, memberId);
    if (!member) throw notFound();
    try {
      await deleteMember({ tenant, memberId });
    } catch (error) {
      const errors = await formErrorsOf(error);
      return renderPage(
        c,
        `Ändra ${member.name}`,
        <MemberFormPage base={baseOf(c)} csrfToken={c.get("csrfToken")} member={member} errors={errors} />,
        409,
      );
    }
    return redirectWithFlash(c, `${baseOf(c)}/members`, `${member.name} är borttagen.`);
  });

  associationPage(router, "GET", "/funding-shares", "member.write", async (c) => {
    const tenant = c.get("tenant");
    const members = await listMembers(tenant.tx, tenant.association.id);
    return renderPage(
      c,
      "Ändra andelar",
      <FundingSharesPage base={baseOf(c)} csrfToken={c.get("csrfToken")} members={members} />,
    );
  });

  associationPage(router, "POST", "/funding-shares", "member.write", async (c) => {
    const tenant = c.get("tenant");
    const members = await listMembers(tenant.tx, tenant.association.id);
    const { values, errors, entries } = readEach(await c.req.parseBody(), members, {
      name: (member) => `share.${member.id}`,
      parse: parsePercent,
      message: (member) => `Ange andelen för ${member.name} i procent med högst två decimaler.`,
    });
    const shares = entries.map(({ key, value }) => ({ memberId: key.id, basisPoints: value }));
    const rerender = (errors: FieldError[]) =>
      renderPage(
        c,
        "Ändra andelar",
        <FundingSharesPage
          base={baseOf(c)}
          csrfToken={c.get("csrfToken")}
          members={members}
          values={values}
          errors={errors}
        />,
        422,
      );
    if (errors.length > 0) return rerender(errors);
    try {
      await setFundingShares({ tenant, shares });
    } catch (error) {
      return rerender(await formErrorsOf(error));
    }
    return redirectWithFlash(c, `${baseOf(c)}/members`, "Andelarna är sparade.");
  });

  for (const module of upcomingModules) {
    associationPage(router, "GET", module.path, module.permission, (c) =>
      renderPage(
        c,
        module.title,
        <>
          <h1>{module.title}</h1>
          <p>{module.description}</p>
          <p class="notice">Modulen byggs just nu och kommer i en senare version av Samordna.</p>
        </>,
      ),
    );
  }

  registerAssociationApi(routes);
}
