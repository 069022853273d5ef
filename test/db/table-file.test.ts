import { describe, expect, it } from "vitest";
import writeExcelFile from "write-excel-file/node";
import { autoMapping, mappingErrors } from "../../src/participants/participant-columns.js";
import { readTableFile, TableFileError } from "../../src/platform/import/table-file.js";

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const read = (text: string | Uint8Array, name = "deltagare.csv") =>
  readTableFile({ name, bytes: typeof text === "string" ? utf8(text) : text });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TableFileError);
  return (error as Error).message;
}

const expected = {
  headers: ["personnummer", "namn", "kön"],
  rows: [
    ["19850101-1236", "Åsa Öberg", "Kvinna"],
    ["", "", "Man"],
  ],
};

describe("reading an uploaded table file", () => {
  it.each([
    ["semicolon", ";"],
    ["comma", ","],
    ["tab", "\t"],
  ])("reads CSV separated by %s, with quotes, trimmed cells and blank lines skipped", async (_, delimiter) => {
    const text = [["personnummer", "namn", "kön"], ["19850101-1236", '"Åsa Öberg"', " Kvinna "], [], ["", "", "Man"]]
      .map((row) => row.join(delimiter))
      .join("\r\n");
    expect(await read(text)).toEqual(expected);
  });

  it("reads a quoted field holding the delimiter and a line break", async () => {
    const table = await read('namn;mål_vid_start\n"Eva";"Arbete; minst\n20 timmar"\n');
    expect(table.rows).toEqual([["Eva", "Arbete; minst\n20 timmar"]]);
  });

  it("reads UTF-8 with Excel's byte order mark without a stray character in the first header", async () => {
    const table = await read(`\uFEFFpersonnummer;namn;kön\r\n19850101-1236;Åsa Öberg;Kvinna\r\n;;Man\r\n`);
    expect(table).toEqual(expected);
  });

  it("reads UTF-16 with a byte order mark (Excel's Unicode text)", async () => {
    const text = "personnummer\tnamn\tkön\n19850101-1236\tÅsa Öberg\tKvinna\n\t\tMan\n";
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    expect(await read(new Uint8Array(bytes))).toEqual(expected);
  });

  it("refuses Windows-1252 bytes instead of garbling å, ä and ö, and says how to save the file", async () => {
    const latin = new Uint8Array(Buffer.from("namn;kön\nÅsa Öberg;Kvinna\n", "latin1"));
    const message = await refusal(read(latin));
    expect(message).toContain("Filen är inte sparad som UTF-8");
    expect(message).toContain("CSV UTF-8");
  });

  it("refuses a file whose columns were not split: one header holding the delimiter", async () => {
    const message = await refusal(read('"personnummer;namn;kön"\n"19850101-1236;Åsa;Kvinna"\n'));
    expect(message).toMatch(/bara en kolumn/);
  });

  it("refuses an empty file, a file with only headers and a row wider than the header", async () => {
    expect(await refusal(read(""))).toBe("Filen är tom.");
    expect(await refusal(read("\n \n"))).toBe("Filen är tom.");
    expect(await refusal(read("personnummer;namn\n"))).toBe("Filen har inga rader under rubrikraden.");
    expect(await refusal(read("namn;kön\nEva;Kvinna;extra\n"))).toMatch(/Rad 2 har fler värden/);
  });

  it("refuses an unclosed quote with the line, and unknown or old file types", async () => {
    expect(await refusal(read('namn;kön\n"Eva;Kvinna\n'))).toMatch(/citattecken/);
    expect(await refusal(read("hej", "deltagare.pdf"))).toMatch(/Filtypen .pdf kan inte läsas/);
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await refusal(read(xls, "gammal.xls"))).toMatch(/gamla format/);
    expect(await refusal(read("inte en zip", "deltagare.xlsx"))).toMatch(/Excel-fil/);
  });

  it("reads the first sheet of an XLSX file: cells as text, dates as ÅÅÅÅ-MM-DD", async () => {
    const xlsx = await writeExcelFile([
      {
        sheet: "Deltagare",
        data: [
          [{ value: "personnummer" }, { value: "födelseår" }, { value: "inskriven" }, { value: "namn" }],
          [
            { value: "19850101-1236", type: String },
            { value: 1985, type: Number },
            { value: new Date("2026-02-03T00:00:00Z"), type: Date, format: "yyyy-mm-dd" },
            { value: " Åsa Öberg ", type: String },
          ],
          [null, null, null, null],
          [null, { value: 1990, type: Number }, { value: "2026-03-01", type: String }, null],
        ],
      },
      { sheet: "Annat", data: [[{ value: "ignoreras" }]] },
    ]).toBuffer();
    expect(await read(new Uint8Array(xlsx), "deltagare.xlsx")).toEqual({
      headers: ["personnummer", "födelseår", "inskriven", "namn"],
      rows: [
        ["19850101-1236", "1985", "2026-02-03", "Åsa Öberg"],
        ["", "1990", "2026-03-01", ""],
      ],
    });
  });
});

describe("mapping a file's headers to the participant columns", () => {
  it("maps headers whatever their case, accents, spaces or synonyms, and each column once", () => {
    expect(
      autoMapping(["Personnummer", " KON ", "Försörjning start", "Inskrivningsdatum", "pnr", "Okänd rubrik"]),
    ).toEqual(["personalNumber", "gender", "incomeSourceAtEnrolment", "enrolledOn", null, null]);
  });

  it("names the missing required columns and a column chosen twice", () => {
    expect(mappingErrors(["personalNumber", "gender"])).toEqual([
      "Filen saknar kolumnen inskriven: välj vilken rubrik som är inskriven.",
      "Filen saknar kolumnen försörjning_start: välj vilken rubrik som är försörjning_start.",
    ]);
    expect(mappingErrors(["enrolledOn", "incomeSourceAtEnrolment", "enrolledOn"])).toEqual([
      "Kolumnen inskriven är vald för 2 rubriker: välj den för en.",
    ]);
  });
});
