import personnummer from "personnummer";
import type { Gender } from "../platform/db/schema.js";

// The package is CommonJS whose module.exports is the class, while its types describe an ES default export.
const Personnummer = personnummer as unknown as typeof import("personnummer").default;

/** A validated personnummer or samordningsnummer, normalised to twelve digits without separator. */
export type PersonalNumber = {
  normalised: string;
  coordinationNumber: boolean;
  birthYear: number;
  gender: Gender;
};

export type PersonalNumberResult = { ok: true; value: PersonalNumber } | { ok: false; message: string };

// YYMMDD-NNNN, YYMMDD+NNNN (100 years or older), YYYYMMDDNNNN, YYYYMMDD-NNNN, with or without separator.
const shape = /^(\d{2})?(\d{6})([-+]?)(\d{4})$/;

function luhnSum(digits: string): number {
  let sum = 0;
  for (const [index, char] of [...digits].entries()) {
    const product = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return sum;
}

/** The Luhn check over the ten digits YYMMDDNNN + C, used only to say which part of a rejected number is wrong. */
const luhnHolds = (tenDigits: string) => luhnSum(tenDigits) % 10 === 0;

/**
 * A valid twelve-digit number for a birth date (YYYYMMDD) and a three-digit serial, for fictional demo and test
 * data: the serial's last digit is odd for men, even for women.
 */
export function fictionalPersonalNumber(birthDate: string, serial: number): string {
  const nine = `${birthDate.slice(2)}${String(serial % 1000).padStart(3, "0")}`;
  return `${birthDate}${nine.slice(6)}${(10 - (luhnSum(nine) % 10)) % 10}`;
}

/**
 * Validates format, date (day + 60 for samordningsnummer) and check digit. Messages never repeat the number: they end
 * up on screens and in API responses, and an identity must not travel further than it has to.
 */
export function parsePersonalNumber(input: string): PersonalNumberResult {
  const compact = input.trim().replace(/\s+/g, "");
  const match = shape.exec(compact);
  if (!match) {
    return {
      ok: false,
      message: "Skriv personnumret med 10 eller 12 siffror, t.ex. ÅÅÅÅMMDD-NNNN.",
    };
  }
  if (!luhnHolds(`${match[2]}${match[4]}`)) {
    return { ok: false, message: "Kontrollsiffran stämmer inte: kontrollera att personnumret är rätt skrivet." };
  }
  if (match[4]?.startsWith("000")) {
    return { ok: false, message: "Födelsenumret (de tre siffrorna före kontrollsiffran) kan inte vara 000." };
  }
  let parsed: InstanceType<typeof Personnummer>;
  try {
    parsed = Personnummer.parse(compact, { allowCoordinationNumber: true, allowInterimNumber: false });
  } catch {
    return { ok: false, message: "Datumet i personnumret finns inte." };
  }
  return {
    ok: true,
    value: {
      normalised: parsed.format(true),
      coordinationNumber: parsed.isCoordinationNumber(),
      birthYear: Number(parsed.fullYear),
      gender: parsed.isFemale() ? "woman" : "man",
    },
  };
}

/** ÅÅÅÅMMDD-NNNN, as a person reads it. */
export const formatPersonalNumber = (normalised: string) => `${normalised.slice(0, 8)}-${normalised.slice(8)}`;
