import { expect, it } from "vitest";
import { insertMember } from "../../src/associations/repository.js";
import { inAssociation } from "../../src/platform/db/scope.js";
import { describeEachDatabase } from "../support/database.js";
import { buildUser } from "../support/factories.js";
import { bearer } from "../support/http.js";
import { interventionScenario } from "../support/scenario.js";
import { snapshotData } from "../support/snapshot.js";

/** Formatted amounts use non-breaking spaces and a real minus sign; tests compare them as plain text. */
const plain = (text: string) =>
  text
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/\u2212/g, "-")
    .replace(/&quot;/g, '"');

/** The fields of the form posting to `action` as a browser would send them: inputs' values and selected options. */
function formFields(html: string, action: string): Record<string, string> {
  const form = new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html)?.[1];
  if (!form) throw new Error(`no form for ${action}`);
  const fields: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1];
    if (name && name !== "_csrf") fields[name] = /value="([^"]*)"/.exec(input)?.[1] ?? "";
  }
  for (const [, name, options] of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    fields[name as string] = /<option value="([^"]*)" selected/.exec(options as string)?.[1] ?? "";
  }
  return fields;
}

const kr = (kronor: number) => kronor * 100;

/** The API's answers as this test reads them: a year, a list of years, or a problem. */
type Answer = {
  version: number;
  decidedDifferenceOre: number;
  members: { memberId: string; instalments: unknown[] }[];
  items: { year: number }[];
  errors: { detail: string }[];
};

describeEachDatabase("medlemsbidrag över HTTP", (database) => {
  /**
   * The seeds' T6 members (names fictional): the state half, the region a quarter, and the kommuner's quarter split
   * 1 450 000 : 76 000 as 23,75 % and 1,25 % of the whole. The scenario's Exempelby kommun is the small one.
   */
  const setup = async () => {
    const scenario = await interventionScenario(database());
    const { db, association } = scenario;
    const ids = await db.transaction().execute(async (tx) => {
      await tx
        .updateTable("member")
        .set({ funding_share_basis_points: 125 })
        .where("association_id", "=", association.id)
        .execute();
      const add = (name: string, type: "fk" | "region" | "kommun", share: number) =>
        insertMember(tx, association.id, { name, type, fundingShareBasisPoints: share }).then((row) => row.id);
      return {
        fk: await add("Försäkringskassan", "fk", 5000),
        region: await add("Region Norrlandet", "region", 2500),
        kustby: await add("Kustby kommun", "kommun", 2375),
      };
    });
    const exempelby = await db
      .selectFrom("member")
      .select("id")
      .where("association_id", "=", association.id)
      .where("name", "=", "Exempelby kommun")
      .executeTakeFirstOrThrow();
    const pages = `${scenario.base}/economy/contributions`;
    return { ...scenario, ids: { ...ids, exempelby: exempelby.id }, pages };
  };

  it("lays up 2014, shows the law's split and the state's −38 000 kr, and keeps the user's values on 422 and 409", async () => {
    const { db, officer, browser, pages } = await setup();
    const user = await browser(officer);
    expect((await user.get(pages)).status).toBe(200);

    const created = await user.post(pages, { year: "2014", total: "6 028 000" });
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toBe(`${pages}/2014`);
    let html = plain(await (await user.get(`${pages}/2014`)).text());
    for (const amount of ["3 014 000 kr", "1 507 000 kr", "1 431 650 kr", "75 350 kr"]) expect(html).toContain(amount);

    const fields = formFields(html, `${pages}/2014`);
    expect(fields["members.0.fundingShare"]).toBe("50");
    expect(fields["members.2.fundingShare"]).toBe("1,25");
    const decided = {
      "members.0.decidedOre": "2 976 000",
      "members.1.decidedOre": "1 526 000",
      "members.2.decidedOre": "76 000",
      "members.3.decidedOre": "1 450 000",
    };
    const saved = await user.post(`${pages}/2014`, { ...fields, ...decided });
    expect(saved.status).toBe(303);
    html = plain(await (await user.get(`${pages}/2014`)).text());
    const fkRow = /<tr><th scope="row">Försäkringskassan[\s\S]*?<\/tr>/.exec(html)?.[0] ?? "";
    expect(fkRow).toContain("3 014 000 kr");
    expect(fkRow).toContain('value="2 976 000"');
    expect(fkRow).toContain("-38 000 kr");
    expect(html).toContain("Beslutade belopp 6 028 000 kr mot totalen 6 028 000 kr: skillnad 0 kr.");

    const current = formFields(html, `${pages}/2014`);
    const before = await snapshotData(db);
    const refused = await user.post(`${pages}/2014`, { ...current, "members.0.fundingShare": "49" });
    expect(refused.status).toBe(422);
    const refusedHtml = plain(await refused.text());
    expect(refusedHtml).toContain("Andelarna ska tillsammans bli 100,00 % men blir 99,00 %.");
    expect(formFields(refusedHtml, `${pages}/2014`)["members.0.fundingShare"]).toBe("49");
    expect(await snapshotData(db)).toEqual(before);

    const stale = { ...fields, ...decided, "members.0.decidedOre": "2 900 000" };
    const conflict = await user.post(`${pages}/2014`, stale);
    expect(conflict.status).toBe(409);
    const conflictHtml = plain(await conflict.text());
    expect(conflictHtml).toContain("Någon annan har ändrat 2014");
    expect(formFields(conflictHtml, `${pages}/2014`)["members.0.decidedOre"]).toBe("2 900 000");
    expect(await snapshotData(db)).toEqual(before);

    const list = plain(await (await user.get(pages)).text());
    expect(list).toContain(`<a href="${pages}/2014">2014</a>`);
    expect(list).toContain("6 028 000 kr");
  });

  it("records an instalment as paid from the page, and it shows as betald", async () => {
    const { officer, browser, pages, ids } = await setup();
    const user = await browser(officer);
    await user.post(pages, { year: "2014", total: "6 028 000" });
    const field = (name: string) => `invoice-${ids.region}-1-${name}`;
    const bad = await user.post(`${pages}/2014/invoices`, {
      memberId: ids.region,
      instalment: "1",
      [field("invoicedOn")]: "",
      [field("paidOn")]: "2014-02-01",
    });
    expect(bad.status).toBe(422);
    expect(plain(await bad.text())).toContain("Ange när delbetalningen fakturerades.");

    const recorded = await user.post(`${pages}/2014/invoices`, {
      memberId: ids.region,
      instalment: "1",
      [field("invoicedOn")]: "2014-01-10",
      [field("paidOn")]: "2014-01-28",
    });
    expect(recorded.status).toBe(303);
    const html = plain(await (await user.get(`${pages}/2014`)).text());
    const table = /<caption>Region Norrlandet:[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    expect(table).toContain("Betald");
    expect(table).toContain("Fakturerat 1 507 000 kr, betalt 1 507 000 kr");
  });

  it("saves, refuses and reads years through the API, with a mid-year member in a leap year", async () => {
    const { db, app, association, officer, token, api, ids } = await setup();
    const secret = await token(officer.id);
    const call = async (method: string, path: string, body?: unknown) => {
      const init = bearer(secret, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
      const response = await app.request(`${api}${path}`, init);
      const json = (await response.json()) as Answer;
      return { status: response.status, type: response.headers.get("content-type"), json };
    };
    const members = (share: Record<string, number>, extra: Record<string, object> = {}) =>
      Object.entries(ids).map(([key, memberId]) => ({
        memberId,
        fundingShareBasisPoints: share[key],
        memberFrom: null,
        decidedOre: null,
        invoicing: "yearly",
        ...extra[key],
      }));

    const t6 = { fk: 5000, region: 2500, kustby: 2375, exempelby: 125 };
    let response = await call("PUT", "/economy/contributions/2014", {
      totalOre: kr(6_028_000),
      version: 0,
      members: members(t6, { fk: { decidedOre: kr(2_976_000) } }),
    });
    expect(response.status).toBe(200);
    const fk = response.json.members.find((m) => m.memberId === ids.fk);
    expect(fk).toMatchObject({ expectedOre: kr(3_014_000), decidedOre: kr(2_976_000), differenceOre: kr(-38_000) });
    expect(response.json.decidedDifferenceOre).toBe(kr(2_976_000) - kr(6_028_000));

    const stale = await call("PUT", "/economy/contributions/2014", {
      totalOre: kr(6_028_000),
      version: 0,
      members: members(t6),
    });
    expect(stale.status).toBe(409);
    expect(stale.type).toContain("application/problem+json");

    const before = await snapshotData(db);
    const wrong = await call("PUT", "/economy/contributions/2014", {
      totalOre: kr(6_028_000),
      version: response.json.version,
      members: members({ ...t6, fk: 4900 }),
    });
    expect(wrong.status).toBe(422);
    expect(wrong.type).toContain("application/problem+json");
    expect(wrong.json.errors.map((e) => plain(e.detail))).toContain(
      "Andelarna ska tillsammans bli 100,00 % men blir 99,00 %.",
    );
    expect(await snapshotData(db)).toEqual(before);

    const newcomer = await db
      .transaction()
      .execute((tx) =>
        insertMember(tx, association.id, { name: "Nyby kommun", type: "kommun", fundingShareBasisPoints: 0 }),
      );
    response = await call("PUT", "/economy/contributions/2020", {
      totalOre: kr(6_104_000),
      version: 0,
      members: [
        ...members({ ...t6, kustby: 2300, exempelby: 100 }),
        {
          memberId: newcomer.id,
          fundingShareBasisPoints: 100,
          memberFrom: "2020-07-01",
          decidedOre: null,
          invoicing: "quarterly",
        },
      ],
    });
    expect(response.status).toBe(200);
    const nyby = response.json.members.find((m) => m.memberId === newcomer.id);
    expect(nyby?.instalments).toEqual([
      { instalment: 3, dueOn: "2020-07-31", amountOre: kr(30_520), invoicedOn: null, paidOn: null, status: "overdue" },
      { instalment: 4, dueOn: "2020-10-31", amountOre: kr(30_520), invoicedOn: null, paidOn: null, status: "overdue" },
    ]);
    const months = await inAssociation(db, association.id, (tx) =>
      tx
        .selectFrom("budget_amount")
        .innerJoin("budget_line", "budget_line.id", "budget_amount.line_id")
        .select(["budget_amount.month", "budget_amount.amount_ore"])
        .where("budget_line.member_id", "=", newcomer.id)
        .where("budget_amount.year", "=", 2020)
        .where("budget_amount.scenario", "=", "budget")
        .orderBy("budget_amount.month")
        .execute(),
    );
    expect(months.slice(0, 6).map((row) => row.amount_ore)).toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
    expect(months.slice(6).reduce((sum, row) => sum + row.amount_ore, 0n)).toBe(BigInt(kr(61_040)));

    const paid = await call("POST", `/economy/contributions/2020/invoices/${newcomer.id}/3`, {
      invoicedOn: "2020-07-01",
      paidOn: "2020-07-20",
    });
    expect(paid.status).toBe(200);
    expect(paid.json).toMatchObject({ instalment: 3, status: "paid", paidOn: "2020-07-20" });

    const years = await call("GET", "/economy/contributions");
    expect(years.json.items.map((item) => item.year)).toEqual([2020, 2014]);
    expect(years.json.items[0]).toMatchObject({ totalOre: kr(6_104_000), paidOre: kr(30_520) });
  });

  it("keeps owner_contact out of the pages and the API, and shows the board the year read-only", async () => {
    const { db, app, association, officer, contactX, browser, token, api, pages } = await setup();
    await (await browser(officer)).post(pages, { year: "2014", total: "6 028 000" });
    const contact = await browser(contactX);
    for (const path of [pages, `${pages}/2014`]) expect([403, 404]).toContain((await contact.get(path)).status);
    expect([403, 404]).toContain((await contact.post(`${pages}/2014`, {})).status);
    const secret = await token(contactX.id);
    for (const path of ["/economy/contributions", "/economy/contributions/2014"]) {
      expect([403, 404]).toContain((await app.request(`${api}${path}`, bearer(secret))).status);
    }

    const board = await buildUser(db, { associationId: association.id, role: "board" });
    const html = plain(await (await (await browser(board)).get(`${pages}/2014`)).text());
    expect(html).toContain("3 014 000 kr");
    expect(html).not.toContain('name="members.0.decidedOre"');
  });
});
