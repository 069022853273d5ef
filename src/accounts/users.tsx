import type { Context } from "hono";
import { z } from "zod";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { audit } from "../audit/record.js";
import { roleNames, roles } from "../platform/auth/policy.js";
import type { Role } from "../platform/db/schema.js";
import type { Tenant, TenantEnv } from "../platform/http/env.js";
import { conflict, type FieldError, invalidInput, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { email, readForm, requiredText } from "../platform/http/validation.js";
import { Button, ErrorSummary, Field, PostForm, RowAction, Select } from "../platform/ui/components.js";
import { inviteUser } from "./invite-user.js";
import { countAdmins, deleteRole, findRole, listAssociationUsers, upsertRole } from "./repository.js";

const roleOptions = roles.map((role) => ({ value: role, label: roleNames[role] }));
const role = z.enum(roles, { error: "Välj en roll." });
const inviteForm = z.object({ name: requiredText("Ange personens namn.", 120), email, role });

/** An association must keep at least one administrator, or nobody could manage it. */
async function assertAdminRemains(tenant: Tenant, userId: string, newRole: Role | undefined) {
  const current = await findRole(tenant.tx, tenant.association.id, userId);
  if (!current) throw notFound();
  if (current === "admin" && newRole !== "admin" && (await countAdmins(tenant.tx, tenant.association.id)) <= 1) {
    throw conflict("Förbundet måste ha minst en administratör.", [
      { path: "role", message: "Förbundet måste ha minst en administratör. Utse en ny innan du ändrar den här." },
    ]);
  }
  return current;
}

export function registerUserRoutes({ association: router, api }: Routes) {
  const page = async (
    c: Context<TenantEnv>,
    form?: { values: Record<string, string>; errors: FieldError[] },
    status: 409 | 422 = 422,
  ) => {
    const tenant = c.get("tenant");
    const users = await listAssociationUsers(tenant.tx, tenant.association.id);
    const base = baseOf(c);
    return renderPage(
      c,
      "Användare",
      <>
        <h1>Användare</h1>
        <ErrorSummary errors={form?.errors} />
        <div class="table-wrapper">
          <table>
            <caption class="visually-hidden">Användare i förbundet</caption>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">E-postadress</th>
                <th scope="col">Status</th>
                <th scope="col">Roll</th>
                <th scope="col">Ta bort</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr>
                  <th scope="row">{user.name}</th>
                  <td>{user.email}</td>
                  <td>{user.active ? "Aktiv" : "Inbjuden"}</td>
                  <td>
                    <PostForm
                      action={`${base}/users/${user.id}/role`}
                      csrfToken={c.get("csrfToken")}
                      class="inline-form"
                      label={`Roll för ${user.name}`}
                    >
                      <label class="visually-hidden" for={`role-${user.id}`}>
                        Roll för {user.name}
                      </label>
                      <select id={`role-${user.id}`} name="role">
                        {roleOptions.map((option) => (
                          <option value={option.value} selected={option.value === user.role}>
                            {option.label}
                          </option>
                        ))}
                      </select>{" "}
                      <Button kind="secondary">
                        Spara<span class="visually-hidden"> roll för {user.name}</span>
                      </Button>
                    </PostForm>
                  </td>
                  <td>
                    <RowAction
                      action={`${base}/users/${user.id}/remove`}
                      csrfToken={c.get("csrfToken")}
                      label="Ta bort"
                      object={user.name}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2>Bjud in en användare</h2>
        <p>
          Personen får ett e-postmeddelande med en länk för att välja lösenord. Har personen redan ett konto får den
          rollen direkt.
        </p>
        <PostForm action={`${base}/users`} csrfToken={c.get("csrfToken")} label="Bjud in en användare">
          <Field name="name" label="Namn" required value={form?.values.name} errors={form?.errors} autocomplete="off" />
          <Field
            name="email"
            label="E-postadress"
            type="email"
            required
            value={form?.values.email}
            errors={form?.errors}
            autocomplete="off"
          />
          <Select
            name="role"
            label="Roll"
            required
            options={roleOptions}
            value={form?.values.role}
            errors={form?.errors}
            emptyOption="Välj roll"
          />
          <Button>Skicka inbjudan</Button>
        </PostForm>
      </>,
      form ? status : 200,
    );
  };

  associationPage(router, "GET", "/users", "user.read", (c) => page(c));

  associationPage(router, "POST", "/users", "user.write", async (c) => {
    const form = await readForm(c.req, inviteForm);
    if (!form.ok) return page(c, form);
    const tenant = c.get("tenant");
    const { config, mailer } = c.get("deps");
    const result = await inviteUser({
      tx: tenant.tx,
      association: tenant.association,
      actor: { id: tenant.user.id, label: tenant.user.email },
      email: form.data.email,
      name: form.data.name,
      role: form.data.role,
      publicUrl: config.publicUrl,
    });
    tenant.afterCommit(() => mailer.send(result.mail));
    return redirectWithFlash(
      c,
      `${baseOf(c)}/users`,
      result.alreadyMember ? `${form.data.email} har fått ny roll.` : `Inbjudan till ${form.data.email} är skickad.`,
    );
  });

  associationPage(router, "POST", "/users/:userId/role", "user.write", async (c) => {
    const tenant = c.get("tenant");
    const userId = idParam(c, "userId");
    if (!(await findRole(tenant.tx, tenant.association.id, userId))) throw notFound();
    const form = await readForm(c.req, z.object({ role }));
    try {
      if (!form.ok) throw invalidInput(form.errors);
      const previous = await assertAdminRemains(tenant, userId, form.data.role);
      await upsertRole(tenant.tx, tenant.association.id, userId, form.data.role);
      await audit(
        tenant,
        "user.role_changed",
        { type: "user", id: userId },
        { role: form.data.role, previousRole: previous },
      );
    } catch (error) {
      return page(c, { values: {}, errors: await formErrorsOf(error) }, 409);
    }
    return redirectWithFlash(c, `${baseOf(c)}/users`, "Rollen är ändrad.");
  });

  associationPage(router, "POST", "/users/:userId/remove", "user.write", async (c) => {
    const tenant = c.get("tenant");
    const userId = idParam(c, "userId");
    try {
      const previous = await assertAdminRemains(tenant, userId, undefined);
      await deleteRole(tenant.tx, tenant.association.id, userId);
      await audit(tenant, "user.removed", { type: "user", id: userId }, { previousRole: previous });
    } catch (error) {
      return page(c, { values: {}, errors: await formErrorsOf(error) }, 409);
    }
    return redirectWithFlash(c, `${baseOf(c)}/users`, "Användaren har inte längre någon roll i förbundet.");
  });

  api.add(router, {
    method: "get",
    path: "/users",
    operationId: "listUsers",
    summary: "People with a role in the association",
    tag: "users",
    permission: "user.read",
    response: z.object({
      items: z.array(
        z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: z.enum(roles), active: z.boolean() }),
      ),
    }),
    handler: async ({ tenant }) => ({ items: await listAssociationUsers(tenant.tx, tenant.association.id) }),
  });
}
