import { describe, expect, it } from "vitest";
import { checkFundingShares, parsePercent, percentText } from "./funding-shares.js";

describe("the law's funding split", () => {
  it("accepts state half, region quarter and kommuner quarter divided by agreement", () => {
    const check = checkFundingShares([
      { type: "fk", basisPoints: 5000 },
      { type: "af", basisPoints: 0 },
      { type: "region", basisPoints: 2500 },
      { type: "kommun", basisPoints: 1667 },
      { type: "kommun", basisPoints: 833 },
    ]);
    expect(check.ok).toBe(true);
    expect(check.problems).toEqual([]);
  });

  it("names each group that is off and the total", () => {
    const check = checkFundingShares([
      { type: "fk", basisPoints: 4500 },
      { type: "region", basisPoints: 2500 },
      { type: "kommun", basisPoints: 2500 },
      { type: "other", basisPoints: 100 },
    ]);
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      "Staten (Försäkringskassan och Arbetsförmedlingen) ska stå för 50,00\u00a0% men står för 45,00\u00a0%.",
      "Övriga organisationer ska stå för 0,00\u00a0% men står för 1,00\u00a0%.",
      "Andelarna ska tillsammans bli 100,00\u00a0% men blir 96,00\u00a0%.",
    ]);
  });

  it("reports an association without members as incomplete", () => {
    expect(checkFundingShares([]).ok).toBe(false);
  });
});

describe("percent input", () => {
  it.each([
    ["25", 2500],
    ["12,5", 1250],
    ["12.50", 1250],
    ["8,33 %", 833],
    ["0", 0],
    ["100", 10000],
  ])("reads %s as %d hundredths", (text, expected) => {
    expect(parsePercent(text)).toBe(expected);
  });

  it.each(["", "abc", "12,345", "100,01", "-5", "1e2"])("rejects %s", (text) => {
    expect(parsePercent(text)).toBeUndefined();
  });

  it("writes stored shares back as the user would type them", () => {
    expect(percentText(2500)).toBe("25");
    expect(percentText(1250)).toBe("12,5");
    expect(percentText(833)).toBe("8,33");
  });
});
