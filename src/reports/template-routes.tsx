import type { Context } from "hono";
import { z } from "zod";
import { baseOf, formErrorsOf } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import type { TenantEnv } from "../platform/http/env.js";
import { AppError, type FieldError } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readForm, requiredText } from "../platform/http/validation.js";
import { findBuiltinTemplate } from "./builtin/index.js";
import { sectionLabel } from "./report-form.js";
import { countReportsUsing, listTemplateDefaults } from "./repository.js";
import { type SectionDefinition, sectionsByKey, type TemplateVersion } from "./template-model.js";
import {
  sectionField,
  TemplateFormPage,
  TemplatePage,
  type TemplateState,
  TemplatesPage,
  templatePath,
} from "./template-views.js";
import {
  copyTemplate,
  defaultTemplateKey,
  reportKinds,
  resolveTemplate,
  saveTemplate,
  setDefaultTemplate,
  templateChoices,
} from "./templates.js";

/** The edit and defaults forms name their fields after sections and kinds, so they are read as plain text fields. */
const textFields = z.record(z.string(), z.string());

const copyBody = z.object({
  fromKey: requiredText("Välj mallen att kopiera."),
  key: requiredText("Ange en nyckel för kopian."),
  title: requiredText("Ange en titel för kopian."),
});

/**
 * The key rides in the query string (`…/template?key=gavleborg/slutrapport`) because keys contain slashes. Without
 * one, the page shows the association's default slutrapport template, so the bare address is a page too.
 */
async function loadTemplate(c: Context<TenantEnv>): Promise<TemplateState> {
  const tenant = c.get("tenant");
  const key = c.req.query("key") ?? (await defaultTemplateKey(tenant, "final"));
  const template = await resolveTemplate(tenant, key);
  return {
    template,
    builtin: findBuiltinTemplate(key) !== undefined,
    reportCount: await countReportsUsing(tenant.tx, tenant.association.id, key),
  };
}

/** "4.1 Syfte och bakgrund till insatsen" without the printed colon, as a message begins with it. */
const labelOf = (section: SectionDefinition) => sectionLabel(section).replace(/:$/, "");

type Placed = { section: SectionDefinition; index: number; position: number };

/** Moved up, a section goes before the one already at its new place; moved down, after it: as when dragging it. */
const direction = (entry: Placed) => Math.sign(entry.position - (entry.index + 1));
const byPlace = (a: Placed, b: Placed) => a.position - b.position || direction(a) - direction(b) || a.index - b.index;

/** The template as the edit form posts it. A field that is not posted keeps what the template says. */
function editedTemplate(template: TemplateVersion, values: Record<string, string>) {
  const errors: FieldError[] = [];
  const posted = (name: string) => values[name]?.trim();
  const optional = (name: string, current: string | undefined) => {
    const text = posted(name);
    return text === undefined ? current : text || undefined;
  };
  const heading = (section: SectionDefinition) => {
    const text = posted(sectionField.heading(section));
    if (text === undefined) return section.heading;
    // A printed heading left empty goes to the model, which refuses it, rather than silently vanishing.
    return text === "" && section.heading === undefined ? undefined : text;
  };
  const prompts = (section: SectionDefinition) => {
    const text = values[sectionField.prompts(section)];
    if (text === undefined) return section.prompts;
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
  };
  const position = (section: SectionDefinition, index: number) => {
    const text = posted(sectionField.position(section));
    if (text === undefined) return index + 1;
    if (/^\d{1,4}$/.test(text) && Number(text) >= 1) return Number(text);
    errors.push({
      path: sectionField.position(section),
      message: `${labelOf(section)}: Ange platsen som ett heltal, 1 eller mer.`,
    });
    return index + 1;
  };
  const edit = (sections: readonly SectionDefinition[]): SectionDefinition[] =>
    sections
      .map((section, index) => ({ section, index }))
      .filter(({ section }) => values[sectionField.remove(section)] === undefined)
      .map(({ section, index }) => ({ section, index, position: position(section, index) }))
      .sort(byPlace)
      .map(({ section }) => ({
        ...section,
        number: optional(sectionField.number(section), section.number),
        heading: heading(section),
        prompts: prompts(section),
        ...(section.children ? { children: edit(section.children) } : {}),
      }));
  const definition = {
    ...template,
    title: posted("title") ?? template.title,
    subtitle: optional("subtitle", template.subtitle),
    sections: edit(template.sections),
  };
  return { definition, errors };
}

/**
 * The model names its errors by their path in the new definition ("sections.4.children.0.heading"); the form names
 * its fields by section key, and the message says which section as printed before the change.
 */
function formError(template: TemplateVersion, edited: { sections: SectionDefinition[] }, error: FieldError) {
  const parts = error.path.split(".");
  let siblings: SectionDefinition[] | undefined = edited.sections;
  let section: SectionDefinition | undefined;
  while ((parts[0] === "sections" || parts[0] === "children") && parts.length > 1) {
    section = siblings?.[Number(parts[1])];
    siblings = section?.children;
    parts.splice(0, 2);
  }
  if (!section) return error;
  const field = parts[0];
  const label = labelOf(sectionsByKey(template).get(section.key) ?? section);
  return {
    path: field === "number" || field === "heading" || field === "prompts" ? `${field}.${section.key}` : error.path,
    message: `${label}: ${error.message}`,
  };
}

export function registerReportTemplateRoutes({ association: router }: Routes) {
  const renderList = async (
    c: Context<TenantEnv>,
    problem?: { values: Record<string, string>; errors: FieldError[] },
  ) => {
    const tenant = c.get("tenant");
    const from = c.req.query("from");
    return renderPage(
      c,
      "Rapportmallar",
      <TemplatesPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        choices={await templateChoices(tenant)}
        defaults={{
          interim: await defaultTemplateKey(tenant, "interim"),
          final: await defaultTemplateKey(tenant, "final"),
        }}
        values={problem?.values ?? (from ? { fromKey: from } : undefined)}
        errors={problem?.errors}
      />,
      problem ? 422 : 200,
    );
  };

  associationPage(router, "GET", "/report-templates", "report_template.manage", (c) => renderList(c));

  associationPage(router, "POST", "/report-templates", "report_template.manage", async (c) => {
    const form = await readForm(c.req, copyBody);
    if (!form.ok) return renderList(c, form);
    try {
      const copy = await copyTemplate({ tenant: c.get("tenant"), ...form.data });
      return redirectWithFlash(c, templatePath(baseOf(c), copy.key, "/edit"), "Mallen är kopierad. Ändra kopian här.");
    } catch (error) {
      return renderList(c, { values: form.values, errors: await formErrorsOf(error) });
    }
  });

  associationPage(router, "POST", "/report-templates/defaults", "report_template.manage", async (c) => {
    const tenant = c.get("tenant");
    const { values } = await readForm(c.req, textFields);
    // Compared with what is stored, not with the fallback shown: a delrapport default seen and kept is then kept.
    const stored = new Map(
      (await listTemplateDefaults(tenant.tx, tenant.association.id)).map((row) => [row.kind, row.template_key]),
    );
    try {
      for (const kind of reportKinds) {
        const key = values[`default-${kind}`];
        if (key !== undefined && key !== stored.get(kind)) await setDefaultTemplate({ tenant, kind, key });
      }
    } catch (error) {
      return renderList(c, { values, errors: await formErrorsOf(error) });
    }
    return redirectWithFlash(c, `${baseOf(c)}/report-templates`, "Standardmallarna är sparade.");
  });

  associationPage(router, "GET", "/report-templates/template", "report_template.manage", async (c) => {
    const state = await loadTemplate(c);
    return renderPage(c, state.template.title, <TemplatePage base={baseOf(c)} state={state} />);
  });

  const renderForm = (
    c: Context<TenantEnv>,
    state: TemplateState,
    problem?: { values: Record<string, string>; errors: FieldError[]; status: 409 | 422 },
  ) =>
    renderPage(
      c,
      `Ändra ${state.template.title}`,
      <TemplateFormPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        state={state}
        values={problem?.values}
        errors={problem?.errors}
      />,
      problem?.status ?? 200,
    );

  associationPage(router, "GET", "/report-templates/template/edit", "report_template.manage", async (c) =>
    renderForm(c, await loadTemplate(c)),
  );

  associationPage(router, "POST", "/report-templates/template", "report_template.manage", async (c) => {
    const state = await loadTemplate(c);
    const { template } = state;
    const { values } = await readForm(c.req, textFields);
    const { definition, errors } = editedTemplate(template, values);
    if (errors.length > 0) return renderForm(c, state, { values, errors, status: 422 });
    try {
      await saveTemplate({ tenant: c.get("tenant"), key: template.key, definition });
    } catch (error) {
      const problems = await formErrorsOf(error);
      return renderForm(c, state, {
        values,
        errors: problems.map((problem) => formError(template, definition, problem)),
        status: error instanceof AppError && error.status === 409 ? 409 : 422,
      });
    }
    return redirectWithFlash(c, templatePath(baseOf(c), template.key), "Mallen är sparad.");
  });
}
