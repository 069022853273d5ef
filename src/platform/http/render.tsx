import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Frame, Layout } from "../ui/layout.js";
import type { AppEnv, Flash, TenantEnv } from "./env.js";

type AnyContext = Context<AppEnv> | Context<TenantEnv>;

export function frameOf(c: AnyContext): Frame {
  const variables = c.var as Partial<TenantEnv["Variables"]>;
  const tenant = variables.tenant;
  return {
    path: c.req.path,
    csrfToken: variables.csrfToken ?? "",
    user: variables.user,
    flash: takeFlash(c),
    association: tenant && { slug: tenant.association.slug, name: tenant.association.name },
    role: tenant?.role,
  };
}

/** Renders a full page in the shared layout; the one way routes produce HTML. */
export function renderPage(c: AnyContext, title: string, body: Child, status: ContentfulStatusCode = 200) {
  return c.html(
    <Layout title={title} frame={frameOf(c)}>
      {body}
    </Layout>,
    status,
  );
}

const FLASH_COOKIE = "samordna_flash";

/** Redirect-after-post with a message for the next page (303, so the browser follows with GET). */
export function redirectWithFlash(c: AnyContext, location: string, text: string, kind: Flash["kind"] = "success") {
  setCookie(c, FLASH_COOKIE, encodeURIComponent(JSON.stringify([{ kind, text }])), {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    maxAge: 60,
  });
  return c.redirect(location, 303);
}

/** The message for this page, read (and cleared) only when a page is rendered, so redirects pass it on. */
function takeFlash(c: AnyContext): Flash[] {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return [];
  deleteCookie(c, FLASH_COOKIE, { path: "/" });
  try {
    const parsed = JSON.parse(decodeURIComponent(raw)) as Flash[];
    return parsed.filter(
      (flash) => typeof flash.text === "string" && ["success", "info", "error"].includes(flash.kind),
    );
  } catch {
    return [];
  }
}
