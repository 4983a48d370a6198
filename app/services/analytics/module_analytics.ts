import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Booking from '#models/booking'
import Holiday from '#models/holiday'
import Invoice from '#models/invoice'
import Rating from '#models/rating'
import Resource from '#models/resource'
import { toSqlDateTime } from '#models/columns'

/** The span a module report reads: local days of the branch's zone, a branch or all. */
export interface ModuleFilter {
  branchId: number | null
  from: string
  to: string
  zone: string
  /** Today, local: invoices due before it and unpaid are overdue. */
  today: string
}

/** Statuses of a booking that kept its place (it counts for utilisation). */
const BOOKED = ['pending_payment', 'awaiting_customer', 'arrived', 'ongoing', 'done', 'no_show']
/** Statuses of a booking whose customer came. */
const SHOWED = ['arrived', 'ongoing', 'done']
/** Invoices that were billed (numbered and not voided). */
const BILLED = ['approved', 'sent', 'paid']

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null)

/** Seconds between two datetime columns, in the dialect's SQL. */
function secondsBetween(from: string, to: string) {
  return db.connection().dialect.name === 'mysql'
    ? `TIMESTAMPDIFF(SECOND, ${from}, ${to})`
    : `((julianday(${to}) - julianday(${from})) * 86400)`
}

/**
 * The other modules' KPIs for the analytics area (issue 16), read from their own tables (small
 * next to a year of tickets, and indexed by tenant and date): bookings (show-up rate and
 * utilisation per resource), visit jobs (claimed-to-done time per technician), invoices (billed,
 * paid and overdue per month) and ratings (average and spread).
 */
export default class ModuleAnalytics {
  async report(tenantId: number, filter: ModuleFilter) {
    const [bookings, jobs, invoices, ratings] = await Promise.all([
      this.bookings(tenantId, filter),
      this.jobs(tenantId, filter),
      this.invoices(tenantId, filter),
      this.ratings(tenantId, filter),
    ])
    return { bookings, jobs, invoices, ratings }
  }

  /** The span as UTC datetimes: from the first day's local midnight to the one after the last day. */
  #instants(filter: ModuleFilter) {
    return [
      toSqlDateTime(DateTime.fromISO(filter.from, { zone: filter.zone })),
      toSqlDateTime(DateTime.fromISO(filter.to, { zone: filter.zone }).plus({ days: 1 })),
    ]
  }

  /**
   * Bookings of the span's days: counts by status; show-up rate = came / (came + no-shows);
   * per resource, booked hours / open hours (its weekly schedule over the span, the branch's
   * holidays left out).
   */
  async bookings(tenantId: number, filter: ModuleFilter) {
    const query = Booking.forTenant(tenantId).whereBetween('service_date', [filter.from, filter.to])
    if (filter.branchId) query.where('branch_id', filter.branchId)
    const rows = await query
      .groupBy('resource_id', 'status')
      .select(
        'resource_id',
        'status',
        db.raw('COUNT(*) as total'),
        db.raw(`SUM(${secondsBetween('starts_at', 'ends_at')}) as seconds`)
      )
      .pojo<Record<string, any>>()
    const resourceIds = [...new Set(rows.map((row) => Number(row.resource_id)))]
    const resources = resourceIds.length
      ? await Resource.forTenant(tenantId)
          .whereIn('id', resourceIds)
          .select('id', 'name', 'branch_id')
          .pojo<{ id: number; name: string; branch_id: number }>()
      : []
    const schedules = resourceIds.length
      ? await db
          .from('resource_schedules')
          .whereIn('resource_id', resourceIds)
          .select('resource_id', 'weekday', 'opens_at', 'closes_at')
      : []
    const holidays = await Holiday.forTenant(tenantId)
      .whereBetween('date', [filter.from, filter.to])
      .select('branch_id', 'date')
      .pojo<{ branch_id: number; date: string }>()
    const closed = new Set(holidays.map((row) => `${row.branch_id}|${row.date}`))

    const byStatus = new Map<string, number>()
    const perResource = resources.map((resource) => {
      let booked = 0
      let bookedSeconds = 0
      for (const row of rows.filter((one) => Number(one.resource_id) === Number(resource.id))) {
        if (!BOOKED.includes(row.status)) continue
        booked += Number(row.total)
        bookedSeconds += Number(row.seconds ?? 0)
      }
      let openSeconds = 0
      for (
        let day = DateTime.fromISO(filter.from);
        day <= DateTime.fromISO(filter.to);
        day = day.plus({ days: 1 })
      ) {
        if (closed.has(`${resource.branch_id}|${day.toISODate()}`)) continue
        for (const opening of schedules)
          if (
            Number(opening.resource_id) === Number(resource.id) &&
            Number(opening.weekday) === day.weekday % 7
          )
            openSeconds += minutesOf(opening.closes_at) * 60 - minutesOf(opening.opens_at) * 60
      }
      return {
        id: Number(resource.id),
        name: String(resource.name),
        booked,
        bookedHours: bookedSeconds / 3600,
        openHours: openSeconds / 3600,
        utilisation: ratio(bookedSeconds, openSeconds),
      }
    })
    for (const row of rows)
      byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + Number(row.total))
    const count = (statuses: string[]) =>
      statuses.reduce((sum, status) => sum + (byStatus.get(status) ?? 0), 0)
    const came = count(SHOWED)
    const noShow = count(['no_show'])
    return {
      total: [...byStatus.values()].reduce((sum, total) => sum + total, 0),
      came,
      noShow,
      cancelled: count(['cancelled', 'expired']),
      showUpRate: ratio(came, came + noShow),
      perResource: perResource.sort((a, b) => b.booked - a.booked),
    }
  }

  /** Visit jobs finished in the span: per technician, how many and the average claimed-to-done time. */
  async jobs(tenantId: number, filter: ModuleFilter) {
    const [from, to] = this.#instants(filter)
    const query = db
      .from('job_assignments as a')
      .join('jobs as j', 'j.id', 'a.job_id')
      .join('users as u', 'u.id', 'a.technician_id')
      .where('a.tenant_id', tenantId)
      .whereNull('a.released_at')
      .where('a.done_at', '>=', from)
      .where('a.done_at', '<', to)
    if (filter.branchId) query.where('j.branch_id', filter.branchId)
    const rows = await query
      .groupBy('a.technician_id', 'u.full_name')
      .select(
        'a.technician_id',
        'u.full_name',
        db.raw('COUNT(*) as done'),
        db.raw(`AVG(${secondsBetween('a.claimed_at', 'a.done_at')}) as seconds`)
      )
    return rows
      .map((row) => ({
        id: Number(row.technician_id),
        name: String(row.full_name),
        done: Number(row.done),
        avgClaimedToDoneSeconds: row.seconds === null ? null : Number(row.seconds),
      }))
      .sort((a, b) => b.done - a.done)
  }

  /**
   * Invoices per month of the span: billed (numbered, not void, by issue date), paid (by payment
   * date) and overdue (unpaid past their due date, by due month), in minor units per currency.
   */
  async invoices(tenantId: number, filter: ModuleFilter) {
    const scoped = () => {
      const query = Invoice.forTenant(tenantId)
      if (filter.branchId) query.where('branch_id', filter.branchId)
      return query
    }
    const monthly = (column: string) =>
      db.raw(`substr(${column}, 1, 7) as month`) as unknown as string
    const [billed, paid, overdue] = await Promise.all([
      scoped()
        .whereIn('status', BILLED)
        .whereBetween('issued_on', [filter.from, filter.to])
        .groupByRaw('substr(issued_on, 1, 7), currency')
        .select(
          monthly('issued_on'),
          'currency',
          db.raw('SUM(total) as amount'),
          db.raw('COUNT(*) as total')
        )
        .pojo<Record<string, any>>(),
      scoped()
        .where('status', 'paid')
        .whereBetween('paid_on', [filter.from, filter.to])
        .groupByRaw('substr(paid_on, 1, 7), currency')
        .select(
          monthly('paid_on'),
          'currency',
          db.raw('SUM(total) as amount'),
          db.raw('COUNT(*) as total')
        )
        .pojo<Record<string, any>>(),
      scoped()
        .whereIn('status', ['approved', 'sent'])
        .where('due_on', '<', filter.today)
        .whereBetween('due_on', [filter.from, filter.to])
        .groupByRaw('substr(due_on, 1, 7), currency')
        .select(
          monthly('due_on'),
          'currency',
          db.raw('SUM(total) as amount'),
          db.raw('COUNT(*) as total')
        )
        .pojo<Record<string, any>>(),
    ])
    const months = new Map<string, InvoiceMonth>()
    const add = (rows: any[], key: 'billed' | 'paid' | 'overdue') => {
      for (const row of rows) {
        const id = `${row.month}|${row.currency}`
        const month = months.get(id) ?? {
          month: String(row.month),
          currency: String(row.currency),
          billed: 0,
          billedCount: 0,
          paid: 0,
          paidCount: 0,
          overdue: 0,
          overdueCount: 0,
        }
        month[key] += Number(row.amount)
        month[`${key}Count`] += Number(row.total)
        months.set(id, month)
      }
    }
    add(billed, 'billed')
    add(paid, 'paid')
    add(overdue, 'overdue')
    return [...months.values()].sort((a, b) => a.month.localeCompare(b.month))
  }

  /** Ratings answered in the span: how many, the average score and how many of each score. */
  async ratings(tenantId: number, filter: ModuleFilter) {
    const [from, to] = this.#instants(filter)
    const query = Rating.forTenant(tenantId)
      .whereNotNull('score')
      .where('answered_at', '>=', from)
      .where('answered_at', '<', to)
    if (filter.branchId) query.where('branch_id', filter.branchId)
    const rows = await query
      .groupBy('score')
      .select('score', db.raw('COUNT(*) as total'))
      .pojo<{ score: number; total: number | string }>()
    const spread = [1, 2, 3, 4, 5].map((score) => ({
      score,
      count: Number(rows.find((row) => Number(row.score) === score)?.total ?? 0),
    }))
    const answered = spread.reduce((sum, row) => sum + row.count, 0)
    const points = spread.reduce((sum, row) => sum + row.score * row.count, 0)
    return { answered, average: ratio(points, answered), spread }
  }
}

export interface InvoiceMonth {
  month: string
  currency: string
  billed: number
  billedCount: number
  paid: number
  paidCount: number
  overdue: number
  overdueCount: number
}

/** Minutes since midnight of an `HH:mm` (or `HH:mm:ss`) time. */
function minutesOf(time: string) {
  const [hours, minutes] = String(time).split(':').map(Number)
  return hours * 60 + minutes
}
