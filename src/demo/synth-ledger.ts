import type { SieWriteInput, SieWriteTransaction } from "../economy/sie/write.js";
import type { Rng } from "./synth-support.js";

/**
 * A year of a förbund's bookkeeping as its ekonomisystem would export it (SIE 4): members' contributions paid into
 * the bank each quarter, insats costs booked on one account with the insats as object (dimension 6) and paid the month
 * after, administration costs, interest, and balances that add up. Used by the synthetic data, the demo and the
 * economy benchmark; `transactions` sets roughly how many #TRANS the year gets, by splitting insats costs into more
 * invoices.
 */

export type LedgerInput = {
  year: number;
  company: { name: string; organisationNumber?: string | undefined };
  members: { name: string; amountOre: bigint }[];
  interventions: { code: string; name: string; amountOre: bigint }[];
  /** Yearly administration costs in öre, split over the administration accounts. */
  administrationOre: bigint;
  openingCashOre: bigint;
  transactions: number;
};

export const ledgerAccounts = {
  receivables: { number: "1510", name: "Kundfordringar" },
  vat: { number: "1650", name: "Momsfordran" },
  bank: { number: "1930", name: "Företagskonto" },
  equity: { number: "2010", name: "Eget kapital" },
  payables: { number: "2440", name: "Leverantörsskulder" },
  otherIncome: { number: "3990", name: "Övriga intäkter" },
  interventions: { number: "4010", name: "Insatskostnader" },
  board: { number: "6420", name: "Styrelsearvoden" },
  premises: { number: "5010", name: "Lokalhyra" },
  staff: { number: "7010", name: "Löner och inhyrd personal" },
  office: { number: "6110", name: "Kontorsmaterial och övrigt" },
  interest: { number: "8310", name: "Ränteintäkter" },
} as const;

/** The medlemsbidrag account of the i-th member: 3011, 3012, … */
export const memberAccount = (index: number) => String(3011 + index);

const administration = [
  { account: ledgerAccounts.staff.number, weight: 60n },
  { account: ledgerAccounts.premises.number, weight: 15n },
  { account: ledgerAccounts.board.number, weight: 10n },
  { account: ledgerAccounts.office.number, weight: 15n },
];

function split(amount: bigint, parts: number, rng: Rng): bigint[] {
  const weights = Array.from({ length: parts }, () => BigInt(rng.int(50, 150)));
  const total = weights.reduce((sum, weight) => sum + weight, 0n);
  const result = weights.map((weight) => (amount * weight) / total);
  result[0] = (result[0] ?? 0n) + amount - result.reduce((sum, part) => sum + part, 0n);
  return result;
}

const pad = (n: number) => String(n).padStart(2, "0");

export function syntheticLedger(input: LedgerInput, rng: Rng): SieWriteInput {
  const { year } = input;
  const vouchers: {
    series: string;
    number: string;
    date: string;
    text: string;
    transactions: SieWriteTransaction[];
  }[] = [];
  let number = 0;
  const voucher = (series: string, date: string, text: string, transactions: SieWriteTransaction[]) => {
    number += 1;
    vouchers.push({ series, number: String(number), date, text, transactions });
  };
  const bank = ledgerAccounts.bank.number;
  const payables = ledgerAccounts.payables.number;

  input.members.forEach((member, index) => {
    split(member.amountOre, 4, rng).forEach((amount, quarter) => {
      voucher("B", `${year}-${pad(quarter * 3 + 1)}-25`, `Medlemsbidrag ${member.name}`, [
        { account: bank, amountOre: amount },
        { account: memberAccount(index), amountOre: -amount },
      ]);
    });
  });

  // Each insats invoice is two rows (cost and payable) and its payment two more; the rest of the requested volume
  // goes to more, smaller invoices.
  const fixed = input.members.length * 8 + 12 * administration.length * 2 + 2;
  // An invoice is four rows with its payment, two in December (paid next year): 23/6 rows on average.
  const invoices = Math.max(input.interventions.length * 12, Math.round(((input.transactions - fixed) * 6) / 23));
  const perIntervention = Math.max(1, Math.floor(invoices / Math.max(1, input.interventions.length)));
  for (const intervention of input.interventions) {
    split(intervention.amountOre, perIntervention, rng).forEach((amount, index) => {
      const month = 1 + Math.floor((index * 12) / perIntervention);
      const day = 1 + (index % 27);
      const date = `${year}-${pad(month)}-${pad(day)}`;
      voucher("A", date, `Faktura ${intervention.name}`, [
        {
          account: ledgerAccounts.interventions.number,
          objects: [{ dimension: 6, code: intervention.code }],
          amountOre: amount,
        },
        { account: payables, amountOre: -amount },
      ]);
      // December's invoices are paid in January: the year ends with a payable, as real books do.
      if (month < 12)
        voucher("A", `${year}-${pad(month + 1)}-${pad(Math.min(day, 28))}`, `Betalning ${intervention.name}`, [
          { account: payables, amountOre: amount },
          { account: bank, amountOre: -amount },
        ]);
    });
  }
  const adminParts = administration.map((part) => part.weight);
  const adminTotal = adminParts.reduce((sum, weight) => sum + weight, 0n);
  for (const [index, part] of administration.entries()) {
    const yearly = (input.administrationOre * (adminParts[index] ?? 0n)) / adminTotal;
    split(yearly, 12, rng).forEach((amount, month) => {
      voucher("C", `${year}-${pad(month + 1)}-28`, "Administration", [
        { account: part.account, amountOre: amount },
        { account: bank, amountOre: -amount },
      ]);
    });
  }
  const interest = BigInt(rng.int(1_000, 50_000)) * 100n;
  voucher("B", `${year}-12-31`, "Ränta", [
    { account: bank, amountOre: interest },
    { account: ledgerAccounts.interest.number, amountOre: -interest },
  ]);

  const accounts = [
    ...Object.values(ledgerAccounts),
    ...input.members.map((member, index) => ({ number: memberAccount(index), name: `Medlemsbidrag ${member.name}` })),
  ];
  return {
    program: { name: "Samordna syntetisk bokföring", version: "1" },
    generatedOn: `${year + 1}-01-15`,
    company: input.company,
    fiscalYears: [
      { index: 0, start: `${year}-01-01`, end: `${year}-12-31` },
      { index: -1, start: `${year - 1}-01-01`, end: `${year - 1}-12-31` },
    ],
    accounts,
    dimensions: [{ number: 6, name: "Projekt" }],
    objects: input.interventions.map((intervention) => ({
      dimension: 6,
      code: intervention.code,
      name: intervention.name,
    })),
    balances: [
      { kind: "IB", yearIndex: 0, account: bank, amountOre: input.openingCashOre },
      { kind: "IB", yearIndex: 0, account: ledgerAccounts.equity.number, amountOre: -input.openingCashOre },
    ],
    vouchers,
  };
}
