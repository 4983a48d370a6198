import db from '@adonisjs/lucid/services/db'
import Service from '#models/service'
import type Branch from '#models/branch'

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
