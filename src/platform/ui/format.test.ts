import { describe, expect, it } from "vitest";
import { formatBasisPoints, formatDate, formatDateTime, formatKronor, formatPercent } from "./format.js";

const nbsp = "\u00a0";

describe("Swedish formats", () => {
  it("shows öre as whole kronor with space as thousands separator", () => {
    expect(formatKronor(197506800n)).toBe(`1${nbsp}975${nbsp}068 kr`);
    expect(formatKronor(150)).toBe("2 kr");
    expect(formatKronor(-150n)).toBe("\u22122 kr");
    expect(formatKronor(0n)).toBe("0 kr");
  });

  it("shows percentages with a decimal comma", () => {
    expect(formatPercent(0.113)).toBe(`11,3${nbsp}%`);
    expect(formatBasisPoints(2500)).toBe(`25,00${nbsp}%`);
  });

  it("shows dates as ÅÅÅÅ-MM-DD in Swedish time", () => {
    expect(formatDate("2026-01-02")).toBe("2026-01-02");
    expect(formatDate(new Date("2026-11-22T23:30:00Z"))).toBe("2026-11-23");
    expect(formatDateTime(new Date("2026-06-01T10:05:00Z"))).toBe("2026-06-01 12:05");
  });
});
