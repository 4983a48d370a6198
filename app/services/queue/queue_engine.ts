import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { DateTime } from 'luxon'
import { formatMoment } from '#support/dates'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Ticket from '#models/ticket'
import Tenant from '#models/tenant'
import TicketEvent from '#models/ticket_event'
import Counter from '#models/counter'
import Service from '#models/service'
import { newModel, toSqlDateTime } from '#models/columns'
import type Branch from '#models/branch'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import { timeZone } from '#support/time_zones'
import liveVersion from '#support/live_version'
import branchDirectory, { type BranchEntry } from '#services/platform/branch_directory'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import TicketNumbering, { numberExpression } from '#services/queue/ticket_numbering'
import {
  hasRowLocks,
  isForeignKeyViolation,
  isUniqueViolation,
  withTransaction,
} from '#support/database'
import {
  sqlTransactionWithOutbox,
  transactionWithOutbox,
  type OutboxBatch,
} from '#services/messaging/outbox'
import messagingDirectory, { type MessagingProfile } from '#services/messaging/messaging_directory'
import {
  announceTicketEvent,
  nearOnArrival,
  messagedOnTake,
  newTicketFacts,
  type TicketEventContext,
  type TicketInSql,
} from '#services/queue/ticket_messaging'
import { syncBookingWithTicket } from '#services/bookings/booking_ticket_sync'
import { sqlOf, type SqlFragment, type SqlRunner } from '#support/sql'
import { KeyAlreadyAnswered } from '#services/platform/idempotent_requests'
import { appendEvent, insertTicket, type Step } from '#services/queue/ticket_store'
import { AHEAD_IN_BATCH, deferCountAhead } from '#services/queue/queue_board'
import { canTransition, nextStatus, type TicketAction } from '#services/queue/ticket_state_machine'
import { classOf, dueClass, orderForCounter, type Candidate } from '#services/queue/queue_order'
import type { QueueSettings } from '#models/settings/queue_settings'
import type { Presence } from '#enums/counter'
import type { Priority, TicketChannel, TicketEventType } from '#enums/ticket'
import { AT_COUNTER_STATUSES, OPEN_STATUSES } from '#enums/ticket'
import { inject } from '@adonisjs/core'

export interface TakeOptions {
  channel: TicketChannel
  requestId?: string | null
  /** Staff and API may set it; visitors get the service's default. */
  priority?: Priority
  /** E.164, already normalized. */
  phone?: string | null
  name?: string | null
  note?: string | null
  deviceId?: number | null
  /** The language the visitor uses (their messages are written in it). */
  locale?: string | null
  /** The booking an appointment ticket belongs to. */
  bookingId?: string | null
  /** Count how many are ahead of the new ticket, inside the take (`ticket.aheadAtTake`). */
  countAhead?: boolean
  /**
   * A REST API request with an Idempotency-Key (its `requestId` is the key's): the ticket keeps
   * the request's fingerprint, and is written only while `unanswered` holds (the key has no
   * answer kept for another request); otherwise nothing is taken (KeyAlreadyAnswered).
   */
  apiRequest?: { fingerprint: string; unanswered: SqlFragment }
}

/** What `prepareTake` read before the transaction (see `takeWithin`). */
export interface TakeContext {
  branch: Branch
  service: Service
  entry: BranchEntry
  events: TicketEventContext
}

export interface StaffAction {
  by: User | null
  /** A client-chosen id: repeating it returns the first result and changes nothing. */
  requestId?: string | null
}

/** A ticket as the engine's commands take it: which one, and the tenant it must belong to. */
export type TicketRef = Pick<Ticket, 'id' | 'tenantId'>

export interface CounterAction extends StaffAction {
  counter: Counter
}

export interface TransferTarget {
  serviceId?: number | null
  counterId?: number | null
  note?: string | null
}

const EVENT_OF_ACTION: Record<TicketAction, TicketEventType> = {
  call: 'called',
  recall: 'recalled',
  start: 'started',
  complete: 'completed',
  hold: 'held',
  unhold: 'unheld',
  skip: 'skipped',
  no_show: 'no_show',
  requeue: 'requeued',
  transfer: 'transferred',
  cancel: 'cancelled',
  close: 'closed',
}

/** What the counter's operator is doing after each action. */
const PRESENCE_AFTER: Partial<Record<TicketAction, Presence>> = {
  call: 'busy',
  complete: 'available',
  skip: 'available',
  no_show: 'available',
  transfer: 'available',
  cancel: 'available',
}

/**
 * The queue's rules: taking a number, calling (next or a chosen ticket), recalling, starting,
 * completing, holding, skipping, no-shows, transfers, cancelling, notes and resetting a day.
 * Each command is one transaction that changes the ticket, appends its ticket_events row and,
 * once committed, bumps the branch's live version so that screens refresh.
 */
@inject()
export default class QueueEngine {
  constructor(
    protected auditTrail: AuditTrail,
    protected ticketNumbering: TicketNumbering
  ) {}

  /** A visitor (or staff, a kiosk, the API on their behalf) takes the next number of `service`. */
  async take(branch: Branch, service: Service, options: TakeOptions): Promise<Ticket> {
    const taking = await this.prepareTake(branch, service)
    let ticket: Ticket
    try {
      ticket = await sqlTransactionWithOutbox(async (sql, outbox) => {
        return this.takeWithin(sql, outbox, taking, options)
      })
    } catch (error) {
      // A repeated request id hits the unique index: the first ticket is the answer.
      if (options.requestId && isUniqueViolation(error)) {
        const earlier = await Ticket.forTenant(branch.tenantId)
          .where('request_id', options.requestId)
          .first()
        if (earlier) return earlier
      }
      // On MySQL a ticket that `apiRequest.unanswered` kept from being written shows as its
      // event's missing parent (the batch runs on to its COMMIT without asking Node).
      if (options.apiRequest && isForeignKeyViolation(error, 'ticket_events'))
        throw new KeyAlreadyAnswered()
      throw error
    }
    await liveVersion.bump(branch.id)
    return ticket
  }

  /**
   * What taking a number reads before its transaction: the cached branch and the tenant's
   * messaging profile. Refuses a closed branch or an inactive service politely (409). A caller
   * already inside a transaction (a WhatsApp message's) passes it and the profile it holds as
   * `within`, so that nothing is read outside it.
   */
  async prepareTake(
    branch: Branch,
    service: Service,
    within?: { client: TransactionClientContract; profile: MessagingProfile }
  ): Promise<TakeContext> {
    if (!service.isActive || service.branchId !== branch.id) {
      throw new DomainError('service_unavailable', { service: service.name })
    }
    const entry = await this.#entry(branch, within?.client)
    const open = branchDirectory.openState(entry, service)
    if (!open.open) {
      throw new DomainError(open.nextOpening ? 'branch_closed' : 'branch_closed_indefinitely', {
        opens: formatMoment(open.nextOpening, 'weekdayClock', entry.tenant.locale),
      })
    }
    return {
      branch,
      service,
      entry,
      events: {
        profile: within?.profile ?? (await messagingDirectory.get(branch.tenantId)),
        entry,
      },
    }
  }

  /**
   * Takes the number inside the caller's transaction (`sql`, `outbox`): the next number of the
   * service's day, the ticket, its created event and what that event announces. A booking's
   * check-in uses it so that arriving and joining the queue are one transaction. The caller
   * bumps the branch's live version once it has committed. Returns the ticket and its place
   * (how many are ahead of it when that was counted: `countAhead`, or for its visitor's message).
   *
   * The day's number and what the visitor's message needs to know (the queue position, an
   * opt-out) are asked for together, and the ticket's rows are deferred writes: on MySQL's hot
   * path the whole take is one round trip, or two when a daily cap must see the number before the
   * ticket is written (app/support/sql.ts).
   */
  async takeWithin(
    sql: SqlRunner,
    outbox: OutboxBatch,
    taking: TakeContext,
    options: TakeOptions
  ): Promise<Ticket> {
    const { branch, service, events } = taking
    const now = clock.now()
    const local = now.setZone(timeZone(branch.timezone))
    const serviceDate = local.toISODate()!
    const arriving = {
      serviceId: service.id,
      serviceDate,
      priority: options.priority ?? service.defaultPriority ?? 'regular',
      queuedAt: now,
      channel: options.channel,
      customerPhone: options.phone ?? null,
    }
    const aheadWanted = options.countAhead ?? false
    const created = newModel(Ticket, {
      ...arriving,
      id: randomUUID(),
      tenantId: branch.tenantId,
      branchId: branch.id,
      originServiceId: service.id,
      areaId: service.areaId,
      counterId: null,
      targetCounterId: null,
      deviceId: options.deviceId ?? null,
      bookingId: options.bookingId ?? null,
      status: 'waiting',
      requestId: options.requestId ?? null,
      apiFingerprint: options.apiRequest?.fingerprint ?? null,
      aheadAtTake: null,
      customerName: options.name ?? null,
      locale: options.locale ?? null,
      nearNotifiedAt: null,
      note: options.note ?? null,
      tags: null,
      cancelReason: null,
      localHour: local.hour,
      waitSeconds: null,
      serviceSeconds: null,
      recallCount: 0,
      transferCount: 0,
      requeueCount: 0,
      calledAt: null,
      servingAt: null,
      completedAt: null,
      cancelledAt: null,
      createdAt: now,
      updatedAt: now,
    })
    const createdBy: Step = { by: null, note: options.note ?? null }

    // Nothing before the commit needs the number (no daily cap to refuse at): on MySQL the
    // database numbers the ticket as it inserts it, counts who is ahead of it (when asked, or
    // for the visitor's message) and writes the number and that count into the ticket's messages
    // and webhook calls, and the whole take is one round trip, so the day's number is locked only
    // while the server runs it.
    if (sql.dialect === 'mysql' && !service.dailyCapacity) {
      await this.ticketNumbering.bump(sql, service, serviceDate, (sequence) => {
        created.merge({ sequence, number: service.formatNumber(sequence) })
        created.$hydrateOriginals()
      })
      const counted = aheadWanted || messagedOnTake(arriving, events)
      // The number and the count as SQL, for the statements after the ticket's insert: Node
      // learns them (`ticket.number`, `ticket.aheadAtTake`) only once the batch has run.
      const inSql: TicketInSql = {
        number: { sql: '(SELECT number FROM tickets WHERE id = ?)', bindings: [created.id] },
        ahead: { sql: counted ? AHEAD_IN_BATCH : 'NULL', bindings: [] },
      }
      // Counted before the ticket is written (it is not among those ahead), so that its row can
      // keep the count. Everyone waiting in its class or above was numbered before it (see
      // newTicketFacts).
      const last = { ...arriving, id: created.id, sequence: Number.MAX_SAFE_INTEGER }
      if (counted)
        await deferCountAhead(
          sql,
          last,
          events.profile.queue,
          aheadWanted ? (ahead) => created.merge({ aheadAtTake: ahead }) : undefined
        )
      await insertTicket(sql, created, {
        numbered: numberExpression(service),
        computed: aheadWanted ? { ahead_at_take: inSql.ahead } : {},
        onlyIf: options.apiRequest?.unanswered,
      })
      await appendEvent(sql, created, 'created', null, createdBy, now)
      await announceTicketEvent(sql, outbox, created, 'created', { ...events, inSql }, now)
      return created
    }

    const [sequence, facts] = await Promise.all([
      this.ticketNumbering.next(sql, service, serviceDate),
      newTicketFacts(sql, arriving, events, aheadWanted),
    ])
    if (service.dailyCapacity && sequence > service.dailyCapacity) {
      throw new DomainError('service_full', { service: service.name })
    }
    const near = await nearOnArrival(sql, arriving, events, facts)
    created.merge({
      sequence,
      number: service.formatNumber(sequence),
      nearNotifiedAt: near ? now : null,
      aheadAtTake: aheadWanted ? (facts?.ahead ?? null) : null,
    })
    const unanswered = options.apiRequest?.unanswered
    // SQLite writes one transaction at a time: there, asking first is exact.
    if (unanswered && sql.dialect === 'sqlite') {
      const [check] = await sql.all<{ holds: number }>(
        `SELECT ${unanswered.sql} AS holds`,
        unanswered.bindings
      )
      if (!Number(check.holds)) throw new KeyAlreadyAnswered()
    }
    await insertTicket(sql, created, { onlyIf: unanswered })
    await appendEvent(sql, created, 'created', null, createdBy, now)
    await announceTicketEvent(sql, outbox, created, 'created', { ...events, newTicket: facts }, now)
    return created
  }

  /**
   * Counter `counter` calls the next ticket by the ordering rules (app/services/queue_order.ts).
   * Returns null when nobody is waiting for it. Two counters calling at the same moment never
   * get the same ticket: candidates are locked one by one with SKIP LOCKED and re-checked.
   */
  async callNext(branch: Branch, action: CounterAction): Promise<Ticket | null> {
    const { counter } = action
    const entry = await this.#entry(branch)
    const settings = entry.tenant.queue
    const now = clock.now()
    const events: TicketEventContext = { profile: await messagingDirectory.get(counter.tenantId) }

    const ticket = await transactionWithOutbox(async (trx, outbox) => {
      const replayed = await this.#replay(trx, counter.tenantId, action.requestId)
      if (replayed) return replayed

      await this.#claimCounter(trx, counter)
      const ranks = await this.serviceRanks(counter, trx)
      if (ranks.size === 0) throw new DomainError('counter_without_services')

      const rows = await trx
        .from('tickets')
        .select('id', 'service_id', 'priority', 'queued_at', 'sequence', 'target_counter_id')
        .where('branch_id', branch.id)
        .where('service_date', branch.today())
        .where('status', 'waiting')
        .where((query) => {
          query.where((own) =>
            own.whereNull('target_counter_id').whereIn('service_id', [...ranks.keys()])
          )
          query.orWhere('target_counter_id', counter.id)
        })
        .limit(1000)
      const due = settings.ratio
        ? dueClass(await this.#recentClasses(trx, counter, settings), settings.ratio)
        : null
      const ordered = orderForCounter(rows.map(toCandidate), {
        now: now.toMillis(),
        counterId: counter.id,
        serviceRanks: ranks,
        starvationMs: (serviceId) => starvationMinutes(entry, settings, serviceId) * 60_000,
        weights: settings.priorityWeights,
        due,
      })

      for (const candidate of ordered) {
        const locked = await this.#lockTicket(trx, candidate.id, { skipLocked: true })
        if (!locked || locked.status !== 'waiting') continue
        placeAtCounter(locked, counter, now)
        await this.#transition(trx, locked, 'call', action, now, { outbox, events })
        await this.#updatePresence(trx, 'call', counter, null, now)
        return locked
      }
      return null
    })

    if (ticket) await liveVersion.bump(branch.id)
    return ticket
  }

  /** Counter `counter` calls one chosen waiting ticket (from the list on its console). */
  async callTicket(ref: TicketRef, action: CounterAction) {
    return this.#act(ref.id, ref.tenantId, 'call', action, async (ticket, trx, now) => {
      if (ticket.branchId !== action.counter.branchId)
        throw new DomainError('ticket_not_found', {}, 404)
      await this.#claimCounter(trx, action.counter)
      placeAtCounter(ticket, action.counter, now)
    })
  }

  /** Calls the counter's current ticket again (the TV announces it once more). */
  async recall(ref: TicketRef, action: CounterAction) {
    return this.#act(ref.id, ref.tenantId, 'recall', action, (ticket) => {
      this.#assertAtCounter(ticket, action.counter)
      ticket.recallCount += 1
    })
  }

  /** The called visitor has arrived at the counter: service starts (the no-show clock stops). */
  async start(ref: TicketRef, action: CounterAction) {
    return this.#act(ref.id, ref.tenantId, 'start', action, (ticket, _trx, now) => {
      this.#assertAtCounter(ticket, action.counter)
      ticket.servingAt = now
    })
  }

  /** The visitor has been served. */
  async complete(ref: TicketRef, action: CounterAction) {
    return this.#act(ref.id, ref.tenantId, 'complete', action, (ticket, _trx, now) => {
      this.#assertAtCounter(ticket, action.counter)
      ticket.completedAt = now
      const from = ticket.servingAt ?? ticket.calledAt
      ticket.serviceSeconds = from ? secondsBetween(from, now) : null
    })
  }

  /** A waiting visitor steps out for a while: the ticket keeps its place but is not called. */
  async hold(ref: TicketRef, action: StaffAction) {
    return this.#act(ref.id, ref.tenantId, 'hold', action, () => {})
  }

  /** The held visitor is back: the ticket is waiting again, in its old place. */
  async unhold(ref: TicketRef, action: StaffAction) {
    return this.#act(ref.id, ref.tenantId, 'unhold', action, () => {})
  }

  /** The called visitor is not here yet: the ticket goes back to the end of the queue. */
  async skip(ref: TicketRef, action: CounterAction) {
    return this.#act(ref.id, ref.tenantId, 'skip', action, (ticket, _trx, now) => {
      this.#assertAtCounter(ticket, action.counter)
      ticket.counterId = null
      ticket.queuedAt = now
    })
  }

  /** The visitor did not come. */
  async noShow(ref: TicketRef, action: StaffAction & { counter?: Counter }) {
    return this.#act(ref.id, ref.tenantId, 'no_show', action, (ticket, _trx, now) => {
      if (action.counter && ticket.status === 'called')
        this.#assertAtCounter(ticket, action.counter)
      ticket.cancelledAt = now
    })
  }

  /**
   * Sends a called or served ticket to another service and/or counter of the branch. It keeps
   * its number; it keeps its place in the new queue when the tenant says so, else it joins the end.
   */
  async transfer(
    ref: TicketRef,
    target: TransferTarget,
    action: StaffAction & { counter?: Counter }
  ) {
    return this.#act(ref.id, ref.tenantId, 'transfer', action, async (locked, trx, now) => {
      if (action.counter) this.#assertAtCounter(locked, action.counter)
      if (!target.serviceId && !target.counterId)
        throw new DomainError('transfer_needs_target', {}, 422)
      const from = { service_id: locked.serviceId, counter_id: locked.counterId }
      if (target.serviceId) {
        const service = await Service.query({ client: trx })
          .where('id', target.serviceId)
          .where('branch_id', locked.branchId)
          .where('is_active', true)
          .first()
        if (!service) throw new DomainError('unknown_service', {}, 422)
        locked.serviceId = service.id
        locked.areaId = service.areaId
      }
      if (target.counterId) {
        const counter = await Counter.query({ client: trx })
          .where('id', target.counterId)
          .where('branch_id', locked.branchId)
          .where('is_active', true)
          .first()
        if (!counter) throw new DomainError('unknown_counter', {}, 422)
        locked.targetCounterId = counter.id
      } else {
        locked.targetCounterId = null
      }
      // Read in this transaction: on SQLite a query outside it would wait for the one connection it holds.
      const tenant = await Tenant.query({ client: trx }).where('id', locked.tenantId).firstOrFail()
      if (!tenant.queue.transferKeepsPlace) locked.queuedAt = now
      locked.counterId = null
      locked.transferCount += 1
      return {
        note: target.note ?? null,
        data: { from, to: { service_id: locked.serviceId, counter_id: locked.targetCounterId } },
      }
    })
  }

  /** Cancels a waiting, held or called ticket of the tenant, with the reason staff gave. */
  async cancel(ref: TicketRef, reason: string, action: StaffAction) {
    return this.#act(
      ref.id,
      ref.tenantId,
      'cancel',
      { ...action, note: reason },
      (ticket, _trx, now) => {
        ticket.cancelReason = reason
        ticket.cancelledAt = now
      }
    )
  }

  /**
   * Cancels a ticket inside the caller's transaction (a visitor's BATAL on WhatsApp, answered in
   * the transaction of the message's receipt): locks it, moves it through the state machine with
   * `reason` and writes what that announces. Null when it is no longer cancellable (called away,
   * served). The caller bumps the branch's live version once it has committed.
   */
  async cancelWithin(
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    ticketId: string,
    reason: string,
    events: TicketEventContext
  ): Promise<Ticket | null> {
    const now = clock.now()
    const locked = await this.#lockTicket(trx, ticketId)
    if (!locked || !canTransition(locked.status, 'cancel')) return null
    const counterAtStart = locked.counterId
    locked.cancelReason = reason
    locked.cancelledAt = now
    await this.#transition(trx, locked, 'cancel', { by: null, note: reason }, now, {
      outbox,
      events,
    })
    await this.#updatePresence(trx, 'cancel', null, counterAtStart, now)
    return locked
  }

  /** Staff's note and tags on a visit (kept on the ticket and in its history). */
  async annotate(
    ticket: TicketRef,
    details: { note: string | null; tags: string[] },
    action: StaffAction
  ) {
    const { id: ticketId, tenantId } = ticket
    const now = clock.now()
    const annotated = await withTransaction(async (trx) => {
      const replayed = await this.#replay(trx, tenantId, action.requestId)
      if (replayed) return replayed
      const locked = await this.#lockTicket(trx, ticketId)
      if (!locked || locked.tenantId !== tenantId)
        throw new DomainError('ticket_not_found', {}, 404)
      locked.note = details.note
      locked.tags = details.tags.length ? details.tags.join(', ') : null
      locked.useTransaction(trx)
      await locked.save()
      await appendEvent(
        sqlOf(trx),
        locked,
        'noted',
        locked.status,
        { ...action, note: details.note, data: { tags: details.tags } },
        now
      )
      return locked
    })
    await liveVersion.bump(annotated.branchId)
    return annotated
  }

  /** The operator at `counter` is available, busy, on a break or offline. */
  async setPresence(counter: Counter, presence: Presence) {
    if (counter.presence === presence) return counter
    counter.presence = presence
    counter.presenceAt = clock.now()
    await counter.save()
    await liveVersion.bump(counter.branchId)
    return counter
  }

  /**
   * Called tickets whose visitor has not been started within the service's grace period become
   * no-shows, or go back to the end of the queue once when the service says so. Run every minute.
   */
  async sweepNoShows(branch: Branch) {
    const now = clock.now()
    const services = await Service.query()
      .where('branch_id', branch.id)
      .whereNotNull('no_show_after_minutes')
    let swept = 0
    for (const service of services) {
      const deadline = toSqlDateTime(now.minus({ minutes: service.noShowAfterMinutes! }))
      const late = await Ticket.query()
        .where('service_id', service.id)
        .where('status', 'called')
        .where('called_at', '<', deadline)
        .select('id')
      for (const { id } of late) {
        const requeue = service.noShowAction === 'requeue'
        const changed = await this.#sweep(id, requeue, now, deadline, branch.tenantId)
        if (changed) swept++
      }
    }
    if (swept > 0) await liveVersion.bump(branch.id)
    return swept
  }

  /**
   * "Reset today": closes the branch's open tickets and restarts numbering at 1 for every
   * service. Recorded in the audit log with who did it.
   */
  async resetToday(branch: Branch, actor: Actor) {
    const today = branch.today()
    const closed = await withTransaction(async (trx) => {
      const count = await this.#closeOpenTickets(trx, branch, {
        upTo: today,
        reason: 'manual_reset',
        by: actor.user,
      })
      const serviceIds = await trx.from('services').where('branch_id', branch.id).select('id')
      await this.ticketNumbering.restart(
        trx,
        serviceIds.map((row) => row.id),
        today
      )
      await this.auditTrail.record(
        {
          action: 'queue.reset',
          tenantId: branch.tenantId,
          branchId: branch.id,
          subject: { type: 'branch', id: branch.id },
          changes: { date: today, closed: count },
        },
        actor,
        trx
      )
      return count
    })
    await liveVersion.bump(branch.id)
    return closed
  }

  /**
   * The daily reset at 00:00 branch time: closes tickets of earlier days that are still open.
   * Numbering restarts by itself, since numbers are allocated per local day.
   */
  async closePreviousDays(branch: Branch) {
    const today = branch.today()
    const closed = await withTransaction(async (trx) => {
      const count = await this.#closeOpenTickets(trx, branch, {
        before: today,
        reason: 'daily_reset',
        by: null,
      })
      await trx.from('branches').where('id', branch.id).update({ last_reset_date: today })
      return count
    })
    branch.lastResetDate = today
    if (closed > 0) await liveVersion.bump(branch.id)
    return closed
  }

  /** The active services counter `counter` serves, with their rank (1 = primary), in rank order. */
  async serviceRanks(counter: Counter, client?: TransactionClientContract) {
    const rows = await (client ?? db)
      .from('counter_services')
      .join('services', 'services.id', 'counter_services.service_id')
      .where('counter_services.counter_id', counter.id)
      .where('services.is_active', true)
      .orderBy('counter_services.rank')
      .select('services.id', 'counter_services.rank')
    return new Map<number, number>(rows.map((row) => [Number(row.id), Number(row.rank)]))
  }

  /** Ids of the active services counter `counter` serves, primary (lowest rank) first. */
  async servedServiceIds(counter: Counter, client?: TransactionClientContract) {
    return [...(await this.serviceRanks(counter, client)).keys()]
  }

  async #entry(
    branch: Pick<Branch, 'id'>,
    client?: TransactionClientContract
  ): Promise<BranchEntry> {
    const entry = await branchDirectory.byId(branch.id, client)
    if (!entry) throw new DomainError('ticket_not_found', {}, 404)
    return entry
  }

  async #act(
    ticketId: string,
    tenantId: number,
    action: TicketAction,
    context: Step,
    apply: (ticket: Ticket, trx: TransactionClientContract, now: DateTime) => unknown
  ) {
    const now = clock.now()
    const profile = await messagingDirectory.get(tenantId)
    const ticket = await transactionWithOutbox(async (trx, outbox) => {
      const replayed = await this.#replay(trx, tenantId, context.requestId)
      if (replayed) return replayed

      const locked = await this.#lockTicket(trx, ticketId)
      if (!locked || locked.tenantId !== tenantId)
        throw new DomainError('ticket_not_found', {}, 404)
      this.#assertCan(locked, action)
      const counterAtStart = locked.counterId
      const serviceAtStart = locked.serviceId
      const extra = (await apply(locked, trx, now)) as Partial<Step> | undefined
      const events: TicketEventContext = { profile, fromServiceId: serviceAtStart }
      await this.#transition(trx, locked, action, { ...context, ...(extra ?? {}) }, now, {
        outbox,
        events,
      })
      await this.#updatePresence(trx, action, context.counter ?? null, counterAtStart, now)
      return locked
    })
    await liveVersion.bump(ticket.branchId)
    return ticket
  }

  /**
   * Moves `ticket` by `action` through the state machine, saves it and appends the event; with
   * `effects`, also writes the messages and webhook calls the event causes (ticket_messaging.ts).
   */
  async #transition(
    trx: TransactionClientContract,
    ticket: Ticket,
    action: TicketAction,
    context: Step,
    now: DateTime,
    effects?: { outbox: OutboxBatch; events: TicketEventContext }
  ) {
    const from = ticket.status
    this.#assertCan(ticket, action)
    ticket.status = nextStatus(from, action)
    ticket.useTransaction(trx)
    await ticket.save()
    const sql = sqlOf(trx)
    await appendEvent(sql, ticket, EVENT_OF_ACTION[action], from, context, now)
    if (!effects) return
    await announceTicketEvent(
      sql,
      effects.outbox,
      ticket,
      EVENT_OF_ACTION[action],
      effects.events,
      now
    )
    if (ticket.bookingId)
      await syncBookingWithTicket(trx, effects.outbox, ticket, action, now, effects.events.profile)
  }

  /** Keeps the counter's presence in step with what its operator just did. */
  async #updatePresence(
    trx: TransactionClientContract,
    action: TicketAction,
    counter: Counter | null,
    counterAtStart: number | null,
    now: DateTime
  ) {
    const presence = PRESENCE_AFTER[action]
    const counterId = counter?.id ?? counterAtStart
    if (!presence || !counterId) return
    await trx
      .from('counters')
      .where('id', counterId)
      .whereNot('presence', 'break')
      .update({ presence, presence_at: toSqlDateTime(now) })
    if (counter) counter.presence = presence
  }

  /** The ticket an earlier request with the same id acted on, if there was one. */
  async #replay(trx: TransactionClientContract, tenantId: number, requestId?: string | null) {
    if (!requestId) return null
    const event = await TicketEvent.forTenant(tenantId, { client: trx })
      .where('request_id', requestId)
      .first()
    return event ? Ticket.query({ client: trx }).where('id', event.ticketId).first() : null
  }

  async #lockTicket(
    trx: TransactionClientContract,
    id: string,
    options: { skipLocked?: boolean } = {}
  ) {
    const query = Ticket.query({ client: trx }).where('id', id)
    if (hasRowLocks(trx)) {
      query.forUpdate()
      if (options.skipLocked) query.skipLocked()
    }
    return query.first()
  }

  /**
   * Serializes commands of one counter (a double click must not call two tickets) and refuses
   * a call while the counter still has a visitor.
   */
  async #claimCounter(trx: TransactionClientContract, counter: Counter) {
    const query = trx.from('counters').where('id', counter.id).select('id')
    if (hasRowLocks(trx)) query.forUpdate()
    await query.first()
    const current = await Ticket.query({ client: trx })
      .where('counter_id', counter.id)
      .whereIn('status', [...AT_COUNTER_STATUSES])
      .first()
    if (current) throw new DomainError('counter_busy', { number: current.number })
  }

  /** Classes of the counter's latest calls, newest first (for the ratio rule). */
  async #recentClasses(trx: TransactionClientContract, counter: Counter, settings: QueueSettings) {
    const rows = await trx
      .from('ticket_events')
      .join('tickets', 'tickets.id', 'ticket_events.ticket_id')
      .where('ticket_events.counter_id', counter.id)
      .where('ticket_events.type', 'called')
      .orderBy('ticket_events.id', 'desc')
      .limit((settings.ratio?.regular ?? 1) + (settings.ratio?.priority ?? 1))
      .select('tickets.priority')
    return rows.map((row) => classOf(row.priority))
  }

  /** One late called ticket: a no-show, or back to the end of the queue (once). */
  async #sweep(
    ticketId: string,
    requeue: boolean,
    now: DateTime,
    deadline: string,
    tenantId: number
  ) {
    const events: TicketEventContext = { profile: await messagingDirectory.get(tenantId) }
    return transactionWithOutbox(async (trx, outbox) => {
      const locked = await this.#lockTicket(trx, ticketId)
      if (!locked || locked.status !== 'called' || toSqlDateTime(locked.calledAt!) >= deadline)
        return false
      const counterAtStart = locked.counterId
      if (requeue && locked.requeueCount === 0) {
        locked.requeueCount += 1
        locked.counterId = null
        locked.queuedAt = now
        await this.#transition(trx, locked, 'requeue', { by: null, note: 'no_show_grace' }, now, {
          outbox,
          events,
        })
      } else {
        locked.cancelledAt = now
        await this.#transition(trx, locked, 'no_show', { by: null, note: 'no_show_grace' }, now, {
          outbox,
          events,
        })
      }
      await this.#updatePresence(trx, 'no_show', null, counterAtStart, now)
      return true
    })
  }

  /** Refuses an illegal move with a message that names the ticket and its status. */
  #assertCan(ticket: Ticket, action: TicketAction) {
    if (!canTransition(ticket.status, action)) {
      throw new DomainError(`illegal_${action}`, { number: ticket.number, status: ticket.status })
    }
  }

  #assertAtCounter(ticket: Ticket, counter: Counter) {
    if (ticket.counterId !== counter.id)
      throw new DomainError('not_at_your_counter', { number: ticket.number })
  }

  async #closeOpenTickets(
    trx: TransactionClientContract,
    branch: Branch,
    range: {
      before?: string
      upTo?: string
      reason: 'daily_reset' | 'manual_reset'
      by: User | null
    }
  ) {
    const now = clock.now()
    const query = Ticket.query({ client: trx })
      .where('branch_id', branch.id)
      .whereIn('status', [...OPEN_STATUSES])
    if (range.before) query.where('service_date', '<', range.before)
    if (range.upTo) query.where('service_date', '<=', range.upTo)
    if (hasRowLocks(trx)) query.forUpdate()
    const open = await query

    for (const ticket of open) {
      ticket.cancelReason = range.reason
      ticket.cancelledAt = now
      await this.#transition(trx, ticket, 'close', { by: range.by }, now)
    }
    if (open.length > 0) {
      await trx
        .from('counters')
        .where('branch_id', branch.id)
        .whereIn('presence', ['busy'])
        .update({ presence: 'available' })
    }
    return open.length
  }
}

/** The ticket is called to `counter` now (its wait ends here). */
function placeAtCounter(ticket: Ticket, counter: Counter, now: DateTime) {
  ticket.counterId = counter.id
  ticket.targetCounterId = null
  ticket.calledAt = now
  ticket.waitSeconds = secondsBetween(ticket.queuedAt, now)
}

function toCandidate(row: Record<string, any>): Candidate {
  const queuedAt =
    row.queued_at instanceof Date
      ? row.queued_at.getTime()
      : Date.parse(`${row.queued_at.replace(' ', 'T')}Z`)
  return {
    id: row.id,
    serviceId: Number(row.service_id),
    priority: row.priority,
    queuedAt,
    sequence: Number(row.sequence),
    targetCounterId: row.target_counter_id === null ? null : Number(row.target_counter_id),
  }
}

/** The anti-starvation limit of a service: its own, else the tenant's (minutes). */
function starvationMinutes(entry: BranchEntry, settings: QueueSettings, serviceId: number) {
  return (
    entry.services.find((service) => service.id === serviceId)?.maxWaitMinutes ??
    settings.maxWaitMinutes
  )
}

function secondsBetween(from: DateTime, to: DateTime) {
  return Math.max(0, Math.round(to.diff(from, 'seconds').seconds))
}
