import { expect, it } from "vitest";
import { replaceGrants } from "../../src/interventions/repository.js";
import { formatKronor } from "../../src/platform/ui/format.js";
import { decideRequisition, insertRepayment, insertRequisition } from "../../src/requisitions/repository.js";
import { describeEachDatabase } from "../support/database.js";
import { buildIntervention, buildUser } from "../support/factories.js";
import { bearer } from "../support/http.js";
import { interventionScenario } from "../support/scenario.js";
import { readXlsx } from "../support/xlsx-cells.js";

const kr = (kronor: number) => formatKronor(BigInt(kronor) * 100n);

/** The page's table as text, row by row: header, body rows, footer; tags stripped from each cell. */
function tableOf(html: string): string[][] {
  const table = /<table>[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
    [...row!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => cell!.replace(/<[^>]+>/g, "").trim()),
  );
}

describeEachDatabase("portföljöversikt", (database) => {
  /**
   * Two insatser: Alfa (X, 250 000 kr for 2026 and 300 000 kr for 2027) with approved, submitted and returned
   * requisitions and a repayment made in 2027, and Beta (Y, structural, 250 000 kr for 2026) requisitioned beyond its
   * grant.
   */
  const setup = async () => {
    const scenario = await interventionScenario(database());
    const { db, association, officer, ownerX, ownerY } = scenario;
    const alfa = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerX.id,
      name: "Alfa arbetsträning",
      status: "ongoing",
    });
    const beta = await buildIntervention(db, association.id, {
      ownerOrganisationId: ownerY.id,
      name: "Beta samverkan",
      status: "ongoing",
    });
    const user = { id: officer.id, name: officer.name };
    await db.transaction().execute(async (tx) => {
      await tx.updateTable("intervention").set({ kind: "structural" }).where("id", "=", beta.id).execute();
      await replaceGrants(tx, association.id, alfa.id, [
        { year: 2026, amountOre: 25_000_000n },
        { year: 2027, amountOre: 30_000_000n },
      ]);
      const requisition = async (
        interventionId: string,
        periodStart: string,
        periodEnd: string,
        kronor: number[],
        decision?: "approved" | "returned",
      ) => {
        const lines = kronor.map((amount, index) => ({
          costCategory: (["salaries", "premises", "material"] as const)[index]!,
          amountOre: BigInt(amount) * 100n,
        }));
        const row = await insertRequisition(
          tx,
          association.id,
          interventionId,
          { periodStart, periodEnd, lines },
          user,
        );
        if (decision) await decideRequisition(tx, association.id, row.id, { status: decision, user });
      };
      await requisition(alfa.id, "2026-01-01", "2026-06-30", [60_000, 40_000], "approved");
      await requisition(alfa.id, "2026-07-01", "2026-09-30", [50_000]);
      await requisition(alfa.id, "2026-10-01", "2026-12-31", [20_000], "returned");
      await requisition(alfa.id, "2027-01-01", "2027-03-31", [30_000], "approved");
      await requisition(beta.id, "2026-01-01", "2026-12-31", [200_000, 50_000, 10_000], "approved");
      await insertRepayment(tx, association.id, alfa.id, { amountOre: 500_000n, repaidOn: "2027-02-10" }, user);
    });
    return { ...scenario, alfa, beta };
  };

  it("shows granted, requisitioned (approved only), remaining and repaid money per insats and year, with totals", async () => {
    const { officer, alfa, beta, browser, base } = await setup();
    const staff = await browser(officer);
    const response = await staff.get(`${base}/portfolio?year=alla`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(tableOf(html)).toEqual([
      ["Insats", "Insatsägare", "År", "Beviljat", "Rekvirerat", "Återstår", "Återfört"],
      [
        "Alfa arbetsträning",
        "Exempelby kommun, arbetsmarknadsenheten",
        "2026",
        kr(250_000),
        kr(100_000),
        kr(150_000),
        kr(0),
      ],
      [
        "Alfa arbetsträning",
        "Exempelby kommun, arbetsmarknadsenheten",
        "2027",
        kr(300_000),
        kr(30_000),
        kr(270_000),
        kr(5_000),
      ],
      ["Beta samverkan", "Vårdcentralen Exempel", "2026", kr(250_000), kr(260_000), kr(-10_000), kr(0)],
      ["Summa", "", "", kr(800_000), kr(390_000), kr(410_000), kr(5_000)],
    ]);
    expect(kr(-10_000)).toMatch(/^−10\s000 kr$/);
    expect(html).toContain("<caption>Medel per insats och år</caption>");
    expect(html).toContain('<th scope="col" class="numeric">Beviljat</th>');
    expect(html).toContain(`<td class="numeric">${kr(150_000)}</td>`);
    expect(html).toContain(`<a href="${base}/interventions/${alfa.id}">Alfa arbetsträning</a>`);
    expect(html).toContain(`<a href="${base}/interventions/${beta.id}">Beta samverkan</a>`);
    expect(html).toContain(`href="${base}/portfolio.xlsx?year=alla">Ladda ner som Excel</a>`);
    expect(html).toContain("2 insatser i urvalet.");

    const list = await (await staff.get(`${base}/interventions`)).text();
    expect(list).toContain(`href="${base}/portfolio">`);
  });

  it("filters by year, kind and status, in the page and in its download link", async () => {
    const { officer, browser, base } = await setup();
    const staff = await browser(officer);
    const year2027 = await (await staff.get(`${base}/portfolio?year=2027`)).text();
    expect(tableOf(year2027).slice(1)).toEqual([
      [
        "Alfa arbetsträning",
        "Exempelby kommun, arbetsmarknadsenheten",
        "2027",
        kr(300_000),
        kr(30_000),
        kr(270_000),
        kr(5_000),
      ],
      ["Summa", "", "", kr(300_000), kr(30_000), kr(270_000), kr(5_000)],
    ]);
    expect(year2027).toContain("<caption>Medel per insats och år, 2027</caption>");
    expect(year2027).toContain(`href="${base}/portfolio.xlsx?year=2027">`);
    expect(year2027).toMatch(/<option value="2027" selected="">2027<\/option>/);

    const structural = await (await staff.get(`${base}/portfolio?year=alla&kind=structural&status=ongoing`)).text();
    expect(tableOf(structural).map((row) => row[0])).toEqual(["Insats", "Beta samverkan", "Summa"]);
    expect(structural).toContain(`href="${base}/portfolio.xlsx?year=alla&amp;kind=structural&amp;status=ongoing">`);

    const none = await (await staff.get(`${base}/portfolio?year=alla&status=ended`)).text();
    expect(none).toContain("Inga insatser med medel i urvalet.");
    expect(none).not.toContain("<table>");

    // Without a year, or with a hand-edited value that is not one, the page shows the current year, not an error.
    const thisYear = String(new Date().getFullYear());
    for (const query of ["", "?year=tjugo"]) {
      const page = await staff.get(`${base}/portfolio${query}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`<option value="${thisYear}" selected="">${thisYear}</option>`);
    }
  });

  it("downloads the same table as an XLSX with typed numbers, a bold header and a bold Summa row", async () => {
    const { db, association, browser, base } = await setup();
    const board = await browser(await buildUser(db, { associationId: association.id, role: "board" }));
    const response = await board.get(`${base}/portfolio.xlsx?year=2026`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="portfolj-2026.xlsx"');
    const { sheets, parts } = readXlsx(Buffer.from(await response.arrayBuffer()));
    const [sheet] = sheets;
    expect(sheet?.name).toBe("Portfölj");
    expect(sheet?.frozenRows).toBe(1);
    const values = sheet?.rows.map((row) => row.map((cell) => cell?.value));
    expect(values).toEqual([
      ["Insats", "Insatsägare", "År", "Beviljat", "Rekvirerat", "Återstår", "Återfört"],
      ["Alfa arbetsträning", "Exempelby kommun, arbetsmarknadsenheten", 2026, 250_000, 100_000, 150_000, 0],
      ["Beta samverkan", "Vårdcentralen Exempel", 2026, 250_000, 260_000, -10_000, 0],
      ["Summa", undefined, undefined, 500_000, 360_000, 140_000, 0],
    ]);
    expect(sheet?.rows[0]?.every((cell) => cell?.bold)).toBe(true);
    expect(sheet?.rows[1]?.some((cell) => cell?.bold)).toBe(false);
    expect(sheet?.rows[3]?.filter((cell) => cell !== undefined).every((cell) => cell.bold)).toBe(true);
    expect(sheet?.rows[1]?.[3]?.format).toBe('#,##0 "kr"');
    // Typed numbers in the sheet itself, not text that looks like numbers.
    expect(parts.get("xl/worksheets/sheet1.xml")).toMatch(/<c r="D2"(?: s="\d+")?><v>250000<\/v><\/c>/);
    expect(parts.get("docProps/core.xml")).toContain(`${association.name}: Medel per insats och år, 2026`);

    const all = await board.get(`${base}/portfolio.xlsx?year=alla`);
    expect(all.headers.get("content-disposition")).toBe('attachment; filename="portfolj.xlsx"');
  });

  it("is for the förbund's staff, board and auditors: the board sees no links to insatser it may not open", async () => {
    const { db, association, contactX, alfa, browser, base } = await setup();
    const board = await browser(await buildUser(db, { associationId: association.id, role: "board" }));
    const page = await board.get(`${base}/portfolio?year=alla`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(tableOf(html)[1]?.[0]).toBe("Alfa arbetsträning");
    expect(html).not.toContain(`/interventions/${alfa.id}`);

    const auditor = await browser(await buildUser(db, { associationId: association.id, role: "auditor" }));
    expect((await auditor.get(`${base}/portfolio`)).status).toBe(200);

    const owner = await browser(contactX);
    expect((await owner.get(`${base}/portfolio`)).status).toBe(403);
    expect((await owner.get(`${base}/portfolio.xlsx`)).status).toBe(403);
    expect(await (await owner.get(`${base}/interventions`)).text()).not.toContain(`${base}/portfolio`);
  });

  it("gives the same rows in the API, in öre, with totals", async () => {
    const { officer, contactX, alfa, beta, token, api, app } = await setup();
    const response = await app.request(`${api}/portfolio?year=2026`, bearer(await token(officer.id)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [
        {
          interventionId: alfa.id,
          name: "Alfa arbetsträning",
          ownerName: "Exempelby kommun, arbetsmarknadsenheten",
          kind: "individual",
          status: "ongoing",
          year: 2026,
          grantedOre: 25_000_000,
          requisitionedOre: 10_000_000,
          remainingOre: 15_000_000,
          repaidOre: 0,
        },
        {
          interventionId: beta.id,
          name: "Beta samverkan",
          ownerName: "Vårdcentralen Exempel",
          kind: "structural",
          status: "ongoing",
          year: 2026,
          grantedOre: 25_000_000,
          requisitionedOre: 26_000_000,
          remainingOre: -1_000_000,
          repaidOre: 0,
        },
      ],
      totals: { grantedOre: 50_000_000, requisitionedOre: 36_000_000, remainingOre: 14_000_000, repaidOre: 0 },
    });
    const repaid = (await (
      await app.request(`${api}/portfolio?year=2027`, bearer(await token(officer.id)))
    ).json()) as { totals: unknown };
    expect(repaid.totals).toEqual({
      grantedOre: 30_000_000,
      requisitionedOre: 3_000_000,
      remainingOre: 27_000_000,
      repaidOre: 500_000,
    });
    expect((await app.request(`${api}/portfolio?year=tjugo`, bearer(await token(officer.id)))).status).toBe(422);
    expect((await app.request(`${api}/portfolio`, bearer(await token(contactX.id)))).status).toBe(403);
  });
});
