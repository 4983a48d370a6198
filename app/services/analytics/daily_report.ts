import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Service from '#models/service'
import BranchHour from '#models/branch_hour'
import type Branch from '#models/branch'

/** The hours a report's chart spans when the branch keeps no hours for that weekday. */
export const DEFAULT_HOURS = { opensAt: '08:00', closesAt: '17:00' }

/** One slot of the hourly chart: a local hour and the tickets taken in it. */
export interface HourSlot {
  hour: number
  label: string
  taken: number
}

export interface ServiceReport {
  service: Service
  taken: number
  served: number
  cancelled: number
  waiting: number
  avgWaitSeconds: number | null
  avgServiceSeconds: number | null
  /** Local hour (0-23) with the most tickets taken, null when none were. */
  busiestHour: number | null
}

/**
 * The day's report of a branch, per service: tickets taken, served, cancelled, average wait
 * (taken -> called) and service time (called -> done), busiest hour. Reads the local day and
 * hour stored on each ticket, so no SQL date functions are needed on either database.
 */
export default class DailyReport {
  /**
   * The day a report asks for: `YYYY-MM-DD` as given, today (branch time) when none is, and today
   * with `understood: false` when the text is not a date, so the page can say so.
   */
  dayOf(branch: Branch, requested: unknown) {
    if (requested === undefined || requested === null || requested === '')
      return { day: branch.today(), understood: true }
    const text = typeof requested === 'string' ? requested.trim() : ''
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text) : null
    if (!parsed?.isValid) return { day: branch.today(), understood: false }
    return { day: parsed.toISODate()!, understood: true }
  }

  /**
   * The hourly chart's axis: every hour the branch is open on that weekday (its own hours, else
   * DEFAULT_HOURS), widened to any hour that still had tickets, each hour its own slot; hours
   * without tickets count zero.
   */
  async hourSlots(branch: Branch, serviceDate: string, byHour: number[]): Promise<HourSlot[]> {
    const weekday = DateTime.fromISO(serviceDate).weekday % 7
    const open = await BranchHour.query()
      .where('branch_id', branch.id)
      .where('weekday', weekday)
      .first()
    const hours = open ?? DEFAULT_HOURS
    let first = Number(hours.opensAt.slice(0, 2))
    const [closeHour, closeMinute] = hours.closesAt.split(':').map(Number)
    let last = closeMinute > 0 ? closeHour : closeHour - 1
    byHour.forEach((taken, hour) => {
      if (taken > 0) {
        first = Math.min(first, hour)
        last = Math.max(last, hour)
      }
    })
    const slots: HourSlot[] = []
    for (let hour = first; hour <= last; hour++) {
      slots.push({ hour, label: String(hour).padStart(2, '0'), taken: byHour[hour] ?? 0 })
    }
    return slots
  }

  async forBranch(branch: Branch, serviceDate: string) {
    const services = await Service.ofBranch(branch.id)
    const totals = await db
      .from('tickets')
      .where('branch_id', branch.id)
      .where('service_date', serviceDate)
      .groupBy('service_id')
      .select('service_id')
      .count('* as taken')
      .select(db.raw("SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) as served"))
      .select(db.raw("SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) as cancelled"))
      .select(db.raw("SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END) as waiting"))
      .avg('wait_seconds as avg_wait')
      .avg('service_seconds as avg_service')
    const hours = await db
      .from('tickets')
      .where('branch_id', branch.id)
      .where('service_date', serviceDate)
      .groupBy('service_id', 'local_hour')
      .select('service_id', 'local_hour')
      .count('* as taken')

    const byHour = new Array<number>(24).fill(0)
    const busiest = new Map<number, { hour: number; taken: number }>()
    for (const row of hours) {
      const serviceId = Number(row.service_id)
      const hour = Number(row.local_hour)
      const taken = Number(row.taken)
      byHour[hour] += taken
      const best = busiest.get(serviceId)
      if (!best || taken > best.taken || (taken === best.taken && hour < best.hour))
        busiest.set(serviceId, { hour, taken })
    }

    const rows: ServiceReport[] = services.map((service) => {
      const row = totals.find((total) => Number(total.service_id) === service.id)
      return {
        service,
        taken: Number(row?.taken ?? 0),
        served: Number(row?.served ?? 0),
        cancelled: Number(row?.cancelled ?? 0),
        waiting: Number(row?.waiting ?? 0),
        avgWaitSeconds:
          row?.avg_wait === null || row?.avg_wait === undefined ? null : Number(row.avg_wait),
        avgServiceSeconds:
          row?.avg_service === null || row?.avg_service === undefined
            ? null
            : Number(row.avg_service),
        busiestHour: busiest.get(service.id)?.hour ?? null,
      }
    })

    const maxHour = Math.max(...byHour)
    return {
      rows,
      byHour,
      busiestHour: maxHour > 0 ? byHour.indexOf(maxHour) : null,
      total: {
        taken: rows.reduce((sum, row) => sum + row.taken, 0),
        served: rows.reduce((sum, row) => sum + row.served, 0),
        cancelled: rows.reduce((sum, row) => sum + row.cancelled, 0),
        waiting: rows.reduce((sum, row) => sum + row.waiting, 0),
      },
    }
  }
}
