import type { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Conversation from '#models/conversation'
import ConversationMessage from '#models/conversation_message'
import { toSqlDateTime } from '#models/columns'
import { withoutWildcards } from '#support/sql'
import { applyScope, type Scope } from '#services/inbox/user_scopes'
import type { ConversationStatus } from '#enums/inbox'

export const CONVERSATIONS_PER_PAGE = 30

/** How many messages the thread shows (the newest). */
export const THREAD_LENGTH = 200

/** An SLA due this soon shows as at risk. */
const AT_RISK_MINUTES = 15

/** What the inbox list is narrowed to. */
export interface InboxFilter {
  status?: ConversationStatus | null
  /** `me`, `none` (unassigned), or a user id. */
  assignee?: 'me' | 'none' | number | null
  category?: string | null
  /** `breached` or `at_risk` (due within AT_RISK_MINUTES). */
  sla?: 'breached' | 'at_risk' | null
  /** A phone, a name, a franchise or outlet id, or words of a message. */
  q?: string | null
  page?: number
}

/**
 * What the inbox reads (seed 004): the support conversations a member of staff may see (their
 * fid/oid scope), by status, assignee, category and SLA state, breached ones first and then the
 * newest activity, searched by phone, name, fid/oid and message text; the counts per status; and
 * a conversation's thread with each outgoing message's delivery status.
 */
export default class InboxBoard {
  list(
    tenantId: number,
    scopes: Scope[] | null,
    userId: number,
    filter: InboxFilter,
    now: DateTime
  ) {
    const query = this.#visible(tenantId, scopes)
      .where('conversations.kind', 'support')
      .preload('contact')
      .preload('assignee')
    query.where('conversations.status', filter.status ?? 'open')
    if (filter.assignee === 'me') query.where('conversations.assignee_id', userId)
    else if (filter.assignee === 'none') query.whereNull('conversations.assignee_id')
    else if (typeof filter.assignee === 'number')
      query.where('conversations.assignee_id', filter.assignee)
    if (filter.category) query.where('conversations.category', filter.category)
    if (filter.sla === 'breached')
      query.where((breached) =>
        breached
          .where('conversations.first_response_breached', true)
          .orWhere('conversations.resolution_breached', true)
      )
    if (filter.sla === 'at_risk') {
      const soon = toSqlDateTime(now.plus({ minutes: AT_RISK_MINUTES }))
      query.where((risk) =>
        risk
          .where((first) =>
            first
              .whereNull('conversations.first_responded_at')
              .where('conversations.first_response_breached', false)
              .where('conversations.first_response_due_at', '<=', soon)
          )
          .orWhere((resolution) =>
            resolution
              .where('conversations.status', 'open')
              .where('conversations.resolution_breached', false)
              .where('conversations.resolution_due_at', '<=', soon)
          )
      )
    }
    if (filter.q) this.#search(query, tenantId, filter.q)
    return query
      .orderByRaw(
        'CASE WHEN conversations.first_response_breached OR conversations.resolution_breached THEN 0 ELSE 1 END'
      )
      .orderBy('conversations.last_message_at', 'desc')
      .orderBy('conversations.id', 'desc')
      .paginate(filter.page ?? 1, CONVERSATIONS_PER_PAGE)
  }

  /** How many support conversations the member of staff sees in each status, and how many unread. */
  async counts(tenantId: number, scopes: Scope[] | null) {
    const rows = await this.#visible(tenantId, scopes)
      .where('conversations.kind', 'support')
      .groupBy('conversations.status')
      .select('conversations.status')
      .count('* as total')
      .sum('conversations.unread_count as unread')
      .pojo<{ status: ConversationStatus; total: number | string; unread: number | string }>()
    const counts: Record<string, { total: number; unread: number }> = {}
    for (const row of rows)
      counts[row.status] = { total: Number(row.total), unread: Number(row.unread ?? 0) }
    return counts
  }

  /** One conversation the member of staff may see (404 otherwise: another tenant's, another franchise's). */
  find(tenantId: number, scopes: Scope[] | null, id: number) {
    return this.#visible(tenantId, scopes)
      .where('conversations.id', id)
      .preload('contact')
      .preload('assignee')
      .firstOrFail()
  }

  /**
   * The thread: its newest messages, oldest first, with their authors and, for ours, the status
   * WhatsApp reported (queued, sent, delivered, read, failed).
   */
  async thread(conversation: Conversation) {
    const messages = await ConversationMessage.query()
      .where('conversation_id', conversation.id)
      .preload('author')
      .orderBy('id', 'desc')
      .limit(THREAD_LENGTH)
    messages.reverse()
    const ids = messages.flatMap((message) =>
      message.notificationId ? [message.notificationId] : []
    )
    const statuses = new Map<number, string>()
    if (ids.length) {
      const rows = await db
        .from('notifications')
        .where('tenant_id', conversation.tenantId)
        .whereIn('id', ids)
        .select('id', 'status', 'provider_status')
      for (const row of rows)
        statuses.set(Number(row.id), deliveryStatus(row.status, row.provider_status))
    }
    return messages.map((message) => ({
      message,
      delivery: message.notificationId ? (statuses.get(message.notificationId) ?? 'queued') : null,
    }))
  }

  /** The contact's earlier conversations (newest first), for the thread's side panel. */
  earlier(conversation: Conversation) {
    return Conversation.forTenant(conversation.tenantId)
      .where('contact_id', conversation.contactId)
      .whereNot('id', conversation.id)
      .where('kind', 'support')
      .orderBy('id', 'desc')
      .limit(10)
  }

  #visible(tenantId: number, scopes: Scope[] | null) {
    const query = Conversation.forTenant(tenantId)
    applyScope(query, scopes, 'conversations')
    return query
  }

  #search(query: ReturnType<typeof Conversation.query>, tenantId: number, q: string) {
    const like = `%${withoutWildcards(q)}%`
    const digits = q.replace(/\D+/g, '')
    query.where((search) => {
      search
        .where('conversations.fid', q)
        .orWhere('conversations.oid', q)
        .orWhereIn(
          'conversations.contact_id',
          db
            .from('contacts')
            .where('tenant_id', tenantId)
            .where((contact) => {
              contact.where('display_name', 'like', like)
              if (digits.length >= 4) contact.orWhere('phone', 'like', `%${digits}%`)
            })
            .select('id')
        )
        .orWhereIn(
          'conversations.id',
          db
            .from('conversation_messages')
            .where('tenant_id', tenantId)
            .where('body', 'like', like)
            .select('conversation_id')
        )
    })
  }
}

/** What an outgoing message's outbox row says, as the thread shows it. */
function deliveryStatus(status: string, providerStatus: string | null) {
  if (status === 'sent') return providerStatus ?? 'sent'
  if (status === 'dead' || status === 'dropped') return 'failed'
  return status === 'failed' ? 'retrying' : 'queued'
}
