import type { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Contact from '#models/contact'
import Conversation from '#models/conversation'
import ConversationMessage from '#models/conversation_message'
import Tenant from '#models/tenant'
import User from '#models/user'
import { targetsFor, type InboxSettings } from '#models/settings/inbox_settings'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import jobs from '#support/jobs'
import liveVersion from '#support/live_version'
import { hasRowLocks } from '#support/database'
import { sqlOf } from '#support/sql'
import { enqueueNotification } from '#services/messaging/notifications'
import messagingDirectory, { type MessagingProfile } from '#services/messaging/messaging_directory'
import { transactionWithOutbox, type OutboxBatch } from '#services/messaging/outbox'
import AuditTrail from '#services/platform/audit_trail'
import slaPlanner from '#services/inbox/sla_planner'
import OutletDirectory from '#services/inbox/outlet_directory'
import { canMove } from '#services/inbox/ticket_states'
import type { BusinessCalendar } from '#services/inbox/sla_clock'
import { requestConversationRating } from '#services/billing/rating_requests'
import { INBOX_ROLES } from '#enums/role'
import { isTicketKind, type ConversationStatus, type Outcome } from '#enums/inbox'
import type { StoredFile } from '#support/file_store'
import { WHATSAPP_IMAGE_MAX_BYTES } from '#channels/whatsapp_channel'

/** WhatsApp lets a business write freely for this long after the customer's last message. */
export const WINDOW_HOURS = 24

/** The audit action of each move. */
const MOVE_ACTIONS: Record<ConversationStatus, string> = {
  open: 'conversation.open',
  pending: 'conversation.pending',
  resolved: 'conversation.resolved',
  closed: 'conversation.closed',
}

/** The member of staff acting, and what they saw when they acted. */
export interface AgentAct {
  by: User
  ip?: string | null
}

/** A reply an agent composed on the thread as it stood at `seenMessageId`. */
export interface ReplyDraft {
  text: string
  /** The newest message the agent had on screen when they wrote. */
  seenMessageId: number
  /** The agent saw the newer messages and sends anyway. */
  confirmed?: boolean
  /** Outside the window: the approved template to send (its text for the thread) and its parameters. */
  template?: { name: string; language: string; body: string; parameters: string[] } | null
  /** Inside the window: a file already kept through drive, sent with `text` as its caption. */
  attachment?: ReplyAttachment | null
}

/** What agents may send: pictures WhatsApp shows inline, and PDFs (WhatsApp's own limits: 5 MB an image, checked on reply). */
export const REPLY_MEDIA_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const
export const REPLY_MEDIA_MAX_BYTES = 16 * 1024 * 1024

/** The file's name as the customer sees it on a document: no path, no control characters, 120 at most. */
export function attachmentName(clientName: string) {
  const name = clientName
    .split(/[\\/]/)
    .pop()!
    .replace(/\p{Cc}/gu, '')
    .trim()
  return name.slice(-120) || null
}

/** An agent's file for the customer, as the upload store kept it, with the name it came with. */
export interface ReplyAttachment extends StoredFile {
  name: string | null
}

/**
 * What agents do on a conversation (seed 004): reply (free text inside WhatsApp's 24-hour window,
 * an approved template outside it), write a note that is never sent, assign, file it under a
 * category, and move its ticket `open -> pending -> resolved -> closed` (resolving sends the CSAT
 * link and credits the resolving agent). Each is one transaction on the locked conversation; a
 * reply composed before a newer message or another agent's reply arrived is refused with those
 * messages (409), unless the agent confirms.
 */
@inject()
export default class ConversationService {
  constructor(
    protected auditTrail: AuditTrail,
    protected outlets: OutletDirectory
  ) {}

  async reply(conversationId: number, tenantId: number, draft: ReplyDraft, act: AgentAct) {
    const text = draft.text.trim()
    const attachment = draft.attachment ?? null
    if (!text && !draft.template && !attachment) throw new DomainError('inbox_reply_empty', {}, 422)
    if (attachment?.mime.startsWith('image/') && attachment.size > WHATSAPP_IMAGE_MAX_BYTES)
      throw new DomainError('upload_too_large', { max: '5 MB' }, 422)
    const profile = await messagingDirectory.get(tenantId)
    if (!profile.activeChannels.has('whatsapp')) throw new DomainError('inbox_no_whatsapp', {}, 409)
    return this.#step(conversationId, tenantId, async (conversation, trx, outbox, now) => {
      if (conversation.status === 'closed')
        throw new DomainError('inbox_conversation_closed', {}, 409)
      const newer = await ConversationMessage.query({ client: trx })
        .where('conversation_id', conversation.id)
        .where('id', '>', draft.seenMessageId)
        .where((query) =>
          query
            .where('direction', 'in')
            .orWhere((out) => out.where('direction', 'out').whereNot('author_id', act.by.id))
        )
        .orderBy('id')
      if (newer.length > 0 && !draft.confirmed)
        throw new DomainError('inbox_reply_stale', { count: newer.length }, 409)

      const contact = await Contact.findOrFail(conversation.contactId, { client: trx })
      const open = windowOpen(contact.lastInboundAt, now)
      // A file goes only inside the window: outside it only an approved template may.
      if (!open && (!draft.template || attachment))
        throw new DomainError('inbox_window_closed', {}, 409)
      const body = draft.template && !open ? fill(draft.template) : text
      const notificationId = await this.#send(trx, outbox, profile, conversation, contact, {
        text: body,
        template: open ? null : (draft.template ?? null),
        attachment,
        now,
      })
      const message = await ConversationMessage.create(
        {
          tenantId,
          conversationId: conversation.id,
          direction: 'out',
          kind: attachment ? mediaKind(attachment) : open ? 'text' : 'template',
          body: body || null,
          authorId: act.by.id,
          notificationId,
          createdAt: now,
          ...(attachment && {
            mediaPath: attachment.key,
            mediaType: attachment.mime,
            mediaSize: attachment.size,
            mediaSha256: attachment.sha256,
            mediaName: attachment.name,
            mediaStatus: 'stored' as const,
          }),
        },
        { client: trx }
      )
      if (isTicketKind(conversation.kind) && !conversation.firstRespondedAt)
        conversation.firstRespondedAt = now
      conversation.merge({ waitingSince: null, lastMessageAt: now, unreadCount: 0 })
      if (!conversation.assigneeId) conversation.assigneeId = act.by.id
      return message
    })
  }

  /** A note for the team on the thread; never sent to the customer. */
  note(conversationId: number, tenantId: number, text: string, act: AgentAct) {
    const body = text.trim()
    if (!body) throw new DomainError('inbox_reply_empty', {}, 422)
    return this.#step(conversationId, tenantId, async (conversation, trx, _outbox, now) =>
      ConversationMessage.create(
        {
          tenantId,
          conversationId: conversation.id,
          direction: 'note',
          kind: 'text',
          body: body.slice(0, 4096),
          authorId: act.by.id,
          createdAt: now,
        },
        { client: trx }
      )
    )
  }

  /** Gives the conversation to a member of the inbox team of the tenant (or to nobody). */
  assign(conversationId: number, tenantId: number, assigneeId: number | null, act: AgentAct) {
    return this.#step(conversationId, tenantId, async (conversation, trx) => {
      if (assigneeId !== null) {
        const agent = await User.forTenant(tenantId, { client: trx })
          .where('id', assigneeId)
          .whereIn('role', [...INBOX_ROLES])
          .where('is_active', true)
          .first()
        if (!agent) throw new DomainError('inbox_agent_unknown', {}, 422)
      }
      const from = conversation.assigneeId
      conversation.assigneeId = assigneeId
      await this.auditTrail.record(
        {
          action: 'conversation.assigned',
          tenantId,
          subject: { type: 'conversation', id: conversation.id },
          changes: { assignee_id: [from, assigneeId] },
        },
        { user: act.by, ip: act.ip },
        trx
      )
    })
  }

  /**
   * The outlet the conversation is about (an agent's pick of the tenant's outlets, 404 otherwise):
   * its contact is linked to it, and a scoped agent then finds the conversation by its fid/oid.
   */
  linkOutlet(conversationId: number, tenantId: number, outletId: number, act: AgentAct) {
    return this.#step(conversationId, tenantId, async (conversation, trx) => {
      const { outlet } = await this.outlets.link(
        tenantId,
        conversation.contactId,
        outletId,
        act.by,
        trx
      )
      const from = conversation.outletId
      conversation.merge({ outletId: outlet.id, fid: outlet.fid, oid: outlet.oid })
      await this.auditTrail.record(
        {
          action: 'conversation.outlet_set',
          tenantId,
          subject: { type: 'conversation', id: conversation.id },
          changes: { outlet_id: [from, outlet.id] },
        },
        { user: act.by, ip: act.ip },
        trx
      )
    })
  }

  /** Files the ticket under one of the tenant's categories; its SLA targets follow the category. */
  categorize(conversationId: number, tenantId: number, category: string | null, act: AgentAct) {
    return this.#step(conversationId, tenantId, async (conversation, trx, _outbox, now) => {
      const settings = (await conversationTenant(conversation, trx)).inbox
      if (category !== null && !settings.categories.some((known) => known.key === category))
        throw new DomainError('inbox_category_unknown', {}, 422)
      const calendar = await slaPlanner.calendar(tenantId, trx)
      conversation.category = category
      if (conversation.status === 'open' && conversation.resolutionDueAt) {
        const spent = spentSoFar(conversation, calendar, settings, now)
        conversation.resolutionDueAt = slaPlanner.resolutionDue(
          calendar,
          settings,
          category,
          now,
          spent
        )
        conversation.resolutionSpentSeconds = spent
      }
      if (!conversation.firstRespondedAt && conversation.waitingSince)
        conversation.firstResponseDueAt = slaPlanner.firstResponseDue(
          calendar,
          settings,
          category,
          conversation.waitingSince
        )
      await this.auditTrail.record(
        {
          action: 'conversation.categorized',
          tenantId,
          subject: { type: 'conversation', id: conversation.id },
          changes: { category: [null, category] },
        },
        { user: act.by, ip: act.ip },
        trx
      )
    })
  }

  /**
   * Moves the ticket: `pending` stops its resolution clock (waiting on the customer), `open`
   * starts it again, `resolved` records who resolved it and asks the customer for a rating,
   * `closed` ends it for good (a new message then opens a new conversation).
   */
  move(
    conversationId: number,
    tenantId: number,
    to: ConversationStatus,
    options: { outcome?: Outcome | null },
    act: AgentAct
  ) {
    return this.#step(conversationId, tenantId, async (conversation, trx, _outbox, now) => {
      const from = conversation.status
      if (!canMove(from, to)) throw new DomainError('inbox_move_refused', { from, to }, 409)
      const tenant = await conversationTenant(conversation, trx)
      const settings = tenant.inbox
      const calendar = await slaPlanner.calendar(tenantId, trx)
      if (from === 'open' && conversation.resolutionDueAt)
        conversation.resolutionSpentSeconds = spentSoFar(conversation, calendar, settings, now)
      if (to === 'open') {
        if (from === 'resolved') conversation.reopenCount++
        conversation.merge({ resolvedAt: null, resolvedBy: null })
        conversation.resolutionDueAt = slaPlanner.resolutionDue(
          calendar,
          settings,
          conversation.category,
          now,
          conversation.resolutionSpentSeconds
        )
      }
      if (to === 'resolved' || to === 'closed') {
        conversation.merge({ outcome: options.outcome ?? conversation.outcome, unreadCount: 0 })
        if (to === 'resolved') conversation.merge({ resolvedAt: now, resolvedBy: act.by.id })
        if (to === 'closed') conversation.closedAt = now
      }
      conversation.status = to
      if (to === 'resolved' && isTicketKind(conversation.kind) && settings.csatEnabled) {
        const contact = await Contact.findOrFail(conversation.contactId, { client: trx })
        const profile = await messagingDirectory.get(tenantId)
        await requestConversationRating(
          sqlOf(trx),
          profile,
          conversation,
          contact.phone,
          act.by.id,
          now
        )
      }
      await this.auditTrail.record(
        {
          action: MOVE_ACTIONS[to],
          tenantId,
          subject: { type: 'conversation', id: conversation.id },
          changes: { status: [from, to], outcome: options.outcome ?? null },
        },
        { user: act.by, ip: act.ip },
        trx
      )
    })
  }

  /** The agent read the thread: its unread count goes back to zero. */
  async markRead(conversation: Conversation) {
    if (conversation.unreadCount === 0) return
    await Conversation.forTenant(conversation.tenantId)
      .where('id', conversation.id)
      .update({ unread_count: 0 })
    await liveVersion.bumpInbox(conversation.tenantId)
  }

  /** The outbox row that carries a reply (free text, or the approved template outside the window). */
  async #send(
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    profile: MessagingProfile,
    conversation: Conversation,
    contact: Contact,
    reply: {
      text: string
      template: ReplyDraft['template'] | null
      attachment?: ReplyAttachment | null
      now: DateTime
    }
  ) {
    const variables: Record<string, string> = {
      text: reply.text,
      tenant_name: profile.tenantName,
    }
    if (reply.attachment)
      variables.whatsapp_media = JSON.stringify({
        path: reply.attachment.key,
        type: reply.attachment.mime,
        name: reply.attachment.name,
      })
    if (reply.template) {
      variables.whatsapp_template = reply.template.name
      variables.whatsapp_parameters = JSON.stringify(reply.template.parameters)
    }
    const row = await enqueueNotification(
      sqlOf(trx),
      outbox,
      profile,
      {
        event: 'inbox_reply',
        channel: 'whatsapp',
        recipient: contact.phone,
        locale: reply.template?.language ?? profile.tenantLocale,
        variables,
        subject: { type: 'conversation', id: conversation.id },
      },
      reply.now
    )
    if (row === null) throw new DomainError('inbox_contact_opted_out', {}, 409)
    return Number(row)
  }

  /**
   * One step on the locked conversation: its version moves on, the inboxes refresh after the
   * commit, and the resolution clock's check is (re)scheduled for its due time.
   */
  async #step<T>(
    conversationId: number,
    tenantId: number,
    work: (
      conversation: Conversation,
      trx: TransactionClientContract,
      outbox: OutboxBatch,
      now: DateTime
    ) => Promise<T>
  ): Promise<T> {
    let due: DateTime | null = null
    const result = await transactionWithOutbox(async (trx, outbox) => {
      const query = Conversation.forTenant(tenantId, { client: trx }).where('id', conversationId)
      if (hasRowLocks(trx)) query.forUpdate()
      const conversation = await query.first()
      if (!conversation) throw new DomainError('inbox_conversation_not_found', {}, 404)
      const before = conversation.resolutionDueAt
      const answer = await work(conversation, trx, outbox, clock.now())
      conversation.version++
      await conversation.useTransaction(trx).save()
      if (
        conversation.status === 'open' &&
        conversation.resolutionDueAt &&
        conversation.resolutionDueAt !== before
      )
        due = conversation.resolutionDueAt
      return answer
    })
    await liveVersion.bumpInbox(tenantId)
    if (due) {
      const at = (due as DateTime).toMillis()
      await jobs
        .dispatch(
          'check-inbox-sla',
          { conversationId, clock: 'resolution', due: at },
          { delayMs: at - clock.now().toMillis() }
        )
        .catch(() => {})
    }
    return result
  }
}

/** Whether the customer's last message still lets the business write freely. */
export function windowOpen(lastInboundAt: DateTime | null, now: DateTime) {
  return Boolean(lastInboundAt && lastInboundAt > now.minus({ hours: WINDOW_HOURS }))
}

/** A template's text with its parameters (`{{1}}`, `{{2}}`) filled in, as the thread shows it. */
function fill(template: NonNullable<ReplyDraft['template']>) {
  return template.body.replace(/\{\{(\d+)\}\}/g, (_, index: string) => {
    return template.parameters[Number(index) - 1] || '-'
  })
}

/** Business seconds the resolution clock has run up to `now` (while open): the target less what is left, or more once it passed. */
function spentSoFar(
  conversation: Conversation,
  calendar: BusinessCalendar,
  settings: InboxSettings,
  now: DateTime
) {
  const due = conversation.resolutionDueAt
  if (!due) return conversation.resolutionSpentSeconds
  const target = targetsFor(settings, conversation.category).resolutionMinutes * 60
  if (due > now) return Math.max(0, target - slaPlanner.spent(calendar, now, due))
  return target + slaPlanner.spent(calendar, due, now)
}

function conversationTenant(conversation: Conversation, trx: TransactionClientContract) {
  return Tenant.findOrFail(conversation.tenantId, { client: trx })
}

/** How an attachment shows in the thread: a picture, or a file to open. */
function mediaKind(attachment: ReplyAttachment) {
  return attachment.mime.startsWith('image/') ? 'image' : 'document'
}
