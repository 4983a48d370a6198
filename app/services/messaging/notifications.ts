import type { DateTime } from 'luxon'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { appKey } from '#config/app'
import { absoluteUrl } from '#support/urls'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import metrics from '#support/metrics'
import OptOuts from '#services/messaging/opt_outs'
import messagingDirectory, { type MessagingProfile } from '#services/messaging/messaging_directory'
import Outbox, {
  deferOutboxRow,
  insertOutboxRow,
  transactionWithOutbox,
  type ClaimedRow,
  type OutboxBatch,
} from '#services/messaging/outbox'
import { enqueueWebhook } from '#services/messaging/webhooks'
import {
  defaultWhatsappTemplate,
  messageLocale,
  render,
  resolveTemplate,
  WHATSAPP_PARAMETERS,
} from '#services/messaging/message_templates'
import { jsonSet, sqlOf, type SqlFragment, type SqlRunner } from '#support/sql'
import { driverFor } from '#channels/registry'
import type { OutgoingMessage } from '#channels/channel'
import {
  CHANNEL_KINDS,
  OPT_OUT_NOTICES,
  type ChannelKind,
  type MessageEvent,
} from '#enums/messaging'
import { inject } from '@adonisjs/core'

/** A message to write to the outbox. */
export interface NotificationDraft {
  branchId?: number | null
  event: MessageEvent
  channel: ChannelKind
  recipient: string
  locale: string
  /** Template variables; `optout_link` is added here. */
  variables: Record<string, string>
  subject?: { type: string; id: string | number }
  /**
   * One message per key and tenant, ever (a unique index): the callers' own rules already write each
   * message once (the ticket's state machine, near_notified_at); the index makes a slip loud.
   */
  dedupeKey?: string
  /** Whether the recipient opted out, when the caller already read it in this transaction. */
  optedOut?: boolean
  /**
   * Variables whose values only the database knows yet, as SQL giving a string (MySQL's
   * one-round-trip take: the ticket's number, who is ahead). The row is then written only if the
   * recipient has not opted out, checked by the insert itself (`optedOut` is not used).
   */
  filled?: Record<string, SqlFragment>
}

/** 128 bits of HMAC-SHA256 (keyed by APP_KEY) over an opt-out link's payload, base64url. */
function optOutSignature(payload: string) {
  return createHmac('sha256', appKey.release())
    .update(`opt-out:${payload}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url')
}

/**
 * Renders the tenant's template and writes the message in the caller's transaction. Writes
 * nothing (and returns null) when the channel is off or the recipient opted out; else the row's id.
 */
export async function enqueueNotification(
  sql: SqlRunner,
  outbox: OutboxBatch,
  profile: MessagingProfile,
  draft: NotificationDraft,
  now: DateTime
) {
  const row = await notificationRow(sql, profile, draft, now)
  return row ? insertOutboxRow(sql, outbox, 'notifications', row) : null
}

/**
 * `enqueueNotification` for a caller that needs no id back (a ticket's messages): the row travels
 * with the transaction's next statement (SqlRunner.defer). Returns whether it is written (for a
 * draft with `filled` variables: on its way, unless the recipient turns out to have opted out).
 */
export async function deferNotification(
  sql: SqlRunner,
  outbox: OutboxBatch,
  profile: MessagingProfile,
  draft: NotificationDraft,
  now: DateTime
) {
  if (draft.filled) return deferFilledNotification(sql, outbox, profile, draft, draft.filled, now)
  const row = await notificationRow(sql, profile, draft, now)
  if (row) await deferOutboxRow(sql, outbox, 'notifications', row)
  return row !== null
}

/** The outbox row of a message: null when the channel is off or the recipient opted out. */
async function notificationRow(
  sql: SqlRunner,
  profile: MessagingProfile,
  draft: NotificationDraft,
  now: DateTime
) {
  if (!profile.activeChannels.has(draft.channel)) return null
  if (
    !OPT_OUT_NOTICES.includes(draft.event) &&
    (draft.optedOut ??
      (await optedOutWithin(sql, profile.tenantId, draft.channel, draft.recipient)))
  ) {
    return null
  }
  const row = messageRow(profile, draft, now)
  return { ...row, subject: row.subject.slice(0, 200) }
}

/**
 * A message whose `filled` variables the database writes in as it inserts the row, in the same
 * statement that checks the recipient has not opted out (MySQL): the template is rendered with a
 * marker for each, which REPLACE swaps for the value in the subject and body, and JSON_SET in the
 * variables the WhatsApp template is sent with.
 */
async function deferFilledNotification(
  sql: SqlRunner,
  outbox: OutboxBatch,
  profile: MessagingProfile,
  draft: NotificationDraft,
  filled: Record<string, SqlFragment>,
  now: DateTime
) {
  if (!profile.activeChannels.has(draft.channel)) return false
  const fills = Object.entries(filled)
  const marked = { ...draft.variables }
  for (const [name] of fills) marked[name] = marker(name)
  const row = messageRow(profile, { ...draft, variables: marked }, now)
  const replaced = (text: string) =>
    fills.reduce<SqlFragment>(
      (into, [name, value]) => ({
        sql: `REPLACE(${into.sql}, ?, ${value.sql})`,
        bindings: [...into.bindings, marker(name), ...value.bindings],
      }),
      { sql: '?', bindings: [text] }
    )
  const subject = replaced(row.subject)
  const optedOut = optedOutSql(profile.tenantId, draft.channel, draft.recipient)
  const onlyIf = OPT_OUT_NOTICES.includes(draft.event)
    ? undefined
    : { sql: `NOT ${optedOut.sql}`, bindings: optedOut.bindings }
  await deferOutboxRow(
    sql,
    outbox,
    'notifications',
    {
      ...row,
      variables: jsonSet(
        row.variables,
        Object.fromEntries(fills.map(([name, value]) => [`$.${name}`, value]))
      ),
      subject: { sql: `LEFT(${subject.sql}, 200)`, bindings: subject.bindings },
      body: replaced(row.body),
    },
    onlyIf
  )
  return true
}

/** Stands for a filled variable in a rendered text: private-use characters no template or value holds. */
const marker = (name: string) => `\uE000${name}\uE000`

/** SQL true when `recipient` opted out of the tenant's messages on `channel`. */
export function optedOutSql(tenantId: number, channel: string, recipient: string): SqlFragment {
  return {
    sql: 'EXISTS (SELECT 1 FROM opt_outs WHERE tenant_id = ? AND channel = ? AND recipient = ?)',
    bindings: [tenantId, channel, recipient],
  }
}

/** The outbox row of a message, rendered in the recipient's language (subject not yet cut to length). */
function messageRow(profile: MessagingProfile, draft: NotificationDraft, now: DateTime) {
  const locale = messageLocale(draft.locale)
  const template = resolveTemplate(profile.templates, draft.event, locale)
  const variables = {
    ...draft.variables,
    optout_link: optOutLink(profile.tenantId, draft.channel, draft.recipient),
    // An agent's reply outside the window names the approved template it goes as.
    whatsapp_template: draft.variables.whatsapp_template ?? template.whatsappTemplate,
  }
  const at = toSqlDateTime(now)
  return {
    tenant_id: profile.tenantId,
    branch_id: draft.branchId ?? null,
    event: draft.event,
    channel: draft.channel,
    recipient: draft.recipient,
    locale,
    variables: JSON.stringify(variables),
    subject: render(template.subject, variables),
    body: render(template.body, variables),
    subject_type: draft.subject?.type ?? null,
    subject_id: draft.subject ? String(draft.subject.id) : null,
    dedupe_key: draft.dedupeKey ?? null,
    status: 'queued',
    attempts: 0,
    next_attempt_at: at,
    created_at: at,
    updated_at: at,
  }
}

/**
 * A link that stops this tenant's messages to `recipient` on `channel`: short enough for an SMS
 * (`/o/<tenant>.<channel>.<recipient>.<signature>`, about 50 characters), signed with APP_KEY so
 * that nobody can opt someone else out by guessing.
 */
export function optOutLink(tenantId: number, channel: ChannelKind, recipient: string) {
  const payload = `${tenantId}.${channel}.${Buffer.from(recipient).toString('base64url')}`
  return absoluteUrl('opt_out.show', { token: `${payload}.${optOutSignature(payload)}` })
}

/** What an opt-out link says, or null when it was not made by this Loket. */
export function readOptOutLink(
  token: string
): { tenantId: number; channel: ChannelKind; recipient: string } | null {
  const match = /^(\d{1,10})\.([a-z]{2,10})\.([\w-]{1,260})\.([\w-]{22})$/.exec(token)
  if (!match || !(CHANNEL_KINDS as readonly string[]).includes(match[2])) return null
  const payload = `${match[1]}.${match[2]}.${match[3]}`
  const expected = Buffer.from(optOutSignature(payload))
  const given = Buffer.from(match[4])
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  return {
    tenantId: Number(match[1]),
    channel: match[2] as ChannelKind,
    recipient: Buffer.from(match[3], 'base64url').toString('utf8'),
  }
}

/** Whether `recipient` opted out of the tenant's messages on `channel`, read in the caller's transaction. */
async function optedOutWithin(
  sql: SqlRunner,
  tenantId: number,
  channel: string,
  recipient: string
) {
  const optedOut = optedOutSql(tenantId, channel, recipient)
  const [row] = await sql.all<{ opted_out: number | string }>(
    `SELECT ${optedOut.sql} AS opted_out`,
    optedOut.bindings
  )
  return Number(row.opted_out) > 0
}

/**
 * Messages to people: written to the outbox (`notifications`) inside the transaction of the
 * change that causes them, then delivered by a worker through the tenant's channel.
 */
@inject()
export default class Notifications {
  constructor(
    protected optOuts: OptOuts,
    protected outbox: Outbox
  ) {}

  /**
   * One delivery attempt of outbox row `id` (the deliver-notification job). Throws when the
   * attempt failed and another is due, so that the job queue retries it with backoff.
   */
  async deliver(id: number) {
    const row = await this.outbox.claim('notifications', id)
    if (!row) return
    if (
      !OPT_OUT_NOTICES.includes(row.event) &&
      (await this.optOuts.has(row.tenant_id, row.channel as ChannelKind, row.recipient))
    ) {
      return this.outbox.suppress('notifications', row, 'The recipient opted out')
    }
    let result: Awaited<ReturnType<Awaited<ReturnType<typeof driverFor>>['send']>>
    try {
      const driver = await driverFor(row.tenant_id, row.channel, { optOuts: this.optOuts })
      result = await driver.send(outgoingMessage(row))
    } catch (error) {
      const outcome = await this.outbox.fail('notifications', row, error)
      metrics.deliveries.inc({ kind: 'notification', channel: row.channel, outcome })
      if (outcome === 'retry') throw error
      return
    }
    // The provider has the message: from here on a failure must not send it again, so it is not an attempt that failed.
    const profile = await messagingDirectory.get(row.tenant_id)
    const now = clock.now()
    await transactionWithOutbox(async (trx, outbox) => {
      await this.outbox.succeed(
        'notifications',
        row,
        { provider_message_id: result.providerMessageId, provider_status: 'sent' },
        trx
      )
      await enqueueWebhook(
        sqlOf(trx),
        outbox,
        profile,
        'notification.sent',
        notificationData(row, result.providerMessageId, now),
        now
      )
    })
    metrics.deliveries.inc({ kind: 'notification', channel: row.channel, outcome: 'sent' })
    metrics.deliveryLatency.observe(
      { kind: 'notification', channel: row.channel },
      secondsSince(row.created_at, now)
    )
  }
}

function outgoingMessage(row: ClaimedRow): OutgoingMessage {
  const variables = JSON.parse(row.variables) as Record<string, string>
  const event = row.event as MessageEvent
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    event,
    recipient: row.recipient,
    locale: row.locale,
    subject: row.subject,
    body: row.body,
    whatsappTemplate: {
      name: variables.whatsapp_template ?? defaultWhatsappTemplate(event),
      language: row.locale,
      parameters: variables.whatsapp_parameters
        ? (JSON.parse(variables.whatsapp_parameters) as string[])
        : WHATSAPP_PARAMETERS[event].map((name) => variables[name] ?? '-'),
    },
    // Buttons or a list to tap (the queue by WhatsApp's menu), kept as JSON among the variables.
    whatsappInteractive: variables.whatsapp_interactive
      ? JSON.parse(variables.whatsapp_interactive)
      : null,
    // An agent's attachment (the inbox), kept as JSON among the variables.
    whatsappMedia: variables.whatsapp_media ? JSON.parse(variables.whatsapp_media) : null,
  }
}

/** What `notification.sent` tells webhook receivers (no message body: it may hold personal data). */
function notificationData(row: ClaimedRow, providerMessageId: string | null, now: DateTime) {
  return {
    notification: {
      id: Number(row.id),
      event: row.event,
      channel: row.channel,
      recipient: row.recipient,
      subject_type: row.subject_type,
      subject_id: row.subject_id,
      provider_message_id: providerMessageId,
      sent_at: now.toUTC().toISO(),
    },
  }
}

function secondsSince(createdAt: unknown, now: DateTime) {
  const created =
    createdAt instanceof Date
      ? createdAt.getTime()
      : Date.parse(`${String(createdAt).replace(' ', 'T')}Z`)
  return Math.max(0, (now.toMillis() - created) / 1000)
}
