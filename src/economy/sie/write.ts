/**
 * Writes a SIE 4 file in PC8, for round-trip tests and for the synthetic data generator. It writes what the parser
 * reads and nothing more (no #KSUMMA, no quantities, no signatures).
 */
import { encodeCp437 } from "./cp437.js";
import type { SieAccountType, SieObjectRef } from "./parse.js";

export type SieWriteTransaction = {
  account: string;
  objects?: SieObjectRef[];
  amountOre: bigint;
  /** Left out when it is the voucher's date, as the standard allows. */
  date?: string;
  text?: string;
};

export type SieWriteInput = {
  program?: { name: string; version: string };
  /** 'YYYY-MM-DD' for #GEN; a parameter rather than today so that generated files are reproducible. */
  generatedOn: string;
  company: { name: string; organisationNumber?: string | undefined };
  fiscalYears: Iterable<{ index: number; start: string; end: string }>;
  accounts: Iterable<{ number: string; name: string; type?: SieAccountType | undefined }>;
  dimensions?: Iterable<{ number: number; name: string }>;
  objects?: Iterable<{ dimension: number; code: string; name: string }>;
  balances?: Iterable<{ kind: "IB" | "UB" | "RES"; yearIndex: number; account: string; amountOre: bigint }>;
  objectBalances?: Iterable<{
    kind: "OIB" | "OUB";
    yearIndex: number;
    account: string;
    object: SieObjectRef;
    amountOre: bigint;
  }>;
  vouchers: Iterable<{
    series: string;
    number: string;
    date: string;
    text: string;
    transactions: Iterable<SieWriteTransaction>;
  }>;
};

/** "-1234.50" for −1 234,50 kr: always two decimals, a point, no thousands separator. */
export function formatSieAmount(ore: bigint): string {
  const negative = ore < 0n;
  const digits = (negative ? -ore : ore).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

const NEEDS_QUOTES = /[\s"\\{}]/;

/** Quotes a field when it is empty or holds a separator, quote, backslash or brace; escapes \ and ". A line break
 * cannot be written at all, since a record is one line. */
export function quoteSieField(value: string): string {
  if (/[\r\n]/.test(value))
    throw new RangeError(`Ett SIE-fält kan inte innehålla radbrytningar: ${JSON.stringify(value)}`);
  if (value !== "" && !NEEDS_QUOTES.test(value)) return value;
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

function sieDate(isoDate: string): string {
  return isoDate.replaceAll("-", "");
}

function objectList(objects: SieObjectRef[] | undefined): string {
  if (objects === undefined || objects.length === 0) return "{}";
  return `{${objects.map((ref) => `${ref.dimension} ${quoteSieField(ref.code)}`).join(" ")}}`;
}

export function writeSie(input: SieWriteInput): Uint8Array {
  const lines: string[] = [];
  const chunks: string[] = [];
  // Joining a few thousand lines at a time keeps 200 000 transactions from building one huge array of pieces.
  const push = (line: string) => {
    lines.push(line);
    if (lines.length >= 4096) {
      chunks.push(lines.join("\r\n"));
      lines.length = 0;
    }
  };
  const program = input.program ?? { name: "Samordna", version: "1" };
  push("#FLAGGA 0");
  push(`#PROGRAM ${quoteSieField(program.name)} ${quoteSieField(program.version)}`);
  push("#FORMAT PC8");
  push(`#GEN ${sieDate(input.generatedOn)}`);
  push("#SIETYP 4");
  if (input.company.organisationNumber !== undefined) push(`#ORGNR ${quoteSieField(input.company.organisationNumber)}`);
  push(`#FNAMN ${quoteSieField(input.company.name)}`);
  for (const year of input.fiscalYears) push(`#RAR ${year.index} ${sieDate(year.start)} ${sieDate(year.end)}`);
  const types: string[] = [];
  for (const account of input.accounts) {
    push(`#KONTO ${quoteSieField(account.number)} ${quoteSieField(account.name)}`);
    if (account.type !== undefined) types.push(`#KTYP ${quoteSieField(account.number)} ${account.type}`);
  }
  for (const line of types) push(line);
  for (const dimension of input.dimensions ?? []) push(`#DIM ${dimension.number} ${quoteSieField(dimension.name)}`);
  for (const object of input.objects ?? []) {
    push(`#OBJEKT ${object.dimension} ${quoteSieField(object.code)} ${quoteSieField(object.name)}`);
  }
  for (const balance of input.balances ?? []) {
    push(
      `#${balance.kind} ${balance.yearIndex} ${quoteSieField(balance.account)} ${formatSieAmount(balance.amountOre)}`,
    );
  }
  for (const balance of input.objectBalances ?? []) {
    push(
      `#${balance.kind} ${balance.yearIndex} ${quoteSieField(balance.account)} ${objectList([balance.object])} ${formatSieAmount(balance.amountOre)}`,
    );
  }
  for (const voucher of input.vouchers) {
    push(
      `#VER ${quoteSieField(voucher.series)} ${quoteSieField(voucher.number)} ${sieDate(voucher.date)} ${quoteSieField(voucher.text)}`,
    );
    push("{");
    for (const transaction of voucher.transactions) {
      let line = `   #TRANS ${quoteSieField(transaction.account)} ${objectList(transaction.objects)} ${formatSieAmount(transaction.amountOre)}`;
      const date = transaction.date !== undefined && transaction.date !== voucher.date ? sieDate(transaction.date) : "";
      const text = transaction.text ?? "";
      if (text !== "") line += ` ${quoteSieField(date)} ${quoteSieField(text)}`;
      else if (date !== "") line += ` ${date}`;
      push(line);
    }
    push("}");
  }
  if (lines.length > 0) chunks.push(lines.join("\r\n"));
  return encodeCp437(`${chunks.join("\r\n")}\r\n`);
}
