import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CP437_UPPER_HALF } from "./cp437.js";
import {
  decodeCp437,
  encodeCp437,
  parseSie,
  parseSieAmount,
  type SieBalance,
  SieError,
  type SieFile,
  type SieObjectBalance,
} from "./parse.js";
import { formatSieAmount, type SieWriteInput, writeSie } from "./write.js";

const FIXTURE = readFileSync(new URL("../../../test/fixtures/economy/well-formed.se", import.meta.url));
const FIXTURE_LINES = decodeCp437(FIXTURE).split("\r\n");

/** The fixture with some of its lines changed, so that a broken file differs from a good one in one known place. */
function variant(edit: (lines: string[]) => void, encode: (text: string) => Uint8Array = encodeCp437): Uint8Array {
  const lines = [...FIXTURE_LINES];
  edit(lines);
  return encode(lines.join("\r\n"));
}
const replaceLine = (line: number, text: string) => (lines: string[]) => {
  lines[line - 1] = text;
};

function refusal(bytes: Uint8Array): SieError {
  let result: SieFile | undefined;
  try {
    result = parseSie(bytes);
  } catch (error) {
    if (error instanceof SieError) return error;
    throw error;
  }
  throw new Error(`The file was accepted with ${result.transactionCount} transactions`);
}

describe("parseSie on a well-formed file", () => {
  const file = parseSie(FIXTURE);

  it("reads the identification records", () => {
    expect(file.flag).toBe(0);
    expect(file.program).toBe("Bokföringsprogrammet Exempel 3.1");
    expect(file.format).toBe("PC8");
    expect(file.sieType).toBe(4);
    expect(file.company).toEqual({ name: "Samordningsförbundet Norrskogen", organisationNumber: "222222-2222" });
    expect(file.fiscalYears).toEqual([
      { index: 0, start: "2023-01-01", end: "2023-12-31" },
      { index: -1, start: "2022-01-01", end: "2022-12-31" },
    ]);
  });

  it("reads the chart of accounts with Swedish letters, escaped quotes and account types", () => {
    expect([...file.accounts.values()]).toEqual([
      { number: "1930", name: "Företagskonto", type: "T" },
      { number: "2440", name: "Leverantörsskulder", type: undefined },
      { number: "3010", name: "Bidrag från Försäkringskassan", type: "I" },
      { number: "3020", name: "Bidrag från Region Västerbotten", type: undefined },
      { number: "5010", name: "Lokalhyra Skellefteå", type: undefined },
      { number: "6570", name: 'Bankkostnader "Plusgiro"', type: undefined },
    ]);
    expect(file.dimensions).toEqual(new Map([[6, "Projekt"]]));
    expect(file.objects).toEqual(
      new Map([
        ["6:P1", { dimension: 6, code: "P1", name: "Arbetsträning Öst" }],
        ["6:P2", { dimension: 6, code: "P2", name: "Språkcafé" }],
      ]),
    );
  });

  it("reads balances for this year and the one before, exactly in öre", () => {
    expect(file.balances).toEqual([
      { kind: "IB", yearIndex: 0, account: "1930", amountOre: 15_000_000n, line: 23 },
      { kind: "IB", yearIndex: -1, account: "1930", amountOre: 12_000_050n, line: 24 },
      { kind: "UB", yearIndex: 0, account: "1930", amountOre: 18_500_025n, line: 25 },
      { kind: "UB", yearIndex: -1, account: "1930", amountOre: 15_000_000n, line: 26 },
      { kind: "RES", yearIndex: 0, account: "3010", amountOre: -40_000_000n, line: 27 },
      { kind: "RES", yearIndex: -1, account: "5010", amountOre: 9_600_000n, line: 28 },
    ]);
    expect(file.objectBalances).toEqual([
      {
        kind: "OIB",
        yearIndex: 0,
        account: "1930",
        object: { dimension: 6, code: "P1" },
        amountOre: 100_000n,
        line: 29,
      },
    ]);
  });

  it("reads vouchers: object lists, transaction dates defaulting to the voucher's, #RTRANS and #BTRANS left out", () => {
    expect(file.vouchers).toEqual([
      {
        series: "A",
        number: "1",
        date: "2023-01-15",
        text: 'Hyra januari "Kontoret"',
        line: 31,
        transactions: [
          {
            account: "5010",
            objects: [{ dimension: 6, code: "P1" }],
            amountOre: 800_000n,
            date: "2023-01-14",
            text: "Hyra del 1",
            line: 33,
          },
          {
            account: "5010",
            objects: [{ dimension: 6, code: "P2" }],
            amountOre: 50n,
            date: "2023-01-15",
            text: "",
            line: 34,
          },
          { account: "2440", objects: [], amountOre: -800_050n, date: "2023-01-15", text: "Leverantör AB", line: 35 },
        ],
      },
      {
        series: "B",
        number: "7",
        date: "2023-02-01",
        text: "",
        line: 37,
        transactions: [
          { account: "1930", objects: [], amountOre: 40_000_000n, date: "2023-02-01", text: "", line: 40 },
          {
            account: "3010",
            objects: [],
            amountOre: -40_000_000n,
            date: "2023-02-02",
            text: "Bidrag från Försäkringskassan",
            line: 42,
          },
        ],
      },
      {
        series: "",
        number: "8",
        date: "2023-03-01",
        text: "Bankavgift",
        line: 44,
        transactions: [
          {
            account: "6570",
            objects: [
              { dimension: 1, code: "100" },
              { dimension: 6, code: "P2" },
            ],
            amountOre: 1250n,
            date: "2023-03-01",
            text: "",
            line: 46,
          },
          { account: "1930", objects: [], amountOre: -1250n, date: "2023-03-01", text: "", line: 47 },
        ],
      },
    ]);
    expect(file.transactionCount).toBe(7);
  });

  it("reads the same file with LF line ends, without a final line end and with a DOS end-of-file marker", () => {
    const lf = encodeCp437(FIXTURE_LINES.join("\n").trimEnd());
    expect(parseSie(lf)).toEqual(file);
    expect(parseSie(new Uint8Array([...FIXTURE, 0x1a]))).toEqual(file);
  });

  it("accepts #SIETYP 4I, an old #TRANS without object list and trailing zeros beyond two decimals", () => {
    const edited = parseSie(
      variant((lines) => {
        lines[4] = "#SIETYP 4I";
        lines[45] = "#TRANS 6570 12.500";
      }),
    );
    expect(edited.sieType).toBe(4);
    expect(edited.vouchers[2]!.transactions[0]).toMatchObject({ account: "6570", objects: [], amountOre: 1250n });
  });
});

describe("parseSie refuses a broken file at its first problem", () => {
  const cases: [string, Uint8Array, number | undefined, string][] = [
    [
      "an unbalanced voucher",
      variant(replaceLine(47, "#TRANS 1930 {} -12.40")),
      44,
      "Verifikation 8 balanserar inte: summan är 0,10 kr.",
    ],
    [
      "an unbalanced voucher with a series, in kronor with thousands",
      variant(replaceLine(40, "   #TRANS 1930 {} 401234.00")),
      37,
      "Verifikation B 7 balanserar inte: summan är 1\u00a0234,00 kr.",
    ],
    [
      "a transaction on an account missing from the chart",
      variant(replaceLine(40, "   #TRANS 4999 {} 400000.00")),
      40,
      "Kontot 4999 finns inte i kontoplanen (#KONTO).",
    ],
    [
      "a balance on an account missing from the chart",
      variant(replaceLine(27, "#RES 0 3999 -400000.00")),
      27,
      "Kontot 3999 finns inte i kontoplanen (#KONTO).",
    ],
    [
      "a file cut before the last }",
      variant((lines) => lines.splice(47)),
      44,
      "Verifikation 8 avslutas aldrig med }; filen verkar vara avkortad.",
    ],
    [
      "a voucher whose } is missing before the next voucher",
      variant((lines) => lines.splice(35, 1)),
      31,
      "Verifikation A 1 avslutas aldrig med }; filen verkar vara avkortad.",
    ],
    [
      "a file cut inside a quoted text",
      encodeCp437(`${FIXTURE_LINES.slice(0, 41).join("\r\n")}\r\n\t#TRANS\t3010\t{}\t-400000.00\t20230202\t"Bidrag fr`),
      42,
      'Ett citattecken (") avslutas aldrig; raden verkar vara avkortad.',
    ],
    [
      "a file cut in the middle of a record",
      encodeCp437(`${FIXTURE_LINES.slice(0, 46).join("\r\n")}\r\n#TRANS 1930 {}`),
      47,
      "#TRANS saknar belopp; raden verkar vara avkortad.",
    ],
    [
      "a file cut inside an object list",
      encodeCp437(`${FIXTURE_LINES.slice(0, 45).join("\r\n")}\r\n#TRANS 6570 {1 "100" 6`),
      46,
      "En objektlista som börjar med { avslutas aldrig med }; raden verkar vara avkortad.",
    ],
    [
      "a voucher without its block",
      variant((lines) => lines.splice(44, 1)),
      44,
      "Verifikation 8 saknar sitt block med transaktioner ({ … }).",
    ],
    [
      "a file saved as UTF-8",
      variant(
        () => {},
        (text) => Buffer.from(text, "utf8"),
      ),
      2,
      "Filen är inte kodad i PC8 (CP437) som SIE kräver; den verkar vara UTF-8. Exportera filen på nytt som SIE 4.",
    ],
    [
      "a file saved as Windows-1252",
      variant(
        () => {},
        (text) => Buffer.from(text, "latin1"),
      ),
      2,
      "Filen är inte kodad i PC8 (CP437) som SIE kräver; den verkar vara Windows-1252 (ANSI). Exportera filen på nytt som SIE 4.",
    ],
    [
      "an amount with a decimal comma",
      variant(replaceLine(46, '#TRANS 6570 {1 "100" 6 P2} 12,50')),
      46,
      'Beloppet "12,50" är inte ett tal med punkt som decimaltecken.',
    ],
    [
      "an amount with three decimals",
      variant(replaceLine(46, '#TRANS 6570 {1 "100" 6 P2} 12.505')),
      46,
      'Beloppet "12.505" har fler än två decimaler.',
    ],
    [
      "a non-existent date",
      variant(replaceLine(44, '#VER "" 8 20230230 Bankavgift')),
      44,
      'Datumet "20230230" är inte ett giltigt datum (ÅÅÅÅMMDD).',
    ],
    [
      "SIE type 1",
      variant(replaceLine(5, "#SIETYP 1")),
      5,
      "Filen är SIE typ 1, som bara innehåller saldon och inga verifikationer. Exportera filen på nytt som SIE 4.",
    ],
    [
      "a file without #SIETYP",
      variant((lines) => lines.splice(4, 1)),
      undefined,
      "Filen saknar #SIETYP och räknas därför som SIE typ 1, utan verifikationer. Exportera filen på nytt som SIE 4.",
    ],
    [
      "an object missing from a declared dimension",
      variant(replaceLine(46, '#TRANS 6570 {1 "100" 6 P9} 12.50')),
      46,
      'Objektet "P9" i dimension 6 (Projekt) finns inte bland objekten (#OBJEKT).',
    ],
    [
      "a transaction outside a voucher",
      variant(replaceLine(37, "#TRANS 1930 {} 1.00")),
      37,
      "#TRANS står utanför en verifikation (#VER med block { … }).",
    ],
    [
      "a file that is not SIE at all",
      encodeCp437("Kontoutdrag 2023\r\n#FLAGGA 0\r\n"),
      1,
      "Filen är ingen SIE-fil: den börjar inte med en etikett som #FLAGGA.",
    ],
  ];

  it.each(cases)("%s", (_name, bytes, line, message) => {
    const error = refusal(bytes);
    expect(error.line).toBe(line);
    expect(error.message).toBe(line === undefined ? message : `Rad ${line}: ${message}`);
  });

  it("tells encodings apart without refusing PC8 or ASCII files", () => {
    const ascii = variant((lines) => {
      for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.replace(/[^ -~\t\r]/g, "a");
    });
    expect(parseSie(ascii).accounts.get("5010")!.name).toBe("Lokalhyra Skelleftea");
    // Σ and ─ are PC8 too; standing apart from letters they do not make a file look like Windows-1252.
    const symbols = encodeCp437(
      FIXTURE_LINES.map((line) => line.replace(/[åäöÅÄÖé]/g, "a"))
        .join("\r\n")
        .replace("Bankavgift", '"Bankavgift ─── Σ 12 ÷ 4"'),
    );
    expect(parseSie(symbols).vouchers[2]!.text).toBe("Bankavgift ─── Σ 12 ÷ 4");
    const encoded = (encode: (text: string) => Uint8Array) => refusal(variant(() => {}, encode)).message;
    expect(encoded((text) => Buffer.from(text, "utf16le"))).toMatch(/^Rad 1: .* den verkar vara UTF-16\./);
    expect(encoded((text) => Buffer.from(`\ufeff${text}`, "utf16le"))).toMatch(/^Rad 1: .* den verkar vara UTF-16\./);
    expect(encoded((text) => Buffer.from(`\ufeff${text}`, "utf8"))).toMatch(/^Rad 1: .* den verkar vara UTF-8\./);
  });

  it("validates calendar dates, leap years included", () => {
    const withDate = (date: string) => variant(replaceLine(44, `#VER "" 8 ${date} Bankavgift`));
    for (const date of ["20240229", "20000229", "20231231"]) expect(() => parseSie(withDate(date))).not.toThrow();
    for (const date of ["20230229", "19000229", "20231301", "20230100", "2023011", "2023-01-01"]) {
      expect(refusal(withDate(date)).line).toBe(44);
    }
  });

  it("reports the first problem when there are several", () => {
    const bytes = variant((lines) => {
      lines[39] = "   #TRANS 4999 {} 400000.00";
      lines[45] = "#TRANS 6570 {} 12,50";
    });
    expect(refusal(bytes).line).toBe(40);
  });
});

// ─── Properties ──────────────────────────────────────────────────────────────────────────────────────────────────

const PRINTABLE = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), ...CP437_UPPER_HALF];
const text = fc.string({
  unit: fc.constantFrom(...PRINTABLE, "å", "ä", "ö", "Å", "Ä", "Ö", "é", '"', " ", "\\"),
  maxLength: 30,
});
const isoDate = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const amount = fc.bigInt({ min: -100_000_000_00n, max: 100_000_000_00n });
const ACCOUNTS = ["1930", "2440", "3010", "5010", "6570"];
const objectRef = fc.oneof(
  fc.record({ dimension: fc.constant(6), code: fc.constantFrom("P1", "P 2", 'P"3"') }),
  fc.record({ dimension: fc.constant(1), code: text }),
);

const transaction = fc.record({
  account: fc.constantFrom(...ACCOUNTS),
  objects: fc.array(objectRef, { maxLength: 2 }),
  amountOre: amount,
  date: fc.option(isoDate, { nil: undefined }),
  text: fc.option(text, { nil: undefined }),
});

const balance = fc.record({
  kind: fc.constantFrom("IB" as const, "UB" as const, "RES" as const),
  yearIndex: fc.integer({ min: -3, max: 0 }),
  account: fc.constantFrom(...ACCOUNTS),
  amountOre: amount,
});
const objectBalance = fc.record({
  kind: fc.constantFrom("OIB" as const, "OUB" as const),
  yearIndex: fc.integer({ min: -3, max: 0 }),
  account: fc.constantFrom(...ACCOUNTS),
  object: objectRef,
  amountOre: amount,
});

/** Vouchers whose last line takes the remainder, so that every voucher balances. */
const voucher = fc
  .record({
    series: fc.constantFrom("A", "B", "", "LÖN"),
    number: fc.integer({ min: 1, max: 99_999 }).map(String),
    date: isoDate,
    text,
    transactions: fc.array(transaction, { minLength: 1, maxLength: 5 }),
  })
  .map((v) => {
    const rest = v.transactions.slice(0, -1).reduce((sum, t) => sum + t.amountOre, 0n);
    v.transactions[v.transactions.length - 1]!.amountOre = -rest;
    return v;
  });

function fileWith(
  vouchers: SieWriteInput["vouchers"],
  accountNames: string[] = ACCOUNTS,
  balances: Omit<SieBalance, "line">[] = [],
  objectBalances: Omit<SieObjectBalance, "line">[] = [],
): SieWriteInput {
  return {
    balances,
    objectBalances,
    generatedOn: "2024-01-15",
    company: { name: "Samordningsförbundet Norrskogen", organisationNumber: "222222-2222" },
    fiscalYears: [{ index: 0, start: "2023-01-01", end: "2023-12-31" }],
    accounts: ACCOUNTS.map((number, i) => ({ number, name: accountNames[i]! })),
    dimensions: [{ number: 6, name: "Projekt" }],
    objects: ["P1", "P 2", 'P"3"'].map((code) => ({ dimension: 6, code, name: `Projekt ${code}` })),
    vouchers,
  };
}

describe("properties", () => {
  it("writeSie → parseSie gives back the vouchers, amounts and names", () => {
    fc.assert(
      fc.property(
        fc.array(voucher, { maxLength: 8 }),
        fc.array(text, { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
        fc.array(balance, { maxLength: 4 }),
        fc.array(objectBalance, { maxLength: 3 }),
        (vouchers, names, balances, objectBalances) => {
          const parsed = parseSie(writeSie(fileWith(vouchers, names, balances, objectBalances)));
          expect(parsed.balances.map(({ line: _, ...b }) => b)).toEqual(balances);
          expect(parsed.objectBalances.map(({ line: _, ...b }) => b)).toEqual(objectBalances);
          expect([...parsed.accounts.values()].map((a) => a.name)).toEqual(names);
          expect(
            parsed.vouchers.map(({ line: _, ...v }) => ({
              ...v,
              transactions: v.transactions.map(({ line: __, ...t }) => t),
            })),
          ).toEqual(
            vouchers.map((v) => ({
              ...v,
              transactions: v.transactions.map((t) => ({ ...t, date: t.date ?? v.date, text: t.text ?? "" })),
            })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("any amount in öre is formatted and read back exactly", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (ore) => {
        expect(parseSieAmount(formatSieAmount(ore))).toBe(ore);
      }),
    );
    expect(parseSieAmount("0.1")).toBe(10n);
    expect(parseSieAmount("-0.07")).toBe(-7n);
    expect(parseSieAmount("1")).toBe(100n);
  });

  it("any spacing with spaces and tabs between fields reads the same", () => {
    const gap = fc.string({ unit: fc.constantFrom(" ", "\t"), minLength: 1, maxLength: 3 });
    const optionalGap = fc.string({ unit: fc.constantFrom(" ", "\t"), maxLength: 3 });
    const canonical = parseSie(FIXTURE);
    fc.assert(
      fc.property(
        fc.array(gap, { minLength: 8, maxLength: 8 }),
        fc.array(optionalGap, { minLength: 4, maxLength: 4 }),
        (g, o) => {
          const bytes = variant((lines) => {
            lines[32] = `${o[0]}#TRANS${g[0]}5010${g[1]}{${o[1]}6${g[2]}"P1"${o[2]}}${g[3]}8000.00${g[4]}20230114${g[5]}"Hyra del 1"${o[3]}`;
            lines[30] = `#VER${g[6]}A${g[7]}1 20230115 "Hyra januari \\"Kontoret\\""${g[0]}20230116${o[0]}`;
          });
          expect(parseSie(bytes)).toEqual(canonical);
        },
      ),
    );
  });

  it("CP437 decoding undoes encoding, for text and for bytes", () => {
    const all = [...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)), ...CP437_UPPER_HALF];
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...all) }), (s) => decodeCp437(encodeCp437(s)) === s));
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(encodeCp437(decodeCp437(bytes))).toEqual(bytes);
      }),
    );
    expect(encodeCp437("åäöÅÄÖé")).toEqual(new Uint8Array([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82]));
    expect(decodeCp437(new Uint8Array([0x81, 0x90, 0x9b, 0xe1, 0xff]))).toBe("üÉ¢ß\u00a0");
    expect(() => encodeCp437("€")).toThrow(RangeError);
  });

  it("every voucher balances, and unbalancing any one line is refused at that voucher", () => {
    fc.assert(
      fc.property(
        fc.array(voucher, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.nat(),
        fc.bigInt({ min: -10_000n, max: 10_000n }).filter((d) => d !== 0n),
        (vouchers, v, t, delta) => {
          const parsed = parseSie(writeSie(fileWith(vouchers)));
          for (const { transactions } of parsed.vouchers) {
            expect(transactions.reduce((sum, tr) => sum + tr.amountOre, 0n)).toBe(0n);
          }
          const target = v % vouchers.length;
          const line = t % vouchers[target]!.transactions.length;
          const corrupted = vouchers.map((voucher, i) =>
            i !== target
              ? voucher
              : {
                  ...voucher,
                  transactions: voucher.transactions.map((tr, k) =>
                    k === line ? { ...tr, amountOre: tr.amountOre + delta } : tr,
                  ),
                },
          );
          const error = refusal(writeSie(fileWith(corrupted)));
          expect(error.line).toBe(parsed.vouchers[target]!.line);
          expect(error.message).toMatch(/balanserar inte: summan är −?[\d\u00a0]+,\d\d kr\.$/);
        },
      ),
      { numRuns: 200 },
    );
  });
});
