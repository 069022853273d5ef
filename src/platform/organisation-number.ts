import organisationsnummer from "organisationsnummer";

// The package's CommonJS build exports the class itself, while its types describe an ES default export.
const Organisationsnummer = organisationsnummer as unknown as typeof import("organisationsnummer").default;

export function isOrganisationNumber(text: string): boolean {
  return Organisationsnummer.valid(text);
}

/** The usual written form, NNNNNN-NNNN. */
export function formatOrganisationNumber(text: string): string {
  return Organisationsnummer.parse(text).format(true);
}
