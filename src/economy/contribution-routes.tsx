import type { Context } from "hono";
import { z } from "zod";
import { parsePercent } from "../associations/funding-shares.js";
import { baseOf, formErrorsOf } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { MAX_AMOUNT_ORE, parseKronor } from "../interventions/intervention-input.js";
import { can } from "../platform/auth/policy.js";
import type { Tenant, TenantEnv } from "../platform/http/env.js";
import { AppError, type FieldError, notFound } from "../platform/http/errors.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { formatDate } from "../platform/ui/format.js";
import {
  ContributionYearPage,
  ContributionYearsPage,
  invoiceField,
  memberField,
  yearFormValues,
} from "./contribution-views.js";
import { instalmentStatus, invoicings, yearOverview } from "./contributions.js";
import { listContributionMembers, listContributionYears } from "./contributions-repository.js";
import { createContributionYear } from "./create-contribution-year.js";
import { recordInvoice } from "./record-invoice.js";
import { findFiscalYear } from "./repository.js";
import { type MemberContributionInput, saveContributions } from "./save-contributions.js";
import { ensureBudgetStructure } from "./structure-setup.js";

/**
 * Medlemsbidrag: fiscal years, each member's expected and decided amount, invoicing schedule and instalments, as
 * pages under /f/{slug}/economy/contributions and the API. Money in the API is integer öre and shares are basis
 * points (hundredths of a percent), as in the members API; the pages take whole kronor and percent.
 */

const today = () => formatDate(new Date());

const yearNumber = z.coerce
  .number({ error: "Ange året som ÅÅÅÅ." })
  .int("Ange året som ÅÅÅÅ.")
  .min(2000, "Året ska vara 2000–2100.")
  .max(2100, "Året ska vara 2000–2100.");

function yearParam(c: Context<TenantEnv>): number {
  const parsed = yearNumber.safeParse(c.req.param("year"));
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** The year as stored and everything computed from it; undefined when the year does not exist. */
async function loadYear(tenant: Tenant, year: number) {
  const associationId = tenant.association.id;
  await ensureBudgetStructure(tenant.tx, associationId);
  const fiscal = await findFiscalYear(tenant.tx, associationId, year);
  if (!fiscal) return undefined;
  const members = await listContributionMembers(tenant.tx, associationId, year);
  return { fiscal, overview: yearOverview(fiscal.totalContributionOre, members, today()) };
}

const isoDate = (text: string) => z.iso.date().safeParse(text).success;

/** The year form as the use case's input; each unreadable field gets its own Swedish message. */
function readYearForm(values: Record<string, string>) {
  const errors: FieldError[] = [];
  const totalOre = parseKronor(values.total ?? "");
  if (totalOre === undefined) {
    errors.push({ path: "total", message: "Ange totalt medlemsbidrag i hela kronor, t.ex. 6 028 000." });
  }
  const members: MemberContributionInput[] = [];
  for (let index = 0; values[memberField(index, "memberId")] !== undefined; index++) {
    const text = (field: Parameters<typeof memberField>[1]) => (values[memberField(index, field)] ?? "").trim();
    const basisPoints = parsePercent(text("fundingShare"));
    if (basisPoints === undefined) {
      errors.push({
        path: memberField(index, "fundingShare"),
        message: "Ange andelen i procent med högst två decimaler, t.ex. 23,75.",
      });
    }
    const memberFrom = text("memberFrom");
    if (memberFrom !== "" && !isoDate(memberFrom)) {
      errors.push({ path: memberField(index, "memberFrom"), message: "Ange datumet som ÅÅÅÅ-MM-DD." });
    }
    const decided = text("decidedOre");
    const decidedOre = decided === "" ? null : parseKronor(decided);
    if (decidedOre === undefined) {
      errors.push({
        path: memberField(index, "decidedOre"),
        message: "Ange beslutat belopp i hela kronor, eller lämna tomt.",
      });
    }
    const invoicing = invoicings.find((value) => value === text("invoicing"));
    if (!invoicing) errors.push({ path: memberField(index, "invoicing"), message: "Välj fakturering." });
    members.push({
      memberId: text("memberId"),
      basisPoints: basisPoints ?? 0,
      memberFrom: memberFrom === "" ? null : memberFrom,
      decidedOre: decidedOre ?? null,
      invoicing: invoicing ?? "yearly",
    });
  }
  const version = Number(values.version);
  return {
    errors,
    input: { totalOre: totalOre ?? 0n, version: Number.isInteger(version) ? version : -1, members },
  };
}

function formValues(body: Record<string, unknown>) {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body))
    if (typeof value === "string" && key !== "_csrf") values[key] = value;
  return values;
}

const ore = z.number().int().meta({ description: "Amount in öre (1 kr = 100 öre)" });
const date = z.iso.date().meta({ description: "Calendar date, YYYY-MM-DD" });
const statuses = ["planned", "invoiced", "paid", "overdue"] as const;

const instalmentSchema = z.object({
  instalment: z
    .number()
    .int()
    .meta({ description: "The period of the schedule: 1 for yearly, 1–2 half-yearly, 1–4 quarterly" }),
  dueOn: date,
  amountOre: ore,
  invoicedOn: date.nullable(),
  paidOn: date.nullable(),
  status: z.enum(statuses).meta({ description: "Derived: paid; overdue once due and unpaid; invoiced; planned" }),
});

const yearSchema = z.object({
  year: z.number().int(),
  totalOre: ore,
  version: z.number().int().meta({ description: "Send it back with PUT; a stale version gives 409" }),
  sharesOk: z.boolean().meta({ description: "Whether the shares follow the law's 50/25/25 split and make 100 %" }),
  problems: z.array(z.string()),
  decidedSumOre: ore,
  decidedDifferenceOre: ore.meta({ description: "Sum of the decided amounts minus the total" }),
  invoicedOre: ore,
  paidOre: ore,
  outstandingOre: ore,
  members: z.array(
    z.object({
      memberId: z.uuid(),
      name: z.string(),
      type: z.string(),
      fundingShareBasisPoints: z.number().int().meta({ description: "1/100 %, 2375 = 23,75 %" }),
      memberFrom: date.nullable(),
      expectedOre: ore.nullable().meta({ description: "The law's split in whole kronor; null while shares are wrong" }),
      decidedOre: ore.nullable(),
      differenceOre: ore.nullable().meta({ description: "Decided minus expected" }),
      amountOre: ore.meta({ description: "What is invoiced and budgeted: decided, else expected" }),
      invoicing: z.enum(invoicings),
      invoicedOre: ore,
      paidOre: ore,
      outstandingOre: ore.meta({ description: "Invoiced but not paid" }),
      instalments: z.array(instalmentSchema),
    }),
  ),
});

const yearBody = z.object({
  totalOre: ore.min(0).max(Number(MAX_AMOUNT_ORE)),
  version: z
    .number()
    .int()
    .min(0)
    .meta({ description: "The year's version as read; 0 creates a year that does not exist yet" }),
  members: z
    .array(
      z.object({
        memberId: z.uuid(),
        fundingShareBasisPoints: z.number().int().min(0).max(10000).meta({ description: "1/100 %, 2375 = 23,75 %" }),
        memberFrom: date.nullable().meta({ description: "The day it joined during the year; null for the whole year" }),
        decidedOre: ore
          .min(0)
          .max(Number(MAX_AMOUNT_ORE))
          .nullable()
          .meta({ description: "The decided amount; null means the expected one applies" }),
        invoicing: z.enum(invoicings).default("yearly"),
      }),
    )
    .max(200),
});

const invoiceBody = z.object({
  invoicedOn: date.nullable().optional().meta({ description: "Left out: unchanged; null: not invoiced" }),
  paidOn: date.nullable().optional().meta({ description: "Left out: unchanged; null: not paid" }),
});

const present = (year: number, loaded: NonNullable<Awaited<ReturnType<typeof loadYear>>>) => ({
  year,
  totalOre: loaded.fiscal.totalContributionOre,
  version: loaded.fiscal.version,
  sharesOk: loaded.overview.check.ok,
  problems: loaded.overview.check.problems,
  decidedSumOre: loaded.overview.decidedSumOre,
  decidedDifferenceOre: loaded.overview.decidedDifferenceOre,
  invoicedOre: loaded.overview.invoicedOre,
  paidOre: loaded.overview.paidOre,
  outstandingOre: loaded.overview.outstandingOre,
  members: loaded.overview.members.map((member) => ({
    memberId: member.memberId,
    name: member.name,
    type: member.type,
    fundingShareBasisPoints: member.basisPoints,
    memberFrom: member.memberFrom,
    expectedOre: member.expectedOre ?? null,
    decidedOre: member.decidedOre,
    differenceOre: member.differenceOre,
    amountOre: member.amountOre,
    invoicing: member.invoicing,
    invoicedOre: member.invoicedOre,
    paidOre: member.paidOre,
    outstandingOre: member.outstandingOre,
    instalments: member.instalments,
  })),
});

export function registerContributionRoutes({ association: router, api }: Routes) {
  const yearsPage = async (c: Context<TenantEnv>, form?: { values: Record<string, string>; errors: FieldError[] }) => {
    const tenant = c.get("tenant");
    await ensureBudgetStructure(tenant.tx, tenant.association.id);
    return renderPage(
      c,
      "Medlemsbidrag",
      <ContributionYearsPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        mayWrite={can(tenant.role, "economy.write")}
        years={await listContributionYears(tenant.tx, tenant.association.id)}
        {...(form ?? {})}
      />,
      form ? 422 : 200,
    );
  };

  const yearPage = async (
    c: Context<TenantEnv>,
    year: number,
    form?: { values: Record<string, string>; errors: FieldError[]; status: 409 | 422 },
  ) => {
    const tenant = c.get("tenant");
    const loaded = await loadYear(tenant, year);
    if (!loaded) throw notFound();
    return renderPage(
      c,
      `Medlemsbidrag ${year}`,
      <ContributionYearPage
        base={baseOf(c)}
        csrfToken={c.get("csrfToken")}
        mayWrite={can(tenant.role, "economy.write")}
        fiscal={loaded.fiscal}
        overview={loaded.overview}
        values={form?.values ?? yearFormValues(loaded.fiscal, loaded.overview)}
        errors={form?.errors}
      />,
      form?.status ?? 200,
    );
  };

  associationPage(router, "GET", "/economy/contributions", "economy.read", (c) => yearsPage(c));

  associationPage(router, "POST", "/economy/contributions", "economy.write", async (c) => {
    const values = formValues(await c.req.parseBody());
    const year = yearNumber.safeParse(values.year);
    const totalOre = parseKronor(values.total ?? "");
    const errors: FieldError[] = [];
    if (!year.success) errors.push({ path: "year", message: "Ange året som ÅÅÅÅ, 2000–2100." });
    if (totalOre === undefined) {
      errors.push({ path: "total", message: "Ange totalt medlemsbidrag i hela kronor, t.ex. 6 028 000." });
    }
    if (!year.success || totalOre === undefined) return yearsPage(c, { values, errors });
    try {
      await createContributionYear({ tenant: c.get("tenant"), year: year.data, totalOre });
    } catch (error) {
      return yearsPage(c, { values, errors: await formErrorsOf(error) });
    }
    return redirectWithFlash(
      c,
      `${baseOf(c)}/economy/contributions/${year.data}`,
      `Medlemsbidragen för ${year.data} är upplagda.`,
    );
  });

  associationPage(router, "GET", "/economy/contributions/:year", "economy.read", (c) => yearPage(c, yearParam(c)));

  associationPage(router, "POST", "/economy/contributions/:year", "economy.write", async (c) => {
    const year = yearParam(c);
    const values = formValues(await c.req.parseBody());
    const { errors, input } = readYearForm(values);
    if (errors.length > 0) return yearPage(c, year, { values, errors, status: 422 });
    try {
      await saveContributions({ tenant: c.get("tenant"), year, input });
    } catch (error) {
      const status = error instanceof AppError && error.status === 409 ? 409 : 422;
      return yearPage(c, year, { values, errors: await formErrorsOf(error), status });
    }
    return redirectWithFlash(
      c,
      `${baseOf(c)}/economy/contributions/${year}`,
      `Medlemsbidragen för ${year} är sparade.`,
    );
  });

  associationPage(router, "POST", "/economy/contributions/:year/invoices", "economy.write", async (c) => {
    const year = yearParam(c);
    const values = formValues(await c.req.parseBody());
    const memberId = z.uuid().safeParse(values.memberId);
    const instalment = Number(values.instalment);
    if (!memberId.success || !Number.isInteger(instalment)) throw notFound();
    const key = { year, memberId: memberId.data, instalment };
    const field = (name: "invoicedOn" | "paidOn") => invoiceField(key.memberId, key.instalment, name);
    const errors: FieldError[] = [];
    const dates = Object.fromEntries(
      (["invoicedOn", "paidOn"] as const).map((name) => {
        const text = (values[field(name)] ?? "").trim();
        if (text !== "" && !isoDate(text)) errors.push({ path: field(name), message: "Ange datumet som ÅÅÅÅ-MM-DD." });
        return [name, text === "" ? null : text];
      }),
    ) as { invoicedOn: string | null; paidOn: string | null };
    if (errors.length === 0) {
      try {
        await recordInvoice({ tenant: c.get("tenant"), key, dates });
      } catch (error) {
        const fieldErrors = await formErrorsOf(error);
        errors.push(
          ...fieldErrors.map((e) => ({
            ...e,
            path: e.path === "invoicedOn" || e.path === "paidOn" ? field(e.path) : e.path,
          })),
        );
      }
    }
    if (errors.length > 0) return yearPage(c, year, { values, errors, status: 422 });
    return redirectWithFlash(c, `${baseOf(c)}/economy/contributions/${year}`, "Faktureringen är sparad.");
  });

  const tag = "economy";
  const yearParams = z.object({ year: yearNumber });

  api.add(router, {
    method: "get",
    path: "/economy/contributions",
    operationId: "listContributionYears",
    summary: "Fiscal years with the total contribution and the decided, invoiced and paid sums, latest first",
    tag,
    permission: "economy.read",
    response: z.object({
      items: z.array(
        z.object({
          year: z.number().int(),
          totalOre: ore,
          decidedOre: ore,
          invoicedOre: ore,
          paidOre: ore,
          members: z.number().int().meta({ description: "Members with a part of the year stored" }),
        }),
      ),
    }),
    handler: async ({ tenant }) => {
      const years = await listContributionYears(tenant.tx, tenant.association.id);
      return {
        items: years.map((year) => ({
          year: year.year,
          totalOre: year.totalContributionOre,
          decidedOre: year.decidedOre,
          invoicedOre: year.invoicedOre,
          paidOre: year.paidOre,
          members: year.members,
        })),
      };
    },
  });

  api.add(router, {
    method: "get",
    path: "/economy/contributions/{year}",
    operationId: "getContributionYear",
    summary: "A year's contributions: each member's share, expected (law's split), decided and difference, instalments",
    tag,
    permission: "economy.read",
    params: yearParams,
    response: yearSchema,
    handler: async ({ tenant, params }) => {
      const loaded = await loadYear(tenant, params.year);
      if (!loaded) throw notFound();
      return present(params.year, loaded);
    },
  });

  api.add(router, {
    method: "put",
    path: "/economy/contributions/{year}",
    operationId: "saveContributionYear",
    summary:
      "Save a year's total and every contributing member's share, membership date, decided amount and invoicing; " +
      "shares must follow the law's split. Also writes the members' medlemsbidrag budget and plans the instalments",
    tag,
    permission: "economy.write",
    params: yearParams,
    body: yearBody,
    response: yearSchema,
    handler: async ({ tenant, params, body }) => {
      await saveContributions({
        tenant,
        year: params.year,
        input: {
          totalOre: BigInt(body.totalOre),
          version: body.version,
          members: body.members.map((member) => ({
            memberId: member.memberId,
            basisPoints: member.fundingShareBasisPoints,
            memberFrom: member.memberFrom,
            decidedOre: member.decidedOre === null ? null : BigInt(member.decidedOre),
            invoicing: member.invoicing,
          })),
        },
      });
      const loaded = await loadYear(tenant, params.year);
      if (!loaded) throw notFound();
      return present(params.year, loaded);
    },
  });

  api.add(router, {
    method: "post",
    path: "/economy/contributions/{year}/invoices/{memberId}/{instalment}",
    operationId: "recordContributionInvoice",
    summary: "Record when an instalment was invoiced and paid",
    tag,
    permission: "economy.write",
    params: z.object({ year: yearNumber, memberId: z.uuid(), instalment: z.coerce.number().int().min(1).max(4) }),
    body: invoiceBody,
    response: instalmentSchema,
    handler: async ({ tenant, params, body }) => {
      await recordInvoice({ tenant, key: params, dates: body });
      const loaded = await loadYear(tenant, params.year);
      const found = loaded?.overview.members
        .find((member) => member.memberId === params.memberId)
        ?.instalments.find((instalment) => instalment.instalment === params.instalment);
      if (!found) throw notFound();
      return { ...found, status: instalmentStatus(found, today()) };
    },
  });
}
