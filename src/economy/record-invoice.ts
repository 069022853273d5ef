import { audit } from "../audit/record.js";
import type { Tenant } from "../platform/http/env.js";
import { type FieldError, invalidInput, notFound } from "../platform/http/errors.js";
import { findInstalment, updateInstalmentDates } from "./contributions-repository.js";

export type InstalmentKey = { year: number; memberId: string; instalment: number };

/** What to record; a date left out stays as it is, null clears it (an invoice sent by mistake). */
export type InvoiceDates = { invoicedOn?: string | null | undefined; paidOn?: string | null | undefined };

/**
 * Records that an instalment was invoiced and when it was paid. A payment needs an invoice, and cannot come before
 * it. Status (planerad, fakturerad, betald, förfallen) follows from the dates and is never stored.
 */
export async function recordInvoice({
  tenant,
  key,
  dates,
}: {
  tenant: Tenant;
  key: InstalmentKey;
  dates: InvoiceDates;
}) {
  const associationId = tenant.association.id;
  const current = await findInstalment(tenant.tx, associationId, key);
  if (!current) throw notFound();
  const invoicedOn = dates.invoicedOn === undefined ? current.invoiced_on : dates.invoicedOn;
  const paidOn = dates.paidOn === undefined ? current.paid_on : dates.paidOn;
  const errors: FieldError[] = [];
  if (paidOn && !invoicedOn) errors.push({ path: "invoicedOn", message: "Ange när delbetalningen fakturerades." });
  if (paidOn && invoicedOn && paidOn < invoicedOn) {
    errors.push({ path: "paidOn", message: "Betalningen kan inte vara före faktureringen." });
  }
  if (errors.length > 0) throw invalidInput(errors);
  await updateInstalmentDates(tenant.tx, associationId, key, { invoicedOn, paidOn });
  await audit(
    tenant,
    "economy.contribution_invoice.record",
    { type: "contribution_invoice", id: `${key.year}/${key.memberId}/${key.instalment}` },
    {
      member: current.name,
      year: key.year,
      instalment: key.instalment,
      amountOre: String(current.amount_ore),
      invoicedOn: { from: current.invoiced_on, to: invoicedOn },
      paidOn: { from: current.paid_on, to: paidOn },
    },
  );
  return { invoicedOn, paidOn };
}
