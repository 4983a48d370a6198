import { DateTime } from 'luxon'
import { errors } from '@adonisjs/lucid'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Ticket from '#models/ticket'
import { newModel } from '#models/columns'
import Service from '#models/service'
import KioskReservation from '#models/kiosk_reservation'
import type Device from '#models/device'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import branchDirectory, { type BranchEntry } from '#services/platform/branch_directory'
import QueueEngine from '#services/queue/queue_engine'
import TicketNumbering from '#services/queue/ticket_numbering'
import { hasRowLocks, isUniqueViolation, withTransaction } from '#support/database'
import { sqlOf } from '#support/sql'
import { appendEvent, insertTicket } from '#services/queue/ticket_store'
import { transactionWithOutbox } from '#services/messaging/outbox'
import messagingDirectory from '#services/messaging/messaging_directory'
import { announceTicketEvent } from '#services/queue/ticket_messaging'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import { inject } from '@adonisjs/core'

/** How many numbers a kiosk holds per open service for printing while its network is down. */
const BLOCK_SIZE = 5

/** The numbers a kiosk may still print offline for one service today. */
export interface HeldNumbers {
  serviceId: number
  numbers: number[]
}

/** A ticket the kiosk printed while offline, as it sends it once the network is back. */
export interface OfflineTicket {
  id: string
  serviceId: number
  sequence: number
  takenAt: DateTime
  phone?: string | null
}

export type RefusalReason =
  'unknown_service' | 'not_reserved' | 'expired' | 'number_taken' | 'id_taken'

export type SyncOutcome =
  | { id: string; status: 'created' | 'exists' }
  | { id: string; status: 'refused'; reason: RefusalReason }

/**
 * The kiosk channel: a touch screen in the lobby that issues numbers and prints them.
 *
 * Online, a kiosk takes numbers like any visitor (QueueEngine.take, channel `kiosk`). For the
 * times its network drops (NFR-07) it also holds, per open service, a small block of numbers
 * reserved for it alone from the same per-service, per-day sequence (kiosk_reservations). Offline
 * it prints the next number of its block under a ticket id it generates itself, and sends the
 * ticket later: the ticket is created with exactly that id and number if the number lies in an
 * unexpired block of this very kiosk and is still unused. Repeating a sync changes nothing, and
 * the unique (origin service, day, cycle, number) index makes a duplicate impossible.
 *
 * The trade-off: a reserved number the kiosk never prints (the network never dropped, the day
 * ended, an admin reset the day) is skipped, so the queue shows a gap (A004, A010). A gap is
 * harmless; two visitors holding the same number is not. Blocks stay small to keep gaps small,
 * and they count against a service's daily capacity.
 *
 * A block expires with its day and when an admin resets the day (a new numbering cycle).
 */
@inject()
export default class KioskIssuer {
  constructor(
    protected queue: QueueEngine,
    protected ticketNumbering: TicketNumbering
  ) {}

  /** A visitor takes a number at the kiosk (online), with an optional phone for updates. */
  async take(
    device: Device,
    serviceId: number,
    options: { phone?: string; requestId?: string; locale?: string }
  ) {
    const entry = await this.#entry(device)
    const service = await this.#service(entry, serviceId)
    const phone = options.phone
      ? normalizePhone(options.phone, countryOfTimezone(entry.branch.timezone))
      : null
    if (options.phone && !phone) throw new DomainError('invalid_phone', {}, 422)
    return this.queue.take(entry.branch, service, {
      channel: 'kiosk',
      deviceId: device.id,
      phone,
      requestId: options.requestId ?? null,
      locale: options.locale ?? null,
    })
  }

  /**
   * Tops the kiosk's blocks up to `size` unused numbers for every service that is open now, and
   * returns what it holds today. Services that are closed get nothing, so the kiosk stops
   * printing them offline.
   */
  async reserve(
    device: Device,
    size = BLOCK_SIZE
  ): Promise<{ serviceDate: string; held: HeldNumbers[] }> {
    const entry = await this.#entry(device)
    const serviceDate = entry.branch.today()
    const open = entry.services.filter((service) => branchDirectory.openState(entry, service).open)
    const held = await this.#unusedNumbers(device, serviceDate, open)

    for (const service of open) {
      const numbers = held.get(service.id) ?? []
      if (numbers.length >= size) continue
      const block = await withTransaction(async (trx) => {
        const reserved = await this.ticketNumbering.reserve(
          sqlOf(trx),
          service,
          serviceDate,
          size - numbers.length
        )
        // Numbers past the daily capacity (none: no limit) are never issued: not by the kiosk either.
        const last = service.dailyCapacity
          ? Math.min(reserved.last, service.dailyCapacity)
          : reserved.last
        if (last < reserved.first) return null
        return KioskReservation.create(
          {
            tenantId: device.tenantId,
            deviceId: device.id,
            serviceId: service.id,
            serviceDate,
            cycle: reserved.cycle,
            firstNumber: reserved.first,
            lastNumber: last,
          },
          { client: trx }
        )
      })
      if (block) held.set(service.id, [...numbers, ...range(block.firstNumber, block.lastNumber)])
    }

    return {
      serviceDate,
      held: open.map((service) => ({ serviceId: service.id, numbers: held.get(service.id) ?? [] })),
    }
  }

  /** Creates the tickets the kiosk printed offline, one transaction each; says per ticket what became of it. */
  async sync(device: Device, tickets: OfflineTicket[]): Promise<SyncOutcome[]> {
    const entry = await this.#entry(device)
    const outcomes: SyncOutcome[] = []
    for (const ticket of tickets) outcomes.push(await this.#syncOne(device, entry, ticket))
    if (outcomes.some((outcome) => outcome.status === 'created'))
      await liveVersion.bump(entry.branch.id)
    return outcomes
  }

  async #syncOne(device: Device, entry: BranchEntry, offline: OfflineTicket): Promise<SyncOutcome> {
    const refused = (reason: RefusalReason): SyncOutcome => ({
      id: offline.id,
      status: 'refused',
      reason,
    })
    const now = clock.now()
    const takenAt = offline.takenAt.toMillis() < now.toMillis() ? offline.takenAt : now
    const serviceDate = takenAt.setZone(entry.branch.timezone).toISODate()!

    const service = await Service.query()
      .where('id', offline.serviceId)
      .where('branch_id', device.branchId)
      .first()
    if (!service) return refused('unknown_service')
    const country = countryOfTimezone(entry.branch.timezone)
    const phone = offline.phone ? normalizePhone(offline.phone, country) : null
    const events = { profile: await messagingDirectory.get(device.tenantId) }

    try {
      return await transactionWithOutbox(async (trx, outbox): Promise<SyncOutcome> => {
        // Another device's ticket (another tenant's, perhaps) is answered as an id never seen:
        // the answer must not tell whether some ticket has it.
        const existing = await Ticket.find(offline.id, { client: trx })
        const ours = existing?.deviceId === device.id ? existing : null
        if (ours)
          return sameTicket(ours, device, offline)
            ? { id: offline.id, status: 'exists' }
            : refused('id_taken')
        if (serviceDate !== entry.branch.today()) return refused('expired')

        const reservation = await KioskReservation.query({ client: trx })
          .where('device_id', device.id)
          .where('service_id', service.id)
          .where('service_date', serviceDate)
          .where('first_number', '<=', offline.sequence)
          .where('last_number', '>=', offline.sequence)
          .first()
        if (!reservation) return refused('not_reserved')
        if ((await currentCycle(trx, service, serviceDate)) !== reservation.cycle)
          return refused('expired')

        if (existing) return refused('number_taken')

        // Printed no earlier than its number was reserved, and never in the future.
        const queuedAt =
          takenAt.toMillis() < reservation.createdAt.toMillis() ? reservation.createdAt : takenAt
        const ticket = newTicket(device, service, offline, {
          serviceDate,
          queuedAt,
          phone,
          timezone: entry.branch.timezone,
        })
        const sql = sqlOf(trx)
        await insertTicket(sql, ticket)
        await appendEvent(
          sql,
          ticket,
          'created',
          null,
          { by: null, data: { offline: true, taken_at: offline.takenAt.toISO() } },
          now
        )
        await announceTicketEvent(sql, outbox, ticket, 'created', events, now)
        return { id: offline.id, status: 'created' }
      })
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      // The same ticket synced in parallel got there first, or another ticket has this number.
      const existing = await Ticket.find(offline.id)
      if (existing?.deviceId === device.id)
        return sameTicket(existing, device, offline)
          ? { id: offline.id, status: 'exists' }
          : refused('id_taken')
      return refused('number_taken')
    }
  }

  /** Numbers of today's blocks, in the current cycle, that no ticket has used yet, per service. */
  async #unusedNumbers(device: Device, serviceDate: string, services: Service[]) {
    const unused = new Map<number, number[]>()
    if (services.length === 0) return unused
    const serviceIds = services.map((service) => service.id)
    const reservations = await KioskReservation.query()
      .where('device_id', device.id)
      .where('service_date', serviceDate)
      .whereIn('service_id', serviceIds)
      .orderBy('first_number')
    if (reservations.length === 0) return unused

    const cycles = await currentCycles(serviceIds, serviceDate)
    const used = new Set(
      (
        await Ticket.query()
          .where('device_id', device.id)
          .where('service_date', serviceDate)
          .whereIn('origin_service_id', serviceIds)
          .select('origin_service_id', 'sequence')
      ).map((ticket) => `${ticket.originServiceId}:${ticket.sequence}`)
    )
    for (const reservation of reservations) {
      if (cycles.get(reservation.serviceId) !== reservation.cycle) continue
      const free = range(reservation.firstNumber, reservation.lastNumber).filter(
        (number) => !used.has(`${reservation.serviceId}:${number}`)
      )
      unused.set(reservation.serviceId, [...(unused.get(reservation.serviceId) ?? []), ...free])
    }
    return unused
  }

  async #entry(device: Device) {
    const entry = await branchDirectory.byId(device.branchId)
    if (!entry) throw new errors.E_ROW_NOT_FOUND()
    return entry
  }

  /** An open service of the kiosk's branch; a closed one is refused politely by the engine; elsewhere 404. */
  async #service(entry: BranchEntry, serviceId: number) {
    const open = entry.services.find((service) => service.id === serviceId)
    return (
      open ??
      Service.query().where('branch_id', entry.branch.id).where('id', serviceId).firstOrFail()
    )
  }
}

function range(first: number, last: number) {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index)
}

function sameTicket(ticket: Ticket, device: Device, offline: OfflineTicket) {
  return (
    ticket.deviceId === device.id &&
    ticket.originServiceId === offline.serviceId &&
    ticket.sequence === offline.sequence
  )
}

/** The numbering cycle of a service's day, locked until the transaction ends so that a reset waits for it. */
async function currentCycle(trx: TransactionClientContract, service: Service, serviceDate: string) {
  const query = trx
    .from('ticket_sequences')
    .where('service_id', service.id)
    .where('service_date', serviceDate)
    .select('cycle')
  if (hasRowLocks(trx)) query.forUpdate()
  const row = await query.first()
  return row ? Number(row.cycle) : null
}

async function currentCycles(serviceIds: number[], serviceDate: string) {
  const rows = await db
    .from('ticket_sequences')
    .whereIn('service_id', serviceIds)
    .where('service_date', serviceDate)
    .select('service_id', 'cycle')
  return new Map<number, number>(rows.map((row) => [Number(row.service_id), Number(row.cycle)]))
}

function newTicket(
  device: Device,
  service: Service,
  offline: OfflineTicket,
  at: { serviceDate: string; queuedAt: DateTime; phone: string | null; timezone: string }
) {
  return newModel(Ticket, {
    id: offline.id,
    tenantId: device.tenantId,
    branchId: device.branchId,
    serviceId: service.id,
    originServiceId: service.id,
    areaId: service.areaId,
    counterId: null,
    targetCounterId: null,
    deviceId: device.id,
    serviceDate: at.serviceDate,
    sequence: offline.sequence,
    number: service.formatNumber(offline.sequence),
    status: 'waiting',
    channel: 'kiosk',
    priority: service.defaultPriority,
    requestId: null,
    customerName: null,
    customerPhone: at.phone,
    locale: null,
    nearNotifiedAt: null,
    note: null,
    tags: null,
    cancelReason: null,
    localHour: at.queuedAt.setZone(at.timezone).hour,
    waitSeconds: null,
    serviceSeconds: null,
    recallCount: 0,
    transferCount: 0,
    requeueCount: 0,
    queuedAt: at.queuedAt,
    calledAt: null,
    servingAt: null,
    completedAt: null,
    cancelledAt: null,
    // The visitor's page says "taken at" the time printed on the paper.
    createdAt: at.queuedAt,
    updatedAt: clock.now(),
  })
}
