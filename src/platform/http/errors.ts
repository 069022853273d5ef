import type { ContentfulStatusCode } from "hono/utils/http-status";

export type FieldError = { path: string; message: string };

/**
 * The one error type of the application. Use cases throw it; the edge turns it into a Swedish HTML page or an
 * RFC 9457 problem+json response. `title` and `detail` are shown to users, so they are Swedish.
 */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

export const notFound = () =>
  new AppError(404, "Sidan finns inte", "Adressen finns inte eller så saknar du behörighet.");
export const forbidden = () => new AppError(403, "Åtkomst nekad", "Du har inte behörighet till detta.");
export const unauthorized = (detail = "Inloggning krävs.") => new AppError(401, "Inte inloggad", detail);
export const invalidInput = (fieldErrors: FieldError[]) =>
  new AppError(422, "Uppgifterna behöver rättas", "Några uppgifter saknas eller är felaktiga.", fieldErrors);
export const conflict = (detail: string, fieldErrors: FieldError[] = []) =>
  new AppError(409, "Det gick inte att spara", detail, fieldErrors);
