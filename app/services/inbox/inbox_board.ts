import type { DateTime } from 'luxon'
import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import Contact from '#models/contact'
import Conversation from '#models/conversation'
import ConversationMessage from '#models/conversation_message'
import Notification from '#models/notification'
import { toSqlDateTime } from '#models/columns'
import { withoutWildcards } from '#support/sql'
import { applyScope, type Scope } from '#services/inbox/user_scopes'
import { TICKET_KINDS, type ConversationStatus, type TicketKind } from '#enums/inbox'

export const CONVERSATIONS_PER_PAGE = 30

/** How many messages the thread shows (the newest). */
export const THREAD_LENGTH = 200

/** An SLA due this soon shows as at risk. */
const AT_RISK_MINUTES = 15

/** What the inbox list is narrowed to. */
export interface InboxFilter {
  /** Whose tickets: support, sales' leads, or the renewal team's (support unless told). */
  team?: TicketKind
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
  async list(
    tenantId: number,
    scopes: Scope[] | null,
    userId: number,
    filter: InboxFilter,
    now: DateTime
  ) {
    const query = this.#visible(tenantId, scopes)
      .where('conversations.kind', filter.team ?? 'support')
      .preload('contact')
      .preload('assignee')
    query.where('conversations.status', filter.status ?? 'open')
    if (filter.assignee === 'me') query.where('conversations.assignee_id', userId)
    else if (filter.assignee === 'none') query.whereNull('conversations.assignee_id')
    else if (typeof filter.assignee === 'number')
      query.where('conversations.assignee_id', filter.assignee)
    if (filter.category) query.where('conversations.category', filter.category)
    if (filter.sla === 'breached') query.where('conversations.sla_breached', true)
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
    if (filter.q) await this.#search(query, tenantId, filter.q)
    return query
      .orderBy('conversations.sla_breached', 'desc')
      .orderBy('conversations.last_message_at', 'desc')
      .orderBy('conversations.id', 'desc')
      .paginate(filter.page ?? 1, CONVERSATIONS_PER_PAGE)
  }

  /**
   * How many support conversations the member of staff sees open and pending (the work at hand),
   * and how many of them unread. Resolved and closed ones are an archive that only grows: their
   * tabs carry no count, which keeps this one index read however long the desk has run.
   */
  async counts(tenantId: number, scopes: Scope[] | null, team: TicketKind = 'support') {
    const rows = await this.#visible(tenantId, scopes)
      .where('conversations.kind', team)
      .whereIn('conversations.status', ['open', 'pending'])
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
      const rows = await Notification.forTenant(conversation.tenantId)
        .whereIn('id', ids)
        .select('id', 'status', 'provider_status')
        .pojo<{ id: number; status: string; provider_status: string | null }>()
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
      .whereIn('kind', [...TICKET_KINDS])
      .orderBy('id', 'desc')
      .limit(10)
  }

  #visible(tenantId: number, scopes: Scope[] | null) {
    const query = Conversation.forTenant(tenantId)
    applyScope(query, scopes, 'conversations')
    return query
  }

  /**
   * Digits (4 or more, no letters) search the contacts' phones, in any format; anything else
   * searches names and message text, and matches a franchise or outlet id exactly. On MySQL names
   * and text go through their FULLTEXT indexes (each word, as a word or the start of one); SQLite
   * scans with LIKE. The matching contacts and messages are read first (the newest SEARCH_LIMIT of
   * each), so the list itself stays on its indexes.
   */
  async #search(query: ReturnType<typeof Conversation.query>, tenantId: number, q: string) {
    const digits = q.replace(/\D+/g, '')
    const byPhone = digits.length >= 4 && !/\p{L}/u.test(q)
    const contacts = Contact.forTenant(tenantId)
    // A number typed the local way (0812…) is found in the stored +62812…: the trunk 0 is dropped.
    if (byPhone) contacts.where('phone', 'like', `%${digits.replace(/^0(?=\d{5})/, '')}%`)
    else matchText(contacts, 'display_name', q)
    const contactIds = await idsOf(contacts.orderBy('id', 'desc').limit(SEARCH_LIMIT).select('id'))
    const conversationIds = byPhone
      ? []
      : await idsOf(
          matchText(ConversationMessage.forTenant(tenantId), 'body', q)
            .orderBy('id', 'desc')
            .limit(SEARCH_LIMIT)
            .distinct('conversation_id as id')
        )
    query.where((search) => {
      search.where('conversations.fid', q).orWhere('conversations.oid', q)
      if (contactIds.length) search.orWhereIn('conversations.contact_id', contactIds)
      if (conversationIds.length) search.orWhereIn('conversations.id', conversationIds)
    })
  }
}

/** A search reads at most this many matching contacts and messages (the newest). */
const SEARCH_LIMIT = 500

/** A model query a search reads (contacts, messages). */
type TextQuery = ModelQueryBuilderContract<LucidModel, any>

async function idsOf(query: TextQuery) {
  const rows = await query.pojo<{ id: number | string }>()
  return rows.map((row) => Number(row.id))
}

/** Words an InnoDB FULLTEXT index holds: 3 characters and more, and not one of its default stopwords. */
const INDEXED_WORD = /^[\p{L}\p{N}]{3,}$/u
const STOPWORDS = new Set(
  'about are com for from how la that the this was what when where who will with und www'.split(' ')
)

/**
 * Narrows `query` to rows whose `column` holds every word of `q` (words of 3 characters and more,
 * stopwords left out, as an InnoDB FULLTEXT index holds them; the whole of `q` when none is left):
 * through the FULLTEXT index on MySQL, with LIKE on SQLite, so both find the same rows.
 */
function matchText<Query extends TextQuery>(query: Query, column: string, q: string) {
  const words = q
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => INDEXED_WORD.test(word) && !STOPWORDS.has(word.toLowerCase()))
  if (!words.length) return query.where(column, 'like', `%${withoutWildcards(q)}%`)
  if (query.client.dialect.name === 'mysql')
    return query.whereRaw('MATCH(??) AGAINST (? IN BOOLEAN MODE)', [
      column,
      words.map((word) => `+${word}*`).join(' '),
    ])
  for (const word of words) query.where(column, 'like', `%${word}%`)
  return query
}

/** What an outgoing message's outbox row says, as the thread shows it. */
function deliveryStatus(status: string, providerStatus: string | null) {
  if (status === 'sent') return providerStatus ?? 'sent'
  if (status === 'dead' || status === 'dropped') return 'failed'
  return status === 'failed' ? 'retrying' : 'queued'
}
