import type { BudgetSection } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";

/**
 * The economy tables every part of the module reads: settings, fiscal years and the budget structure. Each part
 * keeps its own writes in its own repository (contributions-, budget-, imports-, statement-repository.ts).
 */

export type EconomySettings = {
  varianceSign: "actual_minus_budget" | "budget_minus_actual";
  equityCeilingBasisPoints: number;
  objectDimension: number;
  version: number;
};

export const defaultEconomySettings: EconomySettings = {
  varianceSign: "actual_minus_budget",
  equityCeilingBasisPoints: 2000,
  objectDimension: 6,
  version: 0,
};

export async function findEconomySettings(tx: Tx, associationId: string): Promise<EconomySettings> {
  const row = await tx
    .selectFrom("economy_settings")
    .select(["variance_sign", "equity_ceiling_basis_points", "object_dimension", "version"])
    .where("association_id", "=", associationId)
    .executeTakeFirst();
  return row
    ? {
        varianceSign: row.variance_sign,
        equityCeilingBasisPoints: row.equity_ceiling_basis_points,
        objectDimension: row.object_dimension,
        version: row.version,
      }
    : defaultEconomySettings;
}

/** Saves the settings if `version` is the stored one (0 before the first save); false when someone saved first. */
export async function saveEconomySettings(
  tx: Tx,
  associationId: string,
  settings: Omit<EconomySettings, "version">,
  version: number,
): Promise<boolean> {
  const values = {
    variance_sign: settings.varianceSign,
    equity_ceiling_basis_points: settings.equityCeilingBasisPoints,
    object_dimension: settings.objectDimension,
  };
  if (version === 0) {
    const inserted = await tx
      .insertInto("economy_settings")
      .values({ association_id: associationId, ...values })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    return inserted.numInsertedOrUpdatedRows === 1n;
  }
  const updated = await tx
    .updateTable("economy_settings")
    .set((eb) => ({ ...values, version: eb("version", "+", 1) }))
    .where("association_id", "=", associationId)
    .where("version", "=", version)
    .executeTakeFirst();
  return updated.numUpdatedRows === 1n;
}

export type FiscalYearRow = {
  year: number;
  totalContributionOre: bigint;
  budgetStatus: "plan" | "adopted";
  budgetAdoptedOn: string | null;
  budgetDecision: string | null;
  version: number;
};

const fiscalYearColumns = [
  "year",
  "total_contribution_ore",
  "budget_status",
  "budget_adopted_on",
  "budget_decision",
  "version",
] as const;

function fiscalYearOf(row: {
  year: number;
  total_contribution_ore: bigint;
  budget_status: "plan" | "adopted";
  budget_adopted_on: string | null;
  budget_decision: string | null;
  version: number;
}): FiscalYearRow {
  return {
    year: row.year,
    totalContributionOre: row.total_contribution_ore,
    budgetStatus: row.budget_status,
    budgetAdoptedOn: row.budget_adopted_on,
    budgetDecision: row.budget_decision,
    version: row.version,
  };
}

export async function listFiscalYears(tx: Tx, associationId: string): Promise<FiscalYearRow[]> {
  const rows = await tx
    .selectFrom("fiscal_year")
    .select(fiscalYearColumns)
    .where("association_id", "=", associationId)
    .orderBy("year")
    .execute();
  return rows.map(fiscalYearOf);
}

export async function findFiscalYear(tx: Tx, associationId: string, year: number): Promise<FiscalYearRow | undefined> {
  const row = await tx
    .selectFrom("fiscal_year")
    .select(fiscalYearColumns)
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .executeTakeFirst();
  return row && fiscalYearOf(row);
}

/** Creates the year if it does not exist yet (a budget or an import may come before the contributions). */
export async function ensureFiscalYear(tx: Tx, associationId: string, year: number): Promise<void> {
  await tx
    .insertInto("fiscal_year")
    .values({ association_id: associationId, year })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

export type BudgetLineRow = {
  id: string;
  section: BudgetSection;
  name: string;
  memberId: string | null;
  interventionId: string | null;
  position: number;
};

export async function listBudgetLines(tx: Tx, associationId: string): Promise<BudgetLineRow[]> {
  const rows = await tx
    .selectFrom("budget_line")
    .select(["id", "section", "name", "member_id", "intervention_id", "position"])
    .where("association_id", "=", associationId)
    .orderBy("position")
    .orderBy("name")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    section: row.section,
    name: row.name,
    memberId: row.member_id,
    interventionId: row.intervention_id,
    position: row.position,
  }));
}

export async function insertBudgetLines(
  tx: Tx,
  associationId: string,
  lines: { section: BudgetSection; name: string; memberId?: string; interventionId?: string; position: number }[],
): Promise<void> {
  if (lines.length === 0) return;
  await tx
    .insertInto("budget_line")
    .values(
      lines.map((line) => ({
        association_id: associationId,
        section: line.section,
        name: line.name,
        member_id: line.memberId ?? null,
        intervention_id: line.interventionId ?? null,
        position: line.position,
      })),
    )
    .execute();
}

/** Members and insatser that have no budget line yet: granted insatser and every contributing member get one. */
export async function missingStructureLines(tx: Tx, associationId: string) {
  const members = await tx
    .selectFrom("member")
    .select(["id", "name"])
    .where("association_id", "=", associationId)
    .where("type", "!=", "other")
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("budget_line")
            .select("id")
            .whereRef("budget_line.association_id", "=", "member.association_id")
            .whereRef("budget_line.member_id", "=", "member.id"),
        ),
      ),
    )
    .orderBy("name")
    .execute();
  const interventions = await tx
    .selectFrom("intervention")
    .select(["id", "name", "kind"])
    .where("association_id", "=", associationId)
    .where("status", "in", ["granted", "ongoing", "ended", "final_report_submitted", "final_report_approved"])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("budget_line")
            .select("id")
            .whereRef("budget_line.association_id", "=", "intervention.association_id")
            .whereRef("budget_line.intervention_id", "=", "intervention.id"),
        ),
      ),
    )
    .orderBy("name")
    .execute();
  return { members, interventions };
}

export async function listMappingRules(tx: Tx, associationId: string) {
  const rows = await tx
    .selectFrom("account_mapping")
    .select(["id", "account", "object_code", "line_id", "balance_line"])
    .where("association_id", "=", associationId)
    .orderBy("account")
    .orderBy("object_code")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    account: row.account,
    objectCode: row.object_code,
    lineId: row.line_id,
    balanceLine: row.balance_line,
  }));
}

/** Replaces a line's twelve months of budget or forecast for a year (the year must exist). */
export async function replaceBudgetAmounts(
  tx: Tx,
  associationId: string,
  entry: { scenario: "budget" | "forecast"; year: number; lineId: string; months: readonly bigint[] },
): Promise<void> {
  await tx
    .deleteFrom("budget_amount")
    .where("association_id", "=", associationId)
    .where("scenario", "=", entry.scenario)
    .where("year", "=", entry.year)
    .where("line_id", "=", entry.lineId)
    .execute();
  await tx
    .insertInto("budget_amount")
    .values(
      entry.months.map((amount, index) => ({
        association_id: associationId,
        scenario: entry.scenario,
        year: entry.year,
        line_id: entry.lineId,
        month: index + 1,
        amount_ore: amount,
      })),
    )
    .execute();
}
