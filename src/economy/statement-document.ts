import type { Block, Cell, CellFormula, Column, ExportDocument } from "../platform/export/document.js";
import type { TableBlock } from "../platform/export/xlsx.js";
import { formatBasisPoints, formatPercent } from "../platform/ui/format.js";
import type { BalanceColumn, BalanceSheet } from "./balance-sheet.js";
import type { CashFlow } from "./cash-flow.js";
import { type Figures, type IncomeStatement, varianceHeadings } from "./income-statement.js";
import type { KeyFigures } from "./key-figures.js";
import type { Notes } from "./notes.js";
import { subtotalNames } from "./subtotals.js";

/**
 * The statements in the one export model (ADR 0010), for the page, the PDF and the XLSX alike: amounts in kronor or
 * thousands, sums and differences as formulas over the rows above them so that a spreadsheet recomputes them, with
 * the value that the statement computed from the öre figures cached beside each.
 */

export type Unit = "kr" | "tkr";

const whole = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });

const divisor = (unit: Unit) => (unit === "kr" ? 100n : 100_000n);

/** Rounded half away from zero to whole kronor or thousands. */
function rounded(ore: bigint, unit: Unit): bigint {
  const d = divisor(unit);
  const sign = ore < 0n ? -1n : 1n;
  return ((ore * sign + d / 2n) / d) * sign;
}

/** "1 975 068 kr" or "1 975 tkr", a negative amount with a real minus sign (as sv-SE prints it). */
export function formatAmount(ore: bigint, unit: Unit): string {
  return `${whole.format(rounded(ore, unit))} ${unit}`;
}

/** The printed amount, and for a spreadsheet the exact figure in the unit, so that its sums equal the statement's. */
function money(ore: bigint | null, unit: Unit, formula?: CellFormula, strong = false): Cell {
  if (ore === null) return { text: "–", ...(strong ? { strong } : {}) };
  return {
    text: formatAmount(ore, unit),
    number: Number(ore) / Number(divisor(unit)),
    ...(formula ? { formula } : {}),
    ...(strong ? { strong } : {}),
  };
}

const text = (value: string, strong = false): Cell => (strong ? { text: value, strong } : { text: value });

const share = (value: number | null): Cell =>
  value === null ? { text: "–" } : { text: formatPercent(value), number: Math.round(value * 1000) / 10 };

export const roundingNote = (unit: Unit) =>
  unit === "tkr"
    ? "Belopp i tusental kronor (tkr). Summor räknas fram ur beloppen i öre och avrundas sedan, så en summa kan skilja sig från summan av de avrundade raderna."
    : "Belopp i kronor. Summor räknas fram ur beloppen i öre och avrundas sedan till hela kronor.";

const right = (header: string): Column => ({ header, align: "right" });

function documentOf(title: string, association: string, blocks: Block[], unit: Unit): ExportDocument {
  return {
    title,
    lang: "sv-SE",
    header: association,
    footer: title,
    blocks: [
      { type: "heading", level: 1, text: title },
      ...blocks,
      { type: "paragraph", style: "hint", text: roundingNote(unit) },
    ],
  };
}

// --- Resultaträkning ----------------------------------------------------------------------------------------------

/** Builds a table row by row, remembering where each row is so that later rows can sum it. */
class Rows {
  readonly rows: Cell[][] = [];
  add(cells: Cell[]): number {
    this.rows.push(cells);
    return this.rows.length - 1;
  }
}

export function incomeStatementTable(statement: IncomeStatement, unit: Unit): TableBlock {
  const hasPrevious = statement.previousSource !== null;
  const columns: Column[] = [
    { header: "Post" },
    right("Utfall"),
    right("Budget"),
    right("Avvikelse"),
    right("Årsbudget"),
    right("Prognos helår"),
    right("Utfall föregående år"),
  ];
  // Avvikelse is utfall − budget (columns 1, 2) or budget − utfall, as the association has chosen.
  const varianceFormula: CellFormula = {
    difference: statement.varianceSign === "actual_minus_budget" ? [1, 2] : [2, 1],
  };
  const table = new Rows();
  const figureCells = (figures: Figures, formula: (column: number) => CellFormula | undefined, strong = false) => [
    money(figures.actual, unit, formula(1), strong),
    money(figures.budget, unit, formula(2), strong),
    money(figures.variance, unit, varianceFormula, strong),
    money(figures.yearBudget, unit, formula(4), strong),
    money(figures.forecast, unit, formula(5), strong),
    money(hasPrevious ? figures.previous : null, unit, hasPrevious ? formula(6) : undefined, strong),
  ];
  const none = () => undefined;
  const sumOf =
    (rows: number[], subtract: number[] = []) =>
    () =>
      subtract.length > 0 ? { sumOfRows: rows, subtractRows: subtract } : { sumOfRows: rows };

  const sectionTotals = new Map<string, number>();
  let unmappedRow: number | undefined;
  for (const section of statement.sections) {
    if (section.lines.length === 0 && section.figures.actual === 0n && section.figures.budget === 0n) continue;
    table.add([text(section.name, true)]);
    const lineRows = section.lines.map((line) => table.add([text(line.name), ...figureCells(line.figures, none)]));
    sectionTotals.set(
      section.key,
      table.add([text(section.total, true), ...figureCells(section.figures, sumOf(lineRows), true)]),
    );
    if (section.key === "administration" && statement.unmapped.accounts.length > 0) {
      unmappedRow = table.add([text("Ej mappade konton"), ...figureCells(statement.unmapped.figures, none)]);
    }
  }
  if (unmappedRow === undefined && statement.unmapped.accounts.length > 0) {
    unmappedRow = table.add([text("Ej mappade konton"), ...figureCells(statement.unmapped.figures, none)]);
  }
  const rowsOf = (...keys: string[]) =>
    keys.flatMap((key) => (sectionTotals.has(key) ? [sectionTotals.get(key) as number] : []));
  const totals = statement.totals;
  const income = table.add([
    text(subtotalNames.income, true),
    ...figureCells(totals.income, sumOf(rowsOf("income")), true),
  ]);
  const costs = table.add([
    text(subtotalNames.costs, true),
    ...figureCells(
      totals.costs,
      sumOf([
        ...rowsOf("individual", "structural", "administration"),
        ...(unmappedRow === undefined ? [] : [unmappedRow]),
      ]),
      true,
    ),
  ]);
  const operating = table.add([
    text(subtotalNames.operatingResult, true),
    ...figureCells(totals.operatingResult, sumOf([income], [costs]), true),
  ]);
  const financial = table.add([
    text(subtotalNames.financial, true),
    ...figureCells(totals.financial, sumOf(rowsOf("financial_income"), rowsOf("financial_cost")), true),
  ]);
  table.add([text(subtotalNames.result, true), ...figureCells(totals.result, sumOf([operating, financial]), true)]);
  return {
    type: "table",
    caption: `Resultaträkning ${statement.period.start} – ${statement.period.end}. ${varianceHeadings[statement.varianceSign]}.`,
    columns,
    rows: table.rows,
  };
}

export function insatsTable(statement: IncomeStatement, unit: Unit): TableBlock {
  const varianceFormula: CellFormula = {
    difference: statement.varianceSign === "actual_minus_budget" ? [3, 2] : [2, 3],
  };
  return {
    type: "table",
    caption: `Per insats ${statement.period.start} – ${statement.period.end}: beviljat för ${statement.year}, budget, utfall och avvikelse`,
    columns: [
      { header: "Insats" },
      right(`Beviljat ${statement.year}`),
      right("Budget"),
      right("Utfall"),
      right("Avvikelse"),
      right("Använt av beviljat"),
    ],
    rows: statement.insatser.map((insats) => [
      text(insats.name),
      money(insats.granted, unit),
      money(insats.budget, unit),
      money(insats.actual, unit),
      money(insats.variance, unit, varianceFormula),
      share(insats.usedShare),
    ]),
  };
}

export function incomeStatementDocument(statement: IncomeStatement, association: string, unit: Unit): ExportDocument {
  const blocks: Block[] = [
    {
      type: "paragraph",
      text: `Period ${statement.period.start} – ${statement.period.end}. ${varianceHeadings[statement.varianceSign]}.`,
    },
    incomeStatementTable(statement, unit),
  ];
  if (statement.unmapped.accounts.length > 0) {
    blocks.push({
      type: "paragraph",
      style: "strong",
      text: `Konton utan koppling till en budgetrad: ${statement.unmapped.accounts.map((account) => account.account).join(", ")}. De räknas som kostnader tills de kopplas.`,
    });
  }
  blocks.push({ type: "paragraph", style: "hint", text: previousNote(statement) });
  if (statement.insatser.length > 0) blocks.push(insatsTable(statement, unit));
  return documentOf(`Resultaträkning ${statement.period.start} – ${statement.period.end}`, association, blocks, unit);
}

export function previousNote(statement: IncomeStatement): string {
  const period = `${statement.previousPeriod.start} – ${statement.previousPeriod.end}`;
  if (statement.previousSource === "imports") return `Föregående år: utfall ${period} från det årets import.`;
  if (statement.previousSource === "result_balances")
    return `Föregående år: utfall ${period} från årets SIE-fil (#RES -1), eftersom det året inte är importerat.`;
  return `Föregående år: inget utfall för ${period} finns importerat.`;
}

// --- Balansräkning ------------------------------------------------------------------------------------------------

export function balanceSheetTable(sheet: BalanceSheet, unit: Unit): TableBlock {
  const table = new Rows();
  const columnsOf = [sheet.current, sheet.previous];
  const row = (label: string, pick: (column: BalanceColumn) => bigint | null, formula?: CellFormula, strong = false) =>
    table.add([text(label, strong), ...columnsOf.map((column) => money(pick(column), unit, formula, strong))]);
  const shown = (key: "fixed_assets" | "long_term_liabilities") =>
    columnsOf.some((column) => column.lines[key].amount !== 0n);

  table.add([text("Tillgångar", true)]);
  const assets = [
    ...(shown("fixed_assets") ? [row("Anläggningstillgångar", (c) => c.lines.fixed_assets.amount)] : []),
    row("Fordringar", (c) => c.lines.receivables.amount),
    row("Kassa och bank", (c) => c.lines.cash.amount),
  ];
  row("SUMMA TILLGÅNGAR", (c) => c.totalAssets, { sumOfRows: assets }, true);
  table.add([text("Eget kapital och skulder", true)]);
  const opening = row("Eget kapital vid periodens ingång", (c) => c.equity.opening);
  const result = row("Periodens resultat", (c) => c.equity.result);
  const equity = row("Summa eget kapital", (c) => c.equity.closing, { sumOfRows: [opening, result] }, true);
  const liabilities = [
    ...(shown("long_term_liabilities")
      ? [row("Långfristiga skulder", (c) => c.lines.long_term_liabilities.amount)]
      : []),
    row("Kortfristiga skulder", (c) => c.lines.current_liabilities.amount),
  ];
  const debts = row(
    "Summa skulder",
    (c) => c.lines.long_term_liabilities.amount + c.lines.current_liabilities.amount,
    { sumOfRows: liabilities },
    true,
  );
  row("SUMMA EGET KAPITAL OCH SKULDER", (c) => c.totalEquityAndLiabilities, { sumOfRows: [equity, debts] }, true);
  if (columnsOf.some((column) => column.difference !== 0n)) {
    row("Differens (tillgångar − eget kapital och skulder)", (c) => c.difference, undefined, true);
  }
  return {
    type: "table",
    caption: `Balansräkning per ${sheet.current.date} och ${sheet.previous.date}`,
    columns: [{ header: "Post" }, right(sheet.current.date), right(sheet.previous.date)],
    rows: table.rows,
  };
}

/** The imbalances of a balance sheet, as sentences for an error message; empty when it balances. */
export function balanceErrors(sheet: BalanceSheet): string[] {
  return [sheet.current, sheet.previous]
    .filter((column) => column.difference !== 0n)
    .map((column) => {
      const magnitude = column.difference < 0n ? -column.difference : column.difference;
      return (
        `Balansräkningen per ${column.date} balanserar inte: tillgångarna är ${formatAmount(magnitude, "kr")} ` +
        `${column.difference > 0n ? "större" : "mindre"} än eget kapital och skulder. ` +
        "Kontrollera de ingående balanserna och kopplingen av balanskonton."
      );
    });
}

export function balanceSheetDocument(sheet: BalanceSheet, association: string, unit: Unit): ExportDocument {
  const errors = balanceErrors(sheet);
  return documentOf(
    `Balansräkning per ${sheet.date}`,
    association,
    [
      ...errors.map((error): Block => ({ type: "paragraph", style: "strong", text: `Fel: ${error}` })),
      balanceSheetTable(sheet, unit),
      { type: "paragraph", text: "Panter och därmed jämförliga säkerheter: inga. Ansvarsförbindelser: inga." },
    ],
    unit,
  );
}

// --- Kassaflödesanalys ----------------------------------------------------------------------------------------------

export function cashFlowTable(flow: CashFlow, unit: Unit): TableBlock {
  const table = new Rows();
  const row = (label: string, ore: bigint, formula?: CellFormula, strong = false) =>
    table.add([text(label, strong), money(ore, unit, formula, strong)]);
  const result = row("Årets resultat", flow.result);
  const depreciation = row("Justering för av- och nedskrivningar", 0n);
  const other = row("Justering för övriga ej likviditetspåverkande poster", flow.adjustments);
  const before = row(
    "Medel från verksamheten före förändring av rörelsekapital",
    flow.beforeWorkingCapital,
    { sumOfRows: [result, depreciation, other] },
    true,
  );
  const receivables = row("Ökning/minskning av kortfristiga fordringar", flow.receivablesChange);
  const liabilities = row("Ökning/minskning av kortfristiga skulder", flow.currentLiabilitiesChange);
  const operating = row(
    "Kassaflöde från den löpande verksamheten",
    flow.operating,
    { sumOfRows: [before, receivables, liabilities] },
    true,
  );
  const fixed = row("Investering i materiella anläggningstillgångar", flow.investing);
  const investing = row("Kassaflöde från investeringsverksamheten", flow.investing, { sumOfRows: [fixed] }, true);
  const longTerm = row("Ökning/minskning av långfristiga skulder", flow.financing);
  const financing = row("Kassaflöde från finansieringsverksamheten", flow.financing, { sumOfRows: [longTerm] }, true);
  const year = row("Årets kassaflöde", flow.cashFlow, { sumOfRows: [operating, investing, financing] }, true);
  const opening = row("Likvida medel vid årets början", flow.openingCash);
  row("Likvida medel vid årets slut", flow.openingCash + flow.cashFlow, { sumOfRows: [year, opening] }, true);
  if (flow.difference !== 0n) row("Likvida medel enligt bokföringen", flow.closingCash, undefined, true);
  return {
    type: "table",
    caption: `Kassaflödesanalys ${flow.year}`,
    columns: [{ header: "Post" }, right(String(flow.year))],
    rows: table.rows,
  };
}

export function cashFlowErrors(flow: CashFlow): string[] {
  if (flow.difference === 0n) return [];
  const magnitude = flow.difference < 0n ? -flow.difference : flow.difference;
  return [
    `Kassaflödet stämmer inte med bokföringen: likvida medel vid årets början plus årets kassaflöde skiljer sig med ${formatAmount(magnitude, "kr")} från likvida medel vid årets slut.`,
  ];
}

export function cashFlowDocument(flow: CashFlow, association: string, unit: Unit): ExportDocument {
  return documentOf(
    `Kassaflödesanalys ${flow.year}`,
    association,
    [
      ...cashFlowErrors(flow).map((error): Block => ({ type: "paragraph", style: "strong", text: `Fel: ${error}` })),
      cashFlowTable(flow, unit),
    ],
    unit,
  );
}

// --- Noter --------------------------------------------------------------------------------------------------------

export function noteTables(result: Notes, unit: Unit): TableBlock[] {
  return result.notes.map((note) => {
    const rows = note.rows.map((row) => [text(row.label), money(row.current, unit), money(row.previous, unit)]);
    const sum = { sumOfRows: rows.map((_, index) => index) };
    return {
      type: "table",
      caption: `Not ${note.number} ${note.title}`,
      columns: [{ header: "Post" }, right(note.currentHeading), right(note.previousHeading)],
      rows: [
        ...rows,
        [
          text(note.total.label, true),
          money(note.total.current, unit, sum, true),
          money(note.total.previous, unit, note.total.previous === null ? undefined : sum, true),
        ],
        ...note.after.map((row) => [text(row.label), money(row.current, unit), money(row.previous, unit)]),
      ],
    };
  });
}

export function notesDocument(result: Notes, association: string, unit: Unit): ExportDocument {
  return documentOf(
    `Noter ${result.period.start} – ${result.period.end}`,
    association,
    noteTables(result, unit).map((table): Block => ({ ...table })),
    unit,
  );
}

// --- Nyckeltal ----------------------------------------------------------------------------------------------------

export function keyFigureTables(figures: KeyFigures, unit: Unit): TableBlock[] {
  const { costShares, equity } = figures;
  const shareRow = (label: string, value: { amount: bigint; share: number | null }, explanation: string) => [
    text(label),
    money(value.amount, unit),
    share(value.share),
    text(explanation),
  ];
  const shares: Cell[][] = [
    shareRow(
      "Individinriktade insatser",
      costShares.individual,
      "Insatser för enskilda deltagare, av periodens kostnader.",
    ),
    shareRow(
      "Strukturinriktade insatser",
      costShares.structural,
      "Insatser som förändrar samverkan och arbetssätt, av periodens kostnader.",
    ),
    shareRow(
      "Administration",
      costShares.administration,
      "Styrelse, kansli och övrig administration, av periodens kostnader.",
    ),
  ];
  if (costShares.unmapped.amount !== 0n) {
    shares.push(
      shareRow(
        "Ej mappade konton",
        costShares.unmapped,
        "Kostnader på konton som ännu inte är kopplade till en budgetrad.",
      ),
    );
  }
  const amount = (label: string, ore: bigint, explanation: string, formula?: CellFormula) => [
    text(label),
    money(ore, unit, formula),
    text(explanation),
  ];
  const ceilingPercent = formatBasisPoints(equity.ceilingBasisPoints);
  return [
    {
      type: "table",
      caption: `Kostnadsfördelning ${figures.period.start} – ${figures.period.end}`,
      columns: [{ header: "Del" }, right("Kostnad"), right("Andel av kostnaderna"), { header: "Förklaring" }],
      rows: shares,
      footerRows: [
        [
          text("Summa kostnader", true),
          money(figures.totalCosts, unit, { sumOfRows: shares.map((_, index) => index) }, true),
          text(""),
          text(""),
        ],
      ],
    },
    {
      type: "table",
      caption: `Eget kapital och Nationella rådets rekommendation ${figures.year}`,
      columns: [{ header: "Nyckeltal" }, right("Belopp"), { header: "Förklaring" }],
      rows: [
        amount("Årets medlemsbidrag", equity.contributions, "Det som medlemmarna har beslutat att bidra med i år."),
        amount(
          `Högsta eget kapital (${ceilingPercent})`,
          equity.ceiling,
          `Nationella rådet rekommenderar att eget kapital inte är större än ${ceilingPercent} av årets medlemsbidrag.`,
        ),
        amount("Eget kapital vid årets ingång", equity.opening, "Eget kapital vid förra årets slut."),
        amount(
          `Eget kapital per ${equity.date}`,
          equity.atDate,
          "Eget kapital vid årets ingång plus periodens resultat.",
        ),
        amount(
          "Prognos för årets resultat",
          equity.forecastResult,
          "Årets resultat enligt prognosen, och enligt budgeten för rader utan prognos.",
        ),
        amount(
          "Prognos för eget kapital vid årets slut",
          equity.forecastEquity,
          "Eget kapital vid årets ingång plus prognosen för årets resultat.",
        ),
        amount(
          "Över rekommendationen",
          equity.excess,
          "Så mycket större än taket blir eget kapital vid årets slut enligt prognosen; ett negativt belopp är marginalen under taket.",
        ),
        amount("Förväntade intäkter", equity.expectedIncome, "Årets intäkter och finansiella poster enligt prognosen."),
        amount(
          "Lägsta kostnader för att nå rekommendationen",
          equity.minimumCosts,
          "Så mycket behöver förbundet använda i år för att eget kapital vid årets slut inte ska vara större än taket.",
        ),
        amount("Budgeterade kostnader", equity.budgetCosts, "Årets kostnader enligt budgeten."),
        amount("Prognos för kostnaderna", equity.forecastCosts, "Årets kostnader enligt prognosen."),
      ],
    },
    {
      type: "table",
      caption: `Använd andel av beviljade medel per insats ${figures.period.start} – ${figures.period.end}`,
      columns: [{ header: "Insats" }, right("Beviljat"), right("Utfall"), right("Använd andel")],
      rows: figures.insatser.map((insats) => [
        text(insats.name),
        money(insats.granted, unit),
        money(insats.actual, unit),
        share(insats.usedShare),
      ]),
    },
  ];
}

export function keyFiguresDocument(figures: KeyFigures, association: string, unit: Unit): ExportDocument {
  return documentOf(
    `Nyckeltal ${figures.period.start} – ${figures.period.end}`,
    association,
    keyFigureTables(figures, unit).map((table): Block => ({ ...table })),
    unit,
  );
}
