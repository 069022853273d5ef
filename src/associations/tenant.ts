import type { Context, Handler, Hono, MiddlewareHandler } from "hono";
import type { Kysely } from "kysely";
import { findApiTokenByHash, findMembership, touchApiToken } from "../accounts/repository.js";
import { can, isReadPermission, type Permission } from "../platform/auth/policy.js";
import { hashSecret } from "../platform/auth/secrets.js";
import type { DB } from "../platform/db/schema.js";
import { inAssociation } from "../platform/db/scope.js";
import type { AppEnv, Membership, Tenant, TenantEnv } from "../platform/http/env.js";
import { AppError, forbidden, notFound, unauthorized } from "../platform/http/errors.js";

/** Thrown inside the request transaction to roll it back when the response is an error, so nothing is half-written. */
class RollbackForErrorResponse extends Error {}

type Actor = {
  user: Tenant["user"];
  /** Already known when the session lookup found it (pages); looked up here otherwise (API). */
  membership?: Membership | undefined;
  token?: { id: string; associationId: string; scope: Tenant["tokenScope"] };
};

/**
 * Resolves /…/{slug}/… to an association the signed-in user (or API token) belongs to, and runs the rest of the
 * request in one transaction scoped to it (row-level security). Without a role there the answer is 404: the
 * response must not tell whether another association's page exists.
 */
function tenantScope(resolveActor: (c: Context<AppEnv>) => Promise<Actor>): MiddlewareHandler<TenantEnv> {
  return async (c, next) => {
    const { db } = c.get("deps").database;
    const actor = await resolveActor(c as unknown as Context<AppEnv>);
    const slug = c.req.param("slug") ?? "";
    const membership =
      actor.membership?.association.slug === slug ? actor.membership : await membershipOf(db, slug, actor);
    if (!membership) throw notFound();
    const { association, role } = membership;
    const pending: (() => Promise<void>)[] = [];
    try {
      await inAssociation(db, association.id, async (tx) => {
        if (actor.token) await touchApiToken(tx, association.id, actor.token.id);
        c.set("tenant", {
          association,
          role,
          user: actor.user,
          tx,
          tokenScope: actor.token?.scope,
          afterCommit: (task) => pending.push(task),
        });
        await next();
        if (c.error || c.res.status >= 400) throw new RollbackForErrorResponse();
      });
    } catch (error) {
      if (!(error instanceof RollbackForErrorResponse)) throw error;
      return;
    }
    for (const task of pending) {
      await task().catch((error) => c.get("log").error({ err: error }, "after-commit task failed"));
    }
  };
}

async function membershipOf(db: Kysely<DB>, slug: string, actor: Actor): Promise<Membership | undefined> {
  const found = await findMembership(db, slug, actor.user.id);
  if (!found || (actor.token && actor.token.associationId !== found.id)) return undefined;
  const { role, ...association } = found;
  return { association, role };
}

/** For the HTML pages under /f/{slug}: the session's user, whose membership the session lookup brought along. */
export const associationPages = (): MiddlewareHandler<TenantEnv> =>
  tenantScope(async (c) => {
    const user = c.get("user");
    if (!user) throw unauthorized();
    return { user, membership: c.get("membership") };
  });

/**
 * For the JSON API under /api/v1/associations/{slug}: a personal API token. A token of another association gets the
 * same 404 as a page of another association would.
 */
export const associationApi = (): MiddlewareHandler<TenantEnv> =>
  tenantScope(async (c) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!match?.[1]) throw unauthorized("Ange en API-nyckel i huvudet Authorization: Bearer <nyckel>.");
    const token = await findApiTokenByHash(c.get("deps").database.db, hashSecret(match[1]));
    if (!token) throw unauthorized("API-nyckeln är ogiltig.");
    if (token.revoked_at) throw unauthorized("API-nyckeln är återkallad.");
    if (token.expires_at <= new Date()) throw unauthorized("API-nyckeln har gått ut.");
    return {
      user: { id: token.user_id, email: token.email, name: token.name, isSuperadmin: false },
      token: { id: token.id, associationId: token.association_id, scope: token.scope },
    };
  });

/** The single authorisation check of a route: the role must hold the permission (and a read token may only read). */
export function requires(permission: Permission): MiddlewareHandler<TenantEnv> {
  return async (c, next) => {
    const tenant = c.get("tenant");
    if (!can(tenant.role, permission)) throw forbidden();
    if (tenant.tokenScope === "read" && !isReadPermission(permission)) {
      throw new AppError(403, "Åtkomst nekad", "API-nyckeln får bara läsa.");
    }
    return next();
  };
}

export type AssociationPageRoute = { method: "GET" | "POST"; path: string; permission: Permission };

/** Every declared association page with its permission, for the standing role and cross-tenant tests. */
export const associationPageRoutes: AssociationPageRoute[] = [];

/** Declares an HTML page or form action of an association: its path below /f/{slug} and its one permission. */
export function associationPage(
  router: Hono<TenantEnv>,
  method: "GET" | "POST",
  path: string,
  permission: Permission,
  handler: Handler<TenantEnv>,
) {
  const fullPath = `/f/:slug${path}`;
  if (!associationPageRoutes.some((route) => route.method === method && route.path === fullPath)) {
    associationPageRoutes.push({ method, path: fullPath, permission });
  }
  router.on(method, fullPath, associationPages(), requires(permission), handler);
}
