import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import clock from '#support/clock'
import { hasRowLocks, isUniqueViolation } from '#support/database'
import { toSqlDateTime } from '#models/columns'

/** The cursor's name in `analytics_cursors`. */
const CURSOR = 'queue_stats'
/** Events read per query (and counted per transaction by `advance`). */
export const ROLLUP_BATCH = 5000
/** Wait histogram buckets: one a minute, the last one "this long or more". */
export const HIST_BUCKETS = 181
/** How far ahead of this server's clock an event's stamp may be and still count as young. */
const SKEW_LIMIT = { minutes: 5 }
/** Rows written per INSERT (SQLite takes at most 500 rows in one multi-row insert). */
const WRITE_CHUNK = 400

/** The events that change a rollup: a number taken, and the ways a ticket ends. */
const COUNTED_EVENTS = ['created', 'completed', 'no_show', 'cancelled', 'closed'] as const

/** A counted event with what the rollup needs of its ticket. */
export interface CountedEvent {
  type: (typeof COUNTED_EVENTS)[number]
  tenantId: number
  branchId: number
  serviceId: number
  counterId: number | null
  userId: number | null
  day: string
  hour: number
  waitSeconds: number | null
  serviceSeconds: number | null
  slaMinutes: number
}

/** A row of `queue_stats`: a day at a branch, service, counter and member of staff (0: none). */
export interface DayRow {
  tenantId: number
  branchId: number
  serviceId: number
  counterId: number
  userId: number
  day: string
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
}

/** A row of `queue_stats_hours`. */
export interface HourRow {
  tenantId: number
  branchId: number
  serviceId: number
  day: string
  hour: number
  weekday: number
  taken: number
  served: number
}

/** A row of `queue_stats_waits`. */
export interface WaitRow {
  tenantId: number
  branchId: number
  serviceId: number
  day: string
  waitHist: number[]
}

/** The three grains of rollup rows, keyed by their unique columns. */
export interface Rollup {
  days: Map<string, DayRow>
  hours: Map<string, HourRow>
  waits: Map<string, WaitRow>
}

export function emptyRollup(): Rollup {
  return { days: new Map(), hours: new Map(), waits: new Map() }
}

export function emptyHist() {
  return new Array<number>(HIST_BUCKETS).fill(0)
}

function upsert<Row>(map: Map<string, Row>, key: string, make: () => Row) {
  let row = map.get(key)
  if (!row) map.set(key, (row = make()))
  return row
}

/**
 * Adds events to rollup rows (pure): a number taken counts at its service with no counter or
 * staff; a served, no-show or cancelled ticket at the counter and member of staff of the event,
 * on the day and in the hour the ticket was taken. Served tickets add their wait (taken -> last
 * call) and service time (call -> done) and count within SLA when the wait was at most the
 * service's SLA minutes (PROVIDERS.md's definitions).
 */
export function addEvents(rollup: Rollup, events: CountedEvent[]) {
  for (const event of events) {
    const { tenantId, branchId, serviceId, day } = event
    const atCounter = event.type !== 'created'
    const counterId = atCounter ? (event.counterId ?? 0) : 0
    const userId = atCounter ? (event.userId ?? 0) : 0
    const row = upsert(
      rollup.days,
      `${branchId}|${serviceId}|${counterId}|${userId}|${day}`,
      () => ({
        ...{ tenantId, branchId, serviceId, counterId, userId, day },
        ...{ taken: 0, served: 0, noShow: 0, cancelled: 0, withinSla: 0 },
        ...{ waitCount: 0, waitSum: 0, waitMax: 0, serviceCount: 0, serviceSum: 0 },
      })
    )
    const hour = upsert(rollup.hours, `${branchId}|${serviceId}|${day}|${event.hour}`, () => ({
      ...{ tenantId, branchId, serviceId, day, hour: event.hour },
      ...{ weekday: DateTime.fromISO(day).weekday % 7, taken: 0, served: 0 },
    }))
    if (event.type === 'created') {
      row.taken++
      hour.taken++
    } else if (event.type === 'no_show') row.noShow++
    else if (event.type === 'cancelled' || event.type === 'closed') row.cancelled++
    else {
      row.served++
      hour.served++
      if (event.waitSeconds !== null) {
        const wait = Math.max(0, event.waitSeconds)
        row.waitCount++
        row.waitSum += wait
        row.waitMax = Math.max(row.waitMax, wait)
        if (wait <= event.slaMinutes * 60) row.withinSla++
        const waits = upsert(rollup.waits, `${branchId}|${serviceId}|${day}`, () => ({
          ...{ tenantId, branchId, serviceId, day, waitHist: emptyHist() },
        }))
        waits.waitHist[Math.min(HIST_BUCKETS - 1, Math.floor(wait / 60))]++
      }
      if (event.serviceSeconds !== null) {
        row.serviceCount++
        row.serviceSum += Math.max(0, event.serviceSeconds)
      }
    }
  }
  return rollup
}

/** What `advance` leaves alone: events younger than this, whose neighbours may not have committed yet. */
export interface AdvanceOptions {
  settleSeconds?: number
  maxBatches?: number
}

/**
 * The queue's analytics rollups, kept current from `ticket_events`: each run counts the events
 * after the cursor in batches, each batch one transaction with the cursor's move (the cursor row
 * is locked: two servers never count an event twice). An event is counted only once it is
 * `settleSeconds` old, and the batch stops at the first younger one: ids are handed out before
 * their transactions commit, so a young event may still have an uncommitted neighbour below it.
 * The scheduler runs it every minute; `analytics:rebuild` counts every event again.
 */
export default class QueueStats {
  /**
   * Counts settled events after the cursor until none is left; returns how many it counted.
   * `settleSeconds: 0` counts every event there is (tests, and runs with no writer about).
   */
  async advance({ settleSeconds = 0, maxBatches = 100 }: AdvanceOptions = {}) {
    const cutoff = settleSeconds > 0 ? clock.now().minus({ seconds: settleSeconds }) : null
    let counted = 0
    for (let batch = 0; batch < maxBatches; batch++) {
      const done = await db.transaction(async (trx) => {
        const cursor = await this.#cursor(trx)
        const events = settled(await readEvents(trx, cursor), cutoff)
        if (events.length === 0) return { read: 0, full: false }
        await writeRollup(trx, addEvents(emptyRollup(), countable(events)), 'add')
        await moveCursor(trx, events[events.length - 1].id)
        return { read: events.length, full: events.length === ROLLUP_BATCH }
      })
      counted += done.read
      if (!done.full) break
    }
    return counted
  }

  /**
   * Counts every event again: reads them all (outside any transaction, page by page), sums them
   * in memory and then, in one transaction with the cursor locked, replaces the rollups and sets
   * the cursor to the last event read. A run of `advance` meanwhile waits for the lock and then
   * goes on from there.
   */
  async rebuild(onProgress?: (read: number) => void) {
    const cutoff = null
    const rollup = emptyRollup()
    let last = 0
    let read = 0
    for (;;) {
      const events = settled(await readEvents(db.connection(), last), cutoff)
      if (events.length === 0) break
      addEvents(rollup, countable(events))
      last = Number(events[events.length - 1].id)
      read += events.length
      onProgress?.(read)
      if (events.length < ROLLUP_BATCH) break
    }
    await db.transaction(async (trx) => {
      await this.#cursor(trx)
      for (const table of ['queue_stats', 'queue_stats_hours', 'queue_stats_waits'])
        await trx.from(table).delete()
      await writeRollup(trx, rollup, 'replace')
      await moveCursor(trx, last)
    })
    return read
  }

  /** The cursor, its row locked (made at 0 the first time). */
  async #cursor(trx: TransactionClientContract) {
    const read = () => {
      const query = trx.from('analytics_cursors').where('name', CURSOR).select('last_id')
      if (hasRowLocks(trx)) query.forUpdate()
      return query.first()
    }
    let row = await read()
    if (!row) {
      try {
        await trx
          .table('analytics_cursors')
          .insert({ name: CURSOR, last_id: 0, updated_at: toSqlDateTime(clock.now()) })
      } catch (error) {
        // Another server made it first: read theirs.
        if (!isUniqueViolation(error)) throw error
      }
      row = await read()
    }
    return Number(row.last_id)
  }
}

type Client = TransactionClientContract | ReturnType<typeof db.connection>

/**
 * The counted events after `after`, in id order, with what the rollup needs of their tickets and
 * services: the events by their primary key, then their tickets by theirs (one planner-proof
 * range read and one lookup, rather than a join the planner may start from the wrong end).
 */
async function readEvents(client: Client, after: number) {
  const events = await client
    .from('ticket_events')
    .where('id', '>', after)
    .whereIn('type', [...COUNTED_EVENTS])
    .orderBy('id')
    .limit(ROLLUP_BATCH)
    .select('id', 'type', 'ticket_id', 'counter_id', 'user_id', 'created_at')
  if (events.length === 0) return []
  const tickets = new Map<string, any>()
  const ticketIds = [...new Set(events.map((event) => String(event.ticket_id)))]
  for (let start = 0; start < ticketIds.length; start += 1000)
    for (const ticket of await client
      .from('tickets as t')
      .join('services as s', 's.id', 't.service_id')
      .whereIn('t.id', ticketIds.slice(start, start + 1000))
      .select(
        't.id',
        't.tenant_id',
        't.branch_id',
        't.service_id',
        't.service_date',
        't.local_hour',
        't.wait_seconds',
        't.service_seconds',
        's.sla_minutes'
      ))
      tickets.set(String(ticket.id), ticket)
  // An event whose ticket is gone (erased) is passed over: `counted` leaves it out.
  return events.map((event) => ({ ...event, ticket: tickets.get(String(event.ticket_id)) ?? null }))
}

/**
 * The events up to (not including) the first one younger than the cutoff (all of them without
 * one). An event stamped more than SKEW_LIMIT ahead of this server's clock is not young but from
 * a clock set wrong: it would hold the cursor back for as long, so it counts as settled.
 */
function settled(events: any[], cutoff: DateTime | null) {
  if (!cutoff) return events
  const limit = toSqlDateTime(cutoff)
  const skewed = toSqlDateTime(clock.now().plus(SKEW_LIMIT))
  const young = events.findIndex((event) => {
    const at = sqlTime(event.created_at)
    return at > limit && at <= skewed
  })
  return young === -1 ? events : events.slice(0, young)
}

/** A stored datetime as `toSqlDateTime` writes it (mysql2 hands back a Date, SQLite the text). */
function sqlTime(value: Date | string) {
  return value instanceof Date ? toSqlDateTime(DateTime.fromJSDate(value)) : String(value)
}

/** The events that still have their ticket, as the rollup counts them. */
function countable(events: any[]): CountedEvent[] {
  return events
    .filter((event) => event.ticket)
    .map((event) => toCounted({ ...event.ticket, ...event }))
}

function toCounted(row: any): CountedEvent {
  return {
    type: row.type,
    tenantId: Number(row.tenant_id),
    branchId: Number(row.branch_id),
    serviceId: Number(row.service_id),
    counterId: row.counter_id === null ? null : Number(row.counter_id),
    userId: row.user_id === null ? null : Number(row.user_id),
    day: String(row.service_date),
    hour: Number(row.local_hour),
    waitSeconds: row.wait_seconds === null ? null : Number(row.wait_seconds),
    serviceSeconds: row.service_seconds === null ? null : Number(row.service_seconds),
    slaMinutes: Number(row.sla_minutes),
  }
}

function moveCursor(trx: TransactionClientContract, lastId: number) {
  return trx
    .from('analytics_cursors')
    .where('name', CURSOR)
    .update({ last_id: lastId, updated_at: toSqlDateTime(clock.now()) })
}

/** The SQL that adds a column of the new row to the stored one (or keeps the larger, for a max). */
function adding(trx: TransactionClientContract, column: string, max = false) {
  const incoming = trx.dialect.name === 'mysql' ? `VALUES(${column})` : `excluded.${column}`
  const sql = max
    ? `${trx.dialect.name === 'mysql' ? 'GREATEST' : 'MAX'}(${column}, ${incoming})`
    : `${column} + ${incoming}`
  return trx.knexRawQuery(sql)
}

/**
 * Writes rollup rows: `replace` inserts them into emptied tables; `add` adds them to the stored
 * ones, the counts with one upsert per chunk (the database adds), the wait histograms read,
 * summed and written back.
 */
async function writeRollup(
  trx: TransactionClientContract,
  rollup: Rollup,
  mode: 'add' | 'replace'
) {
  const dayRows = [...rollup.days.values()].map((row) => ({
    tenant_id: row.tenantId,
    branch_id: row.branchId,
    service_id: row.serviceId,
    counter_id: row.counterId,
    user_id: row.userId,
    day: row.day,
    taken: row.taken,
    served: row.served,
    no_show: row.noShow,
    cancelled: row.cancelled,
    within_sla: row.withinSla,
    wait_count: row.waitCount,
    wait_sum: row.waitSum,
    wait_max: row.waitMax,
    service_count: row.serviceCount,
    service_sum: row.serviceSum,
  }))
  const hourRows = [...rollup.hours.values()].map((row) => ({
    tenant_id: row.tenantId,
    branch_id: row.branchId,
    service_id: row.serviceId,
    day: row.day,
    hour: row.hour,
    weekday: row.weekday,
    taken: row.taken,
    served: row.served,
  }))
  const daySums = ['taken', 'served', 'no_show', 'cancelled', 'within_sla', 'wait_count']
  const dayMerge = Object.fromEntries([
    ...[...daySums, 'wait_sum', 'service_count', 'service_sum'].map((column) => [
      column,
      adding(trx, column),
    ]),
    ['wait_max', adding(trx, 'wait_max', true)],
  ])
  const hourMerge = { taken: adding(trx, 'taken'), served: adding(trx, 'served') }
  for (let start = 0; start < dayRows.length; start += WRITE_CHUNK) {
    const query = trx.table('queue_stats').multiInsert(dayRows.slice(start, start + WRITE_CHUNK))
    if (mode === 'add')
      query.knexQuery
        .onConflict(['branch_id', 'service_id', 'counter_id', 'user_id', 'day'])
        .merge(dayMerge)
    await query
  }
  for (let start = 0; start < hourRows.length; start += WRITE_CHUNK) {
    const query = trx
      .table('queue_stats_hours')
      .multiInsert(hourRows.slice(start, start + WRITE_CHUNK))
    if (mode === 'add')
      query.knexQuery.onConflict(['branch_id', 'service_id', 'day', 'hour']).merge(hourMerge)
    await query
  }
  await writeWaits(trx, [...rollup.waits.values()], mode)
}

async function writeWaits(
  trx: TransactionClientContract,
  rows: WaitRow[],
  mode: 'add' | 'replace'
) {
  const key = (row: { branch_id: number; service_id: number; day: string }) =>
    `${row.branch_id}|${row.service_id}|${row.day}`
  for (let start = 0; start < rows.length; start += WRITE_CHUNK) {
    const chunk = rows.slice(start, start + WRITE_CHUNK)
    const stored = new Map<string, { id: number; wait_hist: string }>()
    if (mode === 'add') {
      const existing = await trx
        .from('queue_stats_waits')
        .whereIn(
          ['branch_id', 'service_id', 'day'],
          chunk.map((row) => [row.branchId, row.serviceId, row.day])
        )
        .select('id', 'branch_id', 'service_id', 'day', 'wait_hist')
      for (const row of existing) stored.set(key(row), row)
    }
    const inserts = []
    for (const row of chunk) {
      const old = stored.get(
        key({ branch_id: row.branchId, service_id: row.serviceId, day: row.day })
      )
      if (!old) {
        inserts.push({
          tenant_id: row.tenantId,
          branch_id: row.branchId,
          service_id: row.serviceId,
          day: row.day,
          wait_hist: JSON.stringify(row.waitHist),
        })
        continue
      }
      const hist: number[] = JSON.parse(old.wait_hist)
      row.waitHist.forEach((count, index) => (hist[index] = (hist[index] ?? 0) + count))
      await trx
        .from('queue_stats_waits')
        .where('id', old.id)
        .update({ wait_hist: JSON.stringify(hist) })
    }
    if (inserts.length) await trx.table('queue_stats_waits').multiInsert(inserts)
  }
}

/** The wait (seconds, to the minute) below which `share` of the waits fall, from a histogram. */
export function percentileOf(hist: number[], share: number) {
  const total = hist.reduce((sum, count) => sum + count, 0)
  if (total === 0) return null
  const rank = Math.ceil(share * total)
  let seen = 0
  for (const [minute, count] of hist.entries()) {
    seen += count
    if (seen >= rank) return minute * 60
  }
  return (hist.length - 1) * 60
}
