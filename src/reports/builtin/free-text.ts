/** A required free-text question as the seed forms print it: number (if any), heading, then its prompts. */
export const freeText = (
  key: string,
  printed: { number?: string; heading: string; prompts?: string[]; required?: boolean },
) => ({
  key,
  ...(printed.number ? { number: printed.number } : {}),
  heading: printed.heading,
  prompts: printed.prompts ?? [],
  type: "free_text" as const,
  config: { perParty: false },
  required: printed.required ?? true,
});
