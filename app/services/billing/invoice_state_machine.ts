import type { InvoiceEventType, InvoiceStatus } from '#enums/billing'

/** The statuses each step may start from, and where it leads (null: the status stays). */
export const INVOICE_STEPS: Record<
  Exclude<InvoiceEventType, 'created'>,
  { from: readonly InvoiceStatus[]; to: InvoiceStatus | null }
> = {
  edited: { from: ['draft', 'pending_approval', 'approved', 'sent'], to: 'draft' },
  submitted: { from: ['draft'], to: 'pending_approval' },
  approved: { from: ['pending_approval'], to: 'approved' },
  rejected: { from: ['pending_approval'], to: 'draft' },
  sent: { from: ['approved', 'sent'], to: 'sent' },
  paid: { from: ['approved', 'sent'], to: 'paid' },
  voided: { from: ['draft', 'pending_approval', 'approved', 'sent'], to: 'void' },
}

/** The statuses in which an invoice waits for its money. */
export const PAYABLE_INVOICE_STATUSES = INVOICE_STEPS.paid.from

/** Whether `step` may be taken from `status`. */
export function canTake(step: keyof typeof INVOICE_STEPS, status: InvoiceStatus) {
  return INVOICE_STEPS[step].from.includes(status)
}

/** The status after `step`. */
export function statusAfter(step: keyof typeof INVOICE_STEPS, status: InvoiceStatus) {
  return INVOICE_STEPS[step].to ?? status
}

/** Whether an unpaid invoice is past its due date on `today` (local `YYYY-MM-DD`). */
export function isOverdue(invoice: { status: InvoiceStatus; dueOn: string | null }, today: string) {
  return (
    (invoice.status === 'approved' || invoice.status === 'sent') &&
    invoice.dueOn !== null &&
    invoice.dueOn < today
  )
}
