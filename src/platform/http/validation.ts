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
