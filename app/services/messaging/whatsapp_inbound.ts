import { createHmac, timingSafeEqual } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Tenant from '#models/tenant'
import MessagingChannel from '#models/messaging_channel'
import clock from '#support/clock'
import OptOuts from '#services/messaging/opt_outs'
import { enqueueNotification } from '#services/messaging/notifications'
import messagingDirectory, { type MessagingProfile } from '#services/messaging/messaging_directory'
import { transactionWithOutbox, type OutboxBatch } from '#services/messaging/outbox'
import { isUniqueViolation } from '#support/database'
import { normalizePhone } from '#support/phone'
import { sqlOf } from '#support/sql'
import { toSqlDateTime } from '#models/columns'
import type { WhatsappSettings } from '#channels/whatsapp_channel'
import type { MessageEvent } from '#enums/messaging'
import { sameSecret } from '#support/secrets'
import { inject } from '@adonisjs/core'
import CustomerRegistration, { parseRegistration } from '#services/field/customer_registration'
import WhatsappQueue from '#services/queue/whatsapp_queue'
import InboxIntake from '#services/inbox/inbox_intake'
import consentLedger from '#services/privacy/consent_ledger'
import { tenantRows } from '#models/mixins/tenant_owned'

/** Replies that stop the tenant's WhatsApp messages, and those that start them again (trimmed, any case). */
const STOP_WORDS = new Set(['STOP', 'BERHENTI', 'UNSUBSCRIBE', 'STOP ALL'])
const START_WORDS = new Set(['START', 'MULAI'])

/** What Meta says of a message we sent, in the order it happens; a status never moves a message back. */
const STATUS_RANK: Record<string, number> = { sent: 1, delivered: 2, failed: 2, read: 3 }

/** The provider name in webhook_receipts. */
const PROVIDER = 'whatsapp'

/** A tenant's WhatsApp channel as the webhook needs it. */
export interface InboundChannel {
  tenant: Tenant
  settings: WhatsappSettings
}

export interface ReceiveReport {
  messages: number
  statuses: number
  duplicates: number
  ignored: number
}

/** Whether `header` (X-Hub-Signature-256) is `sha256=` + the HMAC-SHA256 of the raw body bytes with the app secret. */
export function validSignature(
  rawBody: Buffer,
  header: string | null | undefined,
  appSecret: string
) {
  if (!header || !appSecret || !header.startsWith('sha256=')) return false
  const given = Buffer.from(header.slice('sha256='.length), 'hex')
  const expected = createHmac('sha256', appSecret).update(rawBody).digest()
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * What Meta's WhatsApp webhook tells a tenant: customers' messages (each opens the 24-hour window
 * for free-form replies; STOP and START switch the tenant's messages to them off and on; a text
 * in the tenant's registration format, `DAFTAR#Nama#Alamat`, registers the sender as a
 * field-service customer) and the statuses of the messages we sent (sent, delivered, read, failed).
 *
 * Each item is handled once, in its own transaction with its receipt: Meta retries a webhook
 * that was not answered 200, and sends statuses twice or out of order.
 */
@inject()
export default class WhatsappInbound {
  constructor(
    protected optOuts: OptOuts,
    protected registrations: CustomerRegistration,
    protected queueChat: WhatsappQueue,
    protected intake: InboxIntake
  ) {}

  /** The tenant of a webhook URL and its WhatsApp account; null when there is none. */
  async channelFor(slug: string): Promise<InboundChannel | null> {
    const tenant = await Tenant.findBy('slug', slug)
    if (!tenant) return null
    const channel = await MessagingChannel.forTenant(tenant.id).where('kind', 'whatsapp').first()
    if (!channel) return null
    return { tenant, settings: channel.settings as WhatsappSettings }
  }

  /** Meta's subscription handshake: the challenge to answer, or null when the verify token does not match. */
  handshake(settings: WhatsappSettings, query: Record<string, unknown>) {
    const mode = query['hub.mode']
    const token = query['hub.verify_token']
    const challenge = query['hub.challenge']
    if (
      mode !== 'subscribe' ||
      typeof token !== 'string' ||
      typeof challenge !== 'string' ||
      !settings.verify_token
    )
      return null
    return sameSecret(token, settings.verify_token) ? challenge : null
  }

  /** Handles a verified payload: every message and status in it, each once. */
  async receive(channel: InboundChannel, payload: unknown): Promise<ReceiveReport> {
    const report: ReceiveReport = { messages: 0, statuses: 0, duplicates: 0, ignored: 0 }
    const body = payload as { object?: unknown; entry?: unknown }
    if (body?.object !== 'whatsapp_business_account') return report
    const tenantId = channel.tenant.id
    const profile = await messagingDirectory.get(tenantId)

    for (const entry of list(body.entry)) {
      for (const change of list(entry?.changes)) {
        const value = change?.value
        if (change?.field !== 'messages' || !value) continue
        const numberId = value.metadata?.phone_number_id
        // One Meta app may serve several numbers: only this tenant's number speaks for this tenant.
        if (
          numberId !== undefined &&
          String(numberId) !== String(channel.settings.phone_number_id)
        ) {
          report.ignored++
          continue
        }
        const names = new Map<string, string>()
        for (const contact of list(value.contacts)) {
          if (typeof contact?.wa_id === 'string' && typeof contact?.profile?.name === 'string')
            names.set(contact.wa_id, contact.profile.name)
        }
        for (const message of list(value.messages)) {
          const outcome = await this.#message(profile, message, names, channel.tenant)
          report[
            outcome === 'handled' ? 'messages' : outcome === 'duplicate' ? 'duplicates' : 'ignored'
          ]++
        }
        for (const status of list(value.statuses)) {
          const outcome = await this.#status(tenantId, status)
          report[
            outcome === 'handled' ? 'statuses' : outcome === 'duplicate' ? 'duplicates' : 'ignored'
          ]++
        }
      }
    }
    return report
  }

  /**
   * A customer's message: remember them (the window opens), act on a queue command, STOP, START
   * and a registration, and keep it on their conversation in the inbox.
   */
  async #message(
    profile: MessagingProfile,
    message: any,
    names: Map<string, string>,
    tenant: Tenant
  ) {
    const field = tenant.field
    const from = typeof message?.from === 'string' ? message.from : ''
    const phone = normalizePhone(`+${from}`)
    if (!phone || typeof message?.id !== 'string') return 'ignored' as const
    const tenantId = profile.tenantId
    const at = moment(message.timestamp)
    const name = names.get(from)?.slice(0, 120) ?? null
    const keyword = keywordOf(message)
    const registration =
      message?.type === 'text' && typeof message.text?.body === 'string'
        ? parseRegistration(message.text.body, field)
        : null

    return this.#once(tenantId, message.id, async (trx, outbox, afterCommit) => {
      await this.#rememberContact(trx, tenantId, phone, name, at)
      await consentLedger.fromWhatsappMessage(trx, tenantId, phone, keyword, at)
      const queued =
        keyword === null &&
        (await this.queueChat.handle({
          trx,
          outbox,
          profile,
          phone,
          messageId: message.id,
          ...replyOf(message),
          at,
          afterCommit,
        }))
      if (queued) {
        // Taking a number: kept on the conversation, answered by the queue.
      } else if (
        keyword === 'stop' &&
        (await this.optOuts.add(tenantId, 'whatsapp', phone, 'stop_reply', trx))
      ) {
        await this.#confirm(trx, outbox, profile, 'opt_out_confirmed', phone, message.id)
      } else if (
        keyword === 'start' &&
        (await this.optOuts.remove(tenantId, 'whatsapp', phone, trx))
      ) {
        await this.#confirm(trx, outbox, profile, 'opt_in_confirmed', phone, message.id)
      } else if (keyword === null && registration) {
        await this.registrations.apply(trx, outbox, profile, field, phone, message.id, registration)
      }
      await this.intake.record({
        trx,
        tenant,
        phone,
        message,
        at,
        queued,
        command: keyword !== null || registration !== null,
        outbox,
        profile,
        afterCommit,
      })
    })
  }

  /** What became of a message we sent. Moves forward only: sent -> delivered -> read (or failed). */
  async #status(tenantId: number, status: any) {
    const rank = STATUS_RANK[status?.status]
    if (rank === undefined || typeof status?.id !== 'string') return 'ignored' as const
    const earlier = Object.keys(STATUS_RANK).filter((name) => STATUS_RANK[name] < rank)
    const at = toSqlDateTime(moment(status.timestamp))
    const reason = list(status.errors)[0]

    return this.#once(tenantId, `${status.id}:${status.status}`, async (trx) => {
      const sets = ['provider_status = ?', 'updated_at = ?']
      const values: (string | number)[] = [status.status, toSqlDateTime(clock.now())]
      if (status.status === 'delivered' || status.status === 'read') {
        sets.push('delivered_at = COALESCE(delivered_at, ?)')
        values.push(at)
      }
      if (status.status === 'failed' && reason) {
        sets.push('last_error = ?')
        values.push(
          `[${reason.code ?? '?'}] ${reason.title ?? reason.message ?? 'failed'}`.slice(0, 500)
        )
      }
      const before = earlier.length
        ? ` OR provider_status IN (${earlier.map(() => '?').join(', ')})`
        : ''
      await sqlOf(trx).run(
        `UPDATE notifications SET ${sets.join(', ')}
          WHERE tenant_id = ? AND channel = 'whatsapp' AND provider_message_id = ? AND (provider_status IS NULL${before})`,
        [...values, tenantId, status.id, ...earlier]
      )
    })
  }

  /**
   * Runs `work` with the item's receipt in one transaction. A receipt that already exists means
   * Meta sent the item before: nothing happens. Another unique clash (the same new contact
   * written by two requests at once) runs the item again.
   */
  async #once(
    tenantId: number,
    externalId: string,
    work: (
      trx: TransactionClientContract,
      outbox: OutboxBatch,
      afterCommit: (task: () => Promise<void>) => void
    ) => Promise<void>
  ) {
    for (let attempt = 1; ; attempt++) {
      const tasks: (() => Promise<void>)[] = []
      try {
        await transactionWithOutbox(async (trx, outbox) => {
          await trx.table('webhook_receipts').insert({
            tenant_id: tenantId,
            provider: PROVIDER,
            external_id: externalId.slice(0, 190),
            created_at: toSqlDateTime(clock.now()),
          })
          await work(trx, outbox, (task) => tasks.push(task))
        })
        // What the item changed that others watch (a branch's live screens), told once it is committed.
        for (const task of tasks) await task()
        return 'handled' as const
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        const seen = await tenantRows(db.connection(), 'webhook_receipts', tenantId)
          .where({ provider: PROVIDER, external_id: externalId.slice(0, 190) })
          .select('id')
          .first()
        if (seen) return 'duplicate' as const
        if (attempt >= 3) throw error
      }
    }
  }

  async #rememberContact(
    trx: TransactionClientContract,
    tenantId: number,
    phone: string,
    name: string | null,
    at: DateTime
  ) {
    const now = toSqlDateTime(clock.now())
    const inbound = toSqlDateTime(at)
    const existing = await tenantRows(trx, 'contacts', tenantId)
      .where({ phone })
      .select('id', 'last_inbound_at')
      .first()
    if (!existing) {
      await trx.table('contacts').insert({
        tenant_id: tenantId,
        phone,
        display_name: name,
        last_inbound_at: inbound,
        created_at: now,
        updated_at: now,
      })
      return
    }
    // Messages can arrive out of order: the window follows the latest one.
    await sqlOf(trx).run(
      `UPDATE contacts SET updated_at = ?, display_name = COALESCE(?, display_name),
        last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < ? THEN ? ELSE last_inbound_at END
        WHERE id = ?`,
      [now, name, inbound, inbound, Number(existing.id)]
    )
  }

  /** The reply to STOP or START, through the outbox; it goes as text, inside the window the customer just opened. */
  async #confirm(
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    profile: MessagingProfile,
    event: MessageEvent,
    phone: string,
    messageId: string
  ) {
    await enqueueNotification(
      sqlOf(trx),
      outbox,
      profile,
      {
        event,
        channel: 'whatsapp',
        recipient: phone,
        locale: profile.tenantLocale,
        variables: { tenant_name: profile.tenantName },
        dedupeKey: `wa:${messageId}:${event}`.slice(0, 120),
      },
      clock.now()
    )
  }
}

/** What the customer typed or tapped: the text (or a button's title) and a tapped reply's id. */
function replyOf(message: any): { text: string | null; replyId: string | null } {
  switch (message?.type) {
    case 'text':
      return { text: stringOr(message.text?.body), replyId: null }
    case 'button':
      return { text: stringOr(message.button?.text), replyId: stringOr(message.button?.payload) }
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply
      return { text: stringOr(reply?.title), replyId: stringOr(reply?.id) }
    }
    default:
      return { text: null, replyId: null }
  }
}

function stringOr(value: unknown) {
  return typeof value === 'string' ? value : null
}

/** STOP, START or nothing, from a text message or a quick-reply button. */
function keywordOf(message: any): 'stop' | 'start' | null {
  const text =
    message?.type === 'text'
      ? message.text?.body
      : message?.type === 'button'
        ? message.button?.text
        : null
  if (typeof text !== 'string') return null
  const word = text.trim().replace(/\s+/g, ' ').toUpperCase()
  if (STOP_WORDS.has(word)) return 'stop'
  if (START_WORDS.has(word)) return 'start'
  return null
}

/** A webhook's Unix timestamp (seconds, as a string) as a moment; now when it is missing or broken. */
function moment(timestamp: unknown) {
  const seconds = Number(timestamp)
  return Number.isFinite(seconds) && seconds > 0
    ? DateTime.fromSeconds(seconds, { zone: 'utc' })
    : clock.now()
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : []
}
