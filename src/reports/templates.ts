import { audit } from "../audit/record.js";
import type { ReportKind } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, invalidInput, notFound } from "../platform/http/errors.js";
import { toFieldErrors } from "../platform/http/validation.js";
import { builtinTemplates, findBuiltinTemplate } from "./builtin/index.js";
import {
  countReportsUsing,
  findTemplateRow,
  insertTemplate,
  listTemplateDefaults,
  listTemplates,
  updateTemplateDefinition,
  upsertTemplateDefault,
} from "./repository.js";
import { type TemplateVersion, templateVersion } from "./template-model.js";

export const reportKinds = ["interim", "final"] as const satisfies readonly ReportKind[];
export const reportKindNames: Record<ReportKind, string> = { interim: "Delrapport", final: "Slutrapport" };

export type TemplateChoice = { template: TemplateVersion; builtin: boolean; reportCount: number };

/** The built-in templates (the three seed forms) and the association's own copies. */
export async function templateChoices(tenant: Tenant): Promise<TemplateChoice[]> {
  const own = await listTemplates(tenant.tx, tenant.association.id);
  return [
    ...builtinTemplates.map((template) => ({ template, builtin: true, reportCount: 0 })),
    ...own.map((row) => ({
      template: templateVersion.parse(row.definition),
      builtin: false,
      reportCount: row.report_count ?? 0,
    })),
  ];
}

export async function resolveTemplate(tenant: Tenant, key: string): Promise<TemplateVersion> {
  const builtin = findBuiltinTemplate(key);
  if (builtin) return builtin;
  const row = await findTemplateRow(tenant.tx, tenant.association.id, key);
  if (!row) throw notFound();
  return templateVersion.parse(row.definition);
}

/** The association's choice for a kind; without one, the first built-in slutrapport form. */
export async function defaultTemplateKey(tenant: Tenant, kind: ReportKind): Promise<string> {
  const defaults = await listTemplateDefaults(tenant.tx, tenant.association.id);
  return (
    defaults.find((row) => row.kind === kind)?.template_key ??
    defaults.find((row) => row.kind === "final")?.template_key ??
    (builtinTemplates[0] as TemplateVersion).key
  );
}

export async function setDefaultTemplate(options: { tenant: Tenant; kind: ReportKind; key: string }) {
  const { tenant, kind, key } = options;
  await resolveTemplate(tenant, key).catch(() => {
    throw invalidInput([{ path: `default-${kind}`, message: "Välj en mall i listan." }]);
  });
  await upsertTemplateDefault(tenant.tx, tenant.association.id, kind, key);
  await audit(tenant, "report_template.default", { type: "report_template", id: key }, { kind });
}

export type CopyTemplateOptions = { tenant: Tenant; fromKey: string; key: string; title: string };

/** A new version to change: a copy of any template under a new key, owned by the association. */
export async function copyTemplate({ tenant, fromKey, key, title }: CopyTemplateOptions) {
  const source = await resolveTemplate(tenant, fromKey);
  if (findBuiltinTemplate(key) || (await findTemplateRow(tenant.tx, tenant.association.id, key))) {
    throw invalidInput([{ path: "key", message: "Det finns redan en mall med den nyckeln." }]);
  }
  const definition = parseTemplate({ ...source, key, title, association: tenant.association.name });
  await insertTemplate(tenant.tx, tenant.association.id, {
    key,
    basedOn: fromKey,
    definition,
    createdBy: tenant.user.name,
  });
  await audit(tenant, "report_template.copy", { type: "report_template", id: key }, { from: fromKey });
  return definition;
}

export type SaveTemplateOptions = { tenant: Tenant; key: string; definition: unknown };

/** Changes the association's own template: labels, order and sections, until a report uses it. */
export async function saveTemplate({ tenant, key, definition }: SaveTemplateOptions) {
  if (findBuiltinTemplate(key)) {
    throw new AppError(409, "Mallen är inbyggd", "En inbyggd mall ändras inte. Kopiera den och ändra kopian.");
  }
  if (!(await findTemplateRow(tenant.tx, tenant.association.id, key))) throw notFound();
  const used = await countReportsUsing(tenant.tx, tenant.association.id, key);
  if (used > 0) {
    throw new AppError(
      409,
      "Mallen används",
      `${used} rapporter är skrivna på mallen, så den ändras inte längre. Kopiera den och ändra kopian.`,
    );
  }
  const parsed = parseTemplate(definition);
  if (parsed.key !== key) throw invalidInput([{ path: "key", message: "Mallens nyckel kan inte ändras." }]);
  await updateTemplateDefinition(tenant.tx, tenant.association.id, key, parsed);
  await audit(tenant, "report_template.save", { type: "report_template", id: key });
  return parsed;
}

function parseTemplate(definition: unknown): TemplateVersion {
  const result = templateVersion.safeParse(definition);
  if (!result.success) throw invalidInput(toFieldErrors(result.error));
  return result.data;
}
