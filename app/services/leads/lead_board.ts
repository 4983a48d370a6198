import Booking from '#models/booking'
import Conversation from '#models/conversation'
import Lead from '#models/lead'
import LeadEvent from '#models/lead_event'
import User from '#models/user'
import { LEAD_ROLES } from '#enums/role'
import { LEAD_STATUSES, type LeadStatus } from '#enums/lead'

export const LEADS_PER_PAGE = 30

/** What the pipeline is narrowed to. */
export interface LeadFilter {
  status: LeadStatus
  /** `me`, `none` (nobody yet), or a user id. */
  owner?: 'me' | 'none' | number | null
  page?: number
}

/**
 * What the leads pipeline reads: a status's leads (the next step due first, then the newest),
 * narrowed to an owner; the count of every status under the same owner filter; a lead with its
 * owner, booking, conversation and history; who can own leads.
 */
export default class LeadBoard {
  list(tenantId: number, userId: number, filter: LeadFilter) {
    return this.#owned(tenantId, userId, filter.owner)
      .where('leads.status', filter.status)
      .preload('owner')
      .orderByRaw('CASE WHEN leads.next_step_at IS NULL THEN 1 ELSE 0 END')
      .orderBy('leads.next_step_at', 'asc')
      .orderBy('leads.id', 'desc')
      .paginate(filter.page ?? 1, LEADS_PER_PAGE)
  }

  async counts(tenantId: number, userId: number, owner: LeadFilter['owner']) {
    const rows = await this.#owned(tenantId, userId, owner)
      .groupBy('leads.status')
      .select('leads.status')
      .count('* as total')
      .pojo<{ status: LeadStatus; total: number | string }>()
    const counts = Object.fromEntries(LEAD_STATUSES.map((status) => [status, 0])) as Record<
      LeadStatus,
      number
    >
    for (const row of rows) counts[row.status] = Number(row.total)
    return counts
  }

  /** The tenant's lead with what its page shows (404 for another tenant's). */
  async detail(tenantId: number, id: number) {
    const lead = await Lead.forTenant(tenantId).where('id', id).preload('owner').firstOrFail()
    const [events, booking, conversation] = await Promise.all([
      LeadEvent.forTenant(tenantId).where('lead_id', lead.id).preload('user').orderBy('id', 'desc'),
      lead.bookingId
        ? Booking.forTenant(tenantId).where('id', lead.bookingId).preload('resource').first()
        : null,
      lead.conversationId
        ? Conversation.forTenant(tenantId).where('id', lead.conversationId).first()
        : null,
    ])
    return { lead, events, booking, conversation }
  }

  /** Who can own a lead: the tenant's active sales and their managers, by name. */
  owners(tenantId: number) {
    return User.forTenant(tenantId)
      .whereIn('role', [...LEAD_ROLES])
      .where('is_active', true)
      .orderBy('full_name')
      .select('id', 'full_name', 'role')
  }

  #owned(tenantId: number, userId: number, owner: LeadFilter['owner']) {
    const query = Lead.forTenant(tenantId)
    if (owner === 'me') query.where('leads.owner_id', userId)
    else if (owner === 'none') query.whereNull('leads.owner_id')
    else if (typeof owner === 'number') query.where('leads.owner_id', owner)
    return query
  }
}
