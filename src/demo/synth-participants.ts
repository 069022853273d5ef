import { type RawBuilder, sql } from "kysely";
import { participantSettings } from "../participants/identity.js";
import type { Tx } from "../platform/db/scope.js";
import { DAY, isoDate, type SynthAssociation, type SynthScale } from "./synth-support.js";

/**
 * Synthetic deltagare in the association's individinriktade insatser that have started: 1 000 000 persons at the
 * national scale (12 500 per association of 400 insatser), proportionally fewer for a smaller scale.
 *
 * They exist only for statistics and benchmarks. Nobody stands behind them: they have no participant_identity row,
 * and their identity_hash is a digest of the seed and their number instead of a keyed hash of a personnummer, so no
 * real personnummer can ever be recognised as one of them.
 *
 * Every value is drawn in SQL from a hash of the seed, the association and the person's number, so that the rows are
 * made by two set-based statements per association instead of being sent one by one, and are the same on any database.
 */

/** 1 000 000 over 80 associations with 400 insatser each. */
const PERSONS_PER_INTERVENTION = 31.25;
/** Share of persons who take part in a second insats of the association within a year of their first one's start. */
const SECOND_ENROLMENT_SHARE = 0.1;
/**
 * Below 1, later insatser draw more deltagare, as förbund grow; it also sets how many are still enrolled (~15 %).
 */
const RECENCY = 0.75;

const incomeSourcesAtStart: [string, number][] = [
  ["forsorjningsstod", 30],
  ["sjukpenning", 18],
  ["arbetsloshetsersattning", 14],
  ["sjuk_aktivitetsersattning", 12],
  ["aktivitetsstod", 10],
  ["ingen", 7],
  ["annan", 4],
  ["studiemedel", 3],
  ["okand", 2],
];
const exitReasons: [string, number][] = [
  ["arbete", 20],
  ["arbete_med_stod", 10],
  ["studier", 12],
  ["arbetssokande", 15],
  ["annan_insats", 13],
  ["sjukskrivning", 11],
  ["flytt", 5],
  ["avbrott", 9],
  ["annat", 5],
];
/** Age at the start of the first insats: mostly 20–40, some younger, and older ones up to an age that keeps ≤ 64. */
const ageBands: [number, number, number][] = [
  [16, 19, 12],
  [20, 40, 64],
  [41, 59, 24],
];

export const participantsFor = (scale: SynthScale) =>
  Math.round(PERSONS_PER_INTERVENTION * scale.interventionsPerYear * scale.years);

/** Uniform in [0, 1) from the 32 bits at `part` (0-based) of the hex digest in `column`. */
const uniform = (column: "h" | "g", part: number) =>
  sql.raw(`(('x' || substr(${column}, ${1 + 8 * part}, 8))::bit(32)::bigint::float8 / 4294967296)`);

/** A weighted choice among constant values (codes of the built-in lists), as a CASE over one uniform draw. */
function choice(u: RawBuilder<unknown>, options: [string, number][]) {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let cumulative = 0;
  const branches = options.slice(0, -1).map(([value, weight]) => {
    cumulative += weight;
    return sql`when ${u} < ${sql.lit(cumulative / total)} then ${sql.lit(value)}`;
  });
  return sql`(case ${sql.join(branches, sql` `)} else ${sql.lit(options.at(-1)![0])} end)`;
}

function ageSql(bandDraw: RawBuilder<unknown>, ageDraw: RawBuilder<unknown>) {
  const total = ageBands.reduce((sum, [, , weight]) => sum + weight, 0);
  let cumulative = 0;
  const branches = ageBands.slice(0, -1).map(([from, to, weight]) => {
    cumulative += weight;
    return sql`when ${bandDraw} < ${sql.lit(cumulative / total)} then ${sql.lit(from)} + floor(${ageDraw} * ${sql.lit(to - from + 1)})::int`;
  });
  const [from, to] = ageBands.at(-1)!;
  return sql`(case ${sql.join(branches, sql` `)} else ${sql.lit(from)} + floor(${ageDraw} * ${sql.lit(to - from + 1)})::int end)`;
}

export async function generateParticipants(tx: Tx, target: SynthAssociation) {
  const associationId = target.association.id;
  const count = participantsFor(target.scale);
  const lastDay = isoDate(target.now.getTime() - DAY);
  // Insatser that have taken in deltagare: individinriktade ones that started (rejected ones keep their start date).
  const started = sql`association_id = ${associationId} and kind = 'individual' and start_date <= ${lastDay}::date
    and status in ('ongoing', 'ended', 'final_report_submitted', 'final_report_approved')`;
  const counted = await sql<{ n: number }>`select count(*)::int as n from intervention where ${started}`.execute(tx);
  const interventions = counted.rows[0]?.n ?? 0;
  if (count === 0 || interventions === 0) return;

  // A properly encrypted pseudonym key, so that the association works like any other if real persons are enrolled.
  await participantSettings(tx, target.keyring, associationId);
  const key = `synth/${target.seed}/${target.index}/`;
  const u = (part: number) => uniform("h", part);
  const g = (part: number) => uniform("g", part);
  const duration = (draw: RawBuilder<unknown>) => sql`30 + floor(power(${draw}, 1.6) * 700)::int`;
  const enrolledOn = (draw: RawBuilder<unknown>) =>
    sql`i.start_date + floor(${draw} * (i.intake_end - i.start_date + 1))::int`;

  await sql`
    with ordered as materialized (
      -- Intake closes a month before the insats ends, so that everyone gets at least a month in it.
      select (row_number() over (order by start_date, name) - 1)::int as k, id, start_date, end_date,
        greatest(start_date, least(end_date - 30, ${lastDay}::date)) as intake_end
      from intervention where ${started}
    ),
    ins as (
      -- Insatser in start order (names are unique in an association, ids are random), each with the last one that
      -- starts within a year of it: a second insats of the same person is one of those.
      select k, id, start_date, end_date, intake_end,
        (select max(later.k) from ordered later where later.start_date <= ordered.start_date + 365) as within_year
      from ordered
    ),
    members as (
      select (row_number() over (order by name) - 1)::int as m, id from member where association_id = ${associationId}
    ),
    draws as (
      select n, encode(sha512(convert_to(${key} || n, 'UTF8')), 'hex') as h,
        md5(${key} || 'g' || n) as g
      from generate_series(1, ${count}::int) as n
    ),
    firsts as (
      select d.n, d.h, d.g, i.k, i.within_year, i.start_date
      from draws d join ins i on i.k = floor(power(${u(0)}, ${sql.lit(RECENCY)}) * ${interventions}::int)::int
    ),
    plan as (
      select d.n, d.h, d.g, i.id as intervention_id, i.end_date, ${enrolledOn(u(1))} as enrolled_on,
        ${duration(u(2))} as days, ${u(3)} as exit_draw, ${u(4)} as income_draw, ${u(5)} as referrer_draw,
        ${u(6)} as consent_draw, ${g(3)} as income_exit_draw
      from firsts d join ins i on i.k = d.k
      union all
      select d.n, d.h, d.g, i.id, i.end_date, ${enrolledOn(u(9))}, ${duration(u(10))}, ${u(11)}, ${u(12)}, ${u(13)},
        ${u(14)}, ${u(15)}
      from firsts d join ins i on i.k = d.k + 1 + floor(${u(8)} * (d.within_year - d.k))::int
      where ${u(7)} < ${sql.lit(SECOND_ENROLMENT_SHARE)} and d.within_year > d.k
    ),
    decided as (
      select p.*,
        case when least(p.enrolled_on + p.days, p.end_date) <= ${lastDay}::date
          then least(p.enrolled_on + p.days, p.end_date) end as exited_on,
        ${choice(sql.raw("p.income_draw"), incomeSourcesAtStart)} as income_at_start,
        ${choice(sql.raw("p.exit_draw"), exitReasons)} as reason
      from plan p
    ),
    first_enrolled as (select n, min(enrolled_on) as enrolled_on from plan group by n),
    inserted as (
      insert into participant (association_id, number, identity_hash, gender, birth_year, created_at)
      select ${associationId}, f.n, sha256(convert_to(${key} || 'person/' || f.n, 'UTF8')),
        ${choice(g(0), [
          ["woman", 52],
          ["man", 46],
          ["other_unknown", 2],
        ])},
        extract(year from f.start_date)::int - ${ageSql(g(1), g(2))},
        e.enrolled_on::timestamp at time zone 'UTC' + interval '9 hours'
      from firsts f join first_enrolled e on e.n = f.n
      returning id, number
    )
    insert into enrolment (association_id, participant_id, intervention_id, enrolled_on, referrer_member_id,
      income_source_at_enrolment, consent_on, consent_version, exited_on, exit_reason, income_source_at_exit,
      created_at, version)
    select ${associationId}, inserted.id, d.intervention_id, d.enrolled_on, members.id, d.income_at_start,
      d.enrolled_on - floor(d.consent_draw * 8)::int, '1', d.exited_on,
      case when d.exited_on is not null then d.reason end,
      case when d.exited_on is null then null
        when d.reason = 'arbete' then case when d.income_exit_draw < 0.85 then 'lon' else 'annan' end
        when d.reason = 'arbete_med_stod' then case when d.income_exit_draw < 0.7 then 'lon' else 'aktivitetsstod' end
        when d.reason = 'studier' then case when d.income_exit_draw < 0.8 then 'studiemedel' else 'annan' end
        when d.reason = 'arbetssokande' then ${choice(sql.raw("d.income_exit_draw"), [
          ["arbetsloshetsersattning", 45],
          ["aktivitetsstod", 35],
          ["forsorjningsstod", 20],
        ])}
        else d.income_at_start end,
      d.enrolled_on::timestamp at time zone 'UTC' + interval '9 hours' + d.consent_draw * interval '7 hours',
      case when d.exited_on is null then 1 else 2 end
    from decided d
    join inserted on inserted.number = d.n
    -- About one in twenty has no referring member recorded: the join finds none for draws of 0.95 and above.
    left join members on members.m = floor(d.referrer_draw / 0.95 * (select count(*) from members))::int
  `.execute(tx);
  await tx
    .updateTable("participant_settings")
    .set({ last_number: count })
    .where("association_id", "=", associationId)
    .execute();
}
