import { type Kysely, type RawBuilder, sql } from "kysely";
import type { DB, Gender } from "../platform/db/schema.js";
import type { Tx } from "../platform/db/scope.js";

/**
 * All SQL of participant statistics. It reads only pseudonymous columns (participant.gender and birth_year, the
 * enrolment's dates and codes, guidance_case_count), never participant_identity, and aggregates in the database:
 * three statements whatever the number of participants.
 */

export type StatisticsScope = {
  associationId: string;
  from: string;
  to: string;
  /** The insatser to count; undefined means the whole association. */
  interventionIds?: string[] | undefined;
};

export const ageBands = ["16–24", "25–29", "30–39", "40–49", "50–64", "65+", "okänd"] as const;
export type AgeBand = (typeof ageBands)[number];

const interventionCondition = (column: RawBuilder<unknown>, ids: string[] | undefined) => {
  if (ids === undefined) return sql`true`;
  if (ids.length === 0) return sql`false`;
  return sql`${column} in (${sql.join(ids)})`;
};

// An age under 16 at enrolment means a wrong birth year for these insatser, so it counts as unknown.
const ageBand = sql<AgeBand>`case
  when p.birth_year is null then 'okänd'
  when extract(year from e.enrolled_on)::int - p.birth_year < 16 then 'okänd'
  when extract(year from e.enrolled_on)::int - p.birth_year <= 24 then '16–24'
  when extract(year from e.enrolled_on)::int - p.birth_year <= 29 then '25–29'
  when extract(year from e.enrolled_on)::int - p.birth_year <= 39 then '30–39'
  when extract(year from e.enrolled_on)::int - p.birth_year <= 49 then '40–49'
  when extract(year from e.enrolled_on)::int - p.birth_year <= 64 then '50–64'
  else '65+' end`;

/** Which grouping set a row of `periodCounts` belongs to (the bits of grouping(gender, band, referrer)). */
export const periodSets = { gender: 3, total: 7, ageBand: 1, referrer: 6 } as const;

export type PeriodCountRow = {
  grouping_set: number;
  gender: Gender | null;
  band: AgeBand | null;
  referrer_member_id: string | null;
  referrer_name: string | null;
  active_persons: number;
  active_enrolments: number;
  new_persons: number;
  new_enrolments: number;
  exited_persons: number;
  exited_enrolments: number;
};

/**
 * Enrolments active in the period (enrolled by its end, not exited before its start), and among them the new
 * (enrolled in the period) and the exited (exited in the period): persons counted once however many enrolments
 * they have, and enrolments. Grouped by gender, in total, by age band at enrolment × gender, and by referrer.
 */
export async function periodCounts(tx: Tx, scope: StatisticsScope): Promise<PeriodCountRow[]> {
  const { associationId, from, to } = scope;
  const result = await sql<PeriodCountRow>`
    select g.*, m.name as referrer_name
    from (
      select grouping(s.gender, s.band, s.referrer_member_id)::int as grouping_set,
        s.gender, s.band, s.referrer_member_id,
        count(distinct s.participant_id)::int as active_persons,
        count(*)::int as active_enrolments,
        (count(distinct s.participant_id) filter (where s.enrolled_on >= ${from}))::int as new_persons,
        (count(*) filter (where s.enrolled_on >= ${from}))::int as new_enrolments,
        (count(distinct s.participant_id) filter (where s.exited_on <= ${to}))::int as exited_persons,
        (count(*) filter (where s.exited_on <= ${to}))::int as exited_enrolments
      from (
        select e.participant_id, e.enrolled_on, e.exited_on, e.referrer_member_id, p.gender, ${ageBand} as band
        from enrolment e
        join participant p on p.association_id = e.association_id and p.id = e.participant_id
        where e.association_id = ${associationId}
          and e.enrolled_on <= ${to} and (e.exited_on is null or e.exited_on >= ${from})
          and ${interventionCondition(sql.ref("e.intervention_id"), scope.interventionIds)}
      ) s
      group by grouping sets ((s.gender), (), (s.band, s.gender), (s.referrer_member_id))
    ) g
    left join member m on m.association_id = ${associationId} and m.id = g.referrer_member_id
  `.execute(tx);
  return result.rows;
}

/** Which grouping set a row of `exitCounts` belongs to (the bits of grouping(start, exit, reason, gender)). */
export const exitSets = { transition: 3, outcome: 12, total: 15 } as const;

export type ExitCountRow = {
  grouping_set: number;
  income_source_at_enrolment: string | null;
  income_source_at_exit: string | null;
  exit_reason: string | null;
  gender: Gender | null;
  enrolments: number;
  /** Days in the insats; only meaningful on the total row. */
  first_quartile: number | null;
  median: number | null;
  third_quartile: number | null;
};

/**
 * Enrolments exited in the period: försörjning at start × at exit, avslutsorsak × gender, and in total with the
 * quartiles of the days from enrolment to exit.
 */
export async function exitCounts(tx: Tx, scope: StatisticsScope): Promise<ExitCountRow[]> {
  const { associationId, from, to } = scope;
  const days = sql`e.exited_on - e.enrolled_on`;
  const result = await sql<ExitCountRow>`
    select grouping(e.income_source_at_enrolment, e.income_source_at_exit, e.exit_reason, p.gender)::int
        as grouping_set,
      e.income_source_at_enrolment, e.income_source_at_exit, e.exit_reason, p.gender,
      count(*)::int as enrolments,
      percentile_cont(0.25) within group (order by ${days})::float8 as first_quartile,
      percentile_cont(0.5) within group (order by ${days})::float8 as median,
      percentile_cont(0.75) within group (order by ${days})::float8 as third_quartile
    from enrolment e
    join participant p on p.association_id = e.association_id and p.id = e.participant_id
    where e.association_id = ${associationId}
      and e.exited_on between ${from} and ${to}
      and ${interventionCondition(sql.ref("e.intervention_id"), scope.interventionIds)}
    group by grouping sets ((e.income_source_at_enrolment, e.income_source_at_exit), (e.exit_reason, p.gender), ())
  `.execute(tx);
  return result.rows;
}

/**
 * Lotsärenden of the registrations whose period starts in the period: each registration counts in exactly one of
 * consecutive periods, never twice.
 */
export async function guidanceCaseSums(tx: Tx, scope: StatisticsScope) {
  const result = await sql<{ women: number; men: number; gender_unknown: number }>`
    select coalesce(sum(g.women), 0)::int as women, coalesce(sum(g.men), 0)::int as men,
      coalesce(sum(g.gender_unknown), 0)::int as gender_unknown
    from guidance_case_count g
    where g.association_id = ${scope.associationId}
      and g.period_start between ${scope.from} and ${scope.to}
      and ${interventionCondition(sql.ref("g.intervention_id"), scope.interventionIds)}
  `.execute(tx);
  return result.rows[0] ?? { women: 0, men: 0, gender_unknown: 0 };
}

/**
 * Enrolments of every association by year of enrolment and gender, for the national follow-up. Runs as the owner
 * (no association scope), so it must never be called from a request.
 */
export async function nationalAggregate(db: Kysely<DB>, years: { fromYear: number; toYear: number }) {
  const result = await sql<{ association_id: string; year: number; gender: Gender; enrolments: number }>`
    select e.association_id, extract(year from e.enrolled_on)::int as year, p.gender, count(*)::int as enrolments
    from enrolment e
    join participant p on p.association_id = e.association_id and p.id = e.participant_id
    where e.enrolled_on between ${`${years.fromYear}-01-01`} and ${`${years.toYear}-12-31`}
    group by 1, 2, 3
    order by 1, 2, 3
  `.execute(db);
  return result.rows;
}
