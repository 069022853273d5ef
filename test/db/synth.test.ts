import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { checkFundingShares } from "../../src/associations/funding-shares.js";
import { createRng, largestRemainder, nationalScale, synthesize } from "../../src/demo/synth.js";
import { findTransition } from "../../src/interventions/lifecycle.js";
import type { DB, InterventionStatus } from "../../src/platform/db/schema.js";
import type { AnswerValue, ReportAnswers } from "../../src/reports/answer-model.js";
import { builtinTemplates, findBuiltinTemplate } from "../../src/reports/builtin/index.js";
import { costTotals } from "../../src/reports/derived.js";
import { templateVersion } from "../../src/reports/template-model.js";
import { validateAnswers } from "../../src/reports/validate-answers.js";
import { describeEachDatabase, openTestDatabase } from "../support/database.js";

const now = new Date("2026-06-01T00:00:00Z");
const today = "2026-06-01";
/** A few insatser per association: enough for every status, small enough for a quick test. */
const small = { interventionsPerYear: 8, years: 4 };

/** The synthetic data of one seed without generated ids and creation times, which differ between databases. */
async function synthData(db: Kysely<DB>, seed: number) {
  const like = `synth-${seed}-%`;
  const members = await db
    .selectFrom("member")
    .innerJoin("association", "association.id", "member.association_id")
    .select(["association.slug", "association.name as association", "member.name", "member.type"])
    .select("member.funding_share_basis_points as basisPoints")
    .where("association.slug", "like", like)
    .orderBy("association.slug")
    .orderBy("member.name")
    .execute();
  const users = await db
    .selectFrom("association_user")
    .innerJoin("association", "association.id", "association_user.association_id")
    .innerJoin("user_account", "user_account.id", "association_user.user_id")
    .select(["association.slug", "user_account.email", "user_account.name", "association_user.role"])
    .where("association.slug", "like", like)
    .orderBy("user_account.email")
    .execute();
  const audit = await sql<{ slug: string; entries: string }>`
    select a.slug, json_agg(json_build_array(l.occurred_at, l.action, l.actor_label, l.entity_type, l.summary)
      order by l.id)::text as entries
    from audit_log l join association a on a.id = l.association_id
    where a.slug like ${like} group by a.slug order by a.slug`.execute(db);
  const organisations = await db
    .selectFrom("organisation as o")
    .innerJoin("association as a", "a.id", "o.association_id")
    .leftJoin("member as m", (join) =>
      join.onRef("m.association_id", "=", "o.association_id").onRef("m.id", "=", "o.member_id"),
    )
    .select(["a.slug", "o.name", "m.name as member"])
    .where("a.slug", "like", like)
    .orderBy("a.slug")
    .orderBy("o.name")
    .execute();
  // Everything of an insats that is not a generated id, as one row per insats, by association and name.
  const interventions = await sql<Record<string, unknown>>`
    select a.slug, i.name, o.name as owner, i.kind, i.status, i.start_date, i.end_date, i.intake_end_date,
      i.registry_number, i.decision_section, i.decision_date, i.conditions, i.target_group, i.background, i.purpose,
      i.method, i.planned_women, i.planned_men, i.planned_gender_unknown, i.version, i.created_at, i.updated_at,
      (select json_agg(json_build_array(c.from_status, c.to_status, c.changed_at, c.changed_by_label, c.comment)
        order by c.changed_at) from intervention_status_change c
        where c.association_id = i.association_id and c.intervention_id = i.id)::text as history,
      (select json_agg(json_build_array(g.year, g.amount_ore) order by g.year) from intervention_grant g
        where g.association_id = i.association_id and g.intervention_id = i.id)::text as grants,
      (select json_agg(json_build_array(g.position, g.level, g.text, g.target_value, g.unit, g.status)
        order by g.position) from intervention_goal g
        where g.association_id = i.association_id and g.intervention_id = i.id)::text as goals,
      (select json_agg(json_build_array(b.year, b.cost_category, b.amount_ore) order by b.year, b.cost_category)
        from intervention_budget b where b.association_id = i.association_id and b.intervention_id = i.id)::text
        as budget,
      (select json_agg(json_build_array(po.name, p.role, p.contact_name, p.contact_email) order by po.name)
        from intervention_partner p join organisation po
          on po.association_id = p.association_id and po.id = p.organisation_id
        where p.association_id = i.association_id and p.intervention_id = i.id)::text as partners,
      (select json_agg(json_build_array(r.period_start, r.period_end, r.status, r.submitted_at, r.submitted_by_label,
          r.decided_at, r.decision_comment, r.over_grant_reason,
          (select json_agg(json_build_array(l.cost_category, l.amount_ore) order by l.cost_category)
            from requisition_line l where l.association_id = r.association_id and l.requisition_id = r.id))
        order by r.period_start) from requisition r
        where r.association_id = i.association_id and r.intervention_id = i.id)::text as requisitions,
      (select json_agg(json_build_array(p.amount_ore, p.repaid_on, p.recorded_at) order by p.repaid_on)
        from repayment p where p.association_id = i.association_id and p.intervention_id = i.id)::text as repayments,
      (select json_agg(json_build_array(r.kind, r.template_key, r.status, r.version, r.submitted_at,
          r.submitted_by_label, r.arrival_date, r.registry_number, r.decided_at, r.decided_by_label, r.decision_comment,
          r.created_at, r.updated_at, r.answers) order by r.created_at)
        from report r where r.association_id = i.association_id and r.intervention_id = i.id)::text as reports
    from intervention i
    join association a on a.id = i.association_id
    join organisation o on o.association_id = i.association_id and o.id = i.owner_organisation_id
    where a.slug like ${like} order by a.slug, i.name`.execute(db);
  const organisationNames = new Map(
    (await db.selectFrom("organisation").select(["id", "name"]).execute()).map((o) => [o.id, o.name]),
  );
  const templateDefaults = await db
    .selectFrom("report_template_default as d")
    .innerJoin("association as a", "a.id", "d.association_id")
    .select(["a.slug", "d.kind", "d.template_key"])
    .where("a.slug", "like", like)
    .orderBy("a.slug")
    .execute();
  // Deltagare by their pseudonym numbers, with their enrolments by insats name: a digest per association.
  const participants = await sql<{ slug: string; persons: number; digest: string }>`
    select a.slug, count(distinct p.id)::int as persons, md5(string_agg(concat_ws('|', p.number, p.gender, p.birth_year,
      encode(p.identity_hash, 'hex'), p.created_at, i.name, e.enrolled_on, m.name, e.income_source_at_enrolment,
      e.consent_on, e.exited_on, e.exit_reason, e.income_source_at_exit, e.created_at, e.version), ','
      order by p.number, e.enrolled_on, i.name)) as digest
    from participant p join association a on a.id = p.association_id
    join enrolment e on e.association_id = p.association_id and e.participant_id = p.id
    join intervention i on i.association_id = e.association_id and i.id = e.intervention_id
    left join member m on m.association_id = e.association_id and m.id = e.referrer_member_id
    where a.slug like ${like} group by a.slug order by a.slug`.execute(db);
  return {
    members,
    users,
    participants: participants.rows,
    audit: audit.rows,
    organisations,
    interventions: interventions.rows.map(
      (row): Record<string, unknown> => ({
        ...row,
        // Reports refer to parties by the organisations' generated ids; their names are the same in every database.
        reports: JSON.parse(
          (row.reports as string | null)?.replace(UUID, (id) => organisationNames.get(id)!) ?? "null",
        ),
      }),
    ),
    templateDefaults,
  };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

describe("synthetic data helpers", () => {
  it("splits a total exactly by the largest remainder", () => {
    expect(largestRemainder(2500, [1, 1, 1])).toEqual([834, 833, 833]);
    expect(largestRemainder(2500, [3, 1])).toEqual([1875, 625]);
    expect(largestRemainder(10, [1, 2, 3, 4]).reduce((a, b) => a + b)).toBe(10);
  });

  it("draws the same numbers for the same key", () => {
    const draw = (key: string) => Array.from({ length: 5 }, createRng(key).next);
    expect(draw("a")).toEqual(draw("a"));
    expect(draw("a")).not.toEqual(draw("b"));
  });
});

describeEachDatabase("synthetic data", (database, target) => {
  it("gives the same data for the same seed in another database, and other data for another seed", async () => {
    const { db } = database();
    expect(await synthesize(db, { associations: 3, seed: 7, now, ...small })).toEqual({ associations: 3 });
    const first = await synthData(db, 7);
    expect(first.users).toHaveLength(15);
    expect(first.audit).toHaveLength(3);
    expect(JSON.parse(first.audit[0]!.entries).length).toBeGreaterThanOrEqual(200);
    expect(first.interventions).toHaveLength(3 * 8 * 4);
    expect(first.interventions.filter((i) => i.requisitions !== null).length).toBeGreaterThan(20);
    expect(first.interventions.filter((i) => i.reports !== null).length).toBeGreaterThan(20);
    expect(first.templateDefaults).toHaveLength(3);
    expect(first.participants.map((p) => p.persons)).toEqual([1000, 1000, 1000]);

    const other = await openTestDatabase(target);
    try {
      await synthesize(other.db, { associations: 3, seed: 7, now, ...small });
      expect(await synthData(other.db, 7)).toEqual(first);
      await synthesize(other.db, { associations: 3, seed: 8, now, ...small });
      const second = await synthData(other.db, 8);
      expect(second.members.map((m) => m.name)).not.toEqual(first.members.map((m) => m.name));
      expect(second.interventions.map((i) => [i.name, i.grants])).not.toEqual(
        first.interventions.map((i) => [i.name, i.grants]),
      );
    } finally {
      await other.close();
    }
  });

  it("gives every association funding shares that follow the law", async () => {
    const { db } = database();
    await synthesize(db, { associations: 5, seed: 11, now, interventionsPerYear: 0, years: 0 });
    const { members } = await synthData(db, 11);
    const slugs = [...new Set(members.map((m) => m.slug))];
    expect(slugs).toHaveLength(5);
    for (const slug of slugs) {
      const own = members.filter((m) => m.slug === slug);
      expect(own.filter((m) => m.type === "kommun").length).toBeGreaterThanOrEqual(2);
      expect(checkFundingShares(own).problems).toEqual([]);
    }
  });

  it("adds only what is missing when run again", async () => {
    const { db } = database();
    await synthesize(db, { associations: 2, seed: 12, now, ...small });
    const before = await synthData(db, 12);
    expect(await synthesize(db, { associations: 2, seed: 12, now, ...small })).toEqual({ associations: 0 });
    expect(await synthData(db, 12)).toEqual(before);
    expect(await synthesize(db, { associations: 3, seed: 12, now, ...small })).toEqual({ associations: 1 });
    const after = await synthData(db, 12);
    expect(after.members.filter((m) => m.slug !== "synth-12-3")).toEqual(before.members);
    expect(after.interventions.filter((i) => i.slug !== "synth-12-3")).toEqual(before.interventions);
  });

  it("keeps statuses, periods, grants and requisitions consistent with each other and with now", async () => {
    const { db } = database();
    await synthesize(db, { associations: 2, seed: 13, now, interventionsPerYear: 12, years: 5 });
    const rows = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows;
    const synthetic = sql`(select id from association where slug like 'synth-13-%')`;

    const statuses = await rows<{ status: string; n: number }>(sql`
      select status, count(*)::int as n from intervention where association_id in ${synthetic} group by status`);
    const count = (status: string) => statuses.find((s) => s.status === status)?.n ?? 0;
    expect(count("final_report_approved")).toBeGreaterThan(40);
    expect(count("ongoing")).toBeGreaterThan(5);
    expect(statuses.reduce((sum, s) => sum + s.n, 0)).toBe(2 * 12 * 5);

    // Dates against now: nothing finished before its end, nothing running before its start or after `now`.
    expect(
      await rows(sql`select name, status, start_date, end_date from intervention where association_id in ${synthetic} and (
        end_date < start_date
        or (status in ('ended', 'final_report_submitted', 'final_report_approved') and end_date >= ${today})
        or (status = 'ongoing' and start_date >= ${today})
        or (status = 'granted' and start_date < ${today})
        or created_at > ${now} or updated_at > ${now})`),
    ).toEqual([]);

    // The status history starts as a draft, makes only legal moves and ends in the current status.
    type Move = [InterventionStatus | null, InterventionStatus, string];
    const histories = await rows<{ name: string; status: string; moves: Move[] }>(sql`
      select i.name, i.status, json_agg(json_build_array(c.from_status, c.to_status, c.changed_at)
        order by c.changed_at) as moves
      from intervention i join intervention_status_change c
        on c.association_id = i.association_id and c.intervention_id = i.id
      where i.association_id in ${synthetic} group by i.association_id, i.id, i.name, i.status`);
    expect(histories).toHaveLength(2 * 12 * 5);
    for (const { name, status, moves } of histories) {
      expect(moves[0]!.slice(0, 2), name).toEqual([null, "draft"]);
      for (const [from, to] of moves.slice(1)) {
        expect(findTransition(from!, to), `${name}: ${from} → ${to}`).toBeDefined();
      }
      expect(moves.slice(1).map(([from]) => from)).toEqual(moves.slice(0, -1).map(([, to]) => to));
      expect(moves.at(-1)![1], name).toBe(status);
      expect(new Date(moves.at(-1)![2]).getTime()).toBeLessThanOrEqual(now.getTime());
    }

    // Granted insatser have a grant for each year of their period and no other; the rest have none.
    expect(
      await rows(sql`select i.name, i.status, g.year from intervention i
        left join intervention_grant g on g.association_id = i.association_id and g.intervention_id = i.id
        where i.association_id in ${synthetic} and (
          (g.year is not null and (i.status in ('draft', 'submitted', 'in_preparation', 'rejected')
            or g.year not between extract(year from i.start_date) and extract(year from i.end_date)
            or g.amount_ore not between 100 and 300000000))
          or (g.year is null and i.status not in ('draft', 'submitted', 'in_preparation', 'rejected')))`),
    ).toEqual([]);
    expect(
      await rows(sql`select i.name from intervention i where i.association_id in ${synthetic}
        and i.status not in ('draft', 'submitted', 'in_preparation', 'rejected')
        and (select count(*) from intervention_grant g where g.association_id = i.association_id
          and g.intervention_id = i.id) <> extract(year from i.end_date) - extract(year from i.start_date) + 1`),
    ).toEqual([]);

    // The applied budget is at least the grant, and at most what a cut of 20 % leaves.
    expect(
      await rows(sql`select i.name, g.year, g.amount_ore, sum(b.amount_ore) as budget from intervention i
        join intervention_grant g on g.association_id = i.association_id and g.intervention_id = i.id
        join intervention_budget b on b.association_id = g.association_id and b.intervention_id = g.intervention_id
          and b.year = g.year
        where i.association_id in ${synthetic} group by i.name, g.year, g.amount_ore
        having sum(b.amount_ore) < g.amount_ore or sum(b.amount_ore) * 0.8 > g.amount_ore + 100000`),
    ).toEqual([]);

    // Requisitions: within the period and one calendar year, claimed after the quarter and decided before now.
    expect(
      await rows(sql`select i.name, r.period_start, r.period_end, r.status from requisition r
        join intervention i on i.association_id = r.association_id and i.id = r.intervention_id
        where r.association_id in ${synthetic} and (
          r.period_start < i.start_date or r.period_end > i.end_date
          or extract(year from r.period_start) <> extract(year from r.period_end)
          or r.submitted_at <= r.period_end or r.submitted_at > ${now}
          or (r.status = 'submitted') <> (r.decided_at is null)
          or r.decided_at > ${now} or r.decided_at < r.submitted_at
          or i.status in ('draft', 'submitted', 'in_preparation', 'rejected', 'granted'))`),
    ).toEqual([]);
    const requisitions = await rows<{ status: string; n: number }>(sql`
      select status, count(*)::int as n from requisition where association_id in ${synthetic} group by status`);
    const approved = requisitions.find((r) => r.status === "approved")?.n ?? 0;
    expect(approved).toBeGreaterThan(0.9 * requisitions.reduce((sum, r) => sum + r.n, 0));

    // Approved requisitions stay within the grant, unless the approval says why.
    const money = await rows<{ name: string; granted: string; used: string; reasons: number; repaid: string }>(sql`
      select i.name,
        (select coalesce(sum(g.amount_ore), 0) from intervention_grant g
          where g.association_id = i.association_id and g.intervention_id = i.id)::text as granted,
        (select coalesce(sum(l.amount_ore), 0) from requisition r join requisition_line l
          on l.association_id = r.association_id and l.requisition_id = r.id
          where r.association_id = i.association_id and r.intervention_id = i.id and r.status = 'approved')::text
          as used,
        (select count(*) from requisition r where r.association_id = i.association_id and r.intervention_id = i.id
          and r.over_grant_reason is not null)::int as reasons,
        (select coalesce(sum(p.amount_ore), 0) from repayment p
          where p.association_id = i.association_id and p.intervention_id = i.id)::text as repaid
      from intervention i where i.association_id in ${synthetic}`);
    const over = money.filter((m) => BigInt(m.used) > BigInt(m.granted));
    expect(over.filter((m) => m.reasons === 0)).toEqual([]);
    expect(over.length).toBeLessThan(0.1 * money.length);
    expect(money.filter((m) => m.repaid !== "0" && BigInt(m.repaid) > BigInt(m.granted) - BigInt(m.used))).toEqual([]);
    expect(money.some((m) => m.repaid !== "0")).toBe(true);

    // One overall goal first, one to four sub-goals; attainment is assessed only in a slutrapport.
    expect(
      await rows(sql`select i.name, i.status, json_agg(json_build_array(g.level, g.status) order by g.position) as goals
        from intervention i join intervention_goal g on g.association_id = i.association_id and g.intervention_id = i.id
        where i.association_id in ${synthetic} group by i.association_id, i.id, i.name, i.status
        having count(*) not between 2 and 5
          or bool_or(g.level = 'overall' and g.position <> 1) or bool_or(g.level = 'sub' and g.position = 1)
          or bool_or(g.status <> 'not_assessed') <> (i.status in ('final_report_submitted', 'final_report_approved'))
          or bool_or(g.status = 'not_assessed') and i.status in ('final_report_submitted', 'final_report_approved')`),
    ).toEqual([]);
  });

  it("gives a slutrapport to each insats that handed one in, and a delrapport to some long-running ones", async () => {
    const { db } = database();
    await synthesize(db, { associations: 6, seed: 15, now, ...small });
    const rows = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows;
    const synthetic = sql`(select id from association where slug like 'synth-15-%')`;

    // At most one slutrapport per insats, exactly for those whose history reached final_report_submitted, with the
    // status the insats's status implies, handed in and decided when the history says.
    expect(
      await rows(sql`select intervention_id from report where association_id in ${synthetic} and kind = 'final'
        group by association_id, intervention_id having count(*) > 1`),
    ).toEqual([]);
    expect(
      await rows(sql`select i.name, i.status, r.status as report_status from intervention i
        left join report r on r.association_id = i.association_id and r.intervention_id = i.id and r.kind = 'final'
        where i.association_id in ${synthetic} and (
          (r.id is not null) <> exists (select from intervention_status_change c where c.association_id = i.association_id
            and c.intervention_id = i.id and c.to_status = 'final_report_submitted')
          or coalesce(r.status = 'approved', false) <> (i.status = 'final_report_approved')
          or coalesce(r.status = 'submitted', false) <> (i.status = 'final_report_submitted')
          or coalesce(r.status = 'returned', false) <> (i.status = 'ended' and r.id is not null)
          or r.submitted_at <> (select max(c.changed_at) from intervention_status_change c
            where c.association_id = i.association_id and c.intervention_id = i.id
              and c.to_status = 'final_report_submitted')
          or r.decided_at is distinct from (select max(c.changed_at) from intervention_status_change c
            where c.association_id = i.association_id and c.intervention_id = i.id
              and c.from_status = 'final_report_submitted'))`),
    ).toEqual([]);
    // Delrapporter: approved, of insatser ongoing for over a year.
    expect(
      await rows(sql`select i.name, i.status, i.start_date, r.status from report r
        join intervention i on i.association_id = r.association_id and i.id = r.intervention_id
        where r.association_id in ${synthetic} and r.kind = 'interim'
          and (i.status <> 'ongoing' or r.status <> 'approved' or i.start_date > ${today}::date - 365)`),
    ).toEqual([]);
    // Started, handed in, decided in that order and before now; registered with a number a few days after it was
    // first handed in.
    expect(
      await rows(sql`select r.kind, r.status, r.created_at, r.submitted_at, r.arrival_date, r.decided_at, r.updated_at
        from report r, lateral (select coalesce(min(c.changed_at), r.submitted_at) as at
          from intervention_status_change c where c.association_id = r.association_id
            and c.intervention_id = r.intervention_id and c.to_status = 'final_report_submitted') first_handed_in
        where r.association_id in ${synthetic} and (
          r.created_at >= first_handed_in.at or r.updated_at > ${now} or r.decided_at > ${now}
          or (r.status = 'approved' and r.decided_at < r.submitted_at)
          or r.arrival_date not between first_handed_in.at::date and first_handed_in.at::date + 6
          or r.arrival_date > ${today} or (r.registry_number is null) <> (r.arrival_date is null)
          or r.registry_number !~ ('^SF ' || extract(year from r.arrival_date) || '/[0-9]+$')
          or r.updated_at < greatest(r.submitted_at, r.decided_at, r.arrival_date))`),
    ).toEqual([]);
    // One diarium per association: no registry number twice among applications and reports.
    expect(
      await rows(sql`select association_id, registry_number from (
          select association_id, registry_number from report union all
          select association_id, registry_number from intervention) registered
        where association_id in ${synthetic} and registry_number is not null
        group by association_id, registry_number having count(*) > 1`),
    ).toEqual([]);

    // Written on the association's default template, copied whole; the answers pass the checks of handing in, with
    // the money used by then, and the cost table adds up to the budget and the requisitions approved by then.
    type Row = {
      template_key: string;
      default_key: string;
      template: unknown;
      answers: unknown;
      granted: string;
      used: string;
      budget: string;
    };
    const reports = await rows<Row>(sql`
      select r.template_key, d.template_key as default_key, r.template, r.answers,
        (select coalesce(sum(g.amount_ore), 0) from intervention_grant g
          where g.association_id = r.association_id and g.intervention_id = r.intervention_id)::text as granted,
        (select coalesce(sum(l.amount_ore), 0) from requisition q join requisition_line l
          on l.association_id = q.association_id and l.requisition_id = q.id
          where q.association_id = r.association_id and q.intervention_id = r.intervention_id
            and q.status = 'approved' and q.decided_at <= r.submitted_at)::text as used,
        (select coalesce(sum(b.amount_ore), 0) from intervention_budget b
          where b.association_id = r.association_id and b.intervention_id = r.intervention_id)::text as budget
      from report r join report_template_default d on d.association_id = r.association_id and d.kind = 'final'
      where r.association_id in ${synthetic} order by r.created_at`);
    expect(reports.length).toBeGreaterThan(60);
    expect(new Set(reports.map((r) => r.template_key)).size).toBe(builtinTemplates.length);
    let costTables = 0;
    for (const report of reports) {
      expect(report.template_key).toBe(report.default_key);
      const template = templateVersion.parse(report.template);
      expect(template).toEqual(findBuiltinTemplate(report.template_key));
      expect(validateAnswers(template, report.answers, { mode: "draft" })).toEqual({});
      const amounts = { grantedOre: report.granted, usedOre: report.used };
      expect(validateAnswers(template, report.answers, { mode: "submit", amounts })).toEqual({});
      const costs = (report.answers as ReportAnswers).costs?.value as AnswerValue<"cost_table"> | undefined;
      if (!costs) continue;
      costTables++;
      const totals = costTotals(costs.rows);
      expect(totals.budgetOre).toBe(BigInt(report.budget));
      expect(totals.outcomeOre ?? 0n).toBe(BigInt(report.used));
    }
    expect(costTables).toBeGreaterThan(10);
  });

  it("creates about 40 insatser a year over ten years per association by default, as for the national scale", async () => {
    expect(nationalScale).toEqual({ associations: 80, interventionsPerYear: 40, years: 10 });
    const { db } = database();
    await synthesize(db, { associations: 1, seed: 14, now });
    const perYear = await sql<{ year: number; n: number; individual: number }>`
      select extract(year from i.start_date)::int as year, count(*)::int as n,
        count(*) filter (where i.kind = 'individual')::int as individual
      from intervention i join association a on a.id = i.association_id
      where a.slug = 'synth-14-1' group by 1 order by 1`.execute(db);
    expect(perYear.rows.reduce((sum, row) => sum + row.n, 0)).toBe(400);
    const fullYears = perYear.rows.filter((row) => row.year > 2016 && row.year < 2026);
    expect(fullYears).toHaveLength(9);
    for (const row of fullYears) expect(row.n, String(row.year)).toBeGreaterThanOrEqual(25);
    for (const row of fullYears) expect(row.n, String(row.year)).toBeLessThanOrEqual(60);
    const individual = perYear.rows.reduce((sum, row) => sum + row.individual, 0) / 400;
    expect(individual).toBeGreaterThan(0.6);
    expect(individual).toBeLessThan(0.8);

    const interim = await sql<{ eligible: number; reported: number }>`
      select count(*)::int as eligible, count(r.id)::int as reported from intervention i
      join association a on a.id = i.association_id
      left join report r on r.association_id = i.association_id and r.intervention_id = i.id and r.kind = 'interim'
      where a.slug = 'synth-14-1' and i.status = 'ongoing' and i.start_date <= ${today}::date - 365`.execute(db);
    const { eligible, reported } = interim.rows[0]!;
    // About 30 %, of a few dozen.
    expect(reported / eligible).toBeGreaterThan(0.1);
    expect(reported / eligible).toBeLessThan(0.5);
  });

  it("enrols deltagare in started individinriktade insatser with plausible shares and consistent dates", async () => {
    const { db } = database();
    await synthesize(db, { associations: 2, seed: 16, now, ...small });
    const rows = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows;
    const synthetic = sql`(select id from association where slug like 'synth-16-%')`;

    const [persons] = await rows<{ n: number; women: number; men: number; two: number; identities: number }>(sql`
      select count(*)::int as n, (count(*) filter (where gender = 'woman'))::float8 / count(*) as women,
        (count(*) filter (where gender = 'man'))::float8 / count(*) as men,
        (select count(*) from participant_identity where association_id in ${synthetic})::int as identities,
        (select count(*) from (select participant_id from enrolment where association_id in ${synthetic}
          group by participant_id having count(*) = 2) x)::float8 / count(*) as two
      from participant where association_id in ${synthetic}`);
    // 31.25 per insats: 1 000 each for 32 insatser, as 12 500 for the national 400.
    expect(persons!.n).toBe(2 * 1000);
    expect(persons!.women).toBeGreaterThan(0.45);
    expect(persons!.women).toBeLessThan(0.6);
    expect(persons!.men).toBeGreaterThan(0.38);
    expect(persons!.two).toBeGreaterThan(0.04);
    expect(persons!.two).toBeLessThan(0.16);
    expect(persons!.identities).toBe(0);

    const [shares] = await rows<{ active: number; work: number; studies: number; aged: number }>(sql`
      select avg((e.exited_on is null)::int)::float8 as active,
        avg((e.exit_reason in ('arbete', 'arbete_med_stod'))::int) filter (where e.exited_on is not null)::float8
          as work,
        avg((e.exit_reason = 'studier')::int) filter (where e.exited_on is not null)::float8 as studies,
        avg((extract(year from e.enrolled_on) - p.birth_year between 20 and 40)::int)::float8 as aged
      from enrolment e join participant p on p.association_id = e.association_id and p.id = e.participant_id
      where e.association_id in ${synthetic}`);
    // Four years of history leave more still enrolled than the national ten (about 11 %).
    expect(shares!.active).toBeGreaterThan(0.1);
    expect(shares!.active).toBeLessThan(0.4);
    expect(shares!.work).toBeGreaterThan(0.22);
    expect(shares!.work).toBeLessThan(0.38);
    expect(shares!.studies).toBeGreaterThan(0.07);
    expect(shares!.studies).toBeLessThan(0.17);
    expect(shares!.aged).toBeGreaterThan(0.5);

    // Every enrolment lies in a started individual insats's period and before now, exits follow enrolments within
    // 1–24 months, ages are 16–64, referrers are the association's members, and the pseudonym numbers run on.
    expect(
      await rows(sql`select e.id from enrolment e
        join intervention i on i.association_id = e.association_id and i.id = e.intervention_id
        join participant p on p.association_id = e.association_id and p.id = e.participant_id
        left join member m on m.association_id = e.association_id and m.id = e.referrer_member_id
        where e.association_id in ${synthetic} and (i.kind <> 'individual'
          or e.enrolled_on < i.start_date or e.enrolled_on > i.end_date or e.enrolled_on >= ${today}::date
          or e.exited_on < e.enrolled_on + 30 or e.exited_on > least(i.end_date, e.enrolled_on + 730)
          or e.exited_on >= ${today}::date or e.consent_on > e.enrolled_on
          or extract(year from e.enrolled_on) - p.birth_year not between 16 and 64
          or e.referrer_member_id is not null and m.id is null)`),
    ).toEqual([]);
    expect(
      await rows(sql`select s.association_id from participant_settings s where s.association_id in ${synthetic}
        and s.last_number <> (select max(number) from participant p where p.association_id = s.association_id)`),
    ).toEqual([]);
  });

  it("refuses a seed that cannot name an association, and a scale that is not whole years and insatser", async () => {
    await expect(synthesize(database().db, { associations: 1, seed: -1, ...small })).rejects.toThrow(/seed/);
    await expect(synthesize(database().db, { associations: 1, seed: Number.NaN, ...small })).rejects.toThrow(/seed/);
    await expect(synthesize(database().db, { associations: 1, seed: 1, ...small, years: 1.5 })).rejects.toThrow(
      /years/,
    );
  });
});
