import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Area from '#models/area'
import Branch from '#models/branch'
import Counter from '#models/counter'
import QueueStat from '#models/queue_stat'
import QueueStatHour from '#models/queue_stat_hour'
import QueueStatWait from '#models/queue_stat_wait'
import Service from '#models/service'
import User from '#models/user'
import { HIST_BUCKETS, percentileOf } from '#services/analytics/queue_stats'

/** What an analytics page reads: a tenant's branch (or all), a span of local days, a breakdown. */
export interface AnalyticsFilter {
  branchId: number | null
  /** `YYYY-MM-DD`, both included. */
  from: string
  to: string
  by: Breakdown
  /** The series' step: a bar an hour (spans of up to HOURLY_MAX_DAYS), a day, a week (from Monday) or a month. */
  interval: Interval
}

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const
export type Interval = (typeof INTERVALS)[number]
/** The longest span shown an hour a bar. */
export const HOURLY_MAX_DAYS = 7

export const BREAKDOWNS = ['service', 'area', 'counter', 'staff', 'branch'] as const
export type Breakdown = (typeof BREAKDOWNS)[number]

/** The figures of a set of rollup rows (see `kpisOf` for their definitions). */
export interface Kpis {
  taken: number
  served: number
  noShow: number
  cancelled: number
  avgWaitSeconds: number | null
  medianWaitSeconds: number | null
  p90WaitSeconds: number | null
  maxWaitSeconds: number | null
  avgServiceSeconds: number | null
  /** Served within the service's SLA minutes / served with a known wait. */
  slaCompliance: number | null
  /** No-shows / (served + no-shows): of the visitors called, how many never came. */
  noShowRate: number | null
  /** Cancelled / taken. */
  cancelRate: number | null
  /** (Cancelled + no-shows) / taken: the visitors who left without being served. */
  dropOffRate: number | null
  /** Served per hour in which anyone was served. */
  throughputPerHour: number | null
}

interface Sums {
  taken: number
  served: number
  noShow: number
  cancelled: number
  withinSla: number
  waitCount: number
  waitSum: number
  waitMax: number
  serviceCount: number
  serviceSum: number
  activeHours: number
}

const SUMS = [
  'SUM(taken) as taken',
  'SUM(served) as served',
  'SUM(no_show) as no_show',
  'SUM(cancelled) as cancelled',
  'SUM(within_sla) as within_sla',
  'SUM(wait_count) as wait_count',
  'SUM(wait_sum) as wait_sum',
  'MAX(wait_max) as wait_max',
  'SUM(service_count) as service_count',
  'SUM(service_sum) as service_sum',
]

function sumsOf(row: any, activeHours = 0): Sums {
  return {
    taken: Number(row?.taken ?? 0),
    served: Number(row?.served ?? 0),
    noShow: Number(row?.no_show ?? 0),
    cancelled: Number(row?.cancelled ?? 0),
    withinSla: Number(row?.within_sla ?? 0),
    waitCount: Number(row?.wait_count ?? 0),
    waitSum: Number(row?.wait_sum ?? 0),
    waitMax: Number(row?.wait_max ?? 0),
    serviceCount: Number(row?.service_count ?? 0),
    serviceSum: Number(row?.service_sum ?? 0),
    activeHours,
  }
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null)

/** The KPIs of summed rows and their merged wait histogram (PROVIDERS.md's metric definitions). */
export function kpisOf(sums: Sums, hist: number[] | null): Kpis {
  return {
    taken: sums.taken,
    served: sums.served,
    noShow: sums.noShow,
    cancelled: sums.cancelled,
    avgWaitSeconds: ratio(sums.waitSum, sums.waitCount),
    medianWaitSeconds: hist ? percentileOf(hist, 0.5) : null,
    p90WaitSeconds: hist ? percentileOf(hist, 0.9) : null,
    maxWaitSeconds: sums.waitCount > 0 ? sums.waitMax : null,
    avgServiceSeconds: ratio(sums.serviceSum, sums.serviceCount),
    slaCompliance: ratio(sums.withinSla, sums.waitCount),
    noShowRate: ratio(sums.noShow, sums.served + sums.noShow),
    cancelRate: ratio(sums.cancelled, sums.taken),
    dropOffRate: ratio(sums.cancelled + sums.noShow, sums.taken),
    throughputPerHour: ratio(sums.served, sums.activeHours),
  }
}

/**
 * The queue's analytics (issue 16) from the rollups (`queue_stats`, app/services/analytics/
 * queue_stats.ts), never from the tickets: KPIs of the span and of the span before it (the
 * comparison), tickets per day, the busiest hours as a weekday x hour grid, and a breakdown per
 * service, counter or member of staff. Every query is a SUM over the tenant's rows of the span.
 */
export default class QueueAnalytics {
  async report(tenantId: number, filter: AnalyticsFilter) {
    const days = DateTime.fromISO(filter.to).diff(DateTime.fromISO(filter.from), 'days').days + 1
    const before = {
      ...filter,
      from: DateTime.fromISO(filter.from).minus({ days }).toISODate()!,
      to: DateTime.fromISO(filter.from).minus({ days: 1 }).toISODate()!,
    }
    const [current, previous, series, heat, breakdown] = await Promise.all([
      this.#kpis(tenantId, filter),
      this.#kpis(tenantId, before),
      this.#series(tenantId, filter),
      this.#heatmap(tenantId, filter),
      this.#breakdown(tenantId, filter),
    ])
    return { kpis: current, previous, previousSpan: before, series, heat, breakdown, days }
  }

  /** The tenant's rows of a rollup (a day's, an hour's or a wait histogram's) over the span. */
  #rows<Model extends Rollup>(
    tenantId: number,
    filter: Pick<AnalyticsFilter, 'branchId' | 'from' | 'to'>,
    model: Model
  ) {
    const query = model.forTenant(tenantId).whereBetween('day', [filter.from, filter.to])
    if (filter.branchId) query.where('branch_id', filter.branchId)
    return query
  }

  async #kpis(tenantId: number, filter: AnalyticsFilter) {
    const [totals, hours, hists] = await Promise.all([
      this.#rows(tenantId, filter, QueueStat)
        .select(db.raw(SUMS.join(', ')))
        .pojo<Record<string, any>>()
        .first(),
      db
        .from(
          this.#rows(tenantId, filter, QueueStatHour)
            .where('served', '>', 0)
            .distinct('branch_id', 'day', 'hour')
            .as('hours')
        )
        .count('* as total')
        .first(),
      this.#rows(tenantId, filter, QueueStatWait).select('wait_hist').pojo<{ wait_hist: string }>(),
    ])
    return kpisOf(sumsOf(totals, Number(hours?.total ?? 0)), mergeHists(hists))
  }

  /** Tickets and KPIs per day, week (from Monday) or month of the span, empty steps included. */
  async #series(tenantId: number, filter: AnalyticsFilter) {
    if (filter.interval === 'hour') return this.#hourly(tenantId, filter)
    const rows = await this.#rows(tenantId, filter, QueueStat)
      .groupBy('day')
      .orderBy('day')
      .select('day', db.raw(SUMS.join(', ')))
      .pojo<Record<string, any>>()
    const unit = filter.interval as Exclude<Interval, 'hour'>
    const stepOf = (day: string) => DateTime.fromISO(day).startOf(unit).toISODate()!
    const steps = new Map<string, Sums>()
    for (
      let day = DateTime.fromISO(filter.from).startOf(unit);
      day <= DateTime.fromISO(filter.to);
      day = day.plus({ [unit + 's']: 1 })
    )
      steps.set(day.toISODate()!, sumsOf(null))
    for (const row of rows) addSums(steps.get(stepOf(String(row.day)))!, sumsOf(row))
    return [...steps].map(([day, sums]) => ({ day, ...kpisOf(sums, null) }))
  }

  /**
   * Numbers taken and served an hour a bar (`YYYY-MM-DD HH:00`), from the hourly rollup, over the
   * hours in which the span's branches took or served anyone (the other KPIs are per day).
   */
  async #hourly(tenantId: number, filter: AnalyticsFilter) {
    const rows = await this.#rows(tenantId, filter, QueueStatHour)
      .groupBy('day', 'hour')
      .select('day', 'hour')
      .sum('taken as taken')
      .sum('served as served')
      .pojo<Record<string, any>>()
    const hours = rows.map((row) => Number(row.hour))
    const first = hours.length ? Math.min(...hours) : 8
    const last = hours.length ? Math.max(...hours) : 17
    const byHour = new Map(rows.map((row) => [`${row.day}|${Number(row.hour)}`, row]))
    const series = []
    for (
      let day = DateTime.fromISO(filter.from);
      day <= DateTime.fromISO(filter.to);
      day = day.plus({ days: 1 })
    )
      for (let hour = first; hour <= last; hour++) {
        const row = byHour.get(`${day.toISODate()}|${hour}`)
        const sums = sumsOf(null)
        sums.taken = Number(row?.taken ?? 0)
        sums.served = Number(row?.served ?? 0)
        series.push({
          day: `${day.toISODate()} ${String(hour).padStart(2, '0')}:00`,
          ...kpisOf(sums, null),
        })
      }
    return series
  }

  /** Tickets taken per weekday (0 = Sunday) and hour: `grid[weekday][hour]`. */
  async #heatmap(tenantId: number, filter: AnalyticsFilter) {
    const rows = await this.#rows(tenantId, filter, QueueStatHour)
      .groupBy('weekday', 'hour')
      .select('weekday', 'hour')
      .sum('taken as taken')
      .pojo<Record<string, any>>()
    const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0))
    for (const row of rows) grid[Number(row.weekday)][Number(row.hour)] = Number(row.taken)
    const hours = rows.filter((row) => Number(row.taken) > 0).map((row) => Number(row.hour))
    return {
      grid,
      max: Math.max(0, ...grid.flat()),
      firstHour: hours.length ? Math.min(...hours) : 8,
      lastHour: hours.length ? Math.max(...hours) : 17,
    }
  }

  /**
   * The span's KPIs per service, area, counter, member of staff or branch, busiest first. Areas
   * are their services' sums; the branch breakdown compares every branch of the tenant (the
   * branch filter does not apply to it).
   */
  async #breakdown(tenantId: number, filter: AnalyticsFilter) {
    const by = filter.by === 'area' ? 'service' : filter.by
    const column = {
      service: 'service_id',
      counter: 'counter_id',
      staff: 'user_id',
      branch: 'branch_id',
    }[by]
    const span = by === 'branch' ? { ...filter, branchId: null } : filter
    const rows = await this.#rows(tenantId, span, QueueStat)
      .groupBy(column)
      .select(`${column} as key`, db.raw(SUMS.join(', ')))
      .pojo<Record<string, any>>()
    const ids = rows.map((row) => Number(row.key)).filter((id) => id > 0)
    const model = { service: Service, counter: Counter, staff: User, branch: Branch }[by]
    const names = new Map<number, { name: string; areaId: number | null }>()
    if (ids.length)
      for (const row of await model
        .forTenant(tenantId)
        .whereIn('id', ids)
        .select(
          'id',
          `${by === 'staff' ? 'full_name' : 'name'} as name`,
          by === 'service' ? 'area_id' : db.raw('NULL as area_id')
        )
        .pojo<{ id: number; name: string; area_id: number | null }>())
        names.set(Number(row.id), { name: String(row.name), areaId: row.area_id ?? null })
    let groups = rows.map((row) => ({
      id: Number(row.key),
      name: names.get(Number(row.key))?.name ?? null,
      sums: sumsOf(row),
    }))
    if (filter.by === 'area') groups = await this.#byArea(tenantId, groups, names)
    return groups
      .map(({ id, name, sums }) => ({ id, name, ...kpisOf(sums, null) }))
      .sort((a, b) => b.taken + b.served - (a.taken + a.served))
  }

  /** Services' sums folded into their areas (services without one under "none"). */
  async #byArea(
    tenantId: number,
    services: { id: number; sums: Sums }[],
    serviceInfo: Map<number, { areaId: number | null }>
  ) {
    const areas = new Map<number, { id: number; name: string | null; sums: Sums }>()
    for (const row of await Area.forTenant(tenantId).select('id', 'name'))
      areas.set(Number(row.id), { id: Number(row.id), name: String(row.name), sums: sumsOf(null) })
    const none = { id: 0, name: null, sums: sumsOf(null) }
    for (const service of services) {
      const areaId = serviceInfo.get(service.id)?.areaId
      addSums(((areaId && areas.get(Number(areaId))) || none).sums, service.sums)
    }
    return [...areas.values(), none].filter((area) => area.sums.taken + area.sums.served > 0)
  }
}

/** The rollup tables' models: a day, an hour, a wait histogram. */
type Rollup = typeof QueueStat | typeof QueueStatHour | typeof QueueStatWait

/** Adds one set of sums into another (a max for the longest wait). */
function addSums(target: Sums, add: Sums) {
  for (const key of Object.keys(add) as (keyof Sums)[])
    target[key] = key === 'waitMax' ? Math.max(target[key], add[key]) : target[key] + add[key]
}

function mergeHists(rows: { wait_hist: string }[]) {
  if (rows.length === 0) return null
  const merged = new Array<number>(HIST_BUCKETS).fill(0)
  for (const row of rows) {
    const hist: number[] = JSON.parse(row.wait_hist)
    for (let index = 0; index < hist.length; index++) merged[index] += hist[index]
  }
  return merged
}
