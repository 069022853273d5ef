import type { Hono } from "hono";
import type { ApiRegistry } from "./api.js";
import type { AppEnv, TenantEnv } from "./env.js";

/** What each module's registerRoutes receives: the app, the association-scoped router and the API registry. */
export type Routes = {
  app: Hono<AppEnv>;
  association: Hono<TenantEnv>;
  api: ApiRegistry;
};
