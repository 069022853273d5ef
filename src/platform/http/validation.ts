import { z } from "zod";
import { sv } from "zod/locales";
import { type FieldError, invalidInput } from "./errors.js";

z.config(sv());

/** Form fields arrive as strings; an empty field means "not given". */
export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max, `Högst ${max} tecken.`)
    .transform((value) => (value === "" ? undefined : value))
    .optional();

export const requiredText = (message: string, max = 200) =>
  z.string({ error: message }).trim().min(1, message).max(max, `Högst ${max} tecken.`);

/**
 * An optional whole number from a form field (text; empty means not given) or from the API (a number). Text that is
 * not a whole number fails with `message` rather than zod's generic one.
 */
export const optionalInteger = (options: { message: string; min: number; minMessage: string; max: number }) =>
  z.preprocess(
    (value) => {
      if (value === "" || value === null) return undefined;
      return typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    },
    z
      .number({ error: options.message })
      .int(options.message)
      .min(options.min, options.minMessage)
      .max(options.max, `Högst ${new Intl.NumberFormat("sv-SE").format(options.max)}.`)
      .optional(),
  );

export const email = z
  .string({ error: "Ange en e-postadress." })
  .trim()
  .toLowerCase()
  .min(1, "Ange en e-postadress.")
  .pipe(z.email("Ange en giltig e-postadress, t.ex. namn@exempel.se."));

export const uuid = z.uuid();

/** Field paths as the UI and problem+json use them: "members.2.share". */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(toFieldErrors(result.error));
  return result.data;
}

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldError[]; values: Record<string, string> };

/** Reads a posted form: on failure the caller re-renders the form with the errors and the user's own values. */
export async function readForm<S extends z.ZodType>(
  request: { parseBody(): Promise<Record<string, unknown>> },
  schema: S,
): Promise<FormResult<z.output<S>>> {
  const body = await request.parseBody();
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string" && key !== "_csrf") values[key] = value;
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  return { ok: false, errors: toFieldErrors(result.error), values };
}

export type EachResult<K, T> = {
  values: Record<string, string>;
  errors: FieldError[];
  entries: { key: K; value: T }[];
};

/**
 * Reads one typed value per named field of a posted form, as grids of amounts (per year, per kostnadsslag) and
 * shares (per member) are posted: every field keeps the user's text, every unreadable one gets its own message.
 */
export function readEach<K, T>(
  body: Record<string, unknown>,
  keys: readonly K[],
  field: {
    name: (key: K) => string;
    parse: (text: string) => T | undefined;
    message: (key: K) => string;
    /** An empty field is left out instead of being an error. */
    optional?: boolean;
  },
): EachResult<K, T> {
  const result: EachResult<K, T> = { values: {}, errors: [], entries: [] };
  for (const key of keys) {
    const name = field.name(key);
    const raw = body[name];
    const text = typeof raw === "string" ? raw.trim() : "";
    result.values[name] = text;
    if (text === "" && field.optional) continue;
    const value = field.parse(text);
    if (value === undefined) result.errors.push({ path: name, message: field.message(key) });
    else result.entries.push({ key, value });
  }
  return result;
}
