/**
 * An invoice's life:
 *   draft -> pending_approval (CS asks sales to approve the price) -> approved (numbered) -> sent -> paid
 *   pending_approval -> draft (sales rejects the price)
 *   any unpaid -> draft again when its lines change (a change after approval needs a new approval)
 *   any unpaid -> void (the number, once given, stays with it)
 */
export const INVOICE_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'sent',
  'paid',
  'void',
] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

export const INVOICE_EVENT_TYPES = [
  'created',
  'edited',
  'submitted',
  'approved',
  'rejected',
  'sent',
  'paid',
  'voided',
] as const
export type InvoiceEventType = (typeof INVOICE_EVENT_TYPES)[number]

/** How an invoice was paid, when CS records it (a gateway payment records `gateway`). */
export const PAYMENT_METHODS = ['transfer', 'cash', 'card', 'qris', 'ewallet', 'gateway'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

/** What an invoice can bill, besides free lines. */
export const INVOICE_SOURCES = ['job', 'booking'] as const
export type InvoiceSource = (typeof INVOICE_SOURCES)[number]

/** What a rating link rates. */
export const RATING_SUBJECTS = ['ticket', 'booking', 'job', 'conversation'] as const
export type RatingSubject = (typeof RATING_SUBJECTS)[number]

/** The part a credited member of staff played in the rated work. */
export const RATING_PARTS = ['operator', 'technician', 'cs', 'staff', 'agent'] as const
export type RatingPart = (typeof RATING_PARTS)[number]
