import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "./env.js";

const validRequestId = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One access-log line per request with a request id (taken from X-Request-Id when a proxy sets one). The route
 * pattern is logged, never the raw path or query: paths can carry one-time tokens.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && validRequestId.test(incoming) ? incoming : randomUUID();
    const log = c.get("deps").logger.child({ requestId });
    c.set("requestId", requestId);
    c.set("log", log);
    const started = performance.now();
    await next();
    c.header("X-Request-Id", requestId);
    log.info(
      {
        method: c.req.method,
        route: routePath(c, -1),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
  };
}
