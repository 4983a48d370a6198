import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import Conversation from '#models/conversation'
import Outlet from '#models/outlet'
import Rating from '#models/rating'
import RatingCredit from '#models/rating_credit'
import User from '#models/user'
import { fromSqlDateTime, toSqlDateTime } from '#models/columns'
import { csvRecord } from '#support/csv'
import { absoluteUrl } from '#support/urls'
import slaPlanner from '#services/inbox/sla_planner'
import { ownerDigest } from '#services/messaging/owner_digest'
import { applyScope, type Scope } from '#services/inbox/user_scopes'

/** Local days `YYYY-MM-DD`, both included. */
export interface AnalyticsPeriod {
  from: string
  to: string
}

/** Average and median of durations, in minutes (null: no ticket to measure). */
export interface DurationStats {
  count: number
  average: number | null
  median: number | null
}

export interface AgentRow {
  userId: number
  name: string
  /** Tickets opened in the period now assigned to them. */
  opened: number
  /** Tickets resolved in the period now assigned to them. */
  resolved: number
  frtAverage: number | null
  artAverage: number | null
  /** Conversation ratings crediting them (part `agent`) sent in the period, and answered. */
  csatSent: number
  csatAnswered: number
  csatAverage: number | null
}

export interface MerchantRow {
  fid: string
  oid: string | null
  name: string | null
  tickets: number
}

export interface HighTouchRow extends MerchantRow {
  /** The calendar month `YYYY-MM` (local) with 5 or more tickets. */
  month: string
}

export interface AnalyticsReport {
  period: AnalyticsPeriod
  opened: number
  resolved: number
  /** Resolved tickets (of the period) that reopened at least once. */
  reopened: number
  /** reopened / resolved, 0..1 (null when nothing was resolved). */
  reopenRate: number | null
  /** Tickets opened in the period that breached an SLA clock (first response or resolution). */
  breached: number
  frt: DurationStats
  art: DurationStats
  /** Tickets opened per category (`null`: not filed), most first. */
  categories: { category: string | null; count: number }[]
  agents: AgentRow[]
  merchants: MerchantRow[]
  highTouch: HighTouchRow[]
  /** Tickets open or pending now, by age since they were created. */
  backlog: { bucket: BacklogBucket; count: number }[]
  csat: { sent: number; answered: number; average: number | null; distribution: number[] }
  /** Tickets opened and resolved per week (from its Monday, local) across the period. */
  weeks: { week: string; opened: number; resolved: number }[]
}

export const BACKLOG_BUCKETS = ['lt_1h', 'h1_4', 'h4_24', 'd1_3', 'gt_3d'] as const
export type BacklogBucket = (typeof BACKLOG_BUCKETS)[number]

/** Upper bound of each backlog bucket, in hours (the last one is open). */
const BUCKET_LIMITS: [BacklogBucket, number][] = [
  ['lt_1h', 1],
  ['h1_4', 4],
  ['h4_24', 24],
  ['d1_3', 72],
]

/** A merchant is high-touch with this many tickets in one calendar month. */
export const HIGH_TOUCH_TICKETS = 5

/** The most merchants the table lists (the busiest). */
const MERCHANT_ROWS = 100

/** The most tickets read for one period (medians are computed here, in memory). */
const MAX_ROWS = 100_000

export const ANALYTICS_EXPORT_COLUMNS = [
  'id',
  'created_at',
  'status',
  'category',
  'assignee',
  'fid',
  'oid',
  'first_responded_at',
  'resolved_at',
  'frt_minutes',
  'art_minutes',
  'reopen_count',
  'first_response_breached',
  'resolution_breached',
] as const

/** The columns a ticket row needs, as read from the database. */
interface TicketRow {
  id: number
  status: string
  category: string | null
  assignee_id: number | null
  fid: string | null
  oid: string | null
  reopen_count: number
  first_response_breached: unknown
  resolution_breached: unknown
  created_at: unknown
  first_responded_at: unknown
  resolved_at: unknown
}

interface Ticket {
  id: number
  status: string
  category: string | null
  assigneeId: number | null
  fid: string | null
  oid: string | null
  reopenCount: number
  firstResponseBreached: boolean
  resolutionBreached: boolean
  breached: boolean
  createdAt: DateTime
  firstRespondedAt: DateTime | null
  resolvedAt: DateTime | null
}

/** Minutes between two moments. */
function minutesBetween(from: DateTime, to: DateTime) {
  return to.diff(from).as('minutes')
}

/** Average and median of `values` (minutes); the median of an even count is the mean of the middle two. */
export function durationStats(values: number[]): DurationStats {
  if (values.length === 0) return { count: 0, average: null, median: null }
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  return {
    count: values.length,
    average: values.reduce((sum, value) => sum + value, 0) / values.length,
    median,
  }
}

function average(values: number[]) {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null
}

/** Which backlog bucket a ticket `hours` old falls in. */
export function backlogBucket(hours: number): BacklogBucket {
  for (const [bucket, limit] of BUCKET_LIMITS) if (hours < limit) return bucket
  return 'gt_3d'
}

/**
 * The WhatsApp inbox's analytics (seed 004, "Analytics"): support tickets only (`kind =
 * support`), within the tenant and the viewer's fid/oid scope, over a period of local days in the
 * tenant's zone. The definitions:
 *
 * - Opened: tickets created in the period. Resolved: tickets whose (current) `resolved_at` falls
 *   in the period (a reopened ticket counts when it resolves again).
 * - FRT (first response time): `first_responded_at - created_at` of the tickets first answered in
 *   the period; ART (average resolution time): `resolved_at - created_at` of the tickets resolved
 *   in the period. Both in minutes, as the average and the median.
 * - Reopen rate: of the tickets resolved in the period, the share with `reopen_count >= 1`.
 * - Breached: tickets opened in the period with either SLA clock breached.
 * - Volume by category, agent (the current assignee) and merchant (fid/oid): tickets opened.
 * - Backlog aging: tickets `open` or `pending` now, by age since `created_at` (<1 h, 1–4 h,
 *   4–24 h, 1–3 d, >3 d); it does not depend on the period.
 * - High-touch merchants: a fid/oid with 5 or more tickets opened in one calendar month (local)
 *   of the period.
 * - CSAT: conversation ratings sent in the period: response rate = answered / sent, the average
 *   and the 1–5 distribution of the answered ones; per agent, the ratings crediting them (part
 *   `agent`).
 */
export default class InboxAnalytics {
  /** The period's bounds, as UTC SQL strings: [start of `from`, start of the day after `to`). */
  window(period: AnalyticsPeriod, zone: string) {
    const start = DateTime.fromISO(period.from, { zone }).startOf('day')
    const end = DateTime.fromISO(period.to, { zone }).plus({ days: 1 }).startOf('day')
    return {
      start,
      end,
      sqlStart: toSqlDateTime(start.toUTC()),
      sqlEnd: toSqlDateTime(end.toUTC()),
    }
  }

  async report(
    tenantId: number,
    scopes: Scope[] | null,
    period: AnalyticsPeriod,
    zone: string,
    now: DateTime
  ): Promise<AnalyticsReport> {
    const { start, end } = this.window(period, zone)
    const tickets = await this.#tickets(tenantId, scopes, period, zone)
    const inPeriod = (moment: DateTime | null) => moment !== null && moment >= start && moment < end
    const opened = tickets.filter((ticket) => inPeriod(ticket.createdAt))
    const answered = tickets.filter((ticket) => inPeriod(ticket.firstRespondedAt))
    const resolved = tickets.filter((ticket) => inPeriod(ticket.resolvedAt))
    const frtOf = (ticket: Ticket) => minutesBetween(ticket.createdAt, ticket.firstRespondedAt!)
    const artOf = (ticket: Ticket) => minutesBetween(ticket.createdAt, ticket.resolvedAt!)
    const reopened = resolved.filter((ticket) => ticket.reopenCount > 0).length

    const categories = new Map<string | null, number>()
    for (const ticket of opened)
      categories.set(ticket.category, (categories.get(ticket.category) ?? 0) + 1)

    const csat = await this.#csat(tenantId, scopes, period, zone)
    const agents = await this.#agents(tenantId, opened, answered, resolved, csat.byAgent, {
      frtOf,
      artOf,
    })
    const { merchants, highTouch } = await this.#merchants(tenantId, opened, zone)

    return {
      period,
      opened: opened.length,
      resolved: resolved.length,
      reopened,
      reopenRate: resolved.length ? reopened / resolved.length : null,
      breached: opened.filter((ticket) => ticket.breached).length,
      frt: durationStats(answered.map(frtOf)),
      art: durationStats(resolved.map(artOf)),
      categories: [...categories.entries()]
        .map(([category, count]) => ({ category, count }))
        .sort((a, b) => b.count - a.count || String(a.category).localeCompare(String(b.category))),
      agents,
      merchants,
      highTouch,
      backlog: await this.backlog(tenantId, scopes, now),
      csat: csat.total,
      weeks: this.#weeks(start, end, zone, opened, resolved),
    }
  }

  /** Tickets open or pending now, counted by age (since `created_at`) in BACKLOG_BUCKETS. */
  async backlog(tenantId: number, scopes: Scope[] | null, now: DateTime) {
    const rows = await applyScope(
      Conversation.forTenant(tenantId)
        .where('kind', 'support')
        .whereIn('status', ['open', 'pending'])
        .select('created_at')
        .limit(MAX_ROWS),
      scopes
    ).pojo<{ created_at: unknown }>()
    const counts = new Map<BacklogBucket, number>(BACKLOG_BUCKETS.map((bucket) => [bucket, 0]))
    for (const row of rows) {
      const hours = Math.max(0, now.diff(fromSqlDateTime(row.created_at)!).as('hours'))
      const bucket = backlogBucket(hours)
      counts.set(bucket, counts.get(bucket)! + 1)
    }
    return BACKLOG_BUCKETS.map((bucket) => ({ bucket, count: counts.get(bucket)! }))
  }

  /** One CSV row per ticket opened in the period, oldest first (times local, durations in minutes). */
  async *csv(
    tenantId: number,
    scopes: Scope[] | null,
    period: AnalyticsPeriod,
    zone: string
  ): AsyncGenerator<string> {
    yield '\uFEFF' + csvRecord(ANALYTICS_EXPORT_COLUMNS)
    const { start, end } = this.window(period, zone)
    const tickets = (await this.#tickets(tenantId, scopes, period, zone)).filter(
      (ticket) => ticket.createdAt >= start && ticket.createdAt < end
    )
    const names = await userNames(
      tenantId,
      tickets.map((ticket) => ticket.assigneeId)
    )
    const local = (moment: DateTime | null) =>
      moment ? moment.setZone(zone).toFormat('yyyy-LL-dd HH:mm') : ''
    const round = (minutes: number) => Math.round(minutes * 10) / 10
    for (const ticket of tickets)
      yield csvRecord([
        ticket.id,
        local(ticket.createdAt),
        ticket.status,
        ticket.category,
        ticket.assigneeId ? (names.get(ticket.assigneeId) ?? '') : '',
        ticket.fid,
        ticket.oid,
        local(ticket.firstRespondedAt),
        local(ticket.resolvedAt),
        ticket.firstRespondedAt
          ? round(minutesBetween(ticket.createdAt, ticket.firstRespondedAt))
          : '',
        ticket.resolvedAt ? round(minutesBetween(ticket.createdAt, ticket.resolvedAt)) : '',
        ticket.reopenCount,
        ticket.firstResponseBreached ? 1 : 0,
        ticket.resolutionBreached ? 1 : 0,
      ])
  }

  /**
   * The support tickets touching the period: created, first answered or resolved in it (only the
   * columns the metrics need), oldest first.
   */
  async #tickets(
    tenantId: number,
    scopes: Scope[] | null,
    period: AnalyticsPeriod,
    zone: string
  ): Promise<Ticket[]> {
    const { sqlStart, sqlEnd } = this.window(period, zone)
    const between = (column: string) => (query: any) =>
      query.where(column, '>=', sqlStart).where(column, '<', sqlEnd)
    const rows = await applyScope(
      Conversation.forTenant(tenantId)
        .where('kind', 'support')
        .where((touched) =>
          touched
            .where(between('created_at'))
            .orWhere(between('first_responded_at'))
            .orWhere(between('resolved_at'))
        )
        .select(
          'id',
          'status',
          'category',
          'assignee_id',
          'fid',
          'oid',
          'reopen_count',
          'first_response_breached',
          'resolution_breached',
          'created_at',
          'first_responded_at',
          'resolved_at'
        )
        .orderBy('created_at')
        .orderBy('id')
        .limit(MAX_ROWS),
      scopes
    ).pojo<TicketRow>()
    return rows.map((row) => ({
      id: Number(row.id),
      status: row.status,
      category: row.category ?? null,
      assigneeId: row.assignee_id === null ? null : Number(row.assignee_id),
      fid: row.fid ?? null,
      oid: row.oid ?? null,
      reopenCount: Number(row.reopen_count),
      firstResponseBreached: truthy(row.first_response_breached),
      resolutionBreached: truthy(row.resolution_breached),
      breached: truthy(row.first_response_breached) || truthy(row.resolution_breached),
      createdAt: fromSqlDateTime(row.created_at)!,
      firstRespondedAt: fromSqlDateTime(row.first_responded_at),
      resolvedAt: fromSqlDateTime(row.resolved_at),
    }))
  }

  /**
   * Conversation ratings sent in the period (within the viewer's scope): sent, answered, the
   * answered ones' average and distribution, overall and per agent credited.
   */
  async #csat(tenantId: number, scopes: Scope[] | null, period: AnalyticsPeriod, zone: string) {
    const { sqlStart, sqlEnd } = this.window(period, zone)
    const sent = () =>
      Rating.forTenant(tenantId)
        .where('subject_type', 'conversation')
        .whereNotNull('sent_at')
        .where('sent_at', '>=', sqlStart)
        .where('sent_at', '<', sqlEnd)
    let ratings = await sent()
      .select('id', 'subject_id', 'score')
      .limit(MAX_ROWS)
      .pojo<{ id: number; subject_id: string; score: number | null }>()
    if (scopes?.length && ratings.length) {
      const ids = [...new Set(ratings.map((rating) => Number(rating.subject_id)))]
      const visible = new Set<number>()
      for (let index = 0; index < ids.length; index += 1000) {
        const rows = await applyScope(
          Conversation.forTenant(tenantId)
            .whereIn('id', ids.slice(index, index + 1000))
            .select('id'),
          scopes
        ).pojo<{ id: number }>()
        for (const row of rows) visible.add(Number(row.id))
      }
      ratings = ratings.filter((rating) => visible.has(Number(rating.subject_id)))
    }
    const credits = ratings.length
      ? await RatingCredit.forTenant(tenantId)
          .whereIn('rating_id', sent().select('id'))
          .where('part', 'agent')
          .select('rating_id', 'user_id')
          .pojo<{ rating_id: number; user_id: number }>()
      : []
    const scoreOf = new Map(
      ratings.map((rating) => [
        Number(rating.id),
        rating.score === null ? null : Number(rating.score),
      ])
    )
    const distribution = [0, 0, 0, 0, 0]
    const scores: number[] = []
    for (const score of scoreOf.values())
      if (score !== null) {
        distribution[score - 1]++
        scores.push(score)
      }
    const byAgent = new Map<number, { sent: number; scores: number[] }>()
    for (const credit of credits) {
      const ratingId = Number(credit.rating_id)
      if (!scoreOf.has(ratingId)) continue
      const entry = byAgent.get(Number(credit.user_id)) ?? { sent: 0, scores: [] }
      entry.sent++
      const score = scoreOf.get(ratingId)
      if (score !== null && score !== undefined) entry.scores.push(score)
      byAgent.set(Number(credit.user_id), entry)
    }
    return {
      total: {
        sent: ratings.length,
        answered: scores.length,
        average: average(scores),
        distribution,
      },
      byAgent,
    }
  }

  async #agents(
    tenantId: number,
    opened: Ticket[],
    answered: Ticket[],
    resolved: Ticket[],
    csat: Map<number, { sent: number; scores: number[] }>,
    measure: { frtOf: (ticket: Ticket) => number; artOf: (ticket: Ticket) => number }
  ): Promise<AgentRow[]> {
    const ids = new Set<number>(csat.keys())
    for (const ticket of [...opened, ...answered, ...resolved])
      if (ticket.assigneeId !== null) ids.add(ticket.assigneeId)
    const names = await userNames(tenantId, [...ids])
    const of = (list: Ticket[], id: number) => list.filter((ticket) => ticket.assigneeId === id)
    return [...ids]
      .filter((id) => names.has(id))
      .map((id) => {
        const rated = csat.get(id) ?? { sent: 0, scores: [] }
        return {
          userId: id,
          name: names.get(id)!,
          opened: of(opened, id).length,
          resolved: of(resolved, id).length,
          frtAverage: average(of(answered, id).map(measure.frtOf)),
          artAverage: average(of(resolved, id).map(measure.artOf)),
          csatSent: rated.sent,
          csatAnswered: rated.scores.length,
          csatAverage: average(rated.scores),
        }
      })
      .sort((a, b) => b.opened - a.opened || a.name.localeCompare(b.name))
  }

  /** Tickets opened per merchant (fid/oid; none without a fid), and the high-touch months. */
  async #merchants(tenantId: number, opened: Ticket[], zone: string) {
    const key = (fid: string, oid: string | null) => `${fid}\u0000${oid ?? ''}`
    const counts = new Map<string, MerchantRow>()
    const months = new Map<string, HighTouchRow>()
    for (const ticket of opened) {
      if (!ticket.fid) continue
      const id = key(ticket.fid, ticket.oid)
      const row = counts.get(id) ?? { fid: ticket.fid, oid: ticket.oid, name: null, tickets: 0 }
      row.tickets++
      counts.set(id, row)
      const month = ticket.createdAt.setZone(zone).toFormat('yyyy-LL')
      const monthly = months.get(`${id}\u0000${month}`) ?? { ...row, tickets: 0, month }
      monthly.tickets++
      months.set(`${id}\u0000${month}`, monthly)
    }
    const merchants = [...counts.values()]
      .sort((a, b) => b.tickets - a.tickets || a.fid.localeCompare(b.fid))
      .slice(0, MERCHANT_ROWS)
    const highTouch = [...months.values()]
      .filter((row) => row.tickets >= HIGH_TOUCH_TICKETS)
      .sort((a, b) => a.month.localeCompare(b.month) || b.tickets - a.tickets)
    const fids = [...new Set([...merchants, ...highTouch].map((row) => row.fid))]
    if (fids.length) {
      const outlets = await Outlet.forTenant(tenantId)
        .whereIn('fid', fids)
        .select('fid', 'oid', 'name')
      const names = new Map(outlets.map((outlet) => [key(outlet.fid, outlet.oid), outlet.name]))
      for (const row of [...merchants, ...highTouch])
        row.name = row.oid ? (names.get(key(row.fid, row.oid)) ?? null) : null
    }
    return { merchants, highTouch }
  }

  /** Every week (from its Monday, local) of the period, with the tickets opened and resolved in it. */
  #weeks(start: DateTime, end: DateTime, zone: string, opened: Ticket[], resolved: Ticket[]) {
    const weeks = new Map<string, { week: string; opened: number; resolved: number }>()
    for (
      let week = start.setZone(zone).startOf('week');
      week < end;
      week = week.plus({ weeks: 1 })
    ) {
      const label = week.toISODate()!
      weeks.set(label, { week: label, opened: 0, resolved: 0 })
    }
    const weekOf = (moment: DateTime) => moment.setZone(zone).startOf('week').toISODate()!
    for (const ticket of opened) {
      const entry = weeks.get(weekOf(ticket.createdAt))
      if (entry) entry.opened++
    }
    for (const ticket of resolved) {
      const entry = weeks.get(weekOf(ticket.resolvedAt!))
      if (entry) entry.resolved++
    }
    return [...weeks.values()]
  }
}

/** MySQL answers booleans as 0/1, SQLite as 0/1 too, some drivers as true/false. */
function truthy(value: unknown) {
  return value === true || value === 1 || value === '1'
}

/** Full names of the tenant's users among `ids`. */
async function userNames(tenantId: number, ids: (number | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))]
  if (wanted.length === 0) return new Map<number, string>()
  const rows = await User.forTenant(tenantId).whereIn('id', wanted).select('id', 'full_name')
  return new Map(rows.map((row) => [row.id, row.fullName]))
}

/** Minutes as the weekly email shows them (`-` when nothing was measured). */
function minutesText(minutes: number | null) {
  return minutes === null ? '-' : String(Math.round(minutes))
}

/**
 * The weekly email to owners (Mondays, the scheduler): for every tenant with support
 * conversations created in the past seven days, each active owner gets the previous ISO week's
 * numbers (Monday to Sunday, local: opened, resolved, FRT and ART medians, breached, CSAT
 * average) and a link to the dashboard, through the outbox. Once per tenant, owner and ISO week:
 * the notification's `dedupe_key` (`inbox-weekly:<tenant>:<year>-W<week>:<user>`, unique per
 * tenant) is checked first, so a second run the same week writes nothing. Only tenants with an
 * active email channel get one (enqueueNotification writes nothing otherwise). Returns how many
 * emails it queued.
 */
export async function sendWeeklySummaries(now: DateTime) {
  const since = toSqlDateTime(now.minus({ days: 7 }))
  const tenants = await Conversation.query()
    .where('kind', 'support')
    .where('created_at', '>=', since)
    .where('created_at', '<', toSqlDateTime(now))
    .distinct('tenant_id')
    .pojo<{ tenant_id: number }>()
  const analytics = new InboxAnalytics()
  let queued = 0
  for (const { tenant_id: tenantValue } of tenants) {
    const tenantId = Number(tenantValue)
    try {
      queued += await weeklySummary(analytics, tenantId, now)
    } catch (error) {
      logger.error({ err: error, tenantId }, 'inbox weekly summary failed')
    }
  }
  return queued
}

async function weeklySummary(analytics: InboxAnalytics, tenantId: number, now: DateTime) {
  const { zone } = await slaPlanner.calendar(tenantId)
  // The last whole ISO week before `now` (local): Monday to Sunday.
  const lastWeek = now.setZone(zone).startOf('week').minus({ weeks: 1 })
  const period = {
    from: lastWeek.toISODate()!,
    to: lastWeek.plus({ days: 6 }).toISODate()!,
  }
  const weekKey = `${lastWeek.weekYear}-W${String(lastWeek.weekNumber).padStart(2, '0')}`
  const digest = await ownerDigest(tenantId, 'inbox-weekly', weekKey)
  if (!digest) return 0
  const report = await analytics.report(tenantId, null, period, zone, now)
  const variables = {
    week: weekKey,
    from: period.from,
    to: period.to,
    opened: String(report.opened),
    resolved: String(report.resolved),
    frt_median: minutesText(report.frt.median),
    art_median: minutesText(report.art.median),
    breached: String(report.breached),
    csat_average: report.csat.average === null ? '-' : report.csat.average.toFixed(2),
    link: absoluteUrl('inbox.analytics.index'),
    tenant_name: digest.profile.tenantName,
  }
  return digest.send('inbox_weekly_summary', variables, now)
}
