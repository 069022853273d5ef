import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { hashSecret, newSecret, sameSecret } from "../platform/auth/secrets.js";
import { outsideAssociation } from "../platform/db/scope.js";
import type { AppEnv, Membership } from "../platform/http/env.js";
import { AppError } from "../platform/http/errors.js";
import {
  deleteSession,
  deleteSessionsOfUser,
  extendSession,
  findSessionWithUser,
  insertSession,
} from "./repository.js";

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const RENEW_WHEN_LEFT_MS = SESSION_TTL_MS / 2;

function cookieNames(c: Context<AppEnv>) {
  // The __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and path=/.
  const prefix = c.get("deps").config.secureCookies ? "__Host-" : "";
  return { session: `${prefix}samordna_session`, csrf: `${prefix}samordna_csrf` };
}

function cookieOptions(c: Context<AppEnv>, maxAgeSeconds?: number) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: c.get("deps").config.secureCookies,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** Loads the signed-in user, if any, and the CSRF token that the page's forms must post back. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const names = cookieNames(c);
    const token = getCookie(c, names.session);
    c.set("user", undefined);
    c.set("sessionId", undefined);
    c.set("membership", undefined);
    if (token) {
      const sessionId = hashSecret(token);
      const { db } = c.get("deps").database;
      const slug = /^\/f\/([a-z0-9-]+)(?:\/|$)/.exec(c.req.path)?.[1] ?? null;
      const found = await findSessionWithUser(db, sessionId, slug);
      if (found && found.expires_at.getTime() - Date.now() < RENEW_WHEN_LEFT_MS) {
        await outsideAssociation(db, (tx) => extendSession(tx, sessionId, new Date(Date.now() + SESSION_TTL_MS)));
        setCookie(c, names.session, token, cookieOptions(c, SESSION_TTL_MS / 1000));
      }
      if (found) {
        c.set("user", { id: found.user_id, email: found.email, name: found.name, isSuperadmin: found.is_superadmin });
        c.set("sessionId", sessionId);
        c.set("csrfToken", found.csrf_token);
        c.set("membership", membershipOf(found));
        return next();
      }
      deleteCookie(c, names.session, cookieOptions(c));
    }
    let anonymousToken = getCookie(c, names.csrf);
    if (!anonymousToken || anonymousToken.length < 32) {
      anonymousToken = newSecret();
      setCookie(c, names.csrf, anonymousToken, cookieOptions(c));
    }
    c.set("csrfToken", anonymousToken);
    return next();
  };
}

/**
 * Every state-changing browser request must come from our own pages: the Origin check (Hono's csrf) and a
 * synchronizer token in the form (or the X-CSRF-Token header for htmx). The JSON API uses bearer tokens, not
 * cookies, and is exempt.
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  const originCheck = csrf({
    origin: (origin, c) => origin === new URL(c.req.url).origin || origin === c.get("deps").config.publicUrl,
  });
  const rejected = () =>
    new AppError(
      403,
      "Formuläret kunde inte skickas",
      "Sidan var för gammal eller kom från en annan webbplats. Ladda om sidan och försök igen.",
    );
  return async (c, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(c.req.method) || c.req.path.startsWith("/api/")) return next();
    try {
      await originCheck(c, async () => {});
    } catch {
      throw rejected();
    }
    const contentType = c.req.header("content-type") ?? "";
    let token = c.req.header("x-csrf-token");
    if (!token && /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(contentType)) {
      const body = await c.req.parseBody();
      token = typeof body._csrf === "string" ? body._csrf : undefined;
    }
    if (!token || !sameSecret(token, c.get("csrfToken"))) throw rejected();
    return next();
  };
}

/** Signs the user in with a fresh session id and CSRF token (never reusing a pre-login one: session fixation). */
export async function startSession(c: Context<AppEnv>, userId: string) {
  const names = cookieNames(c);
  const token = newSecret();
  const csrfToken = newSecret();
  const previous = c.get("sessionId");
  await outsideAssociation(c.get("deps").database.db, async (tx) => {
    if (previous) await deleteSession(tx, previous);
    await insertSession(tx, {
      id: hashSecret(token),
      userId,
      csrfToken,
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
    });
  });
  setCookie(c, names.session, token, cookieOptions(c, SESSION_TTL_MS / 1000));
  deleteCookie(c, names.csrf, cookieOptions(c));
  c.set("sessionId", hashSecret(token));
  c.set("csrfToken", csrfToken);
}

export async function endSession(c: Context<AppEnv>) {
  const sessionId = c.get("sessionId");
  if (sessionId) await outsideAssociation(c.get("deps").database.db, (tx) => deleteSession(tx, sessionId));
  deleteCookie(c, cookieNames(c).session, cookieOptions(c));
}

/** After a password change every other device is signed out, and this one gets a new session. */
export async function endOtherSessions(c: Context<AppEnv>, userId: string) {
  await outsideAssociation(c.get("deps").database.db, (tx) => deleteSessionsOfUser(tx, userId, c.get("sessionId")));
  await startSession(c, userId);
}

function membershipOf(found: NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>): Membership | undefined {
  if (!found.association_id || !found.role) return undefined;
  return {
    association: {
      id: found.association_id,
      slug: found.association_slug ?? "",
      name: found.association_name ?? "",
      organisation_number: found.association_organisation_number,
      created_at: found.association_created_at ?? new Date(0),
    },
    role: found.role,
  };
}
