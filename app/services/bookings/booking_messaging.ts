import { requestBookingRating } from '#services/billing/rating_requests'
import { DateTime } from 'luxon'
import { formatMoment } from '#support/dates'
import type Booking from '#models/booking'
import { enqueueNotification } from '#services/messaging/notifications'
import { enqueueWebhook } from '#services/messaging/webhooks'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import type { SqlRunner } from '#support/sql'
import type { BookingEventType } from '#enums/booking'
import type { MessageEvent, WebhookEvent } from '#enums/messaging'
import { bookingUrl } from '#support/urls'

/** The webhook event each booking event is announced as. */
const WEBHOOK_OF: Partial<Record<BookingEventType, WebhookEvent>> = {
  created: 'booking.created',
  paid: 'booking.paid',
  arrived: 'booking.arrived',
  started: 'booking.started',
  finished: 'booking.finished',
  cancelled: 'booking.cancelled',
  payment_expired: 'booking.expired',
  late: 'booking.expired',
  no_show: 'booking.no_show',
  rescheduled: 'booking.rescheduled',
  overridden: 'booking.overridden',
}

/** The message the customer gets for each booking event (reminders are sent by BookingCron). */
const MESSAGE_OF: Partial<Record<BookingEventType, MessageEvent>> = {
  paid: 'booking_confirmed',
  cancelled: 'booking_cancelled',
  payment_expired: 'booking_expired',
  late: 'booking_expired',
  rescheduled: 'booking_confirmed',
}

/** Names a booking's messages show, read with the booking (its service, resource and branch). */
export interface BookingNames {
  service: string
  resource: string
  branch: string
}

/**
 * What a booking event tells the world, in the event's own transaction: the subscribed webhook
 * endpoints, and the customer's message on the tenant's visitor channel (and by email when they
 * gave an address and the email channel is on). A new booking says "confirmed", or "pay here"
 * when it waits for its prepayment.
 */
export async function announceBookingEvent(
  sql: SqlRunner,
  outbox: OutboxBatch,
  booking: Booking,
  type: BookingEventType,
  context: { profile: MessagingProfile; names: BookingNames; payUrl?: string | null },
  now: DateTime
) {
  const webhook = WEBHOOK_OF[type]
  if (webhook)
    await enqueueWebhook(
      sql,
      outbox,
      context.profile,
      webhook,
      { booking: bookingData(booking) },
      now
    )

  const event =
    type === 'created'
      ? booking.status === 'pending_payment'
        ? 'booking_payment_due'
        : 'booking_confirmed'
      : MESSAGE_OF[type]
  if (event) await messageCustomer(sql, outbox, booking, event, context, now)
  if (type === 'finished') await requestBookingRating(sql, context.profile, booking, now)
}

/** Writes `event`'s message to the customer on each channel they can be reached on. */
export async function messageCustomer(
  sql: SqlRunner,
  outbox: OutboxBatch,
  booking: Booking,
  event: MessageEvent,
  context: { profile: MessagingProfile; names: BookingNames; payUrl?: string | null },
  now: DateTime
) {
  const { profile } = context
  const recipients: [
    NonNullable<MessagingProfile['settings']['visitorChannel']> | 'email',
    string,
  ][] = []
  if (profile.settings.visitorChannel && booking.customerPhone)
    recipients.push([profile.settings.visitorChannel, booking.customerPhone])
  if (booking.customerEmail && profile.activeChannels.has('email'))
    recipients.push(['email', booking.customerEmail])
  if (recipients.length === 0) return
  const locale = booking.locale ?? profile.tenantLocale
  const variables = bookingVariables(
    booking,
    context.names,
    locale,
    context.payUrl ?? null,
    profile.tenantName
  )
  for (const [channel, recipient] of recipients) {
    await enqueueNotification(
      sql,
      outbox,
      profile,
      {
        branchId: booking.branchId,
        event,
        channel,
        recipient,
        locale,
        variables,
        subject: { type: 'booking', id: booking.id },
      },
      now
    )
  }
}

function bookingVariables(
  booking: Booking,
  names: BookingNames,
  locale: string,
  payUrl: string | null,
  tenantName: string
) {
  const link = bookingUrl(booking.id)
  return {
    booking_code: booking.code,
    booking_date: formatMoment(DateTime.fromISO(booking.serviceDate), 'fullDate', locale),
    booking_time: booking.localTime,
    service_name: names.service,
    resource_name: names.resource,
    branch_name: names.branch,
    link,
    pay_link: payUrl ?? link,
    tenant_name: tenantName,
  }
}

/** What webhook receivers learn of a booking (no personal data but the customer's name). */
function bookingData(booking: Booking) {
  const iso = (moment: DateTime | null) => (moment ? moment.toUTC().toISO() : null)
  return {
    id: booking.id,
    code: booking.code,
    status: booking.status,
    channel: booking.channel,
    branch_id: booking.branchId,
    resource_id: booking.resourceId,
    service_id: booking.serviceId,
    starts_at: iso(booking.startsAt),
    ends_at: iso(booking.endsAt),
    customer_name: booking.customerName,
    price: booking.price,
    currency: booking.currency,
    ticket_id: booking.ticketId,
    paid_at: iso(booking.paidAt),
    arrived_at: iso(booking.arrivedAt),
    started_at: iso(booking.startedAt),
    finished_at: iso(booking.finishedAt),
  }
}
