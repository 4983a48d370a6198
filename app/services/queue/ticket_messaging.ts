import { DateTime } from 'luxon'
import type Ticket from '#models/ticket'
import { toSqlDateTime } from '#models/columns'
import { deferNotification, optedOutSql } from '#services/messaging/notifications'
import metrics from '#support/metrics'
import { enqueueWebhook } from '#services/messaging/webhooks'
import { aheadStatement, countAhead, type QueuePlace } from '#services/queue/queue_board'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { BranchEntry } from '#services/platform/branch_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import type { SqlFragment, SqlRunner } from '#support/sql'
import type { TicketEventType } from '#enums/ticket'
import type { PhoneChannel, VisitorEvent, WebhookEvent } from '#enums/messaging'
import { ticketUrl } from '#support/urls'
import { requestTicketRating } from '#services/billing/rating_requests'

/** The webhook event each ticket event is announced as. */
const WEBHOOK_OF: Partial<Record<TicketEventType, WebhookEvent>> = {
  created: 'ticket.created',
  called: 'ticket.called',
  completed: 'ticket.completed',
}

/** The message a visitor who left a phone number gets for each ticket event. */
const MESSAGE_OF: Partial<Record<TicketEventType, VisitorEvent>> = {
  created: 'ticket_created',
  called: 'ticket_called',
  no_show: 'ticket_no_show',
  cancelled: 'ticket_cancelled',
}

/**
 * The answers to what a WhatsApp visitor did in the chat (taking a number there, BATAL): they go
 * whatever the tenant's switches say, or the chat would fall silent.
 */
const CHAT_ANSWERS = new Set<VisitorEvent>(['ticket_created', 'ticket_cancelled'])

/**
 * The channel on which a ticket's visitor hears of `event`, or null when they do not. A number
 * taken on WhatsApp is answered in that chat while the tenant's WhatsApp channel is on (its take
 * and its cancellation always; "N to go", the call and a no-show as the tenant's switches say);
 * any other ticket on the tenant's visitor channel, as its switches say.
 */
export function visitorChannelOf(
  ticket: Pick<Ticket, 'channel'>,
  profile: MessagingProfile,
  event: VisitorEvent
): PhoneChannel | null {
  const { settings } = profile
  if (ticket.channel === 'whatsapp' && profile.activeChannels.has('whatsapp'))
    return CHAT_ANSWERS.has(event) || settings.events[event] ? 'whatsapp' : null
  return settings.visitorChannel && settings.events[event] ? settings.visitorChannel : null
}

/** Events after which other visitors of the service may have come closer to their turn. */
const QUEUE_MOVES = new Set<TicketEventType>([
  'called',
  'cancelled',
  'no_show',
  'held',
  'transferred',
])

/**
 * What a ticket event needs from outside its transaction: the tenant's messaging profile, read
 * before the transaction opens, and for a transfer the service the ticket left (its queue moved too).
 */
export interface TicketEventContext {
  profile: MessagingProfile
  fromServiceId?: number | null
  /** The branch as cached before the transaction (taking a number has it): saves reading its names. */
  entry?: BranchEntry
  /** For a ticket being taken: what `newTicketFacts` found out before inserting it (null: nothing to learn). */
  newTicket?: NewTicketFacts | null
  /**
   * For a ticket being taken in MySQL's one round trip instead: its number and who is ahead, as
   * SQL valid in the take's statements after its insert. Its message, its webhook calls and its
   * near-turn mark are written with them, and the message only if its visitor has not opted out.
   */
  inSql?: TicketInSql
}

/** A new ticket's number and how many are ahead of it, as SQL the database fills in. */
export interface TicketInSql {
  number: SqlFragment
  ahead: SqlFragment
}

/** What taking a number learns of its visitor's first message before the ticket row is written. */
export interface NewTicketFacts {
  ahead: number
  optedOut: boolean
  /** How long finding this out took: part of the enqueue cost the metrics report. */
  ms: number
}

/** A ticket about to be taken: what `newTicketFacts` needs of it. */
export type NewTicket = Pick<
  Ticket,
  'serviceId' | 'serviceDate' | 'priority' | 'queuedAt' | 'channel' | 'customerPhone'
>

/**
 * Whether the visitor taking `ticket` gets a message saying its number and how many are ahead
 * (what `announceTicketEvent` writes for a `created` event besides its webhook calls).
 */
export function messagedOnTake(ticket: NewTicket, context: TicketEventContext) {
  return (
    ticket.customerPhone !== null &&
    visitorChannelOf(ticket, context.profile, 'ticket_created') !== null
  )
}

/**
 * Taking a number when it learns its number before writing the ticket (SQLite, or a service
 * with a daily cap), in the statement after the one that gave it its number (the same round trip
 * on MySQL): how many are ahead of it (when `aheadWanted`, or when its visitor gets a message)
 * and whether that visitor opted out. Null when there is nothing to learn. The ticket is not in
 * yet: everyone waiting in its class or above is ahead (its sequence is the day's highest).
 */
export async function newTicketFacts(
  sql: SqlRunner,
  ticket: NewTicket,
  context: TicketEventContext,
  aheadWanted: boolean
): Promise<NewTicketFacts | null> {
  const started = performance.now()
  const { queue, tenantId } = context.profile
  const channel = visitorChannelOf(ticket, context.profile, 'ticket_created')
  const messaged = channel !== null && ticket.customerPhone !== null
  if (!messaged && !aheadWanted) return null
  const place = { ...ticket, id: '', sequence: Number.MAX_SAFE_INTEGER }
  const ahead = aheadStatement(place, queue.priorityWeights)
  const optedOut = messaged
    ? optedOutSql(tenantId, channel, ticket.customerPhone!)
    : { sql: '0', bindings: [] }
  const [row] = await sql.all<{ ahead: number | string; opted_out: number | string }>(
    `SELECT (${ahead.sql}) AS ahead, ${optedOut.sql} AS opted_out`,
    [...ahead.bindings, ...optedOut.bindings]
  )
  return {
    ahead: Number(row.ahead),
    optedOut: Number(row.opted_out) > 0,
    ms: messaged ? performance.now() - started : 0,
  }
}

/** Whether a new ticket's first message already says that its turn is near (no "N to go" later). */
export async function nearOnArrival(
  sql: SqlRunner,
  ticket: NewTicket,
  context: TicketEventContext,
  facts: NewTicketFacts | null
) {
  if (!facts || facts.optedOut || !ticket.customerPhone) return false
  if (!visitorChannelOf(ticket, context.profile, 'ticket_created')) return false
  return facts.ahead <= (await notifyAheadOf(sql, ticket.serviceId, context))
}

/**
 * What a ticket event tells the world, written in the event's own transaction: the webhook
 * deliveries of the tenant's subscribed endpoints, the visitor's message (when they left a phone
 * number and the tenant messages visitors), and "N numbers to go" to visitors whose turn is near.
 * Everything is read through the transaction: on SQLite it holds the only connection.
 */
export async function announceTicketEvent(
  sql: SqlRunner,
  outbox: OutboxBatch,
  ticket: Ticket,
  type: TicketEventType,
  context: TicketEventContext,
  now: DateTime
) {
  const started = performance.now()
  const before = outbox.writes
  await writeAnnouncements(sql, outbox, ticket, type, context, now)
  if (type === 'completed') await requestTicketRating(sql, context.profile, ticket, now)
  const preparing = type === 'created' ? (context.newTicket?.ms ?? 0) : 0
  if (outbox.writes > before)
    metrics.enqueueDuration.observe((performance.now() - started + preparing) / 1000)
}

async function writeAnnouncements(
  sql: SqlRunner,
  outbox: OutboxBatch,
  ticket: Ticket,
  type: TicketEventType,
  context: TicketEventContext,
  now: DateTime
) {
  const { profile } = context
  // A ticket taken in one round trip: the database writes in its number and who is ahead.
  const inSql = type === 'created' ? context.inSql : undefined
  const webhook = WEBHOOK_OF[type]
  if (webhook) {
    const filled = inSql && { '$.data.ticket.number': inSql.number }
    const data = { ticket: ticketData(ticket) }
    await enqueueWebhook(sql, outbox, profile, webhook, data, now, filled)
  }

  const event = MESSAGE_OF[type]
  const prepared = type === 'created' ? context.newTicket : undefined
  const channel = event && prepared !== null ? visitorChannelOf(ticket, profile, event) : null
  if (
    event &&
    channel &&
    ticket.customerPhone &&
    !(type === 'cancelled' && isSystemClose(ticket))
  ) {
    // With `inSql`, ticket_number and ahead are filled in by the database (0 is never sent).
    const ahead = prepared?.ahead ?? (inSql ? 0 : undefined)
    const variables = await ticketVariables(sql, ticket, context, ahead)
    const filled = inSql && {
      ticket_number: inSql.number,
      ahead: { sql: `CAST(${inSql.ahead.sql} AS CHAR)`, bindings: inSql.ahead.bindings },
    }
    await deferNotification(
      sql,
      outbox,
      profile,
      {
        branchId: ticket.branchId,
        event,
        channel,
        recipient: ticket.customerPhone,
        locale: ticket.locale ?? profile.tenantLocale,
        variables,
        subject: { type: 'ticket', id: ticket.id },
        // A ticket can be called more than once (after a skip or a transfer): each call is its own message.
        dedupeKey:
          type === 'called'
            ? `ticket:${ticket.id}:called:${ticket.calledAt?.toMillis()}`
            : `ticket:${ticket.id}:${type}`,
        optedOut: prepared?.optedOut,
        filled,
      },
      now
    )
    if (inSql) await markNearInBatch(sql, ticket, channel, inSql, context, now)
    else if (
      type === 'created' &&
      !prepared &&
      Number(variables.ahead) <= (await notifyAheadOf(sql, ticket.serviceId, context))
    ) {
      // Already near: the first message says so; no separate "N to go" later.
      await sql.run('UPDATE tickets SET near_notified_at = ? WHERE id = ?', [
        toSqlDateTime(now),
        ticket.id,
      ])
      ticket.nearNotifiedAt = now
    }
  }

  const anyoneHears =
    profile.settings.visitorChannel !== null || profile.activeChannels.has('whatsapp')
  if (QUEUE_MOVES.has(type) && profile.settings.events.ticket_near && anyoneHears) {
    const services = new Set([ticket.serviceId, context.fromServiceId ?? ticket.serviceId])
    for (const serviceId of services)
      await announceNearTurns(sql, outbox, serviceId, ticket.serviceDate, context, now)
  }
}

/**
 * A ticket taken in one round trip whose first message already says its turn is near: marked in
 * the same batch, when its visitor is that close and has not opted out (no "N to go" later).
 */
async function markNearInBatch(
  sql: SqlRunner,
  ticket: Ticket,
  channel: PhoneChannel,
  inSql: TicketInSql,
  context: TicketEventContext,
  now: DateTime
) {
  const notifyAhead = await notifyAheadOf(sql, ticket.serviceId, context)
  if (notifyAhead < 0) return
  const optedOut = optedOutSql(context.profile.tenantId, channel, ticket.customerPhone!)
  await sql.defer(
    `UPDATE tickets SET near_notified_at = ? WHERE id = ? AND ${inSql.ahead.sql} <= ? AND NOT ${optedOut.sql}`,
    [toSqlDateTime(now), ticket.id, ...inSql.ahead.bindings, notifyAhead, ...optedOut.bindings],
    ({ changes }) => {
      if (changes > 0) ticket.nearNotifiedAt = now
    }
  )
}

/**
 * Visitors of `serviceId` with a phone number whose turn is now N numbers away (N per service) get
 * told, once, on their channel (visitorChannelOf); without a visitor channel, only those who took
 * their number on WhatsApp are looked at.
 */
async function announceNearTurns(
  sql: SqlRunner,
  outbox: OutboxBatch,
  serviceId: number,
  serviceDate: string,
  context: TicketEventContext,
  now: DateTime
) {
  const notifyAhead = await notifyAheadOf(sql, serviceId, context)
  if (notifyAhead < 0) return
  const onlyChats = context.profile.settings.visitorChannel === null
  const waiting = await sql.all<Record<string, any>>(
    `SELECT id, tenant_id, branch_id, service_id, service_date, number, priority, queued_at, sequence, customer_phone, locale,
            channel, counter_id, recall_count, transfer_count, requeue_count
       FROM tickets
      WHERE service_id = ? AND service_date = ? AND status = 'waiting' AND target_counter_id IS NULL
        AND customer_phone IS NOT NULL AND near_notified_at IS NULL${onlyChats ? " AND channel = 'whatsapp'" : ''}
      ORDER BY queued_at, sequence
      LIMIT 200`,
    [serviceId, serviceDate]
  )
  for (const row of waiting) {
    const channel = visitorChannelOf(
      { channel: row.channel as Ticket['channel'] },
      context.profile,
      'ticket_near'
    )
    if (!channel) continue
    const place = placeOf(row)
    const ahead = await countAhead(sql, place, context.profile.queue)
    if (ahead > notifyAhead) continue
    await sql.run('UPDATE tickets SET near_notified_at = ? WHERE id = ?', [
      toSqlDateTime(now),
      row.id,
    ])
    const ticket = {
      ...place,
      number: row.number,
      branchId: Number(row.branch_id),
      tenantId: Number(row.tenant_id),
      counterId: null,
    } as Ticket
    await deferNotification(
      sql,
      outbox,
      context.profile,
      {
        branchId: ticket.branchId,
        event: 'ticket_near',
        channel,
        recipient: row.customer_phone,
        locale: row.locale ?? context.profile.tenantLocale,
        variables: await ticketVariables(sql, ticket, context, ahead),
        subject: { type: 'ticket', id: row.id },
        dedupeKey: `ticket:${row.id}:near`,
      },
      now
    )
  }
}

/** The "N ahead" threshold of a service; -1 when it sends none. */
async function notifyAheadOf(sql: SqlRunner, serviceId: number, context: TicketEventContext) {
  const cached = context.entry?.services.find((service) => service.id === serviceId)
  if (cached) return cached.notifyAhead ?? -1
  const [service] = await sql.all<{ notify_ahead: number | null }>(
    'SELECT notify_ahead FROM services WHERE id = ?',
    [serviceId]
  )
  return service?.notify_ahead ?? -1
}

/** The template variables of a ticket's message, in the visitor's language. */
export async function ticketVariables(
  sql: SqlRunner,
  ticket: Ticket,
  context: TicketEventContext,
  ahead?: number
) {
  const locale = ticket.locale ?? context.profile.tenantLocale
  const names = await namesOf(sql, ticket.serviceId, locale, context)
  const counter = ticket.counterId
    ? (
        await sql.all<{ name: string }>('SELECT name FROM counters WHERE id = ?', [
          ticket.counterId,
        ])
      )[0]
    : null
  return {
    ticket_number: ticket.number,
    service_name: names.service,
    branch_name: names.branch,
    counter: counter?.name ?? '',
    ahead: String(
      ahead ??
        (ticket.status === 'waiting' ? await countAhead(sql, ticket, context.profile.queue) : 0)
    ),
    link: ticketUrl(ticket.id),
    tenant_name: context.profile.tenantName,
  }
}

/** The service's name in `locale` and the branch's name: from the cached branch when there is one. */
async function namesOf(
  sql: SqlRunner,
  serviceId: number,
  locale: string,
  context: TicketEventContext
) {
  const cached = context.entry?.services.find((service) => service.id === serviceId)
  if (cached) return { service: cached.nameIn(locale), branch: context.entry!.branch.name }
  const [row] = await sql.all<Record<string, string | null>>(
    `SELECT services.name, services.name_en, services.name_ms, branches.name AS branch_name
       FROM services JOIN branches ON branches.id = services.branch_id
      WHERE services.id = ?`,
    [serviceId]
  )
  const service =
    (locale === 'en' && row?.name_en) || (locale === 'ms' && row?.name_ms) || row?.name || ''
  return { service, branch: row?.branch_name ?? '' }
}

function placeOf(row: Record<string, any>): QueuePlace {
  return {
    id: row.id,
    serviceId: Number(row.service_id),
    serviceDate: row.service_date,
    priority: row.priority,
    queuedAt: toDateTime(row.queued_at),
    sequence: Number(row.sequence),
  }
}

/** A DATETIME as MySQL (a Date) or SQLite (`2026-11-22 02:40:16.056`, UTC) hands it back. */
function toDateTime(value: unknown) {
  const millis =
    value instanceof Date ? value.getTime() : Date.parse(`${String(value).replace(' ', 'T')}Z`)
  return DateTime.fromMillis(millis, { zone: 'utc' })
}

function isSystemClose(ticket: Ticket) {
  return ticket.cancelReason === 'daily_reset' || ticket.cancelReason === 'manual_reset'
}

/** What webhook receivers learn of a ticket. */
function ticketData(ticket: Ticket) {
  const iso = (moment: DateTime | null) => (moment ? moment.toUTC().toISO() : null)
  return {
    id: ticket.id,
    number: ticket.number ?? null,
    status: ticket.status,
    priority: ticket.priority,
    channel: ticket.channel,
    branch_id: ticket.branchId,
    service_id: ticket.serviceId,
    counter_id: ticket.counterId,
    service_date: ticket.serviceDate,
    created_at: iso(ticket.createdAt),
    called_at: iso(ticket.calledAt),
    completed_at: iso(ticket.completedAt),
  }
}
