/** Ways a message reaches someone. `log` writes it to the server log (development, demos). */
export const CHANNEL_KINDS = ['whatsapp', 'sms', 'email', 'log'] as const
export type ChannelKind = (typeof CHANNEL_KINDS)[number]

/** Channels that reach a phone number; a visitor's number can get messages on these. */
export const PHONE_CHANNELS = ['whatsapp', 'sms', 'log'] as const satisfies readonly ChannelKind[]
export type PhoneChannel = (typeof PHONE_CHANNELS)[number]

/** What a message is about: each has a template per language (resources/lang/<locale>/messages.json). */
export const MESSAGE_EVENTS = [
  'ticket_created',
  'ticket_near',
  'ticket_called',
  'ticket_no_show',
  'ticket_cancelled',
  'test_message',
  'opt_out_confirmed',
  'opt_in_confirmed',
  'booking_confirmed',
  'booking_payment_due',
  'booking_reminder_day',
  'booking_reminder_hour',
  'booking_cancelled',
  'booking_expired',
  'customer_registered',
  'customer_registration_help',
  'job_scheduled',
  'job_done',
  'job_place_reopened',
  'job_extension_requested',
  'job_extension_approved',
  'job_extension_rejected',
  'inbox_reply',
  'inbox_sla_breached',
  'renewal_reminder',
  'lead_prompt',
  'inbox_weekly_summary',
  'queue_weekly_summary',
  'invoice_sent',
  'rating_request',
  'rating_low',
  'queue_menu',
  'queue_unavailable',
  'queue_which_branch',
  'queue_ticket_held',
  'queue_nothing_to_cancel',
] as const
export type MessageEvent = (typeof MESSAGE_EVENTS)[number]

/**
 * Messages that go to someone who opted out: the confirmation that they did (the reply to their
 * STOP on WhatsApp). Everything else to them is refused at enqueue and suppressed at delivery.
 */
export const OPT_OUT_NOTICES: readonly MessageEvent[] = ['opt_out_confirmed']

/** The queue's messages to visitors, each of which a tenant can turn off. */
export const VISITOR_EVENTS = [
  'ticket_created',
  'ticket_near',
  'ticket_called',
  'ticket_no_show',
  'ticket_cancelled',
] as const satisfies readonly MessageEvent[]
export type VisitorEvent = (typeof VISITOR_EVENTS)[number]

/**
 * Where an outbox row is in its life:
 *   queued -> sending -> sent
 *   sending -> failed (retried with backoff) -> sending ... -> dead after the last attempt
 *   failed | dead -> dropped (an admin gave up on it); dead -> queued (an admin retries it)
 *   queued | failed -> suppressed (the recipient opted out before it went)
 */
export const DELIVERY_STATUSES = [
  'queued',
  'sending',
  'sent',
  'failed',
  'dead',
  'dropped',
  'suppressed',
] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** Events other systems can subscribe to with an outgoing webhook. */
export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.called',
  'ticket.completed',
  'booking.created',
  'booking.paid',
  'booking.arrived',
  'booking.started',
  'booking.finished',
  'booking.cancelled',
  'booking.expired',
  'booking.no_show',
  'booking.rescheduled',
  'booking.overridden',
  'job.created',
  'job.claimed',
  'job.released',
  'job.started',
  'job.done',
  'job.cancelled',
  'invoice.approved',
  'invoice.sent',
  'invoice.paid',
  'invoice.voided',
  'rating.received',
  'notification.sent',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'webhook.test'
