import { DateTime } from 'luxon'
import type Invoice from '#models/invoice'
import { enqueueNotification } from '#services/messaging/notifications'
import { enqueueWebhook } from '#services/messaging/webhooks'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import { formatMoment } from '#support/dates'
import { formatPrice } from '#support/prices'
import { absoluteUrl } from '#support/urls'
import type { SqlRunner } from '#support/sql'
import type { InvoiceEventType } from '#enums/billing'
import type { ChannelKind, WebhookEvent } from '#enums/messaging'

/** The webhook event each invoice step is announced as. */
const WEBHOOK_OF: Partial<Record<InvoiceEventType, WebhookEvent>> = {
  approved: 'invoice.approved',
  sent: 'invoice.sent',
  paid: 'invoice.paid',
  voided: 'invoice.voided',
}

/** The public page of an invoice (what its message, PDF and QR code link to). */
export function invoiceUrl(invoice: Pick<Invoice, 'token'>) {
  return absoluteUrl('invoice.public', { token: invoice.token })
}

/**
 * What an invoice step tells the world, in the step's transaction: the subscribed webhook
 * endpoints, and on `sent` the customer, with the link to the invoice's page and its PDF: on the
 * tenant's visitor channel to their phone, else by email.
 */
export async function announceInvoiceEvent(
  sql: SqlRunner,
  outbox: OutboxBatch,
  invoice: Invoice,
  type: InvoiceEventType,
  { profile, now }: { profile: MessagingProfile; now: DateTime }
) {
  const webhook = WEBHOOK_OF[type]
  if (webhook) await enqueueWebhook(sql, outbox, profile, webhook, invoiceData(invoice), now)
  if (type !== 'sent') return
  const recipient = invoiceRecipient(profile, invoice)
  if (!recipient) return
  const locale = invoice.locale ?? profile.tenantLocale
  await enqueueNotification(
    sql,
    outbox,
    profile,
    {
      branchId: invoice.branchId,
      event: 'invoice_sent',
      channel: recipient.channel,
      recipient: recipient.address,
      locale,
      variables: {
        customer_name: invoice.billToName,
        invoice_number: invoice.label,
        total: formatPrice(invoice.total, invoice.currency),
        due_date: invoice.dueOn
          ? formatMoment(DateTime.fromISO(invoice.dueOn), 'fullDate', locale)
          : '-',
        link: invoiceUrl(invoice),
        tenant_name: profile.tenantName,
      },
      subject: { type: 'invoice', id: invoice.id },
    },
    now
  )
}

/** Where an invoice is sent: the customer's phone on the visitor channel, else their email. */
export function invoiceRecipient(
  profile: MessagingProfile,
  invoice: Pick<Invoice, 'billToPhone' | 'billToEmail'>
): { channel: ChannelKind; address: string } | null {
  const phoneChannel = profile.settings.visitorChannel
  if (invoice.billToPhone && phoneChannel && profile.activeChannels.has(phoneChannel))
    return { channel: phoneChannel, address: invoice.billToPhone }
  if (invoice.billToEmail && profile.activeChannels.has('email'))
    return { channel: 'email', address: invoice.billToEmail }
  return null
}

/** What webhook receivers and API clients learn of an invoice. */
export function invoiceData(invoice: Invoice) {
  const iso = (moment: DateTime | null) => (moment ? moment.toUTC().toISO() : null)
  return {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    branch_id: invoice.branchId,
    customer_id: invoice.customerId,
    source_type: invoice.sourceType,
    source_id: invoice.sourceId,
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    discount: invoice.discount,
    tax_base: invoice.taxBase,
    tax: invoice.tax,
    total: invoice.total,
    approved_total: invoice.approvedTotal,
    approved_at: iso(invoice.approvedAt),
    issued_on: invoice.issuedOn,
    due_on: invoice.dueOn,
    sent_at: iso(invoice.sentAt),
    paid_on: invoice.paidOn,
    payment_method: invoice.paymentMethod,
    voided_at: iso(invoice.voidedAt),
    void_reason: invoice.voidReason,
    url: invoiceUrl(invoice),
    created_at: iso(invoice.createdAt),
  }
}
