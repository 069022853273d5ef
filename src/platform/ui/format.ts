/** Swedish formats used everywhere in the UI and in exports: 1 975 068 kr, 11,3 %, 2026-11-23. */
const TIME_ZONE = "Europe/Stockholm";

const wholeNumber = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("sv-SE", {
  style: "percent",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const percentTwoDecimals = new Intl.NumberFormat("sv-SE", {
  style: "percent",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const date = new Intl.DateTimeFormat("sv-SE", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const dateTime = new Intl.DateTimeFormat("sv-SE", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

/** Money is stored as integer öre; shown as whole kronor, rounded half away from zero. */
export function formatKronor(ore: bigint | number): string {
  const value = BigInt(ore);
  const sign = value < 0n ? -1n : 1n;
  const kronor = ((value * sign + 50n) / 100n) * sign;
  return `${wholeNumber.format(kronor)} kr`;
}

export function formatPercent(fraction: number): string {
  return percent.format(fraction);
}

/** Funding shares are stored in hundredths of a percent (2500 = 25,00 %). */
export function formatBasisPoints(basisPoints: number): string {
  return percentTwoDecimals.format(basisPoints / 10000);
}

/** A calendar date ('YYYY-MM-DD' from the database) is shown as it is; a timestamp in Swedish time. */
export function formatDate(value: Date | string): string {
  return typeof value === "string" ? value : date.format(value);
}

export function formatDateTime(value: Date): string {
  return dateTime.format(value);
}
