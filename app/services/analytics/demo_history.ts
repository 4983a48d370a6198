import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Branch from '#models/branch'
import Counter from '#models/counter'
import Service from '#models/service'
import User from '#models/user'

/** Marks the tickets this writer made, so that writing again replaces them. */
export const HISTORY_NOTE = 'demo:history'
/** Rows per INSERT (SQLite takes at most 500 rows in one multi-row insert). */
const BATCH = 400

/** Share of the day's tickets taken in each hour 07:00-17:00: a morning peak and one after lunch. */
const HOUR_WEIGHTS: [number, number][] = [
  [7, 3],
  [8, 12],
  [9, 16],
  [10, 15],
  [11, 11],
  [12, 6],
  [13, 11],
  [14, 10],
  [15, 9],
  [16, 7],
]
/** Relative busyness of the weekdays (0 = Sunday): Monday busiest, Sunday quiet. */
const WEEKDAY_WEIGHTS = [0.25, 1.35, 1.1, 1.0, 1.05, 1.15, 0.6]

/** A reproducible random source (mulberry32), so two runs write the same year. */
function randomFrom(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Writes a year of a busy branch's queue for analytics demos and benchmarks (`node ace
 * demo:history`): `tickets` tickets over the 365 days before today, spread over the weekdays and
 * hours as a clinic's are, each with its events: about 88% served (waits mostly 5-25 minutes,
 * longer at the peaks), 8% no-shows, 4% cancelled, at the branch's counters by their operators.
 * Straight SQL in batches; earlier history of the branch is replaced. The rollups are not touched:
 * run `analytics:rebuild` (the command does) after it.
 */
export default class DemoHistory {
  async write(branch: Branch, tickets: number, onProgress?: (written: number) => void) {
    const services = await Service.query().where('branch_id', branch.id).orderBy('position')
    const counters = await Counter.query().where('branch_id', branch.id).orderBy('position')
    const operators = await User.forTenant(branch.tenantId).where('role', 'operator').select('id')
    if (!services.length || !counters.length)
      throw new Error('The branch needs services and counters')
    await db.from('tickets').where('branch_id', branch.id).where('note', HISTORY_NOTE).delete()

    const random = randomFrom(branch.id * 7919)
    const today = DateTime.now().setZone(branch.timezone).startOf('day')
    const days = Array.from({ length: 365 }, (_, index) => today.minus({ days: 365 - index }))
    const dayWeights = days.map((day) => WEEKDAY_WEIGHTS[day.weekday % 7])
    const totalWeight = dayWeights.reduce((sum, weight) => sum + weight, 0)
    const hourTotal = HOUR_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0)
    const sequences = new Map<string, number>()
    let ticketRows: Record<string, unknown>[] = []
    let eventRows: Record<string, unknown>[] = []
    let written = 0

    const flush = async () => {
      if (!ticketRows.length) return
      await db.table('tickets').multiInsert(ticketRows)
      for (let start = 0; start < eventRows.length; start += BATCH)
        await db.table('ticket_events').multiInsert(eventRows.slice(start, start + BATCH))
      written += ticketRows.length
      ticketRows = []
      eventRows = []
      onProgress?.(written)
    }

    for (const [index, day] of days.entries()) {
      const count = Math.round((tickets * dayWeights[index]) / totalWeight)
      for (let number = 0; number < count; number++) {
        let pick = random() * hourTotal
        const [hour] = HOUR_WEIGHTS.find(([, weight]) => (pick -= weight) < 0) ?? HOUR_WEIGHTS[0]
        const service = services[Math.floor(random() * services.length)]
        const counter = counters[Math.floor(random() * counters.length)]
        const operator = operators.length
          ? operators[Math.floor(random() * operators.length)].id
          : null
        const serviceDate = day.toISODate()!
        const key = `${service.id}|${serviceDate}`
        const sequence = (sequences.get(key) ?? 0) + 1
        sequences.set(key, sequence)
        const queuedAt = day.plus({ hours: hour, seconds: Math.floor(random() * 3600) })
        const peak = hour === 9 || hour === 10 || hour === 13 ? 1.6 : 1
        const wait = Math.round(60 * peak * (4 + -Math.log(1 - random()) * 9))
        const serviceSeconds = Math.round(120 + random() * 600)
        const fate = random()
        const status = fate < 0.88 ? 'done' : fate < 0.96 ? 'no_show' : 'cancelled'
        const calledAt = status === 'cancelled' ? null : queuedAt.plus({ seconds: wait })
        const endedAt =
          status === 'done'
            ? calledAt!.plus({ seconds: serviceSeconds })
            : status === 'no_show'
              ? calledAt!.plus({ minutes: 5 })
              : queuedAt.plus({ seconds: Math.round(wait / 2) })
        const id = randomUUID()
        const sql = (at: DateTime | null) =>
          at ? at.toUTC().toFormat('yyyy-MM-dd HH:mm:ss.SSS') : null
        ticketRows.push({
          id,
          tenant_id: branch.tenantId,
          branch_id: branch.id,
          service_id: service.id,
          origin_service_id: service.id,
          counter_id: status === 'cancelled' ? null : counter.id,
          service_date: serviceDate,
          cycle: 1,
          sequence,
          number: service.formatNumber(sequence),
          status,
          channel: random() < 0.7 ? 'web' : 'kiosk',
          priority: 'regular',
          local_hour: hour,
          wait_seconds: calledAt ? wait : null,
          service_seconds: status === 'done' ? serviceSeconds : null,
          recall_count: 0,
          transfer_count: 0,
          requeue_count: 0,
          note: HISTORY_NOTE,
          queued_at: sql(queuedAt),
          called_at: sql(calledAt),
          completed_at: status === 'done' ? sql(endedAt) : null,
          cancelled_at: status === 'cancelled' ? sql(endedAt) : null,
          created_at: sql(queuedAt),
          updated_at: sql(endedAt),
        })
        const event = (
          type: string,
          from: string | null,
          to: string,
          at: DateTime,
          staff: boolean
        ) => ({
          tenant_id: branch.tenantId,
          branch_id: branch.id,
          ticket_id: id,
          type,
          from_status: from,
          to_status: to,
          counter_id: staff ? counter.id : null,
          user_id: staff ? operator : null,
          created_at: sql(at),
        })
        eventRows.push(event('created', null, 'waiting', queuedAt, false))
        if (status === 'done') eventRows.push(event('completed', 'serving', 'done', endedAt, true))
        else if (status === 'no_show')
          eventRows.push(event('no_show', 'called', 'no_show', endedAt, true))
        else eventRows.push(event('cancelled', 'waiting', 'cancelled', endedAt, false))
        if (ticketRows.length >= BATCH) await flush()
      }
    }
    await flush()
    return written
  }
}
