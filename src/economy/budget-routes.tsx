import type { Context } from "hono";
import { z } from "zod";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { can } from "../platform/auth/policy.js";
import type { Tenant, TenantEnv } from "../platform/http/env.js";
import { AppError, type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readForm } from "../platform/http/validation.js";
import { adoptBody, adoptBudget, decisionDate, decisionReference, PLAN_YEARS } from "./adopt-budget.js";
import {
  addBudgetLine,
  lineOwner,
  moveBudgetLine,
  moveDirections,
  newLineBody,
  removeBudgetLine,
  renameBudgetLine,
  renameLineBody,
} from "./budget-lines.js";
import {
  type AmountsByLine,
  findStructureLine,
  listAmounts,
  listStructureLines,
  type StructureLine,
} from "./budget-repository.js";
import {
  amountField,
  BudgetIndexPage,
  BudgetLinesPage,
  type BudgetYearModel,
  BudgetYearPage,
  budgetFormValues,
  ForecastPage,
  forecastField,
  LineMonthsPage,
  monthField,
  spreadField,
  totalsOf,
  versionField,
  yearTotal,
} from "./budget-views.js";
import { copyBudgetIntoForecast, type ForecastEntry, firstOpenMonth, saveForecast } from "./forecast.js";
import { sum } from "./periods.js";
import { findFiscalYear, listFiscalYears } from "./repository.js";
import {
  type BudgetEntry,
  kronorText,
  MAX_KRONOR,
  parseWholeKronor,
  periodisationOf,
  type Revision,
  roundToKronor,
  saveBudget,
} from "./save-budget.js";
import { sectionNames, sections } from "./structure.js";
import { ensureBudgetStructure } from "./structure-setup.js";

/** Budget structure, budget and plan years, forecast: pages and API. */

const amountMessage = "i hela kronor, t.ex. 1 975 068 eller -500";

/** Budget years run 2000–2098: a year's two plan years must still fit the fiscal years' range. */
function yearParam(c: Context<TenantEnv>): number {
  const text = c.req.param("year") ?? "";
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 2000 || year > 2100 - PLAN_YEARS) throw notFound();
  return year;
}

const todayInSweden = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" });

async function structure(tenant: Tenant) {
  await ensureBudgetStructure(tenant.tx, tenant.association.id);
  return listStructureLines(tenant.tx, tenant.association.id);
}

/** 409 and 422 come back on the form with the user's values; the status says which it was. */
async function failureOf(error: unknown): Promise<{ status: 409 | 422; errors: FieldError[] }> {
  const errors = await formErrorsOf(error);
  return { status: error instanceof AppError && error.status === 409 ? 409 : 422, errors };
}

async function budgetModel(c: Context<TenantEnv>, year: number): Promise<BudgetYearModel> {
  const tenant = c.get("tenant");
  const associationId = tenant.association.id;
  const lines = await structure(tenant);
  const years = Array.from({ length: PLAN_YEARS + 1 }, (_, index) => year + index);
  const fiscalYears = new Map(
    await Promise.all(years.map(async (y) => [y, await findFiscalYear(tenant.tx, associationId, y)] as const)),
  );
  return {
    base: baseOf(c),
    csrfToken: c.get("csrfToken"),
    year,
    years,
    fiscalYears,
    lines,
    amounts: await listAmounts(tenant.tx, associationId, "budget", years),
    mayWrite: can(tenant.role, "economy.write"),
  };
}

/** The revision fields, when filled in: both or neither. */
function readRevision(values: Record<string, string>): { revision?: Revision; errors: FieldError[] } {
  const reference = values.revisionReference?.trim() ?? "";
  const decidedOn = values.revisionDate?.trim() ?? "";
  if (reference === "" && decidedOn === "") return { errors: [] };
  const errors: FieldError[] = [];
  const parsedReference = decisionReference.safeParse(reference);
  if (!parsedReference.success) errors.push({ path: "revisionReference", message: "Ange det nya beslutets paragraf." });
  const parsedDate = decisionDate.safeParse(decidedOn);
  if (!parsedDate.success) errors.push({ path: "revisionDate", message: "Ange beslutsdatum som ÅÅÅÅ-MM-DD." });
  if (!parsedReference.success || !parsedDate.success) return { errors };
  return { revision: { reference: parsedReference.data, decidedOn: parsedDate.data }, errors };
}

const versionOf = (text: string | undefined) => {
  const version = Number(text ?? "");
  return Number.isInteger(version) && version >= 0 ? version : undefined;
};

/**
 * The budget form as changes: a year amount that differs from the one shown is spread again (evenly, or over the
 * insats's months when that is ticked); an untouched amount keeps its months, so months entered one by one survive
 * a save of the year form, unless the spread choice itself was changed.
 */
function readBudgetForm(model: BudgetYearModel, values: Record<string, string>) {
  const errors: FieldError[] = [];
  const entries: BudgetEntry[] = [];
  for (const line of model.lines) {
    if (line.memberId) continue;
    const spread = line.interventionId !== null && values[spreadField(line.id)] === "on";
    for (const year of model.years) {
      const field = amountField(line.id, year);
      const text = values[field]?.trim() ?? "";
      const entered = text === "" ? 0n : parseWholeKronor(text);
      if (entered === undefined) {
        errors.push({ path: field, message: `${line.name}, ${year}: ange beloppet ${amountMessage}.` });
        continue;
      }
      const months = model.amounts.get(line.id)?.get(year);
      const storedOre = sum(months ?? []);
      const changed = entered !== roundToKronor(storedOre);
      const mode = months && periodisationOf(months, year, line);
      const respread = line.interventionId !== null && months !== undefined && spread !== (mode === "intervention");
      if (!changed && !respread) continue;
      entries.push({
        lineId: line.id,
        year,
        field,
        amount: { kind: "year", ore: changed ? entered : storedOre, spreadOverIntervention: spread },
      });
    }
  }
  const versions = new Map<number, number>();
  for (const year of model.years) {
    const version = versionOf(values[versionField(year)]);
    if (version === undefined) errors.push({ path: "form", message: "Formuläret saknar versionen. Ladda om sidan." });
    else versions.set(year, version);
  }
  const revision = readRevision(values);
  return { entries, versions, revision: revision.revision, errors: [...errors, ...revision.errors] };
}

/** Twelve month fields in whole kronor, each with its own message. */
function readMonths(values: Record<string, string>): { months: bigint[]; errors: FieldError[] } {
  const months: bigint[] = [];
  const errors: FieldError[] = [];
  for (let month = 1; month <= 12; month++) {
    const text = values[monthField(month)]?.trim() ?? "";
    const ore = text === "" ? 0n : parseWholeKronor(text);
    if (ore === undefined) errors.push({ path: monthField(month), message: `Ange månadens belopp ${amountMessage}.` });
    months.push(ore ?? 0n);
  }
  return { months, errors };
}

async function formValues(c: Context<TenantEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "_csrf",
    ),
  );
}

export function registerBudgetRoutes(routes: Routes) {
  const { association: router } = routes;

  associationPage(router, "GET", "/economy/budget", "economy.read", async (c) => {
    const tenant = c.get("tenant");
    const years = await listFiscalYears(tenant.tx, tenant.association.id);
    const currentYear = Number(todayInSweden().slice(0, 4));
    return renderPage(c, "Budget", <BudgetIndexPage base={baseOf(c)} years={years} currentYear={currentYear} />);
  });

  // --- Budget structure ---

  const renderLines = async (
    c: Context<TenantEnv>,
    failure?: { status: 409 | 422; errors: FieldError[]; values: Record<string, string> },
  ) => {
    const tenant = c.get("tenant");
    return renderPage(
      c,
      "Budgetens rader",
      <BudgetLinesPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        lines={await structure(tenant)}
        mayWrite={can(tenant.role, "economy.write")}
        values={failure?.values}
        errors={failure?.errors}
      />,
      failure?.status ?? 200,
    );
  };
  /** A line of another association is a page that does not exist, before any of the form is read. */
  const existingLine = async (c: Context<TenantEnv>) => {
    const tenant = c.get("tenant");
    const line = await findStructureLine(tenant.tx, tenant.association.id, idParam(c, "lineId"));
    if (!line) throw notFound();
    return line.id;
  };
  const linesPath = (c: Context<TenantEnv>) => `${baseOf(c)}/economy/budget/lines`;

  associationPage(router, "GET", "/economy/budget/lines", "economy.read", (c) => renderLines(c));

  associationPage(router, "POST", "/economy/budget/lines", "economy.write", async (c) => {
    const form = await readForm(c.req, newLineBody);
    if (!form.ok) return renderLines(c, { status: 422, errors: form.errors, values: form.values });
    try {
      await addBudgetLine({ tenant: c.get("tenant"), input: form.data });
    } catch (error) {
      return renderLines(c, { ...(await failureOf(error)), values: form.values });
    }
    return redirectWithFlash(c, linesPath(c), `Raden ”${form.data.name}” är tillagd.`);
  });

  associationPage(router, "POST", "/economy/budget/lines/:lineId", "economy.write", async (c) => {
    const lineId = await existingLine(c);
    const values = await formValues(c);
    const field = `name-${lineId}`;
    const parsed = renameLineBody.safeParse({ name: values[field] ?? "" });
    const onField = (errors: FieldError[]) => errors.map((error) => ({ ...error, path: field }));
    if (!parsed.success) {
      return renderLines(c, { status: 422, errors: onField([{ path: field, message: "Ange radens namn." }]), values });
    }
    try {
      await renameBudgetLine({ tenant: c.get("tenant"), lineId, name: parsed.data.name });
    } catch (error) {
      const failure = await failureOf(error);
      return renderLines(c, { ...failure, errors: onField(failure.errors), values });
    }
    return redirectWithFlash(c, linesPath(c), "Raden har bytt namn.");
  });

  associationPage(router, "POST", "/economy/budget/lines/:lineId/move", "economy.write", async (c) => {
    const lineId = await existingLine(c);
    const form = await readForm(c.req, z.object({ direction: z.enum(moveDirections, { error: "Välj riktning." }) }));
    if (!form.ok) return renderLines(c, { status: 422, errors: form.errors, values: form.values });
    await moveBudgetLine({ tenant: c.get("tenant"), lineId, direction: form.data.direction });
    return redirectWithFlash(c, linesPath(c), "Raden är flyttad.");
  });

  associationPage(router, "POST", "/economy/budget/lines/:lineId/delete", "economy.write", async (c) => {
    const lineId = idParam(c, "lineId");
    try {
      await removeBudgetLine({ tenant: c.get("tenant"), lineId });
    } catch (error) {
      return renderLines(c, { ...(await failureOf(error)), values: {} });
    }
    return redirectWithFlash(c, linesPath(c), "Raden är borttagen.");
  });

  // --- Budget per year ---

  const renderYear = (
    c: Context<TenantEnv>,
    model: BudgetYearModel,
    values: Record<string, string>,
    failure?: { status: 409 | 422; errors: FieldError[] },
  ) =>
    renderPage(
      c,
      `Budget ${model.year}`,
      <BudgetYearPage {...model} values={values} errors={failure?.errors} />,
      failure?.status ?? 200,
    );

  associationPage(router, "GET", "/economy/budget/:year", "economy.read", async (c) => {
    const model = await budgetModel(c, yearParam(c));
    return renderYear(c, model, budgetFormValues(model));
  });

  associationPage(router, "POST", "/economy/budget/:year", "economy.write", async (c) => {
    const model = await budgetModel(c, yearParam(c));
    const values = await formValues(c);
    const form = readBudgetForm(model, values);
    if (form.errors.length > 0) return renderYear(c, model, values, { status: 422, errors: form.errors });
    try {
      await saveBudget({
        tenant: c.get("tenant"),
        versions: form.versions,
        entries: form.entries,
        revision: form.revision,
      });
    } catch (error) {
      // A stale form keeps the user's amounts but carries the current versions, so a second save goes through.
      const fresh = budgetFormValues(await budgetModel(c, model.year));
      const versions = Object.fromEntries(model.years.map((y) => [versionField(y), fresh[versionField(y)] ?? "0"]));
      return renderYear(c, model, { ...values, ...versions }, await failureOf(error));
    }
    return redirectWithFlash(c, `${baseOf(c)}/economy/budget/${model.year}`, `Budgeten för ${model.year} är sparad.`);
  });

  associationPage(router, "POST", "/economy/budget/:year/adopt", "economy.write", async (c) => {
    const model = await budgetModel(c, yearParam(c));
    const form = await readForm(c.req, adoptBody);
    const values = { ...budgetFormValues(model), ...form.values };
    if (!form.ok) return renderYear(c, model, values, { status: 422, errors: form.errors });
    try {
      await adoptBudget({ tenant: c.get("tenant"), year: model.year, input: form.data });
    } catch (error) {
      return renderYear(c, model, values, await failureOf(error));
    }
    return redirectWithFlash(
      c,
      `${baseOf(c)}/economy/budget/${model.year}`,
      `Budgeten för ${model.year} är fastställd (${form.data.decision}).`,
    );
  });

  // --- One line's months, budget or forecast ---

  for (const scenario of ["budget", "forecast"] as const) {
    const prefix = scenario === "budget" ? "/economy/budget/:year" : "/economy/budget/:year/forecast";
    const load = async (c: Context<TenantEnv>) => {
      const tenant = c.get("tenant");
      const year = yearParam(c);
      const lineId = idParam(c, "lineId");
      const line = (await structure(tenant)).find((candidate) => candidate.id === lineId);
      if (!line) throw notFound();
      const amounts = await listAmounts(tenant.tx, tenant.association.id, scenario, [year]);
      const fiscalYear = await findFiscalYear(tenant.tx, tenant.association.id, year);
      return { tenant, year, line, months: amounts.get(line.id)?.get(year), fiscalYear };
    };
    const render = (
      c: Context<TenantEnv>,
      loaded: Awaited<ReturnType<typeof load>>,
      values: Record<string, string>,
      failure?: { status: 409 | 422; errors: FieldError[] },
    ) =>
      renderPage(
        c,
        `${scenario === "budget" ? "Budget" : "Prognos"} ${loaded.year}: ${loaded.line.name}`,
        <LineMonthsPage
          base={baseOf(c)}
          csrfToken={c.get("csrfToken")}
          scenario={scenario}
          year={loaded.year}
          line={loaded.line}
          months={loaded.months}
          fiscalYear={loaded.fiscalYear}
          mayWrite={can(loaded.tenant.role, "economy.write")}
          values={values}
          errors={failure?.errors}
        />,
        failure?.status ?? 200,
      );
    const storedValues = (loaded: Awaited<ReturnType<typeof load>>) => ({
      version: String(loaded.fiscalYear?.version ?? 0),
      ...Object.fromEntries(
        Array.from({ length: 12 }, (_, index) => [
          monthField(index + 1),
          loaded.months ? kronorText(loaded.months[index] ?? 0n) : "",
        ]),
      ),
    });

    associationPage(router, "GET", `${prefix}/lines/:lineId`, "economy.read", async (c) => {
      const loaded = await load(c);
      return render(c, loaded, storedValues(loaded));
    });

    associationPage(router, "POST", `${prefix}/lines/:lineId`, "economy.write", async (c) => {
      const loaded = await load(c);
      const values = await formValues(c);
      const { months, errors } = readMonths(values);
      const version = versionOf(values.version);
      if (version === undefined) errors.push({ path: "form", message: "Formuläret saknar versionen. Ladda om sidan." });
      const revision = readRevision(values);
      errors.push(...revision.errors);
      if (errors.length > 0 || version === undefined) return render(c, loaded, values, { status: 422, errors });
      const back = `${baseOf(c)}/economy/budget/${loaded.year}${scenario === "forecast" ? "/forecast" : ""}`;
      try {
        if (scenario === "budget") {
          await saveBudget({
            tenant: loaded.tenant,
            versions: new Map([[loaded.year, version]]),
            entries: [{ lineId: loaded.line.id, year: loaded.year, amount: { kind: "months", months } }],
            revision: revision.revision,
          });
        } else {
          await saveForecast({
            tenant: loaded.tenant,
            year: loaded.year,
            version,
            entries: [{ lineId: loaded.line.id, kind: "months", months }],
          });
        }
      } catch (error) {
        const failure = await failureOf(error);
        return render(c, loaded, { ...values, version: String(loaded.fiscalYear?.version ?? 0) }, failure);
      }
      return redirectWithFlash(c, back, `${loaded.line.name}: månaderna för ${loaded.year} är sparade.`);
    });
  }

  // --- Forecast ---

  const forecastModel = async (c: Context<TenantEnv>) => {
    const tenant = c.get("tenant");
    const year = yearParam(c);
    const lines = await structure(tenant);
    return {
      tenant,
      year,
      lines,
      fiscalYear: await findFiscalYear(tenant.tx, tenant.association.id, year),
      budget: await listAmounts(tenant.tx, tenant.association.id, "budget", [year]),
      forecast: await listAmounts(tenant.tx, tenant.association.id, "forecast", [year]),
    };
  };
  type ForecastModel = Awaited<ReturnType<typeof forecastModel>>;
  const forecastValues = (model: ForecastModel) => ({
    version: String(model.fiscalYear?.version ?? 0),
    fromMonth: String(firstOpenMonth(model.year, todayInSweden())),
    ...Object.fromEntries(
      model.lines.map((line) => {
        const months = model.forecast.get(line.id)?.get(model.year);
        return [forecastField(line.id), months ? kronorText(sum(months)) : ""];
      }),
    ),
  });
  const renderForecast = (
    c: Context<TenantEnv>,
    model: ForecastModel,
    values: Record<string, string>,
    failure?: { status: 409 | 422; errors: FieldError[] },
  ) =>
    renderPage(
      c,
      `Prognos ${model.year}`,
      <ForecastPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        year={model.year}
        fiscalYear={model.fiscalYear}
        lines={model.lines}
        budget={model.budget}
        forecast={model.forecast}
        mayWrite={can(model.tenant.role, "economy.write")}
        values={values}
        errors={failure?.errors}
      />,
      failure?.status ?? 200,
    );
  const forecastPath = (c: Context<TenantEnv>, year: number) => `${baseOf(c)}/economy/budget/${year}/forecast`;

  associationPage(router, "GET", "/economy/budget/:year/forecast", "economy.read", async (c) => {
    const model = await forecastModel(c);
    return renderForecast(c, model, forecastValues(model));
  });

  associationPage(router, "POST", "/economy/budget/:year/forecast", "economy.write", async (c) => {
    const model = await forecastModel(c);
    const values = await formValues(c);
    const errors: FieldError[] = [];
    const fromMonth = Number(values.fromMonth);
    if (!Number.isInteger(fromMonth) || fromMonth < 1 || fromMonth > 12) {
      errors.push({ path: "fromMonth", message: "Välj månaden som fördelningen börjar med." });
    }
    const version = versionOf(values.version);
    if (version === undefined) errors.push({ path: "form", message: "Formuläret saknar versionen. Ladda om sidan." });
    const entries: ForecastEntry[] = [];
    for (const line of model.lines) {
      const field = forecastField(line.id);
      const text = values[field]?.trim() ?? "";
      const ore = text === "" ? 0n : parseWholeKronor(text);
      if (ore === undefined) {
        errors.push({ path: field, message: `${line.name}: ange prognosen ${amountMessage}.` });
        continue;
      }
      if (ore === roundToKronor(yearTotal(model.forecast, line.id, model.year))) continue;
      entries.push({ lineId: line.id, kind: "year", ore, fromMonth, field });
    }
    if (errors.length > 0 || version === undefined) {
      return renderForecast(c, model, values, { status: 422, errors });
    }
    try {
      await saveForecast({ tenant: model.tenant, year: model.year, version, entries });
    } catch (error) {
      const failure = await failureOf(error);
      return renderForecast(c, model, { ...values, version: String(model.fiscalYear?.version ?? 0) }, failure);
    }
    return redirectWithFlash(c, forecastPath(c, model.year), `Prognosen för ${model.year} är sparad.`);
  });

  associationPage(router, "POST", "/economy/budget/:year/forecast/copy", "economy.write", async (c) => {
    const model = await forecastModel(c);
    const values = await formValues(c);
    const version = versionOf(values.version);
    const shown = forecastValues(model);
    if (version === undefined) {
      return renderForecast(c, model, shown, {
        status: 422,
        errors: [{ path: "form", message: "Formuläret saknar versionen. Ladda om sidan." }],
      });
    }
    try {
      await copyBudgetIntoForecast({ tenant: model.tenant, year: model.year, version });
    } catch (error) {
      return renderForecast(c, model, shown, await failureOf(error));
    }
    return redirectWithFlash(c, forecastPath(c, model.year), `Budgeten för ${model.year} är kopierad till prognosen.`);
  });

  registerBudgetApi(routes);
}

// --- API ---

const ore = z
  .number()
  .int()
  .min(-Number(MAX_KRONOR) * 100)
  .max(Number(MAX_KRONOR) * 100)
  .meta({
    description: "Amount in öre (1 kr = 100 öre), natural sign: income positive on income lines, costs on cost lines",
  });
const sectionKeys = sections.map((section) => section.key) as [StructureLine["section"], ...StructureLine["section"][]];

const lineSchema = z.object({
  id: z.uuid(),
  section: z.enum(sectionKeys),
  sectionName: z.string(),
  name: z.string(),
  kind: z.enum(["own", "member", "intervention"]).meta({
    description: "own: the association's line; member: medlemsbidrag of memberId; intervention: the insats's line",
  }),
  memberId: z.uuid().nullable(),
  interventionId: z.uuid().nullable(),
  position: z.number().int(),
});

const presentLine = (line: StructureLine) => ({
  id: line.id,
  section: line.section,
  sectionName: sectionNames[line.section],
  name: line.name,
  kind: lineOwner(line) ?? ("own" as const),
  memberId: line.memberId,
  interventionId: line.interventionId,
  position: line.position,
});

const subtotalsSchema = z.object({
  sections: z.object(Object.fromEntries(sectionKeys.map((key) => [key, ore])) as Record<string, typeof ore>),
  income: ore,
  costs: ore,
  operatingResult: ore,
  financial: ore,
  result: ore,
});

const yearSchema = z.object({
  year: z.number().int(),
  scenario: z.enum(["budget", "forecast"]),
  status: z.enum(["plan", "adopted"]),
  adoptedOn: z.string().nullable().meta({ description: "Date of the board's decision, YYYY-MM-DD" }),
  decision: z.string().nullable().meta({ description: 'The decision\'s reference, e.g. "§ 582"' }),
  version: z
    .number()
    .int()
    .meta({ description: "The fiscal year's version: send it back with a change; 0 when the year does not exist yet" }),
  lines: z.array(
    lineSchema.pick({ section: true, name: true, kind: true }).safeExtend({
      lineId: z.uuid(),
      months: z.array(ore).length(12).meta({ description: "Twelve amounts in öre, January first" }),
      yearOre: ore.meta({ description: "The year's amount: always the sum of the months" }),
    }),
  ),
  subtotals: subtotalsSchema.meta({ description: "Computed from the lines, never stored" }),
});

async function presentYear(tenant: Tenant, scenario: "budget" | "forecast", year: number) {
  await ensureBudgetStructure(tenant.tx, tenant.association.id);
  const lines = await listStructureLines(tenant.tx, tenant.association.id);
  const amounts: AmountsByLine = await listAmounts(tenant.tx, tenant.association.id, scenario, [year]);
  const fiscalYear = await findFiscalYear(tenant.tx, tenant.association.id, year);
  const totals = totalsOf(lines, amounts, year);
  return {
    year,
    scenario,
    status: fiscalYear?.budgetStatus ?? ("plan" as const),
    adoptedOn: fiscalYear?.budgetAdoptedOn ?? null,
    decision: fiscalYear?.budgetDecision ?? null,
    version: fiscalYear?.version ?? 0,
    lines: lines.map((line) => {
      const months = amounts.get(line.id)?.get(year) ?? Array<bigint>(12).fill(0n);
      return {
        lineId: line.id,
        section: line.section,
        name: line.name,
        kind: lineOwner(line) ?? ("own" as const),
        months,
        yearOre: sum(months),
      };
    }),
    subtotals: totals,
  };
}

const yearParams = z.object({
  year: z.coerce
    .number({ error: "Ange året som ÅÅÅÅ." })
    .int("Ange året som ÅÅÅÅ.")
    .min(2000, "Året ska vara 2000–2098.")
    .max(2100 - PLAN_YEARS, "Året ska vara 2000–2098."),
});
const lineParams = z.object({ lineId: z.uuid() });
const versionBody = z.object({
  version: z.number().int().min(0).meta({ description: "The fiscal year's version as read; a stale one gives 409" }),
});
const monthsInput = z.array(ore).length(12, "Ange tolv månader.").meta({ description: "Twelve amounts in öre" });

const budgetPut = versionBody.safeExtend({
  lines: z
    .array(
      z
        .object({
          lineId: z.uuid(),
          yearOre: ore.optional().meta({ description: "The year's amount, spread evenly by month (or see below)" }),
          months: monthsInput.optional(),
          spreadOverIntervention: z
            .boolean()
            .optional()
            .meta({ description: "With yearOre on an insats line: spread over the months the insats runs, by days" }),
        })
        .refine((line) => (line.yearOre === undefined) !== (line.months === undefined), {
          message: "Ange antingen yearOre eller months.",
        }),
    )
    .max(10_000),
  revision: z
    .object({ reference: decisionReference, decidedOn: decisionDate })
    .optional()
    .meta({ description: "Required when the year's budget is adopted: the board's new decision, which replaces it" }),
});

const forecastPut = versionBody.safeExtend({
  lines: z
    .array(
      z
        .object({
          lineId: z.uuid(),
          yearOre: ore.optional().meta({
            description: "The year's forecast: months before fromMonth are kept, the rest spread evenly",
          }),
          fromMonth: z.number().int().min(1).max(12).optional().meta({ description: "Default 1" }),
          months: monthsInput.optional(),
        })
        .refine((line) => (line.yearOre === undefined) !== (line.months === undefined), {
          message: "Ange antingen yearOre eller months.",
        }),
    )
    .max(10_000),
});

const amountsNote =
  "Money is integer öre, as everywhere in this API; the form pages take whole kronor. Amounts have their natural sign.";

function registerBudgetApi({ association: router, api }: Routes) {
  const tag = "economy";

  api.add(router, {
    method: "get",
    path: "/economy/budget-lines",
    operationId: "listBudgetLines",
    summary: "The association's budget lines by position, with the medlemsbidrag and insats lines made automatically",
    tag,
    permission: "economy.read",
    response: z.object({ items: z.array(lineSchema) }),
    handler: async ({ tenant }) => {
      await ensureBudgetStructure(tenant.tx, tenant.association.id);
      return { items: (await listStructureLines(tenant.tx, tenant.association.id)).map(presentLine) };
    },
  });

  api.add(router, {
    method: "post",
    path: "/economy/budget-lines",
    operationId: "createBudgetLine",
    summary: "Add a line to a section of the budget",
    tag,
    permission: "economy.write",
    body: newLineBody,
    response: lineSchema,
    status: 201,
    handler: async ({ tenant, body }) => presentLine(await addBudgetLine({ tenant, input: body })),
  });

  api.add(router, {
    method: "patch",
    path: "/economy/budget-lines/{lineId}",
    operationId: "updateBudgetLine",
    summary: "Rename the association's own line and/or move any line one step up or down within its section",
    tag,
    permission: "economy.write",
    params: lineParams,
    body: z.object({ name: renameLineBody.shape.name.optional(), move: z.enum(moveDirections).optional() }),
    response: lineSchema,
    handler: async ({ tenant, params, body }) => {
      if (body.name !== undefined) await renameBudgetLine({ tenant, lineId: params.lineId, name: body.name });
      if (body.move) await moveBudgetLine({ tenant, lineId: params.lineId, direction: body.move });
      const line = (await listStructureLines(tenant.tx, tenant.association.id)).find((l) => l.id === params.lineId);
      if (!line) throw notFound();
      return presentLine(line);
    },
  });

  api.add(router, {
    method: "delete",
    path: "/economy/budget-lines/{lineId}",
    operationId: "deleteBudgetLine",
    summary:
      "Remove the association's own line; refused (409) while it has budget or forecast amounts, actuals or mapping rules",
    tag,
    permission: "economy.write",
    params: lineParams,
    response: z.object({ deleted: z.literal(true) }),
    handler: async ({ tenant, params }) => {
      await removeBudgetLine({ tenant, lineId: params.lineId });
      return { deleted: true as const };
    },
  });

  api.add(router, {
    method: "get",
    path: "/economy/budgets/{year}",
    operationId: "getBudget",
    summary: `The year's budget: every line's twelve months and year amount, computed subtotals and status. ${amountsNote}`,
    tag,
    permission: "economy.read",
    params: yearParams,
    response: yearSchema,
    handler: ({ tenant, params }) => presentYear(tenant, "budget", params.year),
  });

  api.add(router, {
    method: "put",
    path: "/economy/budgets/{year}",
    operationId: "saveBudget",
    summary:
      `Set the named lines' budget for the year, as a year amount (spread evenly by month) or as twelve months; ` +
      `medlemsbidrag lines come from the contributions. ${amountsNote}`,
    tag,
    permission: "economy.write",
    params: yearParams,
    body: budgetPut,
    response: yearSchema,
    handler: async ({ tenant, params, body }) => {
      await saveBudget({
        tenant,
        versions: new Map([[params.year, body.version]]),
        entries: body.lines.map((line, index) => ({
          lineId: line.lineId,
          year: params.year,
          field: `lines.${index}`,
          amount:
            line.months !== undefined
              ? { kind: "months" as const, months: line.months.map(BigInt) }
              : {
                  kind: "year" as const,
                  ore: BigInt(line.yearOre ?? 0),
                  spreadOverIntervention: line.spreadOverIntervention,
                },
        })),
        revision: body.revision,
      });
      return presentYear(tenant, "budget", params.year);
    },
  });

  api.add(router, {
    method: "post",
    path: "/economy/budgets/{year}/adopt",
    operationId: "adoptBudget",
    summary:
      "Record the board's adoption of the year's budget (date and reference); the two following years stay plan years",
    tag,
    permission: "economy.write",
    params: yearParams,
    body: versionBody.safeExtend({ adoptedOn: decisionDate, decision: decisionReference }),
    response: yearSchema,
    handler: async ({ tenant, params, body }) => {
      await adoptBudget({ tenant, year: params.year, input: body });
      return presentYear(tenant, "budget", params.year);
    },
  });

  api.add(router, {
    method: "get",
    path: "/economy/forecasts/{year}",
    operationId: "getForecast",
    summary: `The year's forecast (prognos) per line and month, with computed subtotals. ${amountsNote}`,
    tag,
    permission: "economy.read",
    params: yearParams,
    response: yearSchema,
    handler: ({ tenant, params }) => presentYear(tenant, "forecast", params.year),
  });

  api.add(router, {
    method: "put",
    path: "/economy/forecasts/{year}",
    operationId: "saveForecast",
    summary: `Set the named lines' forecast for the year, as a year amount from a month on or as twelve months. ${amountsNote}`,
    tag,
    permission: "economy.write",
    params: yearParams,
    body: forecastPut,
    response: yearSchema,
    handler: async ({ tenant, params, body }) => {
      await saveForecast({
        tenant,
        year: params.year,
        version: body.version,
        entries: body.lines.map((line, index): ForecastEntry => {
          const field = `lines.${index}`;
          return line.months !== undefined
            ? { lineId: line.lineId, kind: "months", months: line.months.map(BigInt), field }
            : {
                lineId: line.lineId,
                kind: "year",
                ore: BigInt(line.yearOre ?? 0),
                fromMonth: line.fromMonth ?? 1,
                field,
              };
        }),
      });
      return presentYear(tenant, "forecast", params.year);
    },
  });

  api.add(router, {
    method: "post",
    path: "/economy/forecasts/{year}/copy-budget",
    operationId: "copyBudgetToForecast",
    summary: "Replace the year's whole forecast with its budget, month by month, in one transaction",
    tag,
    permission: "economy.write",
    params: yearParams,
    body: versionBody,
    response: yearSchema,
    handler: async ({ tenant, params, body }) => {
      await copyBudgetIntoForecast({ tenant, year: params.year, version: body.version });
      return presentYear(tenant, "forecast", params.year);
    },
  });
}
