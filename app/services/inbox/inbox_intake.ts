import type { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Contact from '#models/contact'
import Conversation from '#models/conversation'
import ConversationMessage from '#models/conversation_message'
import User from '#models/user'
import type Tenant from '#models/tenant'
import clock from '#support/clock'
import jobs from '#support/jobs'
import liveVersion from '#support/live_version'
import { hasRowLocks } from '#support/database'
import { inboundEffect } from '#services/inbox/ticket_states'
import slaPlanner from '#services/inbox/sla_planner'
import inboxPresence from '#services/inbox/inbox_presence'
import OutletDirectory from '#services/inbox/outlet_directory'
import { MEDIA_KINDS, isTicketKind, type MessageKind, type TicketKind } from '#enums/inbox'
import type { Role } from '#enums/role'
import type { OutboxBatch } from '#services/messaging/outbox'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import {
  afterMessage,
  afterOpened,
  routeNew,
  type RoutedMessage,
  type Routing,
} from '#services/inbox/inbox_router'
import { inject } from '@adonisjs/core'

/** Who is given new tickets of each team in turn. */
export const ASSIGNABLE_ROLES: Record<TicketKind, readonly Role[]> = {
  support: ['agent'],
  lead: ['sales'],
  renewal: ['renewal'],
}

/** A customer's WhatsApp message as the webhook received it, with what the transaction knows. */
export interface InboundItem {
  trx: TransactionClientContract
  tenant: Tenant
  phone: string
  /** Meta's message object (`{ id, type, text | image | ... }`). */
  message: any
  at: DateTime
  /** The message was a queue command (taking a number by WhatsApp): no support ticket. */
  queued: boolean
  /** The message was another command (a self-registration, STOP, START): never read as a lead. */
  command?: boolean
  outbox: OutboxBatch
  profile: MessagingProfile
  afterCommit: (task: () => Promise<void>) => void
}

/** What a stored message holds, read from Meta's payload. */
interface Content {
  kind: MessageKind
  body: string | null
  mediaId: string | null
  mediaType: string | null
  mediaName: string | null
  mediaSha256: string | null
}

/**
 * Every inbound WhatsApp message lands on its contact's conversation (seed 004, Inbound Ticket
 * Flow): the open one, a resolved one written to again within the tenant's reopen days (reopened,
 * counted), or a new one, which resolves the contact's outlet and may be given to the next
 * available agent. Runs inside the webhook item's transaction (its receipt makes it once); the
 * media download, the SLA checks and the inboxes' refresh are dispatched after it commits.
 */
@inject()
export default class InboxIntake {
  constructor(protected outlets: OutletDirectory) {}

  async record(item: InboundItem) {
    const { trx, tenant, at } = item
    const settings = tenant.inbox
    const contact = await Contact.forTenant(tenant.id, { client: trx })
      .where('phone', item.phone)
      .select('id', 'phone')
      .firstOrFail()
    const content = contentOf(item.message)
    const calendar = await slaPlanner.calendar(tenant.id, trx)
    const now = clock.now()

    const routed: RoutedMessage = {
      trx,
      outbox: item.outbox,
      profile: item.profile,
      tenant,
      contact: { id: Number(contact.id), phone: contact.phone },
      text: content.body,
      command: Boolean(item.command),
      at,
      afterCommit: item.afterCommit,
    }
    let opened: Routing | null = null
    let conversation = await this.#current(trx, tenant.id, Number(contact.id))
    // Only a due time set by this message needs its check scheduled (the others have theirs).
    const before = {
      first: conversation?.firstResponseDueAt?.toMillis() ?? null,
      resolution: conversation?.resolutionDueAt?.toMillis() ?? null,
    }
    const effect = inboundEffect(conversation, {
      queued: Boolean(item.queued),
      now,
      reopenDays: settings.reopenDays,
    })
    if (conversation && effect === 'close_and_new') {
      conversation.merge({ status: 'closed', closedAt: now, version: conversation.version + 1 })
      await conversation.useTransaction(trx).save()
      conversation = null
    }

    if (!conversation) {
      opened = item.queued ? null : await routeNew(routed)
      const kind = opened?.kind ?? 'queue'
      conversation = new Conversation().merge({
        routeReason: opened?.reason?.slice(0, 120) ?? null,
        tenantId: tenant.id,
        contactId: Number(contact.id),
        kind,
        status: 'open',
        lastMessageAt: at,
        reopenCount: 0,
        unreadCount: 0,
        version: 1,
      })
      if (kind !== 'queue') await this.#openTicket(trx, tenant, conversation, contact, at)
    } else if (effect === 'convert') {
      // A visitor who queued by WhatsApp now asks something else: it becomes a ticket.
      opened = await routeNew(routed)
      conversation.merge({ kind: opened.kind, routeReason: opened.reason?.slice(0, 120) ?? null })
      await this.#openTicket(trx, tenant, conversation, contact, at)
    } else if (effect === 'resume' || effect === 'reopen') {
      // Pending (waiting on the customer) or resolved: the customer's message starts it again.
      if (effect === 'reopen') {
        conversation.reopenCount++
        conversation.merge({ resolvedAt: null, resolvedBy: null, firstRespondedAt: null })
        conversation.firstResponseDueAt = slaPlanner.firstResponseDue(
          calendar,
          settings,
          conversation.category,
          at
        )
      }
      conversation.status = 'open'
      conversation.resolutionDueAt = slaPlanner.resolutionDue(
        calendar,
        settings,
        conversation.category,
        now,
        conversation.resolutionSpentSeconds
      )
    }

    if (isTicketKind(conversation.kind) && !conversation.waitingSince)
      conversation.waitingSince = at
    if (!conversation.lastInboundAt || conversation.lastInboundAt < at)
      conversation.lastInboundAt = at
    if (conversation.lastMessageAt < at || !conversation.$isPersisted)
      conversation.lastMessageAt = at
    conversation.unreadCount++
    conversation.version++
    await conversation.useTransaction(trx).save()

    const stored = await ConversationMessage.create(
      {
        tenantId: tenant.id,
        conversationId: conversation.id,
        direction: 'in',
        ...content,
        waMessageId: String(item.message.id).slice(0, 190),
        mediaStatus: content.mediaId ? 'pending' : null,
        createdAt: at,
      },
      { client: trx }
    )
    if (opened) await afterOpened(routed, conversation, opened)
    else await afterMessage(routed, conversation)

    const { id: conversationId, kind } = conversation
    const due = [
      ['first_response', conversation.firstResponseDueAt, before.first],
      ['resolution', conversation.resolutionDueAt, before.resolution],
    ] as const
    item.afterCommit(async () => {
      await liveVersion.bumpInbox(tenant.id)
      if (stored.mediaStatus === 'pending')
        await dispatchQuietly('fetch-inbox-media', { id: stored.id })
      if (!isTicketKind(kind)) return
      for (const [clockName, dueAt, was] of due) {
        if (!dueAt || dueAt.toMillis() === was) continue
        await dispatchQuietly(
          'check-inbox-sla',
          { conversationId, clock: clockName, due: dueAt.toMillis() },
          dueAt.toMillis() - clock.now().toMillis()
        )
      }
    })
    return { conversation, message: stored }
  }

  /** The contact's conversation still going (open, pending or resolved), locked. */
  async #current(trx: TransactionClientContract, tenantId: number, contactId: number) {
    const query = Conversation.forTenant(tenantId, { client: trx })
      .where('contact_id', contactId)
      .whereIn('status', ['open', 'pending', 'resolved'])
      .orderBy('id', 'desc')
    if (hasRowLocks(trx)) query.forUpdate()
    return query.first()
  }

  /** A new support ticket: its SLA clocks, its outlet, and an agent when the tenant assigns in turn. */
  async #openTicket(
    trx: TransactionClientContract,
    tenant: Tenant,
    conversation: Conversation,
    contact: { id: number | string; phone: string },
    at: DateTime
  ) {
    const settings = tenant.inbox
    const calendar = await slaPlanner.calendar(tenant.id, trx)
    conversation.merge({
      firstResponseDueAt: slaPlanner.firstResponseDue(calendar, settings, null, at),
      resolutionDueAt: slaPlanner.resolutionDue(calendar, settings, null, at, 0),
      resolutionSpentSeconds: 0,
    })
    const resolved = await this.outlets.resolve(trx, tenant.id, {
      id: Number(contact.id),
      phone: contact.phone,
    })
    if (resolved.state === 'linked' && resolved.linked.length === 1) {
      const [outlet] = resolved.linked
      conversation.merge({ outletId: outlet.id, fid: outlet.fid, oid: outlet.oid })
    }
    if (settings.autoAssign && !conversation.assigneeId && isTicketKind(conversation.kind))
      conversation.assigneeId = await nextAgent(trx, tenant.id, conversation.kind)
  }
}

/**
 * The next agent in turn among those available (the inbox open in the last minutes): the one
 * whose last new ticket is the oldest. Null when nobody is available: the ticket waits unassigned.
 */
export async function nextAgent(
  trx: TransactionClientContract,
  tenantId: number,
  kind: TicketKind = 'support'
) {
  const available = await inboxPresence.available(tenantId)
  if (available.length === 0) return null
  const agents = await User.forTenant(tenantId, { client: trx })
    .whereIn('role', [...ASSIGNABLE_ROLES[kind]])
    .where('is_active', true)
    .whereIn('id', available)
    .select('id')
  if (agents.length === 0) return null
  const rows = await Conversation.forTenant(tenantId, { client: trx })
    .whereIn(
      'assignee_id',
      agents.map((agent) => agent.id)
    )
    .groupBy('assignee_id')
    .select('assignee_id')
    .max('created_at as last')
    .pojo<{ assignee_id: number; last: unknown }>()
  const last = new Map(rows.map((row) => [Number(row.assignee_id), String(row.last)]))
  const [next] = agents
    .map((agent) => ({ id: agent.id, last: last.get(agent.id) ?? '' }))
    .sort((a, b) => a.last.localeCompare(b.last) || a.id - b.id)
  return next.id
}

/** A job that must not fail the webhook: a failed dispatch is picked up by the inbox sweeper. */
async function dispatchQuietly(name: string, payload: unknown, delayMs?: number) {
  try {
    await jobs.dispatch(name, payload, { delayMs })
  } catch {
    // The sweeper (scheduler, every minute) finds pending media and due SLAs by itself.
  }
}

/** What a message of Meta's holds, by its type. */
export function contentOf(message: any): Content {
  const none = { mediaId: null, mediaType: null, mediaName: null, mediaSha256: null }
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 4096) : null)
  const type = typeof message?.type === 'string' ? message.type : 'unsupported'
  switch (type) {
    case 'text':
      return { kind: 'text', body: text(message.text?.body), ...none }
    case 'image':
    case 'document':
    case 'audio':
    case 'video':
    case 'sticker': {
      const media = message[type] ?? {}
      return {
        kind: type,
        body: text(media.caption),
        mediaId: typeof media.id === 'string' ? media.id.slice(0, 190) : null,
        mediaType: text(media.mime_type)?.slice(0, 100) ?? null,
        mediaName: text(media.filename)?.slice(0, 255) ?? null,
        mediaSha256: text(media.sha256)?.slice(0, 64) ?? null,
      }
    }
    case 'location': {
      const place = message.location ?? {}
      const where = [place.name, place.address].filter((part) => typeof part === 'string')
      const point = `${Number(place.latitude)},${Number(place.longitude)}`
      return { kind: 'location', body: [...where, point].join('\n'), ...none }
    }
    case 'button':
      return { kind: 'button', body: text(message.button?.text), ...none }
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply
      return { kind: 'interactive', body: text(reply?.title), ...none }
    }
    default:
      return { kind: 'unsupported', body: type.slice(0, 40), ...none }
  }
}

/** Whether a kind carries media to download. */
export function hasMedia(kind: MessageKind) {
  return MEDIA_KINDS.includes(kind)
}
