import type { Context } from "hono";
import { z } from "zod";
import { baseOf, formErrorsOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { can } from "../platform/auth/policy.js";
import type { Tenant, TenantEnv } from "../platform/http/env.js";
import { AppError, type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { refusedFile } from "./actuals-import.js";
import { importSie } from "./import-sie.js";
import { importTable, type TableImportResult, tableTargetNames, tableTargets } from "./import-table.js";
import { ImportPage, ImportsPage, isTableTarget, type MappingFormValues, MappingPage } from "./import-views.js";
import {
  findImport,
  type ImportSummary,
  importTotals,
  listImportBalances,
  listLedgerNames,
} from "./imports-repository.js";
import { importsOverview, mappingOverview, ruleNames } from "./mapping-overview.js";
import { listBudgetLines } from "./repository.js";
import { mappingRuleSchema, removeMappingRule, saveMappingRule, saveMappingRules } from "./save-mapping.js";
import { balanceLines } from "./structure.js";

/**
 * Actuals imports (SIE 4, CSV/XLSX) and the account mapping: pages under /f/{slug}/economy and the API. The API
 * takes a file as the raw request body, with its name (and for tables the target) as query parameters.
 */

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

async function uploadedFile(c: Context<TenantEnv>) {
  const body = await c.req.parseBody();
  const file = body.file instanceof File && body.file.size > 0 ? body.file : undefined;
  return { body, file: file && { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } };
}

/** A refused file's messages, or the error itself when it is not about the file. */
function fileErrorsOf(error: unknown): { status: 409 | 422; errors: FieldError[] } {
  if (error instanceof AppError && (error.status === 409 || error.status === 422)) {
    const errors = error.fieldErrors.length > 0 ? error.fieldErrors : [{ path: "file", message: error.detail ?? "" }];
    return { status: error.status, errors };
  }
  throw error;
}

async function importDetail(tenant: Tenant, importId: string) {
  const entry = await findImport(tenant.tx, tenant.association.id, importId);
  if (!entry) throw notFound();
  const [totals, balances, names, lines, replacedBy] = await Promise.all([
    importTotals(tenant.tx, tenant.association.id, importId),
    listImportBalances(tenant.tx, tenant.association.id, importId),
    listLedgerNames(tenant.tx, tenant.association.id),
    listBudgetLines(tenant.tx, tenant.association.id),
    entry.replacedBy ? findImport(tenant.tx, tenant.association.id, entry.replacedBy) : undefined,
  ]);
  return {
    entry,
    totals,
    balances,
    replacedBy,
    names: { ...names, lines: new Map(lines.map((line) => [line.id, line.name])) },
  };
}

/** The form's one "Hamnar på" select as the rule's two columns. */
function ruleFromForm(values: Record<string, string>) {
  const [kind, key] = (values.target ?? "").split(":");
  return {
    account: values.account,
    objectCode: values.objectCode,
    lineId: kind === "line" ? key : undefined,
    balanceLine: kind === "balance" ? key : undefined,
  };
}

function tableImportMessage(result: TableImportResult) {
  const what = tableTargetNames[result.target].toLowerCase();
  const replaced = result.replaced
    ? `; ${plural(result.replaced, "tidigare import", "tidigare importer")} ersattes`
    : "";
  return `${plural(result.rows, "rad", "rader")} ${what} för ${result.years.join(", ")} har lästs in${
    result.controls > 0 ? `, ${plural(result.controls, "kontrollsumma stämde", "kontrollsummor stämde")}` : ""
  }${replaced}.`;
}

export function registerImportRoutes(routes: Routes) {
  const { association: router } = routes;

  const importsPage = async (
    c: Context<TenantEnv>,
    refused?: Parameters<typeof ImportsPage>[0]["refused"] & { status: 409 | 422 },
  ) => {
    const tenant = c.get("tenant");
    return renderPage(
      c,
      "Import av utfall",
      <ImportsPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        mayWrite={can(tenant.role, "economy.write")}
        imports={await importsOverview(tenant)}
        refused={refused}
      />,
      refused?.status ?? 200,
    );
  };

  associationPage(router, "GET", "/economy/imports", "economy.read", (c) => importsPage(c));

  associationPage(router, "POST", "/economy/imports/sie", "economy.write", async (c) => {
    const { file } = await uploadedFile(c);
    const refuse = (status: 409 | 422, errors: FieldError[]) => importsPage(c, { form: "sie", errors, status });
    if (!file) return refuse(422, [{ path: "file", message: "Välj en SIE-fil att importera." }]);
    try {
      const result = await importSie(c.get("tenant"), file);
      const replaced = result.replaced.length
        ? ` Den ersätter ${plural(result.replaced.length, "tidigare import", "tidigare importer")}.`
        : "";
      return redirectWithFlash(
        c,
        `${baseOf(c)}/economy/imports/${result.importId}`,
        `SIE-filen för ${result.year} är importerad: ${plural(result.vouchers, "verifikation", "verifikationer")}, ` +
          `${plural(result.transactions, "transaktion", "transaktioner")}, ${plural(result.balances, "saldo", "saldon")}.${replaced}`,
      );
    } catch (error) {
      const { status, errors } = fileErrorsOf(error);
      return refuse(status, errors);
    }
  });

  associationPage(router, "POST", "/economy/imports/table", "economy.write", async (c) => {
    const { body, file } = await uploadedFile(c);
    const target = isTableTarget(body.target) ? body.target : undefined;
    const refuse = (status: 409 | 422, errors: FieldError[]) =>
      importsPage(c, { form: "table", errors, status, ...(target ? { target } : {}) });
    if (!target) return refuse(422, [{ path: "target", message: "Välj om beloppen är utfall, budget eller prognos." }]);
    if (!file) return refuse(422, [{ path: "file", message: "Välj en fil att importera." }]);
    try {
      const result = await importTable(c.get("tenant"), file, target);
      const location = result.importId
        ? `${baseOf(c)}/economy/imports/${result.importId}`
        : `${baseOf(c)}/economy/imports`;
      return redirectWithFlash(c, location, tableImportMessage(result));
    } catch (error) {
      const { status, errors } = fileErrorsOf(error);
      return refuse(status, errors);
    }
  });

  associationPage(router, "GET", "/economy/imports/:importId", "economy.read", async (c) => {
    const detail = await importDetail(c.get("tenant"), idParam(c, "importId"));
    return renderPage(c, `Import ${detail.entry.fileName}`, <ImportPage base={baseOf(c)} {...detail} />);
  });

  const mappingPage = async (
    c: Context<TenantEnv>,
    values: MappingFormValues,
    errors?: FieldError[],
  ): Promise<Response> => {
    const tenant = c.get("tenant");
    const year = Number(c.req.query("year"));
    const overview = await mappingOverview(
      tenant,
      Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined,
    );
    return renderPage(
      c,
      "Kontokoppling",
      <MappingPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        mayWrite={can(tenant.role, "economy.write")}
        overview={overview}
        values={values}
        errors={errors}
      />,
      errors ? 422 : 200,
    );
  };

  associationPage(router, "GET", "/economy/mapping", "economy.read", (c) =>
    mappingPage(c, { account: c.req.query("account") ?? "", objectCode: c.req.query("objectCode") ?? "" }),
  );

  associationPage(router, "POST", "/economy/mapping", "economy.write", async (c) => {
    const body = await c.req.parseBody();
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) if (typeof value === "string") values[key] = value;
    const parsed = mappingRuleSchema.safeParse(ruleFromForm(values));
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => {
        const path = String(issue.path[0] ?? "target");
        return { path: path === "lineId" || path === "balanceLine" ? "target" : path, message: issue.message };
      });
      return mappingPage(c, values, errors);
    }
    try {
      await saveMappingRule(c.get("tenant"), parsed.data);
    } catch (error) {
      return mappingPage(c, values, await formErrorsOf(error));
    }
    const what = [
      parsed.data.account && `Konto ${parsed.data.account}`,
      parsed.data.objectCode && `objekt ${parsed.data.objectCode}`,
    ]
      .filter(Boolean)
      .join(" med ");
    return redirectWithFlash(c, `${baseOf(c)}/economy/mapping`, `${what} är kopplat.`);
  });

  associationPage(router, "POST", "/economy/mapping/:mappingId/delete", "economy.write", async (c) => {
    await removeMappingRule(c.get("tenant"), idParam(c, "mappingId"));
    return redirectWithFlash(c, `${baseOf(c)}/economy/mapping`, "Regeln är borttagen.");
  });

  registerImportApi(routes);
}

const date = z.string().meta({ description: "Calendar date, YYYY-MM-DD" });
const ore = z.number().int().meta({ description: "Öre" });

const importSchema = z.object({
  id: z.uuid(),
  source: z.enum(["sie", "table"]),
  year: z.number().int(),
  periodStart: date,
  periodEnd: date,
  fileName: z.string(),
  companyName: z.string().nullable(),
  program: z.string().nullable(),
  objectDimension: z.number().int().nullable(),
  voucherCount: z.number().int(),
  transactionCount: z.number().int(),
  importedAt: z.string().meta({ description: "ISO 8601 timestamp" }),
  importedByLabel: z.string(),
  active: z.boolean().meta({ description: "Statements read only active imports" }),
  replacedAt: z.string().nullable(),
  replacedBy: z.uuid().nullable(),
});

const importListItem = importSchema.safeExtend({
  unmappedAccounts: z
    .number()
    .int()
    .nullable()
    .meta({ description: "Accounts of an active import that no rule (or BAS range) places; null when replaced" }),
});

const importDetailSchema = importSchema.safeExtend({
  totals: z.array(
    z.object({
      account: z.string().nullable(),
      objectCode: z.string().nullable(),
      lineId: z.uuid().nullable(),
      rows: z.number().int(),
      amountOre: ore.meta({ description: "Ledger rows: debit positive; table rows: natural sign" }),
    }),
  ),
  balances: z.array(
    z.object({
      kind: z.enum(["opening", "closing", "result"]),
      yearIndex: z.number().int(),
      account: z.string(),
      amountOre: ore,
    }),
  ),
});

const targetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("line"), lineId: z.uuid(), rule: z.enum(["account_object", "object", "account"]) }),
  z.object({
    kind: z.literal("balance"),
    balanceLine: z.enum(balanceLines.map((line) => line.key) as [string, ...string[]]),
    rule: z.enum(["account", "bas"]),
  }),
  z.object({ kind: z.literal("unmapped") }),
]);

const ruleSchema = z.object({
  id: z.uuid(),
  account: z.string().nullable(),
  objectCode: z.string().nullable(),
  lineId: z.uuid().nullable(),
  balanceLine: z.string().nullable(),
});

const mappingSchema = z.object({
  year: z.number().int().meta({ description: "The year whose booked amounts the accounts carry" }),
  rules: z.array(ruleSchema),
  accounts: z.array(
    z.object({
      account: z.string(),
      accountName: z.string().nullable(),
      objectCode: z.string().nullable(),
      objectName: z.string().nullable(),
      amountOre: ore.meta({ description: "Booked in the year on active imports, debit positive" }),
      target: targetSchema,
      ruleName: z.string().nullable().meta({ description: "Swedish name of the rule that placed it" }),
    }),
  ),
  unmapped: z.array(z.object({ account: z.string(), objectCode: z.string().nullable(), amountOre: ore })),
});

const presentImport = <T extends ImportSummary>(entry: T) => ({
  ...entry,
  active: entry.replacedAt === null,
});

async function presentMapping(tenant: Tenant, year: number | undefined) {
  const overview = await mappingOverview(tenant, year);
  return {
    year: overview.year,
    rules: overview.rules,
    accounts: overview.accounts.map((row) => ({
      ...row,
      ruleName: row.target.kind === "unmapped" ? null : ruleNames[row.target.rule],
    })),
    unmapped: overview.unmapped,
  };
}

async function requestFile(c: Context<TenantEnv>, fileName: string) {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length === 0) throw refusedFile(["Anropet saknar en fil: skicka filens innehåll som anropets kropp."]);
  return { name: fileName, bytes };
}

const fileNameQuery = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .meta({ description: "The file's name, e.g. bokforing-2020.se" });

function registerImportApi({ association: router, api }: Routes) {
  const tag = "economy";

  api.add(router, {
    method: "get",
    path: "/economy/imports",
    operationId: "listActualsImports",
    summary: "Every actuals import, newest first, replaced ones included, with the count of unmapped accounts",
    tag,
    permission: "economy.read",
    response: z.object({ items: z.array(importListItem) }),
    handler: async ({ tenant }) => ({ items: (await importsOverview(tenant)).map(presentImport) }),
  });

  api.add(router, {
    method: "get",
    path: "/economy/imports/{importId}",
    operationId: "getActualsImport",
    summary: "One import with its rows summed per account and object (or line) and its balances",
    tag,
    permission: "economy.read",
    params: z.object({ importId: z.uuid() }),
    response: importDetailSchema,
    handler: async ({ tenant, params }) => {
      const detail = await importDetail(tenant, params.importId);
      return { ...presentImport(detail.entry), totals: detail.totals, balances: detail.balances };
    },
  });

  api.add(router, {
    method: "post",
    path: "/economy/imports/sie",
    operationId: "importSie",
    summary:
      "Import a SIE 4 file (the raw bytes as the body). The file's #RAR 0 is the period; an active import of the same " +
      "file is refused (409), active imports the period covers entirely are replaced, a partial overlap is refused " +
      "(409). A broken file gives 422 with the line number in detail and errors; nothing is written",
    tag,
    permission: "economy.write",
    query: z.object({ fileName: fileNameQuery }),
    upload: { contentTypes: ["application/octet-stream"], description: "The SIE file as exported (PC8/CP437)" },
    response: importSchema.safeExtend({ replaced: z.array(z.uuid()) }),
    status: 201,
    handler: async ({ tenant, query, c }) => {
      const result = await importSie(tenant, await requestFile(c, query.fileName));
      const entry = await findImport(tenant.tx, tenant.association.id, result.importId);
      if (!entry) throw notFound();
      return { ...presentImport(entry), replaced: result.replaced.map((other) => other.id) };
    },
  });

  api.add(router, {
    method: "post",
    path: "/economy/imports/table",
    operationId: "importTable",
    summary:
      "Import amounts per budget line and period from CSV or XLSX (the raw bytes as the body; columns Rad, Period, " +
      "Belopp). target=actuals makes an import like a SIE file's; budget and forecast set the named months of the " +
      "named lines. Control rows (Summa …) that do not match the lines refuse the file (422); nothing is written",
    tag,
    permission: "economy.write",
    query: z.object({ fileName: fileNameQuery, target: z.enum(tableTargets) }),
    upload: {
      contentTypes: ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      description: "CSV (UTF-8) or XLSX; the type is recognised from the content and the file name",
    },
    response: z.object({
      target: z.enum(tableTargets),
      rows: z.number().int(),
      controls: z.number().int().meta({ description: "Control rows that matched" }),
      years: z.array(z.number().int()),
      importId: z.uuid().optional(),
      replaced: z.number().int().optional(),
    }),
    status: 201,
    handler: async ({ tenant, query, c }) => importTable(tenant, await requestFile(c, query.fileName), query.target),
  });

  api.add(router, {
    method: "get",
    path: "/economy/mapping",
    operationId: "getAccountMapping",
    summary:
      "The mapping rules, and every account (with object) of the active imports with its target and the rule that " +
      "gave it; unmapped ones are listed first and again under unmapped",
    tag,
    permission: "economy.read",
    query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
    response: mappingSchema,
    handler: async ({ tenant, query }) => presentMapping(tenant, query.year),
  });

  api.add(router, {
    method: "put",
    path: "/economy/mapping",
    operationId: "saveAccountMapping",
    summary:
      "Save mapping rules: mode=upsert sets the target of each rule's account and object; mode=replace also removes " +
      "every rule the list does not name. A rule names an account, an object or both, and a lineId (result accounts) " +
      "or a balanceLine (balance accounts)",
    tag,
    permission: "economy.write",
    body: z.object({
      mode: z.enum(["replace", "upsert"]).default("upsert"),
      rules: z.array(mappingRuleSchema).max(10_000),
    }),
    response: mappingSchema,
    handler: async ({ tenant, body }) => {
      await saveMappingRules(tenant, body.rules, body.mode);
      return presentMapping(tenant, undefined);
    },
  });

  api.add(router, {
    method: "delete",
    path: "/economy/mapping/{mappingId}",
    operationId: "deleteMappingRule",
    summary: "Remove a mapping rule; the accounts it placed fall back to less specific rules or become unmapped",
    tag,
    permission: "economy.write",
    params: z.object({ mappingId: z.uuid() }),
    response: z.object({ deleted: z.uuid() }),
    handler: async ({ tenant, params }) => {
      await removeMappingRule(tenant, params.mappingId);
      return { deleted: params.mappingId };
    },
  });
}
