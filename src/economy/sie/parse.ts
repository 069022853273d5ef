/**
 * A reader for SIE 4 files ("SIE filformat ver 4B"), the format Swedish bookkeeping programs export. It refuses a
 * file at its first problem with a Swedish message that names the line, and never returns a partial result: an
 * import that silently lost a line would put wrong sums in the books.
 */
import { decodeCp437 } from "./cp437.js";

export { decodeCp437, encodeCp437 } from "./cp437.js";

export type SieObjectRef = { dimension: number; code: string };
export type SieTransaction = {
  account: string;
  objects: SieObjectRef[];
  amountOre: bigint;
  date: string;
  text: string;
  line: number;
};
export type SieVoucher = {
  series: string;
  number: string;
  date: string;
  text: string;
  line: number;
  transactions: SieTransaction[];
};
export type SieBalance = {
  kind: "IB" | "UB" | "RES";
  yearIndex: number;
  account: string;
  amountOre: bigint;
  line: number;
};
export type SieObjectBalance = {
  kind: "OIB" | "OUB";
  yearIndex: number;
  account: string;
  object: SieObjectRef;
  amountOre: bigint;
  line: number;
};
export type SieAccountType = "T" | "S" | "K" | "I";
export type SieFile = {
  flag: 0 | 1 | undefined;
  program: string | undefined;
  format: string | undefined;
  sieType: number | undefined;
  company: { name: string | undefined; organisationNumber: string | undefined };
  fiscalYears: { index: number; start: string; end: string }[];
  accounts: Map<string, { number: string; name: string; type: SieAccountType | undefined }>;
  dimensions: Map<number, string>;
  /** Keyed `${dimension}:${code}`. */
  objects: Map<string, { dimension: number; code: string; name: string }>;
  balances: SieBalance[];
  objectBalances: SieObjectBalance[];
  vouchers: SieVoucher[];
  transactionCount: number;
};

export class SieError extends Error {
  constructor(
    readonly line: number | undefined,
    message: string,
  ) {
    super(line === undefined ? message : `Rad ${line}: ${message}`);
    this.name = "SieError";
  }
}

/** A field is a single value or an object list `{dim obj dim obj}`. */
type Field = string | string[];

const SPACE = 32;
const TAB = 9;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const ZERO = 48;
const NINE = 57;

const REEXPORT = "Exportera filen på nytt som SIE 4.";

// ─── Encoding ────────────────────────────────────────────────────────────────────────────────────────────────────

/** The Swedish letters å ä ö Å Ä Ö é as PC8 writes them. */
const CP437_SWEDISH = new Set([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82]);
/**
 * The same letters as Windows-1252/Latin-1 writes them. In PC8 they are σ Σ ÷ ┼ ─ ╓ Θ, which may stand alone or in a
 * line of box drawing but hardly next to a letter, as å ä ö do inside Swedish words.
 */
const LATIN1_SWEDISH = new Set([0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6, 0xe9]);

function isLetter(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}

function wrongEncoding(line: number, encoding: string): SieError {
  return new SieError(
    line,
    `Filen är inte kodad i PC8 (CP437) som SIE kräver; den verkar vara ${encoding}. Exportera filen på nytt som SIE 4.`,
  );
}

/**
 * SIE requires PC8, but programs (and people re-saving a file in an editor) often write UTF-8 or Windows-1252. Read
 * as PC8 such a file turns "Försäkringskassan" into "F├╢rs├ñkringskassan" or "F÷rsΣkringskassan" without any error,
 * so it is refused. A pure ASCII file is valid in all three and accepted. Windows-1252 is a guess from letters, so it
 * is only made when the file has no PC8 Swedish letter at all: any real kontoplan has some ("Leverantörsskulder").
 */
function checkEncoding(bytes: Uint8Array): void {
  if (bytes.includes(0)) throw wrongEncoding(1, "UTF-16");
  let firstHigh = -1;
  let firstLatin1 = -1;
  let cp437Swedish = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte < 0x80) continue;
    if (firstHigh < 0) firstHigh = i;
    if (CP437_SWEDISH.has(byte)) cp437Swedish = true;
    else if (firstLatin1 < 0 && LATIN1_SWEDISH.has(byte) && (isLetter(bytes[i - 1]) || isLetter(bytes[i + 1]))) {
      firstLatin1 = i;
    }
  }
  if (firstHigh < 0) return;
  // A PC8 letter such as å (0x86) is a lone continuation byte in UTF-8, so real PC8 text is never valid UTF-8.
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(firstHigh));
    throw wrongEncoding(lineAt(bytes, firstHigh), "UTF-8");
  } catch (error) {
    if (error instanceof SieError) throw error;
  }
  if (firstLatin1 >= 0 && !cp437Swedish) throw wrongEncoding(lineAt(bytes, firstLatin1), "Windows-1252 (ANSI)");
}

// ─── Fields ──────────────────────────────────────────────────────────────────────────────────────────────────────

function isSeparator(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

function tokenize(text: string, line: number): Field[] {
  const fields: Field[] = [];
  const n = text.length;
  let list: string[] | undefined;
  let i = 0;
  for (;;) {
    while (i < n && isSeparator(text.charCodeAt(i))) i++;
    if (i >= n) break;
    let c = text.charCodeAt(i);
    if (list === undefined && c === OPEN_BRACE) {
      list = [];
      i++;
      continue;
    }
    if (list !== undefined && c === CLOSE_BRACE) {
      fields.push(list);
      list = undefined;
      i++;
      continue;
    }
    let value: string;
    if (c === QUOTE) {
      i++;
      let start = i;
      const parts: string[] = [];
      for (;;) {
        if (i >= n) throw new SieError(line, 'Ett citattecken (") avslutas aldrig; raden verkar vara avkortad.');
        c = text.charCodeAt(i);
        if (c === QUOTE) break;
        if (c === BACKSLASH && i + 1 < n) {
          const next = text.charCodeAt(i + 1);
          // The standard escapes a quote as \"; \\ is read as one backslash so that a text may end in one.
          if (next === QUOTE || next === BACKSLASH) {
            parts.push(text.slice(start, i));
            start = i + 1;
            i += 2;
            continue;
          }
        }
        i++;
      }
      value = parts.length === 0 ? text.slice(start, i) : parts.join("") + text.slice(start, i);
      i++;
    } else {
      const start = i;
      for (; i < n; i++) {
        c = text.charCodeAt(i);
        if (isSeparator(c) || (c === CLOSE_BRACE && list !== undefined)) break;
      }
      value = text.slice(start, i);
    }
    if (list === undefined) fields.push(value);
    else list.push(value);
  }
  if (list !== undefined) {
    throw new SieError(line, "En objektlista som börjar med { avslutas aldrig med }; raden verkar vara avkortad.");
  }
  return fields;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/**
 * Amounts are read digit by digit into öre, never through a float: 0.1 + 0.2 must not become 0.30000000000000004 kr.
 * Digits beyond the second decimal are accepted only as zeros ("12.500"), since nothing is lost then.
 */
export function parseSieAmount(text: string, line?: number): bigint {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < n && text.charCodeAt(i) === 46) {
    fracStart = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
    if (fracEnd === fracStart) i = -1;
  }
  if (i !== n || intEnd === intStart) {
    throw new SieError(line, `Beloppet "${text}" är inte ett tal med punkt som decimaltecken.`);
  }
  for (let k = fracStart + 2; k < fracEnd; k++) {
    if (text.charCodeAt(k) !== ZERO) throw new SieError(line, `Beloppet "${text}" har fler än två decimaler.`);
  }
  let fraction = 0;
  if (fracEnd > fracStart) fraction += (text.charCodeAt(fracStart) - ZERO) * 10;
  if (fracEnd > fracStart + 1) fraction += text.charCodeAt(fracStart + 1) - ZERO;
  const negative = intStart === 1;
  // Up to 13 integer digits the öre value stays below 2^53, where a double is still an exact integer.
  if (intEnd - intStart <= 13) {
    const ore = Number(text.slice(intStart, intEnd)) * 100 + fraction;
    return BigInt(negative ? -ore : ore);
  }
  const ore = BigInt(text.slice(intStart, intEnd)) * 100n + BigInt(fraction);
  return negative ? -ore : ore;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Files hold few distinct dates, each repeated on many lines.
const dateCache = new Map<string, string>();

function parseDate(text: string, line: number): string {
  const cached = dateCache.get(text);
  if (cached !== undefined) return cached;
  let valid = text.length === 8;
  for (let i = 0; valid && i < 8; i++) valid = isDigit(text.charCodeAt(i));
  if (valid) {
    const year = Number(text.slice(0, 4));
    const month = Number(text.slice(4, 6));
    const day = Number(text.slice(6, 8));
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
    valid = year > 0 && day >= 1 && day <= days;
  }
  if (!valid) throw new SieError(line, `Datumet "${text}" är inte ett giltigt datum (ÅÅÅÅMMDD).`);
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  if (dateCache.size < 10_000) dateCache.set(text, iso);
  return iso;
}

/** Exact Swedish form for messages, "1 234,50 kr": a bookkeeper compares it with the öre in the other program. */
function formatKronorExact(ore: bigint): string {
  const sign = ore < 0n ? "−" : "";
  const digits = (ore < 0n ? -ore : ore).toString().padStart(3, "0");
  const kronor = digits.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, "\u00a0");
  return `${sign}${kronor},${digits.slice(-2)} kr`;
}

// ─── Records ─────────────────────────────────────────────────────────────────────────────────────────────────────

class SieRecord {
  constructor(
    readonly line: number,
    readonly label: string,
    readonly fields: Field[],
  ) {}

  has(index: number): boolean {
    return index < this.fields.length;
  }

  string(index: number, what: string): string {
    const field = this.fields[index];
    if (field === undefined) {
      throw new SieError(this.line, `${this.label} saknar ${what}; raden verkar vara avkortad.`);
    }
    if (typeof field !== "string") {
      throw new SieError(this.line, `${this.label} har en objektlista { } där ${what} ska stå.`);
    }
    return field;
  }

  optionalString(index: number, what: string): string | undefined {
    return this.has(index) ? this.string(index, what) : undefined;
  }

  integer(index: number, what: string): number {
    const text = this.string(index, what);
    if (!/^-?\d{1,9}$/.test(text)) throw new SieError(this.line, `${what} "${text}" är inte ett heltal.`);
    return Number(text);
  }

  amount(index: number): bigint {
    return parseSieAmount(this.string(index, "belopp"), this.line);
  }

  date(index: number, what: string): string {
    return parseDate(this.string(index, what), this.line);
  }

  objectList(index: number): string[] {
    const field = this.fields[index];
    if (field === undefined)
      throw new SieError(this.line, `${this.label} saknar objektlista; raden verkar vara avkortad.`);
    if (typeof field === "string") {
      throw new SieError(this.line, `${this.label} ska ha en objektlista inom { } men har "${field}".`);
    }
    return field;
  }
}

/** Declarations gathered before the main pass, so that a reference is checked whatever order the file uses. */
type Declarations = { accounts: Set<string>; dimensions: Map<number, string>; objects: Set<string> };

const DECLARING = ["#KONTO", "#DIM", "#UNDERDIM", "#OBJEKT"];

function declarations(lines: string[]): Declarations {
  const found: Declarations = { accounts: new Set(), dimensions: new Map(), objects: new Set() };
  for (const text of lines) {
    let start = 0;
    while (text.charCodeAt(start) === SPACE || text.charCodeAt(start) === TAB) start++;
    if (text.charCodeAt(start) !== 35 || !DECLARING.some((label) => text.startsWith(label, start))) continue;
    let fields: Field[];
    try {
      fields = tokenize(text, 0);
    } catch {
      continue; // the main pass reports it at its place in the file
    }
    const [label, first, second] = fields;
    if (typeof first !== "string" || typeof second !== "string") continue;
    if (label === "#KONTO") found.accounts.add(first);
    else if (label === "#DIM" || label === "#UNDERDIM") found.dimensions.set(Number(first), second);
    else if (label === "#OBJEKT") found.objects.add(`${Number(first)}:${second}`);
  }
  return found;
}

function voucherName(series: string, number: string): string {
  const name = [series, number].filter((part) => part !== "").join(" ");
  return name === "" ? "Verifikationen" : `Verifikation ${name}`;
}

const ACCOUNT_TYPES = new Set(["T", "S", "K", "I"]);

/** Reads a SIE 4 file (PC8 bytes). Throws SieError at the first problem. */
export function parseSie(bytes: Uint8Array): SieFile {
  let length = bytes.length;
  while (length > 0 && bytes[length - 1] === 0x1a) length--; // DOS end-of-file marker
  const content = bytes.subarray(0, length);
  // A byte order mark comes before the first label, so it is looked for before the file is judged not to be SIE.
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) throw wrongEncoding(1, "UTF-8");
  if ((content[0] === 0xff && content[1] === 0xfe) || (content[0] === 0xfe && content[1] === 0xff)) {
    throw wrongEncoding(1, "UTF-16");
  }
  let first = 0;
  while (first < content.length && [SPACE, TAB, CR, 10].includes(content[first]!)) first++;
  if (content[first] !== 35) {
    throw new SieError(
      first < content.length ? lineAt(content, first) : undefined,
      "Filen är ingen SIE-fil: den börjar inte med en etikett som #FLAGGA.",
    );
  }
  checkEncoding(content);

  const lines = decodeCp437(content).split("\n");
  const declared = declarations(lines);
  const file: SieFile = {
    flag: undefined,
    program: undefined,
    format: undefined,
    sieType: undefined,
    company: { name: undefined, organisationNumber: undefined },
    fiscalYears: [],
    accounts: new Map(),
    dimensions: new Map(),
    objects: new Map(),
    balances: [],
    objectBalances: [],
    vouchers: [],
    transactionCount: 0,
  };
  const accountTypes = new Map<string, SieAccountType>();

  let awaitingBlock: SieVoucher | undefined;
  let open: SieVoucher | undefined;
  let sum = 0n;

  const unclosed = (voucher: SieVoucher) =>
    new SieError(
      voucher.line,
      `${voucherName(voucher.series, voucher.number)} avslutas aldrig med }; filen verkar vara avkortad.`,
    );
  const knownAccount = (record: SieRecord, index: number): string => {
    const account = record.string(index, "kontonummer");
    if (!declared.accounts.has(account)) {
      throw new SieError(record.line, `Kontot ${account} finns inte i kontoplanen (#KONTO).`);
    }
    return account;
  };
  // Many programs put cost centres and projects on transactions without exporting #DIM/#OBJEKT at all, so an
  // undeclared object is refused only where the file does declare its dimension and thereby promises the full list.
  const objectRefs = (record: SieRecord, list: string[]): SieObjectRef[] => {
    if (list.length % 2 !== 0) {
      throw new SieError(
        record.line,
        "Objektlistan ska innehålla par av dimension och objekt men har ett udda antal fält.",
      );
    }
    const refs: SieObjectRef[] = [];
    for (let k = 0; k < list.length; k += 2) {
      const dimensionText = list[k]!;
      const code = list[k + 1]!;
      if (!/^\d{1,9}$/.test(dimensionText)) {
        throw new SieError(record.line, `Dimensionen "${dimensionText}" i objektlistan är inte ett heltal.`);
      }
      const dimension = Number(dimensionText);
      const dimensionName = declared.dimensions.get(dimension);
      if (dimensionName !== undefined && !declared.objects.has(`${dimension}:${code}`)) {
        throw new SieError(
          record.line,
          `Objektet "${code}" i dimension ${dimension} (${dimensionName}) finns inte bland objekten (#OBJEKT).`,
        );
      }
      refs.push({ dimension, code });
    }
    return refs;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const text = lines[index]!;
    const trimmed = text.trim();
    if (trimmed === "") continue;
    if (awaitingBlock !== undefined) {
      if (trimmed !== "{") {
        throw new SieError(
          awaitingBlock.line,
          `${voucherName(awaitingBlock.series, awaitingBlock.number)} saknar sitt block med transaktioner ({ … }).`,
        );
      }
      open = awaitingBlock;
      awaitingBlock = undefined;
      sum = 0n;
      continue;
    }
    if (trimmed === "{") throw new SieError(line, "Ett block { står utan en verifikation (#VER) före.");
    if (trimmed === "}") {
      if (open === undefined) throw new SieError(line, "Ett } står utan ett öppnat block.");
      if (sum !== 0n) {
        throw new SieError(
          open.line,
          `${voucherName(open.series, open.number)} balanserar inte: summan är ${formatKronorExact(sum)}.`,
        );
      }
      file.vouchers.push(open);
      open = undefined;
      continue;
    }

    const fields = tokenize(text, line);
    const label = fields[0];
    if (typeof label !== "string" || label.charCodeAt(0) !== 35) {
      throw new SieError(line, "Raden börjar inte med en etikett (#…) och kan inte läsas som SIE.");
    }
    const record = new SieRecord(line, label, fields);

    if (open !== undefined) {
      if (label === "#TRANS") {
        // The object list is mandatory in SIE 4, but older exporters leave it out; the amount then comes second.
        const withList = typeof fields[2] !== "string";
        const offset = withList ? 1 : 0;
        const account = knownAccount(record, 1);
        const objects = withList ? objectRefs(record, record.objectList(2)) : [];
        const amountOre = record.amount(offset + 2);
        const dateText = record.optionalString(offset + 3, "transaktionsdatum");
        const transaction: SieTransaction = {
          account,
          objects,
          amountOre,
          date: dateText === undefined || dateText === "" ? open.date : parseDate(dateText, line),
          text: record.optionalString(offset + 4, "transaktionstext") ?? "",
          line,
        };
        open.transactions.push(transaction);
        sum += amountOre;
        file.transactionCount++;
        continue;
      }
      // #RTRANS is always followed by an identical #TRANS (for older readers) and #BTRANS marks a removed line, so
      // reading either would count the same money twice or count money that was taken back.
      if (label === "#RTRANS" || label === "#BTRANS") continue;
      if (label === "#VER" || KNOWN_OUTSIDE_VOUCHERS.has(label)) throw unclosed(open);
      continue; // an unknown label inside a block: ignored like any other
    }

    switch (label) {
      case "#FLAGGA": {
        const flag = record.string(1, "flagga");
        if (flag !== "0" && flag !== "1") throw new SieError(line, `#FLAGGA ska vara 0 eller 1, inte "${flag}".`);
        file.flag = flag === "1" ? 1 : 0;
        break;
      }
      case "#PROGRAM": {
        const name = record.string(1, "programnamn");
        const version = record.optionalString(2, "version");
        file.program = version ? `${name} ${version}` : name;
        break;
      }
      case "#FORMAT":
        file.format = record.string(1, "teckenformat");
        break;
      case "#GEN":
        record.date(1, "datum");
        break;
      case "#SIETYP": {
        const type = record.string(1, "SIE-typ").toUpperCase();
        if (type === "4" || type === "4E" || type === "4I") file.sieType = 4;
        else if (type === "1" || type === "2" || type === "3") {
          throw new SieError(
            line,
            `Filen är SIE typ ${type}, som bara innehåller saldon och inga verifikationer. Exportera filen på nytt som SIE 4.`,
          );
        } else throw new SieError(line, `SIE-typen "${type}" är okänd; bara SIE 4 kan läsas.`);
        break;
      }
      case "#FNAMN":
        file.company.name = record.string(1, "företagsnamn");
        break;
      case "#ORGNR":
        file.company.organisationNumber = record.string(1, "organisationsnummer");
        break;
      case "#RAR": {
        const yearIndex = record.integer(1, "Årsnumret");
        if (file.fiscalYears.some((year) => year.index === yearIndex)) {
          throw new SieError(line, `Räkenskapsår ${yearIndex} (#RAR) förekommer två gånger.`);
        }
        const start = record.date(2, "startdatum");
        const end = record.date(3, "slutdatum");
        if (end < start) throw new SieError(line, `Räkenskapsår ${yearIndex} slutar innan det börjar.`);
        file.fiscalYears.push({ index: yearIndex, start, end });
        break;
      }
      case "#KONTO": {
        const number = record.string(1, "kontonummer");
        file.accounts.set(number, { number, name: record.string(2, "kontonamn"), type: undefined });
        break;
      }
      case "#KTYP": {
        const number = record.string(1, "kontonummer");
        const type = record.string(2, "kontotyp").toUpperCase();
        if (!ACCOUNT_TYPES.has(type)) {
          throw new SieError(line, `Kontotypen "${type}" för konto ${number} är okänd (T, S, K eller I).`);
        }
        accountTypes.set(number, type as SieAccountType);
        break;
      }
      case "#DIM":
      case "#UNDERDIM": {
        const dimension = record.integer(1, "Dimensionsnumret");
        file.dimensions.set(dimension, record.string(2, "dimensionsnamn"));
        break;
      }
      case "#OBJEKT": {
        const dimension = record.integer(1, "Dimensionsnumret");
        const code = record.string(2, "objektkod");
        file.objects.set(`${dimension}:${code}`, { dimension, code, name: record.string(3, "objektnamn") });
        break;
      }
      case "#IB":
      case "#UB":
      case "#RES": {
        const yearIndex = record.integer(1, "Årsnumret");
        const account = knownAccount(record, 2);
        file.balances.push({ kind: LABEL_KIND[label]!, yearIndex, account, amountOre: record.amount(3), line });
        break;
      }
      case "#OIB":
      case "#OUB": {
        const yearIndex = record.integer(1, "Årsnumret");
        const account = knownAccount(record, 2);
        const objects = objectRefs(record, record.objectList(3));
        if (objects.length !== 1) {
          throw new SieError(line, `${label} ska ha exakt ett objekt i objektlistan men har ${objects.length}.`);
        }
        const kind = label === "#OIB" ? "OIB" : "OUB";
        file.objectBalances.push({ kind, yearIndex, account, object: objects[0]!, amountOre: record.amount(4), line });
        break;
      }
      case "#VER": {
        const series = record.string(1, "serie");
        const number = record.string(2, "verifikationsnummer");
        const date = record.date(3, "verifikationsdatum");
        const regDate = record.optionalString(5, "registreringsdatum");
        if (regDate) parseDate(regDate, line);
        awaitingBlock = {
          series,
          number,
          date,
          text: record.optionalString(4, "verifikationstext") ?? "",
          line,
          transactions: [],
        };
        break;
      }
      case "#TRANS":
      case "#RTRANS":
      case "#BTRANS":
        throw new SieError(line, `${label} står utanför en verifikation (#VER med block { … }).`);
      // #KSUMMA is not verified: implementations of the standard's checksum disagree on which characters of an
      // object list it covers and on how the sum is written, and a false alarm would refuse a correct file. The
      // other checks (balanced vouchers, known accounts, complete blocks) catch the damage it is meant to find.
      default:
        break; // the standard says a reader shall ignore labels it does not know
    }
  }

  if (open !== undefined) throw unclosed(open);
  if (awaitingBlock !== undefined) {
    throw new SieError(
      awaitingBlock.line,
      `${voucherName(awaitingBlock.series, awaitingBlock.number)} saknar sitt block med transaktioner ({ … }).`,
    );
  }
  if (file.sieType === undefined) {
    throw new SieError(
      undefined,
      `Filen saknar #SIETYP och räknas därför som SIE typ 1, utan verifikationer. ${REEXPORT}`,
    );
  }
  for (const [number, type] of accountTypes) {
    const account = file.accounts.get(number);
    if (account !== undefined) account.type = type;
  }
  return file;
}

const LABEL_KIND: Record<string, SieBalance["kind"]> = { "#IB": "IB", "#UB": "UB", "#RES": "RES" };

/** Labels that belong outside vouchers: meeting one inside a block means its } went missing. */
const KNOWN_OUTSIDE_VOUCHERS = new Set([
  "#FLAGGA",
  "#PROGRAM",
  "#FORMAT",
  "#GEN",
  "#SIETYP",
  "#FNAMN",
  "#ORGNR",
  "#RAR",
  "#KPTYP",
  "#KONTO",
  "#KTYP",
  "#SRU",
  "#DIM",
  "#UNDERDIM",
  "#OBJEKT",
  "#IB",
  "#UB",
  "#OIB",
  "#OUB",
  "#RES",
  "#PSALDO",
  "#PBUDGET",
]);
