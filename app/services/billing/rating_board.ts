import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Rating from '#models/rating'
import RatingCredit from '#models/rating_credit'
import Service from '#models/service'
import { fromSqlDateTime, toSqlDateTime } from '#models/columns'
import { csvRecord } from '#support/csv'
import { withoutWildcards } from '#support/sql'
import type { RatingPart, RatingSubject } from '#enums/billing'

export interface RatingFilter {
  /** Local days `YYYY-MM-DD`, both included, of the answer. */
  from: string
  to: string
  subjectType?: RatingSubject | null
  /** Only scores at or below the tenant's low threshold. */
  low?: boolean
  staffId?: number | null
  q?: string | null
  page?: number
}

export interface RatingSummary {
  /** Links sent in the period, and how many of them were answered. */
  sent: number
  answered: number
  average: number | null
  /** How many answers gave 1, 2, 3, 4 and 5 stars. */
  distribution: number[]
  /** Answers per week (from its Monday, local) in the period: `{ week, count, average }`. */
  weeks: { week: string; count: number; average: number }[]
  /** The staff credited per part they played (operator, technician, CS, booking staff), best average first. */
  staff: { userId: number; name: string; part: RatingPart; count: number; average: number }[]
  /** Tickets and bookings rated per service, best average first. */
  services: { service: Service; count: number; average: number }[]
}

export const RATINGS_PER_PAGE = 25

/** How many answers and their scores together, per week or service. */
interface Tally {
  count: number
  total: number
}

function tally<K>(tallies: Map<K, Tally>, key: K, score: number) {
  const entry = tallies.get(key) ?? { count: 0, total: 0 }
  entry.count++
  entry.total += score
  tallies.set(key, entry)
}

export const EXPORT_COLUMNS = [
  'answered_at',
  'subject_type',
  'label',
  'score',
  'comment',
  'staff',
  'branch_id',
] as const

/**
 * What the ratings dashboard reads: the answers in a period (by kind of work, staff member, low
 * scores), their summary (response rate, average, distribution, per day and per staff member), the
 * low ratings waiting on the supervisor board, and the same list as CSV. Days are the branch's.
 */
export default class RatingBoard {
  #window(filter: RatingFilter, zone: string) {
    const start = DateTime.fromISO(filter.from, { zone }).startOf('day').toUTC()
    const end = DateTime.fromISO(filter.to, { zone }).plus({ days: 1 }).startOf('day').toUTC()
    return [toSqlDateTime(start), toSqlDateTime(end)]
  }

  /** Answered ratings matching the filter, newest first, in `branchIds` (null: all of them). */
  answers(
    tenantId: number,
    branchIds: number[] | null,
    filter: RatingFilter,
    zone: string,
    lowThreshold: number
  ) {
    const [start, end] = this.#window(filter, zone)
    const query = Rating.forTenant(tenantId)
    if (branchIds) query.whereIn('branch_id', branchIds)
    query
      .whereNotNull('answered_at')
      .where('answered_at', '>=', start)
      .where('answered_at', '<', end)
      .preload('credits')
    if (filter.subjectType) query.where('subject_type', filter.subjectType)
    if (filter.low) query.where('score', '<=', lowThreshold)
    if (filter.staffId)
      query.whereExists((credit) =>
        credit
          .from('rating_credits')
          .whereColumn('rating_credits.rating_id', 'ratings.id')
          .where('rating_credits.user_id', filter.staffId!)
      )
    if (filter.q) {
      const like = `%${withoutWildcards(filter.q)}%`
      query.where((text) => text.where('label', 'like', like).orWhere('comment', 'like', like))
    }
    return query.orderBy('answered_at', 'desc').orderBy('id', 'desc')
  }

  async summary(
    tenantId: number,
    branchIds: number[],
    filter: RatingFilter,
    zone: string
  ): Promise<RatingSummary> {
    const [start, end] = this.#window(filter, zone)
    const scoped = () => {
      const query = Rating.forTenant(tenantId).whereIn('branch_id', branchIds)
      if (filter.subjectType) query.where('subject_type', filter.subjectType)
      return query
    }
    const sent = await scoped()
      .whereNotNull('sent_at')
      .where('sent_at', '>=', start)
      .where('sent_at', '<', end)
      .count('* as count')
      .pojo<{ count: number | string }>()
    const answers = await scoped()
      .whereNotNull('answered_at')
      .where('answered_at', '>=', start)
      .where('answered_at', '<', end)
      .select('score', 'answered_at', 'service_id')
      .pojo<{ score: number; answered_at: unknown; service_id: number | null }>()
    const distribution = [0, 0, 0, 0, 0]
    const byWeek = new Map<string, Tally>()
    const byService = new Map<number, Tally>()
    for (const answer of answers) {
      const score = Number(answer.score)
      distribution[score - 1]++
      const week = fromSqlDateTime(answer.answered_at)!.setZone(zone).startOf('week').toISODate()!
      tally(byWeek, week, score)
      if (answer.service_id !== null) tally(byService, Number(answer.service_id), score)
    }
    const services = byService.size
      ? await Service.forTenant(tenantId).whereIn('id', [...byService.keys()])
      : []
    const total = distribution.reduce((sum, count, index) => sum + count * (index + 1), 0)
    const staff = await RatingCredit.forTenant(tenantId)
      .join('ratings', 'ratings.id', 'rating_credits.rating_id')
      .join('users', 'users.id', 'rating_credits.user_id')
      .whereIn('ratings.branch_id', branchIds)
      .whereNotNull('ratings.answered_at')
      .where('ratings.answered_at', '>=', start)
      .where('ratings.answered_at', '<', end)
      .if(filter.subjectType, (query) => query.where('ratings.subject_type', filter.subjectType!))
      .groupBy('rating_credits.user_id', 'users.full_name', 'rating_credits.part')
      .select('rating_credits.user_id', 'users.full_name', 'rating_credits.part')
      .count('* as count')
      .avg('ratings.score as average')
      .orderBy('average', 'desc')
      .limit(100)
      .pojo<{
        user_id: number
        full_name: string
        part: RatingPart
        count: number
        average: number
      }>()
    return {
      sent: Number(sent[0]?.count ?? 0),
      answered: answers.length,
      average: answers.length ? total / answers.length : null,
      distribution,
      weeks: [...byWeek.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([week, entry]) => ({ week, count: entry.count, average: entry.total / entry.count })),
      staff: staff.map((row) => ({
        userId: Number(row.user_id),
        name: row.full_name,
        part: row.part,
        count: Number(row.count),
        average: Number(row.average),
      })),
      services: services
        .map((service) => {
          const entry = byService.get(service.id)!
          return { service, count: entry.count, average: entry.total / entry.count }
        })
        .sort((a, b) => b.average - a.average),
    }
  }

  /** The low ratings of the last seven days: what the supervisor board shows. */
  lowRecent(tenantId: number, branchIds: number[], threshold: number, now: DateTime) {
    return Rating.forTenant(tenantId)
      .whereIn('branch_id', branchIds)
      .whereNotNull('answered_at')
      .where('score', '<=', threshold)
      .where('answered_at', '>=', toSqlDateTime(now.minus({ days: 7 })))
      .preload('credits')
      .orderBy('answered_at', 'desc')
      .limit(20)
  }

  /** The answers as CSV, with the names of the staff credited. */
  async *csv(
    tenantId: number,
    branchIds: number[],
    filter: RatingFilter,
    zone: string,
    lowThreshold: number
  ): AsyncGenerator<string> {
    yield '\uFEFF' + csvRecord(EXPORT_COLUMNS)
    const ratings = await this.answers(tenantId, branchIds, filter, zone, lowThreshold).limit(
      50_000
    )
    const names = await staffNames(ratings)
    for (const rating of ratings)
      yield csvRecord([
        rating.answeredAt!.setZone(zone).toFormat('yyyy-LL-dd HH:mm'),
        rating.subjectType,
        rating.label,
        rating.score,
        rating.comment,
        rating.credits.map((credit) => names.get(credit.userId) ?? '').join('; '),
        rating.branchId,
      ])
  }
}

/** The names of the staff credited by `ratings`, by user id. */
export async function staffNames(ratings: Rating[]) {
  const ids = [...new Set(ratings.flatMap((rating) => rating.credits.map((c) => c.userId)))]
  if (ids.length === 0) return new Map<number, string>()
  const rows = await db.from('users').whereIn('id', ids).select('id', 'full_name')
  return new Map(rows.map((row) => [Number(row.id), String(row.full_name)]))
}
