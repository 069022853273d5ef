import { z } from "zod";
import { audit } from "../audit/record.js";
import type { BudgetSection } from "../platform/db/schema.js";
import type { Tenant } from "../platform/http/env.js";
import { AppError, conflict, invalidInput, notFound } from "../platform/http/errors.js";
import { requiredText } from "../platform/http/validation.js";
import {
  deleteBudgetLine,
  findLineByName,
  findStructureLine,
  insertBudgetLine,
  lineUsage,
  listStructureLines,
  renameBudgetLine as renameLineRow,
  type StructureLine,
  setLinePositions,
} from "./budget-repository.js";
import { sectionNames, sections } from "./structure.js";

/**
 * The association's own budget lines: added, renamed, moved within their section and removed. Medlemsbidrag and
 * insats lines follow their member or insats (structure-setup.ts creates them, the name is the member's or the
 * insats's), so they are neither renamed nor removed here: a second name would drift from the one people know.
 */

const sectionKeys = sections.map((section) => section.key) as [BudgetSection, ...BudgetSection[]];

const lineName = requiredText("Ange radens namn.", 200);

export const newLineBody = z.object({
  section: z.enum(sectionKeys, { error: "Välj avsnitt." }),
  name: lineName,
});

export const renameLineBody = z.object({ name: lineName });

export const moveDirections = ["up", "down"] as const;

/** Who a line belongs to, when it is not the association's own. */
export function lineOwner(line: Pick<StructureLine, "memberId" | "interventionId">) {
  if (line.memberId) return "member" as const;
  if (line.interventionId) return "intervention" as const;
  return undefined;
}

async function loadLine(tenant: Tenant, lineId: string) {
  const line = await findStructureLine(tenant.tx, tenant.association.id, lineId);
  if (!line) throw notFound();
  return line;
}

async function assertNameFree(tenant: Tenant, section: BudgetSection, name: string, except?: string) {
  const existing = await findLineByName(tenant.tx, tenant.association.id, section, name);
  if (existing && existing.id !== except) {
    throw invalidInput([
      { path: "name", message: `Det finns redan en rad som heter ”${name}” under ${sectionNames[section]}.` },
    ]);
  }
}

export async function addBudgetLine({ tenant, input }: { tenant: Tenant; input: z.output<typeof newLineBody> }) {
  const associationId = tenant.association.id;
  await assertNameFree(tenant, input.section, input.name);
  const lines = await listStructureLines(tenant.tx, associationId);
  const position = lines.reduce((max, line) => Math.max(max, line.position), 0) + 10;
  const id = await insertBudgetLine(tenant.tx, associationId, { ...input, position });
  await audit(tenant, "economy.budget_line.create", { type: "budget_line", id }, input);
  return loadLine(tenant, id);
}

export async function renameBudgetLine({ tenant, lineId, name }: { tenant: Tenant; lineId: string; name: string }) {
  const line = await loadLine(tenant, lineId);
  const owner = lineOwner(line);
  if (owner) {
    throw invalidInput([
      {
        path: "name",
        message:
          owner === "member"
            ? "Raden heter som medlemmen. Byt namn på medlemmen i stället."
            : "Raden heter som insatsen. Byt namn på insatsen i stället.",
      },
    ]);
  }
  if (name === line.name) return line;
  await assertNameFree(tenant, line.section, name, line.id);
  await renameLineRow(tenant.tx, tenant.association.id, line.id, name);
  await audit(
    tenant,
    "economy.budget_line.rename",
    { type: "budget_line", id: line.id },
    { from: line.name, to: name },
  );
  return { ...line, name };
}

/** Moves a line one step up or down within its section. */
export async function moveBudgetLine({
  tenant,
  lineId,
  direction,
}: {
  tenant: Tenant;
  lineId: string;
  direction: (typeof moveDirections)[number];
}) {
  const lines = await listStructureLines(tenant.tx, tenant.association.id);
  const line = lines.find((candidate) => candidate.id === lineId);
  if (!line) throw notFound();
  const order = lines.filter((candidate) => candidate.section === line.section);
  const index = order.indexOf(line);
  const target = direction === "up" ? index - 1 : index + 1;
  const other = order[target];
  if (!other) return line;
  order[target] = line;
  order[index] = other;
  // Lines are shown by section, so only the order within the section matters; numbering afresh undoes ties.
  const base = Math.min(...order.map((candidate) => candidate.position));
  await setLinePositions(
    tenant.tx,
    tenant.association.id,
    order.map((candidate, at) => ({ id: candidate.id, position: base + at * 10 })),
  );
  await audit(tenant, "economy.budget_line.move", { type: "budget_line", id: line.id }, { direction });
  return line;
}

/** Removes a line nothing refers to; otherwise says exactly what still does. */
export async function removeBudgetLine({ tenant, lineId }: { tenant: Tenant; lineId: string }) {
  const line = await loadLine(tenant, lineId);
  const owner = lineOwner(line);
  if (owner) {
    throw conflict(
      owner === "member"
        ? "Raden för medlemsbidraget finns så länge medlemmen finns."
        : "Raden för insatsen finns så länge insatsen finns.",
    );
  }
  const usage = await lineUsage(tenant.tx, tenant.association.id, line.id);
  const reasons = [
    usage.budget > 0 && "budgetbelopp",
    usage.forecast > 0 && "prognosbelopp",
    usage.actuals > 0 && "utfall från en tabellimport",
    usage.rules > 0 && (usage.rules === 1 ? "en kontoregel" : `${usage.rules} kontoregler`),
  ].filter((reason): reason is string => typeof reason === "string");
  if (reasons.length > 0) {
    throw new AppError(
      409,
      "Raden kan inte tas bort",
      `”${line.name}” har ${listText(reasons)}. Nollställ beloppen och ändra kontoreglerna först.`,
    );
  }
  await deleteBudgetLine(tenant.tx, tenant.association.id, line.id);
  await audit(tenant, "economy.budget_line.delete", { type: "budget_line", id: line.id }, { name: line.name });
}

function listText(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} och ${items.at(-1)}`;
}
