import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fictionalPersonalNumber, formatPersonalNumber, parsePersonalNumber } from "./personal-number.js";

const FORMAT = "Skriv personnumret med 10 eller 12 siffror, t.ex. ÅÅÅÅMMDD-NNNN.";
const CHECKSUM = "Kontrollsiffran stämmer inte: kontrollera att personnumret är rätt skrivet.";
const DATE = "Datumet i personnumret finns inte.";

const valid = (input: string) => {
  const result = parsePersonalNumber(input);
  if (!result.ok) throw new Error(`${input}: ${result.message}`);
  return result.value;
};
const message = (input: string) => {
  const result = parsePersonalNumber(input);
  return result.ok ? "ok" : result.message;
};

/** Birth dates between 1930 and 2010 (so that the ten-digit form's century is never in doubt), and a serial. */
const birthDate = fc
  .date({ min: new Date("1930-01-01T00:00:00Z"), max: new Date("2010-12-31T00:00:00Z"), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10).replaceAll("-", ""));
const person = fc.record({ birthDate, serial: fc.integer({ min: 1, max: 999 }) });

describe("personnummer", () => {
  it("accepts 12 and 10 digits, with or without separator, and normalises to twelve digits", () => {
    for (const form of ["198507099805", "19850709-9805", "8507099805", "850709-9805", " 850709 - 9805 "]) {
      expect(valid(form).normalised).toBe("198507099805");
    }
    expect(formatPersonalNumber("198507099805")).toBe("19850709-9805");
  });

  it("derives gender and birth year", () => {
    expect(valid("198507099805")).toMatchObject({ gender: "woman", birthYear: 1985, coordinationNumber: false });
    expect(valid("19121212-1212")).toMatchObject({ gender: "man", birthYear: 1912 });
  });

  it("reads the plus sign of a ten-digit number as 100 years or older", () => {
    expect(valid("121212+1212").normalised).toBe("191212121212");
  });

  it("accepts a samordningsnummer (day + 60)", () => {
    expect(valid("198507699802")).toMatchObject({ coordinationNumber: true, birthYear: 1985, gender: "woman" });
    expect(valid("850769-9802").normalised).toBe("198507699802");
  });

  it("rejects a wrong check digit", () => {
    expect(message("198507099804")).toBe(CHECKSUM);
    expect(message("850709-9806")).toBe(CHECKSUM);
  });

  it("rejects a date that does not exist, even with a correct check digit", () => {
    // 2023-02-29 and month 13, each with its correct Luhn digit.
    const feb29 = fictionalPersonalNumber("20230229", 123);
    const month13 = fictionalPersonalNumber("19851301", 123);
    expect(message(feb29)).toBe(DATE);
    expect(message(month13)).toBe(DATE);
    expect(message(fictionalPersonalNumber("20240229", 123))).toBe("ok");
  });

  it("rejects the birth number 000, which is never given out", () => {
    expect(message(fictionalPersonalNumber("19850709", 0))).toBe(
      "Födelsenumret (de tre siffrorna före kontrollsiffran) kan inte vara 000.",
    );
  });

  it("rejects what is not a number of the right length, without repeating the input", () => {
    for (const input of ["", "abc", "19850709980", "1985070998055", "850709/9805", "19850709--9805"]) {
      expect(message(input)).toBe(FORMAT);
    }
  });

  it("normalises every valid form of the same number to the same twelve digits (property)", () => {
    fc.assert(
      fc.property(person, ({ birthDate, serial }) => {
        const twelve = fictionalPersonalNumber(birthDate, serial);
        const ten = twelve.slice(2);
        const forms = [twelve, formatPersonalNumber(twelve), ten, `${ten.slice(0, 6)}-${ten.slice(6)}`];
        for (const form of forms) expect(valid(form).normalised).toBe(twelve);
        expect(valid(twelve).birthYear).toBe(Number(birthDate.slice(0, 4)));
        expect(valid(twelve).gender).toBe(serial % 2 === 1 ? "man" : "woman");
      }),
    );
  });

  it("rejects every single-digit change of the check digit (property)", () => {
    fc.assert(
      fc.property(person, fc.integer({ min: 1, max: 9 }), ({ birthDate, serial }, delta) => {
        const twelve = fictionalPersonalNumber(birthDate, serial);
        const wrong = `${twelve.slice(0, 11)}${(Number(twelve[11]) + delta) % 10}`;
        expect(message(wrong)).toBe(CHECKSUM);
      }),
    );
  });

  it("never repeats the input in a message (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 14 }), (input) => {
        const result = parsePersonalNumber(input);
        if (!result.ok && input.trim().length >= 6) expect(result.message).not.toContain(input.trim());
      }),
    );
  });
});
