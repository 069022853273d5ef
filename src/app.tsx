import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { sql } from "kysely";
import { registerApiTokenRoutes } from "./accounts/api-tokens.js";
import { registerAccountRoutes } from "./accounts/routes.js";
import { csrfProtection, loadSession } from "./accounts/session.js";
import { registerUserRoutes } from "./accounts/users.js";
import { registerPlatformAdminRoutes } from "./associations/platform-admin.js";
import { registerAssociationRoutes } from "./associations/routes.js";
import { associationApi, requires } from "./associations/tenant.js";
import { registerAuditRoutes } from "./audit/routes.js";
import { registerEconomyRoutes } from "./economy/routes.js";
import { registerInterventionRoutes } from "./interventions/routes.js";
import { registerOrganisationRoutes } from "./organisations/routes.js";
import { registerParticipantRoutes } from "./participants/routes.js";
import { migrationsUpToDate } from "./platform/db/migrate.js";
import { ApiRegistry } from "./platform/http/api.js";
import type { AppDeps, AppEnv, TenantEnv } from "./platform/http/env.js";
import { AppError, notFound } from "./platform/http/errors.js";
import { renderPage } from "./platform/http/render.js";
import { requestLog } from "./platform/http/request-log.js";
import type { Routes } from "./platform/http/routes.js";
import { registerStaticPages } from "./platform/ui/static-pages.js";
import { registerReportRoutes } from "./reports/routes.js";
import { registerReportTemplateRoutes } from "./reports/template-routes.js";
import { registerRequisitionRoutes } from "./requisitions/routes.js";

const publicDir = fileURLToPath(new URL("../public", import.meta.url));

export type App = { app: Hono<AppEnv>; api: ApiRegistry };

export function createApp(deps: AppDeps): App {
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("*", requestLog());
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: "same-origin",
      strictTransportSecurity: deps.config.secureCookies ? "max-age=31536000; includeSubDomains" : false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    "/static/*",
    async (c, next) => {
      await next();
      if (c.res.ok) c.header("Cache-Control", "public, max-age=3600");
    },
    serveStatic({ root: publicDir, rewriteRequestPath: (path) => path.replace(/^\/static/, "") }),
  );

  app.get("/healthz", (c) => c.text("ok"));
  app.get("/readyz", async (c) => {
    try {
      await sql`select 1`.execute(deps.database.db);
      if (!(await migrationsUpToDate(deps.database.db))) return c.json({ status: "migrations pending" }, 503);
      return c.json({ status: "ready", database: deps.database.kind });
    } catch {
      return c.json({ status: "database unreachable" }, 503);
    }
  });

  app.use("*", bodyLimit({ maxSize: 10 * 1024 * 1024 }));
  app.use("*", loadSession());
  app.use("*", csrfProtection());

  const association = new Hono<TenantEnv>();
  const api = new ApiRegistry((permission) => [associationApi(), requires(permission)]);
  const routes: Routes = { app, association, api };

  registerStaticPages(routes);
  registerAccountRoutes(routes);
  registerPlatformAdminRoutes(routes);
  registerAssociationRoutes(routes);
  registerUserRoutes(routes);
  registerApiTokenRoutes(routes);
  registerAuditRoutes(routes);
  registerOrganisationRoutes(routes);
  registerInterventionRoutes(routes);
  registerRequisitionRoutes(routes);
  registerReportRoutes(routes);
  registerReportTemplateRoutes(routes);
  registerParticipantRoutes(routes);
  registerEconomyRoutes(routes);

  app.get("/api/v1/openapi.json", (c) => c.json(api.openApiDocument(deps.config.publicUrl)));
  app.route("/", association);

  app.notFound((c) => errorResponse(c, notFound()));
  app.onError((error, c) => {
    const appError = toAppError(error);
    if (appError.status >= 500) c.get("log")?.error({ err: error }, "request failed");
    return errorResponse(c, appError);
  });

  return { app, api };
}

function errorResponse(c: Context<AppEnv>, appError: AppError) {
  if (c.req.path.startsWith("/api/")) {
    const problem = {
      type: "about:blank",
      title: appError.title,
      status: appError.status,
      ...(appError.detail ? { detail: appError.detail } : {}),
      instance: c.req.path,
      ...(appError.fieldErrors.length > 0
        ? { errors: appError.fieldErrors.map((error) => ({ path: error.path, detail: error.message })) }
        : {}),
    };
    return c.body(JSON.stringify(problem), appError.status, {
      "Content-Type": "application/problem+json",
      ...(appError.status === 401 ? { "WWW-Authenticate": 'Bearer realm="samordna"' } : {}),
    });
  }
  if (appError.status === 401 && c.req.method === "GET") {
    return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  }
  return renderPage(
    c,
    appError.title,
    <>
      <h1>{appError.title}</h1>
      {appError.detail && <p>{appError.detail}</p>}
      {appError.status >= 500 && <p>Felkod: {c.get("requestId")}</p>}
      <p>
        <a href="/">Till startsidan</a>
      </p>
    </>,
    appError.status,
  );
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new AppError(413, "För stor fil", "Det som skickades är större än 10 MB.");
    return new AppError(error.status as ContentfulStatusCode, "Begäran kunde inte hanteras");
  }
  return new AppError(
    500,
    "Något gick fel",
    "Ett oväntat fel uppstod och ingenting sparades. Försök igen; kvarstår felet, kontakta förbundets administratör.",
  );
}
