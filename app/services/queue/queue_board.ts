import db from '@adonisjs/lucid/services/db'
import Ticket from '#models/ticket'
import Counter from '#models/counter'
import Service from '#models/service'
import TicketEvent from '#models/ticket_event'
import type Branch from '#models/branch'
import type Device from '#models/device'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import { sqlOf, type SqlRunner, type SqlValue } from '#support/sql'
import type { QueueSettings } from '#models/settings/queue_settings'
import { AT_COUNTER_STATUSES, PRIORITIES, type Priority } from '#enums/ticket'

/** Share of the SLA target after which a waiting visitor counts as "at risk". */
const AT_RISK_SHARE = 0.8

/** What `aheadStatement` needs to know of a waiting ticket. */
export type QueuePlace = Pick<
  Ticket,
  'id' | 'serviceId' | 'serviceDate' | 'priority' | 'queuedAt' | 'sequence'
>

/**
 * Counts the waiting tickets of the same service that will be called before `ticket` (weights,
 * then arrival): the rule of `aheadOf` in queue_order.ts, counted by the database so that a long
 * queue costs one indexed count instead of loading every waiting ticket. Plain SQL, so that any
 * transaction can run it: taking a number runs it inside its own, where building it with the
 * query builder cost more than the count itself.
 *
 * The priority rule is a CASE on purpose: the index range is then the service's waiting tickets
 * alone. Written as `priority IN (…) OR …`, MariaDB planned a range per priority, probing the
 * index for each (0.25 ms of planning per count), and compared every row's id; as a CASE it plans
 * one range and compares ids only where arrival order decides (0.45 ms less on a 400-ticket queue).
 */
export function aheadStatement(ticket: QueuePlace, weights: Record<Priority, number>) {
  const mine = weights[ticket.priority]
  const higher = PRIORITIES.filter((priority) => weights[priority] > mine)
  const same = PRIORITIES.filter((priority) => weights[priority] === mine)
  const queuedAt = toSqlDateTime(ticket.queuedAt)
  const marks = (values: readonly string[]) => values.map(() => '?').join(', ')
  const higherFirst = higher.length > 0 ? `WHEN priority IN (${marks(higher)}) THEN 1 ` : ''
  return {
    sql: `SELECT COUNT(*) AS total FROM tickets
           WHERE service_id = ? AND service_date = ? AND status = 'waiting'
             AND target_counter_id IS NULL
             AND CASE ${higherFirst}WHEN priority IN (${marks(same)})
                   THEN (queued_at < ? OR (queued_at = ? AND sequence < ?)) AND id <> ?
                   ELSE 0 END`,
    bindings: [
      ticket.serviceId,
      ticket.serviceDate,
      ...higher,
      ...same,
      queuedAt,
      queuedAt,
      ticket.sequence,
      ticket.id,
    ] as SqlValue[],
  }
}

/** How many are ahead of `ticket` in its queue (`aheadStatement`), read through `sql`. */
export async function countAhead(sql: SqlRunner, ticket: QueuePlace, queue: QueueSettings) {
  const { sql: statement, bindings } = aheadStatement(ticket, queue.priorityWeights)
  const [row] = await sql.all<{ total: number | string }>(statement, bindings)
  return Number(row?.total ?? 0)
}

/** The session variable in which `deferCountAhead` keeps its count for the statements after it. */
export const AHEAD_IN_BATCH = '@loket_ahead'

/**
 * `countAhead` for MySQL's one-round-trip take, which learns it only once its batch has run: the
 * count is kept in AHEAD_IN_BATCH for later statements of the same transaction, and `counted`
 * (when given) hears it. `SELECT … INTO` is a consistent read like
 * the plain count, so it waits on no row lock (a subquery inside an INSERT would lock the
 * waiting tickets it reads).
 */
export async function deferCountAhead(
  sql: SqlRunner,
  ticket: QueuePlace,
  queue: QueueSettings,
  counted?: (ahead: number) => void
) {
  const { sql: statement, bindings } = aheadStatement(ticket, queue.priorityWeights)
  await sql.defer(`${statement} INTO ${AHEAD_IN_BATCH}`, bindings)
  if (counted)
    await sql.deferRead<{ ahead: number | string }>(
      `SELECT ${AHEAD_IN_BATCH} AS ahead`,
      [],
      ([row]) => counted(Number(row.ahead))
    )
}

/**
 * What the live screens show, read from the tickets of the branch's current day: the
 * visitor's position and estimated wait, the TV board, the operator console, the supervisor board.
 */
export default class QueueBoard {
  /** How many tickets of the same service will be called before `ticket` (see `aheadStatement`). */
  async ahead(ticket: Ticket, settings: QueueSettings) {
    if (ticket.status !== 'waiting') return 0
    return countAhead(sqlOf(db.connection()), ticket, settings)
  }

  /**
   * An estimated wait in minutes: people ahead x recent average service time / counters open
   * for the service. Null when there is nothing to go by. An estimate, never a promise.
   */
  async estimatedWaitMinutes(ticket: Ticket, ahead: number) {
    const recent = await Ticket.query()
      .where('service_id', ticket.serviceId)
      .where('status', 'done')
      .whereNotNull('service_seconds')
      .orderBy('completed_at', 'desc')
      .limit(20)
      .select('service_seconds')
    if (recent.length === 0) return null
    const average = recent.reduce((sum, row) => sum + (row.serviceSeconds ?? 0), 0) / recent.length
    const open = await db
      .from('counters')
      .join('counter_services', 'counter_services.counter_id', 'counters.id')
      .where('counter_services.service_id', ticket.serviceId)
      .where('counters.is_active', true)
      .whereIn('counters.presence', ['available', 'busy'])
      .count('* as total')
      .first()
    const counters = Math.max(1, Number(open?.total ?? 0))
    return Math.max(1, Math.round(((ahead + 1) * average) / counters / 60))
  }

  /** Waiting tickets per service today: { serviceId: count }. */
  async waitingByService(branch: Branch) {
    const rows = await db
      .from('tickets')
      .where('branch_id', branch.id)
      .where('service_date', branch.today())
      .where('status', 'waiting')
      .groupBy('service_id')
      .select('service_id')
      .count('* as total')
    return new Map<number, number>(rows.map((row) => [Number(row.service_id), Number(row.total)]))
  }

  /**
   * A TV board: the tickets at counters now, the last few called, the next few waiting, and the
   * recent call events (the display announces those it has not announced yet). `device` narrows
   * it to an area or to some services.
   */
  async display(
    branch: Branch,
    device: Pick<Device, 'mode' | 'areaId' | 'serviceIdList' | 'recentCount' | 'showNextUp'>
  ) {
    const today = branch.today()
    const scope = (query: ReturnType<typeof Ticket.query>) => {
      query.where('branch_id', branch.id).where('service_date', today)
      if (device.mode === 'area' && device.areaId) query.where('area_id', device.areaId)
      if (device.mode === 'service')
        query.whereIn('service_id', device.serviceIdList.length ? device.serviceIdList : [0])
    }

    const nowCalling = await Ticket.query()
      .where((query) => scope(query))
      .whereIn('status', [...AT_COUNTER_STATUSES])
      .preload('service')
      .preload('counter')
      .orderBy('called_at', 'desc')
    const recent = await Ticket.query()
      .where((query) => scope(query))
      .whereIn('status', ['done', 'no_show', 'waiting', 'cancelled'])
      .whereNotNull('called_at')
      .preload('service')
      .preload('counter')
      .orderBy('called_at', 'desc')
      .limit(device.recentCount)
    const nextUp = device.showNextUp
      ? await Ticket.query()
          .where((query) => scope(query))
          .where('status', 'waiting')
          .preload('service')
          .orderBy('queued_at')
          .limit(5)
      : []

    const announcements = await TicketEvent.query()
      .where('branch_id', branch.id)
      .whereIn('type', ['called', 'recalled'])
      .where('created_at', '>=', toSqlDateTime(branch.localNow().startOf('day')))
      .whereIn(
        'ticket_id',
        nowCalling
          .map((ticket) => ticket.id)
          .concat(recent.map((ticket) => ticket.id))
          .concat([''])
      )
      .orderBy('id', 'desc')
      .limit(10)
      .preload('ticket')
      .preload('counter')

    // Who waits for each service the screen covers, so that a visitor sees the queue before taking a number.
    const counts = await this.waitingByService(branch)
    const services = await Service.ofBranch(branch.id)
      .where('is_active', true)
      .where((query) => {
        if (device.mode === 'area' && device.areaId) query.where('area_id', device.areaId)
        if (device.mode === 'service')
          query.whereIn('id', device.serviceIdList.length ? device.serviceIdList : [0])
      })
    const waiting = services.map((service) => ({ service, count: counts.get(service.id) ?? 0 }))

    return { nowCalling, recent, nextUp, waiting, announcements: announcements.reverse() }
  }

  /**
   * The operator console: the counter's current ticket, who waits for it (per service, and those
   * transferred to it), the held ones, and its day so far.
   */
  async console(branch: Branch, counter: Counter, serviceIds: number[]) {
    const today = branch.today()
    const current = await Ticket.query()
      .where('counter_id', counter.id)
      .whereIn('status', [...AT_COUNTER_STATUSES])
      .preload('service')
      .first()

    const waiting = await Ticket.query()
      .where('branch_id', branch.id)
      .where('service_date', today)
      .whereIn('status', ['waiting', 'held'])
      .where((query) => {
        query.where((own) =>
          own
            .whereNull('target_counter_id')
            .whereIn('service_id', serviceIds.length ? serviceIds : [0])
        )
        query.orWhere('target_counter_id', counter.id)
      })
      .preload('service')
      .orderBy('queued_at')
      .orderBy('sequence')
      .limit(300)

    const history = await Ticket.query()
      .where('counter_id', counter.id)
      .where('service_date', today)
      .whereIn('status', ['done', 'cancelled', 'no_show'])
      .preload('service')
      .orderBy('updated_at', 'desc')
      .limit(50)

    const sentHere = waiting.filter(
      (ticket) => ticket.targetCounterId === counter.id && ticket.status === 'waiting'
    )
    const groups = serviceIds.map((serviceId) => ({
      serviceId,
      tickets: waiting.filter(
        (ticket) =>
          ticket.serviceId === serviceId &&
          ticket.targetCounterId === null &&
          ticket.status === 'waiting'
      ),
    }))
    const held = waiting.filter((ticket) => ticket.status === 'held')
    return { current, sentHere, groups, held, history, waitingCount: waiting.length - held.length }
  }

  /**
   * The supervisor board: every counter (who, presence, current visitor, served today, average
   * service), every service (waiting, longest wait, SLA at risk) and the visitors at risk.
   */
  async supervisor(branch: Branch) {
    const today = branch.today()
    const now = clock.now()
    const counters = await Counter.ofBranch(branch.id).where('is_active', true).preload('operator')
    const services = await Service.ofBranch(branch.id).where('is_active', true)
    const open = await Ticket.query()
      .where('branch_id', branch.id)
      .where('service_date', today)
      .whereIn('status', ['waiting', 'called', 'serving', 'held'])
      .preload('service')
      .orderBy('queued_at')
    const servedRows = await db
      .from('tickets')
      .where('branch_id', branch.id)
      .where('service_date', today)
      .where('status', 'done')
      .groupBy('counter_id')
      .select('counter_id')
      .count('* as served')
      .avg('service_seconds as average')

    const waitedMinutes = (ticket: Ticket) => now.diff(ticket.queuedAt, 'minutes').minutes
    const waiting = open.filter((ticket) => ticket.status === 'waiting')
    const atRisk = waiting
      .filter((ticket) => waitedMinutes(ticket) >= ticket.service.slaMinutes * AT_RISK_SHARE)
      .sort((a, b) => a.queuedAt.toMillis() - b.queuedAt.toMillis())

    return {
      counters: counters.map((counter) => {
        const served = servedRows.find((row) => Number(row.counter_id) === counter.id)
        return {
          counter,
          current:
            open.find(
              (ticket) =>
                ticket.counterId === counter.id && AT_COUNTER_STATUSES.includes(ticket.status)
            ) ?? null,
          served: Number(served?.served ?? 0),
          averageSeconds:
            served?.average === null || served?.average === undefined
              ? null
              : Number(served.average),
        }
      }),
      services: services.map((service) => {
        const queue = waiting.filter((ticket) => ticket.serviceId === service.id)
        return {
          service,
          waiting: queue.length,
          longestMinutes: queue.length ? Math.floor(waitedMinutes(queue[0])) : 0,
          atRisk: queue.filter(
            (ticket) => waitedMinutes(ticket) >= service.slaMinutes * AT_RISK_SHARE
          ).length,
        }
      }),
      atRisk,
      held: open.filter((ticket) => ticket.status === 'held'),
    }
  }
}
