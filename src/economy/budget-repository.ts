import { sql } from "kysely";
import type { BudgetSection } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";

/**
 * The budget part's SQL: the lines with what they stand for, amounts per line and month for a few years, fiscal
 * year versions and adoption, and the copy of a budget into the forecast.
 */

export type Scenario = "budget" | "forecast";

export type StructureLine = {
  id: string;
  section: BudgetSection;
  name: string;
  position: number;
  memberId: string | null;
  interventionId: string | null;
  /** The insats's own dates, to spread its budget over the months it runs. */
  interventionStart: string | null;
  interventionEnd: string | null;
};

/** The lines in their order, with the dates of the insatser that insats lines stand for. */
export async function listStructureLines(tx: Tx, associationId: string): Promise<StructureLine[]> {
  const rows = await tx
    .selectFrom("budget_line")
    .leftJoin("intervention", (join) =>
      join
        .onRef("intervention.association_id", "=", "budget_line.association_id")
        .onRef("intervention.id", "=", "budget_line.intervention_id"),
    )
    .select([
      "budget_line.id",
      "budget_line.section",
      "budget_line.name",
      "budget_line.position",
      "budget_line.member_id",
      "budget_line.intervention_id",
      "intervention.start_date",
      "intervention.end_date",
    ])
    .where("budget_line.association_id", "=", associationId)
    .orderBy("budget_line.position")
    .orderBy("budget_line.name")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    section: row.section,
    name: row.name,
    position: row.position,
    memberId: row.member_id,
    interventionId: row.intervention_id,
    interventionStart: row.start_date,
    interventionEnd: row.end_date,
  }));
}

/**
 * Medlemsbidrag and insats lines carry the member's or the insats's current name: a renamed kommun or insats is
 * renamed in the budget too. A name another line of the section already has is left alone rather than refused.
 */
export async function syncStructureLineNames(tx: Tx, associationId: string): Promise<void> {
  await sql`
    update budget_line as line
    set name = source.name
    from (
      select 'member' as kind, id, 'Medlemsbidrag ' || name as name from member where association_id = ${associationId}
      union all
      select 'intervention', id, name from intervention where association_id = ${associationId}
    ) as source
    where line.association_id = ${associationId}
      and ((source.kind = 'member' and line.member_id = source.id)
        or (source.kind = 'intervention' and line.intervention_id = source.id))
      and line.name <> source.name
      and not exists (
        select 1 from budget_line other
        where other.association_id = line.association_id and other.section = line.section
          and other.id <> line.id and lower(other.name) = lower(source.name))
  `.execute(tx);
}

export async function findStructureLine(tx: Tx, associationId: string, lineId: string) {
  return (await listStructureLines(tx, associationId)).find((line) => line.id === lineId);
}

export async function findLineByName(tx: Tx, associationId: string, section: BudgetSection, name: string) {
  return tx
    .selectFrom("budget_line")
    .select("id")
    .where("association_id", "=", associationId)
    .where("section", "=", section)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase())
    .executeTakeFirst();
}

export async function insertBudgetLine(
  tx: Tx,
  associationId: string,
  line: { section: BudgetSection; name: string; position: number },
): Promise<string> {
  const row = await tx
    .insertInto("budget_line")
    .values({ association_id: associationId, ...line })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function renameBudgetLine(tx: Tx, associationId: string, lineId: string, name: string) {
  await tx
    .updateTable("budget_line")
    .set({ name })
    .where("association_id", "=", associationId)
    .where("id", "=", lineId)
    .execute();
}

export async function setLinePositions(tx: Tx, associationId: string, positions: { id: string; position: number }[]) {
  for (const { id, position } of positions) {
    await tx
      .updateTable("budget_line")
      .set({ position })
      .where("association_id", "=", associationId)
      .where("id", "=", id)
      .execute();
  }
}

export async function deleteBudgetLine(tx: Tx, associationId: string, lineId: string) {
  await tx.deleteFrom("budget_line").where("association_id", "=", associationId).where("id", "=", lineId).execute();
}

/** What still refers to a line: non-zero budget or forecast months, table-imported actuals and mapping rules. */
export async function lineUsage(tx: Tx, associationId: string, lineId: string) {
  const row = await tx
    .selectNoFrom((eb) => [
      eb
        .selectFrom("budget_amount")
        .select((inner) => inner.fn.countAll<string>().as("n"))
        .where("association_id", "=", associationId)
        .where("line_id", "=", lineId)
        .where("scenario", "=", "budget")
        .where("amount_ore", "!=", 0n)
        .as("budget"),
      eb
        .selectFrom("budget_amount")
        .select((inner) => inner.fn.countAll<string>().as("n"))
        .where("association_id", "=", associationId)
        .where("line_id", "=", lineId)
        .where("scenario", "=", "forecast")
        .where("amount_ore", "!=", 0n)
        .as("forecast"),
      eb
        .selectFrom("actual_transaction")
        .select((inner) => inner.fn.countAll<string>().as("n"))
        .where("association_id", "=", associationId)
        .where("line_id", "=", lineId)
        .as("actuals"),
      eb
        .selectFrom("account_mapping")
        .select((inner) => inner.fn.countAll<string>().as("n"))
        .where("association_id", "=", associationId)
        .where("line_id", "=", lineId)
        .as("rules"),
    ])
    .executeTakeFirstOrThrow();
  return {
    budget: Number(row.budget ?? 0),
    forecast: Number(row.forecast ?? 0),
    actuals: Number(row.actuals ?? 0),
    rules: Number(row.rules ?? 0),
  };
}

/** Month amounts by line and year: `amounts.get(lineId)?.get(year)` is twelve amounts, January first. */
export type AmountsByLine = Map<string, Map<number, bigint[]>>;

export async function listAmounts(
  tx: Tx,
  associationId: string,
  scenario: Scenario,
  years: readonly number[],
): Promise<AmountsByLine> {
  const rows = await tx
    .selectFrom("budget_amount")
    .select(["line_id", "year", "month", "amount_ore"])
    .where("association_id", "=", associationId)
    .where("scenario", "=", scenario)
    .where("year", "in", [...years])
    .execute();
  const amounts: AmountsByLine = new Map();
  for (const row of rows) {
    const byYear = amounts.get(row.line_id) ?? new Map<number, bigint[]>();
    amounts.set(row.line_id, byYear);
    const months = byYear.get(row.year) ?? Array<bigint>(12).fill(0n);
    byYear.set(row.year, months);
    months[row.month - 1] = row.amount_ore;
  }
  return amounts;
}

/**
 * Counts a change of the year's budget or forecast against the version the user read (0: the year did not exist);
 * false when someone else changed the year since.
 */
export async function bumpFiscalYearVersion(
  tx: Tx,
  associationId: string,
  year: number,
  version: number,
): Promise<boolean> {
  const updated = await tx
    .updateTable("fiscal_year")
    .set((eb) => ({ version: eb("version", "+", 1) }))
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .where("version", "=", Math.max(version, 1))
    .executeTakeFirst();
  return updated.numUpdatedRows === 1n;
}

export async function recordBudgetDecision(
  tx: Tx,
  associationId: string,
  year: number,
  decision: { adoptedOn: string; reference: string },
) {
  await tx
    .updateTable("fiscal_year")
    .set({ budget_status: "adopted", budget_adopted_on: decision.adoptedOn, budget_decision: decision.reference })
    .where("association_id", "=", associationId)
    .where("year", "=", year)
    .execute();
}

/** The forecast of the year becomes a copy of its budget, line by line and month by month. */
export async function copyBudgetToForecast(tx: Tx, associationId: string, year: number): Promise<number> {
  await tx
    .deleteFrom("budget_amount")
    .where("association_id", "=", associationId)
    .where("scenario", "=", "forecast")
    .where("year", "=", year)
    .execute();
  const inserted = await tx
    .insertInto("budget_amount")
    .columns(["association_id", "scenario", "year", "line_id", "month", "amount_ore"])
    .expression((eb) =>
      eb
        .selectFrom("budget_amount")
        .select([
          "association_id",
          sql<"forecast">`'forecast'`.as("scenario"),
          "year",
          "line_id",
          "month",
          "amount_ore",
        ])
        .where("association_id", "=", associationId)
        .where("scenario", "=", "budget")
        .where("year", "=", year),
    )
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n);
}
