import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { z } from "zod";
import { insertAuditEntry } from "../audit/repository.js";
import { hashPassword, verifyPassword } from "../platform/auth/password.js";
import { hashSecret } from "../platform/auth/secrets.js";
import { outsideAssociation } from "../platform/db/scope.js";
import type { AppEnv } from "../platform/http/env.js";
import type { FieldError } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { email, readForm, requiredText } from "../platform/http/validation.js";
import { createOneTimeLink, findOneTimeLink, type LinkPurpose } from "./one-time-links.js";
import { withConfirmedPassword } from "./passwords.js";
import {
  associationsOfUser,
  countRecentOneTimeTokens,
  findUserByEmail,
  findUserById,
  markOneTimeTokenUsed,
  updatePassword,
  updateUserName,
} from "./repository.js";
import { endOtherSessions, endSession, startSession } from "./session.js";
import { signIn } from "./sign-in.js";
import {
  AccountPage,
  AssociationList,
  ChoosePasswordPage,
  InvalidLinkPage,
  LoginPage,
  PasswordResetRequestPage,
} from "./views.js";

const loginSchema = z.object({
  email,
  password: z.string({ error: "Ange ditt lösenord." }).min(1, "Ange ditt lösenord.").max(256),
});

/** Only a local path may be a redirect target, never another site. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/";
}

function clientIp(c: Context<AppEnv>): string {
  if (c.get("deps").config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

const genericFailure = "Fel e-postadress eller lösenord.";
const RESET_WINDOW_MS = 60 * 60 * 1000;
const MAX_RESETS_PER_WINDOW = 3;

export function registerAccountRoutes({ app }: Routes) {
  app.get("/", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/login", 303);
    const associations = await outsideAssociation(c.get("deps").database.db, (tx) => associationsOfUser(tx, user.id));
    if (associations.length === 1 && associations[0]) return c.redirect(`/f/${associations[0].slug}`, 303);
    if (associations.length === 0 && user.isSuperadmin) return c.redirect("/admin/associations", 303);
    return renderPage(
      c,
      "Välj förbund",
      <>
        <h1>Välj förbund</h1>
        <AssociationList associations={associations} />
      </>,
    );
  });

  app.get("/login", (c) => {
    const next = safeNext(c.req.query("next"));
    if (c.get("user")) return c.redirect(next, 303);
    return renderPage(c, "Logga in", <LoginPage csrfToken={c.get("csrfToken")} next={next === "/" ? "" : next} />);
  });

  app.post("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    const nextParam = next === "/" ? "" : next;
    const form = await readForm(c.req, loginSchema);
    if (!form.ok) {
      return renderPage(
        c,
        "Logga in",
        <LoginPage csrfToken={c.get("csrfToken")} next={nextParam} values={form.values} errors={form.errors} />,
        422,
      );
    }
    const result = await signIn(c.get("deps").database.db, {
      email: form.data.email,
      password: form.data.password,
      ip: clientIp(c),
      requestId: c.get("requestId"),
    });
    if (result.kind !== "ok") {
      const failure =
        result.kind === "throttled"
          ? "För många misslyckade försök. Vänta 15 minuter och försök igen, eller återställ lösenordet."
          : genericFailure;
      return renderPage(
        c,
        "Logga in",
        <LoginPage
          csrfToken={c.get("csrfToken")}
          next={nextParam}
          values={{ email: form.data.email }}
          failure={failure}
        />,
        result.kind === "throttled" ? 429 : 401,
      );
    }
    await startSession(c, result.userId);
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    await endSession(c);
    return redirectWithFlash(c, "/login", "Du är utloggad.", "info");
  });

  app.get("/password-reset", (c) =>
    renderPage(c, "Återställ lösenord", <PasswordResetRequestPage csrfToken={c.get("csrfToken")} />),
  );

  app.post("/password-reset", async (c) => {
    const form = await readForm(c.req, z.object({ email }));
    if (!form.ok) {
      return renderPage(
        c,
        "Återställ lösenord",
        <PasswordResetRequestPage csrfToken={c.get("csrfToken")} values={form.values} errors={form.errors} />,
        422,
      );
    }
    const { database, config, mailer } = c.get("deps");
    const link = await outsideAssociation(database.db, async (tx) => {
      const user = await findUserByEmail(tx, form.data.email);
      if (!user) return undefined;
      // A few links an hour is plenty; more would only let someone flood the person's mailbox.
      const recent = await countRecentOneTimeTokens(
        tx,
        user.id,
        "password_reset",
        new Date(Date.now() - RESET_WINDOW_MS),
      );
      if (recent >= MAX_RESETS_PER_WINDOW) return undefined;
      return createOneTimeLink(tx, config.publicUrl, user.id, "password_reset");
    });
    if (link) {
      await mailer.send({
        to: form.data.email,
        subject: "Återställ ditt lösenord i Samordna",
        text: `Hej!\n\nNågon (förhoppningsvis du) bad om att få byta lösenord i Samordna. Följ länken inom en timme för att välja ett nytt lösenord:\n\n${link}\n\nBad du inte om detta kan du bortse från meddelandet.`,
      });
    }
    // The same answer whether or not the address has an account.
    return redirectWithFlash(
      c,
      "/login",
      "Om adressen har ett konto har vi skickat en länk för att välja nytt lösenord. Kontrollera din e-post.",
      "info",
    );
  });

  registerOneTimeLinkRoutes(app, {
    purpose: "password_reset",
    path: "/password-reset/:secret",
    title: "Välj nytt lösenord",
    intro: "Välj ett nytt lösenord. Du loggas ut från alla andra enheter.",
    schema: withConfirmedPassword({}),
    auditAction: "user.password_reset",
    done: "Lösenordet är bytt och du är inloggad.",
  });
  registerOneTimeLinkRoutes(app, {
    purpose: "invitation",
    path: "/invitation/:secret",
    title: "Välkommen till Samordna",
    intro: "Du har bjudits in. Bekräfta ditt namn och välj ett lösenord för att aktivera kontot.",
    schema: withConfirmedPassword({ name: requiredText("Ange ditt namn.", 120) }),
    auditAction: "user.invitation_accepted",
    done: "Välkommen! Ditt konto är aktiverat.",
  });

  const accountPage = async (c: Context<AppEnv>, form?: { errors: FieldError[] }) => {
    const user = c.get("user");
    if (!user) return c.redirect("/login?next=/account", 303);
    const associations = await outsideAssociation(c.get("deps").database.db, (tx) => associationsOfUser(tx, user.id));
    return renderPage(
      c,
      "Mitt konto",
      <AccountPage
        csrfToken={c.get("csrfToken")}
        name={user.name}
        email={user.email}
        associations={associations}
        errors={form?.errors}
      />,
      form ? 422 : 200,
    );
  };

  app.get("/account", (c) => accountPage(c));

  const changePassword = withConfirmedPassword({
    currentPassword: z.string({ error: "Ange ditt nuvarande lösenord." }).min(1, "Ange ditt nuvarande lösenord."),
  });

  app.post("/account/password", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/login?next=/account", 303);
    const form = await readForm(c.req, changePassword);
    if (!form.ok) return accountPage(c, { errors: form.errors });
    const { database } = c.get("deps");
    const stored = await outsideAssociation(database.db, (tx) => findUserById(tx, user.id));
    if (!(await verifyPassword(stored?.password_hash, form.data.currentPassword))) {
      return accountPage(c, {
        errors: [{ path: "currentPassword", message: "Det nuvarande lösenordet stämmer inte." }],
      });
    }
    const passwordHash = await hashPassword(form.data.password);
    await outsideAssociation(database.db, async (tx) => {
      await updatePassword(tx, user.id, passwordHash);
      await insertAuditEntry(tx, {
        associationId: null,
        actor: { id: user.id, label: user.email },
        action: "user.password_changed",
        entityType: "user",
        entityId: user.id,
        requestId: c.get("requestId"),
      });
    });
    await endOtherSessions(c, user.id);
    return redirectWithFlash(c, "/account", "Lösenordet är bytt. Andra enheter har loggats ut.");
  });
}

type OneTimeLinkPage = {
  purpose: LinkPurpose;
  path: string;
  title: string;
  intro: string;
  schema: z.ZodType<{ password: string; name?: string }>;
  auditAction: string;
  done: string;
};

/**
 * A page behind an e-mailed single-use link where the user chooses a password (reset) or activates an account
 * (invitation, which also asks for the name). Using the link signs the user in and every other device out.
 */
function registerOneTimeLinkRoutes(app: Routes["app"], page: OneTimeLinkPage) {
  const askName = page.purpose === "invitation";
  const render = (
    c: Context<AppEnv>,
    email: string,
    form: { values?: Record<string, string>; errors?: FieldError[] },
  ) =>
    renderPage(
      c,
      page.title,
      <ChoosePasswordPage
        csrfToken={c.get("csrfToken")}
        title={page.title}
        intro={page.intro}
        action={c.req.path}
        email={email}
        askName={askName}
        values={form.values}
        errors={form.errors}
      />,
      form.errors ? 422 : 200,
    );
  const invalid = (c: Context<AppEnv>) => renderPage(c, "Länken fungerar inte", <InvalidLinkPage />, 404);

  app.get(page.path, async (c) => {
    const link = await findOneTimeLink(c.get("deps").database.db, c.req.param("secret") ?? "", page.purpose);
    if (!link) return invalid(c);
    return render(c, link.email, { values: askName ? { name: link.name } : {} });
  });

  app.post(page.path, async (c) => {
    const { database } = c.get("deps");
    const secret = c.req.param("secret") ?? "";
    const link = await findOneTimeLink(database.db, secret, page.purpose);
    if (!link) return invalid(c);
    const form = await readForm(c.req, page.schema);
    if (!form.ok) return render(c, link.email, form);
    const passwordHash = await hashPassword(form.data.password);
    const used = await outsideAssociation(database.db, async (tx) => {
      if (!(await markOneTimeTokenUsed(tx, hashSecret(secret)))) return false;
      await updatePassword(tx, link.userId, passwordHash);
      if (form.data.name) await updateUserName(tx, link.userId, form.data.name);
      await insertAuditEntry(tx, {
        associationId: null,
        actor: { id: link.userId, label: link.email },
        action: page.auditAction,
        entityType: "user",
        entityId: link.userId,
        requestId: c.get("requestId"),
      });
      return true;
    });
    if (!used) return invalid(c);
    await endOtherSessions(c, link.userId);
    return redirectWithFlash(c, "/", page.done);
  });
}
