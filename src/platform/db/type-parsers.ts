/**
 * The two drivers parse some types differently by default (pg: int8 as string, PGlite: int8 as number and DATE as a
 * JS Date). Both are given these parsers so that money (bigint öre) and calendar dates read the same everywhere.
 * DATE stays the 'YYYY-MM-DD' text: a calendar date must never move with the server's time zone.
 */
export const INT8 = 20;
export const DATE = 1082;

export const typeParsers: Record<number, (value: string) => unknown> = {
  [INT8]: (value) => BigInt(value),
  [DATE]: (value) => value,
};
