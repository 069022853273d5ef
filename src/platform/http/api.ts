import type { Context, Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { Permission } from "../auth/policy.js";
import type { Tenant, TenantEnv } from "./env.js";
import { AppError } from "./errors.js";
import { parseOrThrow } from "./validation.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

export type Endpoint<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
> = {
  method: Method;
  /** OpenAPI-style path below /api/v1/associations/{slug}, e.g. "/members/{memberId}". */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  permission: Permission;
  params?: Params;
  query?: Query;
  body?: Body;
  response: Response;
  status?: 200 | 201;
  /** A file as the request body instead of JSON (the handler reads it with `c.req.arrayBuffer()`), for OpenAPI. */
  upload?: { contentTypes: string[]; description: string };
  /** A download instead of JSON: the handler returns `{ bytes, fileName }` and the path ends in `{id}.<extension>`. */
  file?: { contentType: string };
  handler: (input: {
    tenant: Tenant;
    params: z.output<Params>;
    query: z.output<Query>;
    body: z.output<Body>;
    c: Context<TenantEnv>;
  }) => Promise<Presentable<z.input<Response>>>;
};

/** What a handler may return: the response's shape, with Dates and bigints still unconverted. */
type Presentable<T> = T extends number
  ? number | bigint
  : T extends string
    ? string | Date
    : T extends (infer Item)[]
      ? Presentable<Item>[]
      : T extends object
        ? { [K in keyof T]: Presentable<T[K]> }
        : T;

/** A JSON value with Dates as ISO strings and bigints (öre, ids) as numbers, as the API promises. */
function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) return value.toString();
    return Number(value);
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJsonValue(inner)]));
  }
  return value;
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), detail: z.string() })).optional(),
  })
  .meta({ description: "RFC 9457 problem details" });

/**
 * The one way to define the JSON API: each endpoint's zod schemas validate its input, shape its output (unknown
 * fields are stripped, so nothing leaks by accident) and generate the OpenAPI document.
 */
export class ApiRegistry {
  readonly endpoints: Endpoint[] = [];

  constructor(private readonly guard: (permission: Permission) => MiddlewareHandler<TenantEnv>[]) {}

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
    router: Hono<TenantEnv>,
    endpoint: Endpoint<P, Q, B, R>,
  ) {
    this.endpoints.push(endpoint as unknown as Endpoint);
    // "{reportId}.pdf" must not also match the JSON route "{reportId}": the download's id is a uuid with the suffix.
    const path = `/api/v1/associations/:slug${endpoint.path
      .replace(/\{(\w+)\}\.(\w+)/g, ":$1{[0-9a-fA-F-]{36}\\.$2}")
      .replace(/\{([A-Za-z]\w*)\}/g, ":$1")}`;
    router.on(
      endpoint.method.toUpperCase(),
      [path],
      ...this.guard(endpoint.permission),
      async (c: Context<TenantEnv>) => {
        const raw = c.req.param() as Record<string, string>;
        const suffix = /\}\.(\w+)$/.exec(endpoint.path)?.[1];
        const params = parseOrThrow(
          endpoint.params ?? z.object({}),
          suffix
            ? Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, value.replace(`.${suffix}`, "")]))
            : raw,
        );
        const query = parseOrThrow(endpoint.query ?? z.object({}), c.req.query());
        let rawBody: unknown;
        if (endpoint.body) {
          rawBody = await c.req.json().catch(() => {
            throw new AppError(400, "Ogiltig JSON", "Anropets innehåll är inte giltig JSON.");
          });
        }
        const body = endpoint.body ? parseOrThrow(endpoint.body, rawBody) : undefined;
        const result = await endpoint.handler({
          tenant: c.get("tenant"),
          params: params as z.output<P>,
          query: query as z.output<Q>,
          body: body as z.output<B>,
          c,
        });
        if (endpoint.file) {
          const { bytes, fileName } = result as unknown as { bytes: Uint8Array; fileName: string };
          return c.body(new Uint8Array(bytes), 200, {
            "content-type": endpoint.file.contentType,
            "content-disposition": `attachment; filename="${fileName}"`,
          });
        }
        const status = (endpoint.status ?? 200) as ContentfulStatusCode;
        return c.json(endpoint.response.parse(toJsonValue(result)) as object, status);
      },
    );
  }

  openApiDocument(publicUrl: string) {
    const paths: Record<string, Record<string, unknown>> = {};
    const schema = (type: z.ZodType, io: "input" | "output") => {
      const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: "any" }) as Record<
        string,
        unknown
      >;
      return rest;
    };
    const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
    for (const endpoint of this.endpoints) {
      const path = `/associations/{slug}${endpoint.path}`;
      const parameters: unknown[] = [
        { name: "slug", in: "path", required: true, schema: { type: "string" }, description: "The association's slug" },
      ];
      for (const [location, type] of [
        ["path", endpoint.params],
        ["query", endpoint.query],
      ] as const) {
        if (!type) continue;
        const json = schema(type, "input") as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, property] of Object.entries(json.properties ?? {})) {
          parameters.push({
            name,
            in: location,
            required: location === "path" || json.required?.includes(name),
            schema: property,
          });
        }
      }
      paths[path] ??= {};
      paths[path][endpoint.method] = {
        operationId: endpoint.operationId,
        summary: endpoint.summary,
        tags: [endpoint.tag],
        "x-permission": endpoint.permission,
        parameters,
        ...(endpoint.body
          ? {
              requestBody: {
                required: true,
                content: { "application/json": { schema: schema(endpoint.body, "input") } },
              },
            }
          : {}),
        ...(endpoint.upload
          ? {
              requestBody: {
                required: true,
                description: endpoint.upload.description,
                content: Object.fromEntries(
                  endpoint.upload.contentTypes.map((type) => [type, { schema: { type: "string", format: "binary" } }]),
                ),
              },
            }
          : {}),
        responses: {
          [String(endpoint.status ?? 200)]: {
            description: "OK",
            content: endpoint.file
              ? { [endpoint.file.contentType]: { schema: { type: "string", format: "binary" } } }
              : { "application/json": { schema: schema(endpoint.response, "output") } },
          },
          "401": { description: "Missing, invalid, expired or revoked API token", content: problem },
          "403": { description: "The token's user or scope may not do this", content: problem },
          "404": { description: "No such association or resource for this token", content: problem },
          ...(endpoint.body || endpoint.query || endpoint.upload
            ? { "422": { description: "Invalid input", content: problem } }
            : {}),
        },
      };
    }
    return {
      openapi: "3.1.0",
      info: {
        title: "Samordna API",
        version: "1",
        description:
          "The data of one samordningsförbund. Authenticate with a personal API token (created in the UI under API-nycklar) " +
          "as `Authorization: Bearer <token>`. Money is in öre (integer), dates are YYYY-MM-DD, timestamps ISO 8601.",
      },
      servers: [{ url: `${publicUrl}/api/v1` }],
      security: [{ bearerAuth: [] }],
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
        schemas: { Problem: schema(problemSchema, "output") },
      },
      paths,
    };
  }
}
