import { randomUUID } from 'node:crypto'
import { readableCode } from '#support/secrets'
import type { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Booking from '#models/booking'
import BookingEvent from '#models/booking_event'
import Resource from '#models/resource'
import Service from '#models/service'
import Payment from '#models/payment'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import branchDirectory, { type BranchEntry } from '#services/platform/branch_directory'
import messagingDirectory from '#services/messaging/messaging_directory'
import QueueEngine, { type TakeContext } from '#services/queue/queue_engine'
import { isUniqueViolation, hasRowLocks } from '#support/database'
import { transactionWithOutbox, type OutboxBatch } from '#services/messaging/outbox'
import { sqlOf } from '#support/sql'
import {
  canMove,
  nextBookingStatus,
  startWindowOf,
  type BookingAction,
} from '#services/bookings/booking_state_machine'
import { freePlaces, resourceSlots, type ResourceSlot } from '#services/bookings/slots'
import { messageCustomer } from '#services/bookings/booking_messaging'
import {
  bookedPlaces,
  claimPlaces,
  ensureSlotRows,
  gridOf,
  recordBookingEvent,
  releasePlaces,
} from '#services/bookings/booking_store'
import type { BookingSettings } from '#models/settings/booking_settings'
import {
  HOLDING_STATUSES,
  type BookingChannel,
  type BookingEventType,
  type BookingStatus,
} from '#enums/booking'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import { inject } from '@adonisjs/core'
import AuditTrail from '#services/platform/audit_trail'

/** A start time customers can book, with its free places over every resource that offers it. */
export interface AvailableTime {
  time: string
  startsAt: DateTime
  free: number
  resources: { id: number; name: string; free: number }[]
}

export interface BookingInput {
  date: string
  time: string
  /** A resource of choice (staff may pick one); otherwise the first with room, in the admin's order. */
  resourceId?: number | null
  name: string
  /** As typed (`0812…`, `+60…`): stored in E.164 for the branch's country; unreadable is a 422. */
  phone?: string | null
  email?: string | null
  note?: string | null
  locale?: string | null
  channel: BookingChannel
  requestId?: string | null
  by?: User | null
}

export interface BookingActor {
  by: User | null
  requestId?: string | null
  /** For the audit log, where a step is recorded there too (a session started outside its window). */
  ip?: string | null
}

/**
 * Bookings: free times, booking a place without ever overbooking, paying, arriving (and joining
 * the walk-in queue), sessions, cancelling, moving, and an admin's override. Every command is one
 * transaction that changes the booking, frees or takes its slot places, appends its
 * booking_events row and writes its messages and webhook calls; the branch's live version is
 * bumped once it commits, so boards refresh.
 */
@inject()
export default class BookingService {
  constructor(
    protected queue: QueueEngine,
    protected auditTrail: AuditTrail
  ) {}

  /** The start times of `service` on `date` (branch-local) that still have room, in order. */
  async availability(
    entry: BranchEntry,
    service: Service,
    date: string,
    now = clock.now()
  ): Promise<AvailableTime[]> {
    const settings = entry.tenant.booking
    const offers = await this.#offers(entry, service, date, settings, now)
    const booked = await bookedPlaces(offers.flatMap(({ slots }) => slots))
    const times = new Map<string, AvailableTime>()
    for (const { resource, slots } of offers) {
      for (const slot of slots) {
        const free = freePlaces(slot, booked, settings.quotaPerSlot)
        const time = times.get(slot.localTime) ?? {
          time: slot.localTime,
          startsAt: slot.startsAt,
          free: 0,
          resources: [],
        }
        time.free += free
        time.resources.push({ id: resource.id, name: resource.name, free })
        times.set(slot.localTime, time)
      }
    }
    return [...times.values()].sort((a, b) => a.startsAt.toMillis() - b.startsAt.toMillis())
  }

  /**
   * Books `service` at `input.time` on `input.date`. Takes a place at the chosen resource, or at
   * the first that has one, with a conditional update per slot (`booked < quota`): when many
   * customers book the last place at once, exactly one gets it and the others hear it is full.
   * A booking with a prepayment waits for it (`pending_payment`, released after the tenant's
   * payment time); otherwise it is confirmed at once. A repeated request id returns the first booking.
   */
  async book(entry: BranchEntry, service: Service, input: BookingInput): Promise<Booking> {
    const { branch, tenant } = entry
    if (!service.isBookable || !service.isActive || service.branchId !== branch.id)
      throw new DomainError('booking_service_unavailable', { service: service.name }, 409)
    const phone = input.phone
      ? normalizePhone(input.phone, countryOfTimezone(branch.timezone))
      : null
    if (input.phone && !phone) throw new DomainError('invalid_phone', {}, 422)
    if (input.requestId) {
      const earlier = await Booking.forTenant(tenant.id)
        .where('request_id', input.requestId)
        .first()
      if (earlier) return earlier
    }
    const now = clock.now()
    const settings = tenant.booking
    const offers = await this.#offers(entry, service, input.date, settings, now)
    const candidates = offers
      .filter(({ resource }) => !input.resourceId || resource.id === input.resourceId)
      .map(({ resource, slots }) => ({
        resource,
        slot: slots.find((slot) => slot.localTime === input.time),
      }))
      .filter((candidate): candidate is { resource: Resource; slot: ResourceSlot } =>
        Boolean(candidate.slot)
      )
    if (candidates.length === 0)
      throw new DomainError('booking_time_unavailable', { time: input.time, date: input.date }, 422)

    await ensureSlotRows(
      tenant.id,
      candidates.map(({ slot }) => slot)
    )
    const prepay = service.requiresPrepayment && service.price > 0
    const profile = await messagingDirectory.get(tenant.id)
    for (let attempt = 1; ; attempt++) {
      try {
        const booking = await transactionWithOutbox(async (trx, outbox) => {
          for (const { resource, slot } of candidates) {
            if (!(await claimPlaces(trx, slot, settings.quotaPerSlot))) continue
            const created = await Booking.create(
              {
                id: randomUUID(),
                tenantId: tenant.id,
                branchId: branch.id,
                resourceId: resource.id,
                serviceId: service.id,
                code: bookingCode(),
                status: prepay ? 'pending_payment' : 'awaiting_customer',
                channel: input.channel,
                startsAt: slot.startsAt,
                endsAt: slot.endsAt,
                serviceDate: input.date,
                localTime: slot.localTime,
                customerName: input.name,
                customerPhone: phone,
                customerEmail: input.email ?? null,
                locale: input.locale ?? null,
                note: input.note ?? null,
                price: service.price,
                currency: tenant.currency,
                requestId: input.requestId ?? null,
                payBy: prepay ? now.plus({ minutes: settings.paymentMinutes }) : null,
              },
              { client: trx }
            )
            await recordBookingEvent(
              trx,
              outbox,
              created,
              'created',
              null,
              { by: input.by ?? null, requestId: input.requestId },
              now,
              {
                profile,
                names: {
                  service: service.nameIn(input.locale ?? tenant.locale),
                  resource: resource.name,
                  branch: branch.name,
                },
              }
            )
            return created
          }
          throw new DomainError('booking_slot_full', { time: input.time }, 409)
        })
        await liveVersion.bump(branch.id)
        return booking
      } catch (error) {
        if (input.requestId && isUniqueViolation(error)) {
          const earlier = await Booking.forTenant(tenant.id)
            .where('request_id', input.requestId)
            .first()
          if (earlier) return earlier
        }
        // Two bookings drew the same code (unique per tenant): draw again.
        if (isUniqueViolation(error) && attempt < CODE_ATTEMPTS) continue
        throw error
      }
    }
  }

  /**
   * The gateway confirmed the prepayment: the booking is confirmed. A repeat changes nothing;
   * `changed` says whether this call was the one that confirmed it.
   */
  async markPaid(
    bookingId: string,
    tenantId: number,
    details: { paymentId?: number | null; at?: DateTime } = {}
  ) {
    return this.#command(bookingId, tenantId, { by: null }, async (booking) => {
      if (booking.status !== 'pending_payment') return null
      booking.paidAt = details.at ?? clock.now()
      booking.payBy = null
      return { action: 'pay', event: 'paid', data: { payment_id: details.paymentId ?? null } }
    })
  }

  /**
   * Not paid in time: the booking expires and its place is free again. `gatewaySaid` expires it
   * before its own deadline (the gateway reported the payment expired).
   */
  async expireUnpaid(bookingId: string, tenantId: number, options: { gatewaySaid?: boolean } = {}) {
    return this.#act(bookingId, tenantId, { by: null }, async (booking, _trx, now) => {
      if (booking.status !== 'pending_payment') return null
      if (!options.gatewaySaid && (!booking.payBy || booking.payBy > now)) return null
      return {
        action: 'expire_unpaid',
        event: 'payment_expired',
        data: options.gatewaySaid ? { by_gateway: true } : null,
      }
    })
  }

  /**
   * The customer is here (QR scanned at the kiosk or the front desk, or their own link on site).
   * Within the arrival tolerance of the start the booking is `arrived` and, when the tenant blends
   * bookings into the queue at check-in, gets an appointment ticket in the same transaction;
   * later than that it has expired ("hangus"). Earlier than the check-in window: 409.
   */
  async checkIn(bookingId: string, tenantId: number, actor: BookingActor) {
    const { booking, entry } = await this.#found(bookingId, tenantId)
    const settings = entry.tenant.booking
    const taking =
      settings.blending.mode === 'checkin' && !booking.ticketId
        ? await this.#prepareTicket(entry, booking.service)
        : null
    const result = await this.#act(bookingId, tenantId, actor, async (locked, trx, now, outbox) => {
      if (locked.status !== 'awaiting_customer') {
        throw new DomainError(
          locked.status === 'pending_payment' ? 'booking_not_paid' : 'booking_illegal_arrive',
          { code: locked.code, status: locked.status }
        )
      }
      if (now < locked.startsAt.minus({ minutes: settings.earlyCheckinMinutes })) {
        throw new DomainError('booking_too_early', {
          time: locked.startsAt
            .minus({ minutes: settings.earlyCheckinMinutes })
            .setZone(entry.branch.timezone)
            .toFormat('HH:mm'),
        })
      }
      if (now > locked.startsAt.plus({ minutes: settings.arrivalToleranceMinutes })) {
        return {
          action: 'expire_late',
          event: 'late',
          data: { minutes_late: Math.round(now.diff(locked.startsAt, 'minutes').minutes) },
        }
      }
      locked.arrivedAt = now
      if (taking) {
        await this.#joinQueue(locked, trx, outbox, taking)
      }
      return { action: 'arrive', event: 'arrived', data: { ticket_id: locked.ticketId } }
    })
    return result
  }

  /**
   * Staff start the session (a booth, a chair): it runs for the tenant's session length. It keeps
   * check-in's arrival window (seed 002: arrival, then start): not before check-in opens (the
   * tenant's early check-in minutes before the slot), and a customer who never checked in not
   * past the arrival tolerance either (their booking has lapsed). Outside it: 409, unless staff
   * override with a reason, kept on the booking's `started` event and in the audit log.
   */
  async start(
    bookingId: string,
    tenantId: number,
    actor: BookingActor & { outsideWindow?: { reason: string | null } | null }
  ) {
    const reason = actor.outsideWindow ? (actor.outsideWindow.reason ?? '').trim() : null
    if (reason !== null && reason.length < 3)
      throw new DomainError('booking_start_override_reason', {}, 422)
    return this.#act(bookingId, tenantId, actor, async (booking, trx, now) => {
      this.#assertCan(booking, 'start')
      const entry = await this.#entryOf(booking)
      const settings = entry.tenant.booking
      const { opens, closes, outside } = startWindowOf(booking, settings, now)
      if (outside && reason === null) {
        const local = (moment: DateTime) => moment.setZone(entry.branch.timezone).toFormat('HH:mm')
        throw outside === 'early'
          ? new DomainError('booking_start_too_early', { time: local(opens) })
          : new DomainError('booking_start_too_late', { time: local(closes) })
      }
      booking.startedAt = now
      booking.sessionEndsAt = now.plus({ minutes: settings.sessionDurationMinutes })
      if (!outside) return { action: 'start', event: 'started' }
      const minutes = Math.round(now.diff(booking.startsAt, 'minutes').minutes)
      await this.auditTrail.record(
        {
          action: 'booking.start_outside_window',
          tenantId: booking.tenantId,
          branchId: booking.branchId,
          subject: { type: 'booking', id: booking.id },
          changes: { code: booking.code, window: outside, minutes_from_start: minutes, reason },
        },
        { user: actor.by, ip: actor.ip ?? null },
        trx
      )
      return {
        action: 'start',
        event: 'started',
        reason,
        data: { outside_window: outside, minutes_from_start: minutes },
      }
    })
  }

  /** The session is over. Finishing after its planned end records the overrun. */
  async finish(bookingId: string, tenantId: number, actor: BookingActor) {
    return this.#act(bookingId, tenantId, actor, async (booking, _trx, now) => {
      this.#assertCan(booking, 'finish')
      booking.finishedAt = now
      const overrun =
        booking.sessionEndsAt && now > booking.sessionEndsAt
          ? Math.round(now.diff(booking.sessionEndsAt, 'seconds').seconds)
          : 0
      return {
        action: 'finish',
        event: 'finished',
        data: overrun ? { overrun_seconds: overrun } : null,
      }
    })
  }

  /**
   * Cancels a booking that has not started. Customers may do it until the tenant's cut-off before
   * the start; staff at any time.
   */
  async cancel(
    bookingId: string,
    tenantId: number,
    actor: BookingActor & { reason: string; byCustomer?: boolean }
  ) {
    return this.#act(bookingId, tenantId, actor, async (booking, _trx, now) => {
      this.#assertCan(booking, 'cancel')
      if (actor.byCustomer) await this.#assertBeforeCutoff(booking, now)
      booking.cancelledAt = now
      booking.cancelReason = actor.reason
      return { action: 'cancel', event: 'cancelled', reason: actor.reason }
    })
  }

  /**
   * Moves a booking that has not started to another time (of the same service), taking the new
   * place before giving the old one back; customers until the cut-off.
   */
  async reschedule(
    bookingId: string,
    tenantId: number,
    target: { date: string; time: string },
    actor: BookingActor & { byCustomer?: boolean }
  ) {
    const { booking, entry } = await this.#found(bookingId, tenantId)
    const settings = entry.tenant.booking
    const offers = await this.#offers(entry, booking.service, target.date, settings, clock.now())
    const candidates = offers
      .map(({ resource, slots }) => ({
        resource,
        slot: slots.find((slot) => slot.localTime === target.time),
      }))
      .filter((candidate): candidate is { resource: Resource; slot: ResourceSlot } =>
        Boolean(candidate.slot)
      )
      .sort(
        (a, b) =>
          Number(b.resource.id === booking.resourceId) -
          Number(a.resource.id === booking.resourceId)
      )
    if (candidates.length === 0)
      throw new DomainError(
        'booking_time_unavailable',
        { time: target.time, date: target.date },
        422
      )
    await ensureSlotRows(
      tenantId,
      candidates.map(({ slot }) => slot)
    )

    return this.#act(bookingId, tenantId, actor, async (locked, trx, now) => {
      if (!['pending_payment', 'awaiting_customer'].includes(locked.status)) {
        throw new DomainError('booking_illegal_reschedule', {
          code: locked.code,
          status: locked.status,
        })
      }
      if (actor.byCustomer) await this.#assertBeforeCutoff(locked, now)
      for (const { resource, slot } of candidates) {
        if (slot.startsAt.equals(locked.startsAt) && resource.id === locked.resourceId) {
          throw new DomainError('booking_same_time', {}, 422)
        }
        if (!(await claimPlaces(trx, slot, settings.quotaPerSlot))) continue
        await releasePlaces(trx, locked, settings)
        const from = { resource_id: locked.resourceId, starts_at: locked.startsAt.toUTC().toISO() }
        locked.resourceId = resource.id
        locked.startsAt = slot.startsAt
        locked.endsAt = slot.endsAt
        locked.serviceDate = target.date
        locked.localTime = slot.localTime
        locked.remindedDayAt = null
        locked.remindedHourAt = null
        return {
          event: 'rescheduled',
          data: {
            from,
            to: { resource_id: resource.id, starts_at: slot.startsAt.toUTC().toISO() },
          },
          keepsPlaces: true,
        }
      }
      throw new DomainError('booking_slot_full', { time: target.time }, 409)
    })
  }

  /**
   * An admin sets any status, with a reason: kept on the booking's history with who, when, from
   * and to. Leaving a place-holding status frees the place; coming back into one takes it again
   * (refused when it is full meanwhile).
   */
  async override(
    bookingId: string,
    tenantId: number,
    change: { to: BookingStatus; reason: string },
    actor: BookingActor
  ) {
    if (!change.reason.trim()) throw new DomainError('booking_override_reason', {}, 422)
    return this.#act(bookingId, tenantId, actor, async (booking, trx, now) => {
      if (booking.status === change.to)
        throw new DomainError('booking_override_same', { status: change.to }, 422)
      const settings = (await this.#entryOf(booking)).tenant.booking
      const holdsNow = HOLDING_STATUSES.includes(booking.status)
      const willHold = HOLDING_STATUSES.includes(change.to)
      if (!holdsNow && willHold) {
        const slots = gridOf(booking, settings)
        await ensureSlotRows(booking.tenantId, [slots], trx)
        if (!(await claimPlaces(trx, slots, settings.quotaPerSlot)))
          throw new DomainError('booking_slot_full', { time: booking.localTime }, 409)
      }
      if (change.to === 'ongoing' && !booking.startedAt) {
        booking.startedAt = now
        booking.sessionEndsAt = now.plus({ minutes: settings.sessionDurationMinutes })
      }
      if (change.to === 'done' && !booking.finishedAt) booking.finishedAt = now
      if (change.to === 'arrived' && !booking.arrivedAt) booking.arrivedAt = now
      if (change.to === 'cancelled' && !booking.cancelledAt) booking.cancelledAt = now
      booking.status = change.to
      return {
        event: 'overridden',
        reason: change.reason,
        keepsPlaces: holdsNow === willHold || (!holdsNow && willHold),
      }
    })
  }

  /** Nobody came: the booking is a no-show once its start plus the tenant's grace has passed. */
  async markNoShow(bookingId: string, tenantId: number) {
    return this.#act(bookingId, tenantId, { by: null }, async (booking, _trx, now) => {
      const settings = (await this.#entryOf(booking)).tenant.booking
      if (
        booking.status !== 'awaiting_customer' ||
        booking.startsAt.plus({ minutes: settings.noShowGraceMinutes }) > now
      )
        return null
      return { action: 'no_show', event: 'no_show' }
    })
  }

  /**
   * Auto-blending: the appointment joins the queue N minutes before its start (tenant setting),
   * whether or not the customer has checked in yet; checking in later finds the ticket there.
   */
  async enqueue(bookingId: string, tenantId: number) {
    const booking = await Booking.forTenant(tenantId)
      .where('id', bookingId)
      .preload('service')
      .first()
    if (!booking || booking.ticketId) return booking
    const entry = await this.#entryOf(booking)
    const taking = await this.#prepareTicket(entry, booking.service)
    if (!taking) return booking
    return this.#act(bookingId, tenantId, { by: null }, async (locked, trx, _now, outbox) => {
      if (locked.ticketId || !['awaiting_customer', 'arrived'].includes(locked.status)) return null
      const ticket = await this.#joinQueue(locked, trx, outbox, taking)
      return { event: 'enqueued', data: { ticket_id: ticket.id, number: ticket.number } }
    })
  }

  /**
   * The reminder of `kind` (the day before, an hour before) for a confirmed booking, once: the
   * message and the mark that it went are written together.
   */
  async remind(bookingId: string, tenantId: number, kind: 'day' | 'hour') {
    const profile = await messagingDirectory.get(tenantId)
    const preview = await Booking.forTenant(tenantId).where('id', bookingId).first()
    if (!preview) return false
    const entry = await this.#entryOf(preview)
    const now = clock.now()
    return transactionWithOutbox(async (trx, outbox) => {
      const query = Booking.forTenant(tenantId, { client: trx })
        .where('id', bookingId)
        .preload('service')
        .preload('resource')
      if (hasRowLocks(trx)) query.forUpdate()
      const booking = await query.firstOrFail()
      const column = kind === 'day' ? 'remindedDayAt' : 'remindedHourAt'
      if (booking[column] || booking.status !== 'awaiting_customer') return false
      booking[column] = now
      booking.useTransaction(trx)
      await booking.save()
      const locale = booking.locale ?? entry.tenant.locale
      const names = {
        service: booking.service.nameIn(locale),
        resource: booking.resource.name,
        branch: entry.branch.name,
      }
      await messageCustomer(
        sqlOf(trx),
        outbox,
        booking,
        kind === 'day' ? 'booking_reminder_day' : 'booking_reminder_hour',
        { profile, names },
        now
      )
      return true
    })
  }

  /** The booking's history, oldest first, with who did each step. */
  history(booking: Booking) {
    return BookingEvent.query().where('booking_id', booking.id).preload('user').orderBy('id')
  }

  /** The payment link of a booking waiting for its prepayment, if one was made. */
  async payUrl(booking: Booking) {
    const payment = await Payment.query()
      .where('booking_id', booking.id)
      .where('status', 'pending')
      .orderBy('id', 'desc')
      .first()
    return payment?.paymentUrl ?? null
  }

  /**
   * Runs one command on a locked booking of the tenant: `apply` changes it and says which
   * transition (checked by the state machine) and which event it was; returning null changes
   * nothing (a repeat). A place-holding booking that stops holding frees its place.
   */
  async #act(bookingId: string, tenantId: number, actor: BookingActor, apply: Apply) {
    return (await this.#command(bookingId, tenantId, actor, apply)).booking
  }

  /** `#act`, also saying whether the booking changed. */
  async #command(bookingId: string, tenantId: number, actor: BookingActor, apply: Apply) {
    const now = clock.now()
    const profile = await messagingDirectory.get(tenantId)
    const preview = await Booking.forTenant(tenantId).where('id', bookingId).first()
    if (!preview) throw new DomainError('booking_not_found', {}, 404)
    const entry = await this.#entryOf(preview)
    const result = await transactionWithOutbox(async (trx, outbox) => {
      if (actor.requestId) {
        const replayed = await BookingEvent.forTenant(tenantId, { client: trx })
          .where('request_id', actor.requestId)
          .first()
        if (replayed)
          return {
            booking: (await Booking.findOrFail(replayed.bookingId, { client: trx })) as Booking,
            changed: false,
          }
      }
      const query = Booking.forTenant(tenantId, { client: trx })
        .where('id', bookingId)
        .preload('service')
        .preload('resource')
      if (hasRowLocks(trx)) query.forUpdate()
      const booking = await query.first()
      if (!booking) throw new DomainError('booking_not_found', {}, 404)
      const from = booking.status
      const change = await apply(booking, trx, now, outbox)
      if (!change) return { booking, changed: false }
      if (change.action) booking.status = nextBookingStatus(from, change.action)
      if (
        HOLDING_STATUSES.includes(from) &&
        !HOLDING_STATUSES.includes(booking.status) &&
        !change.keepsPlaces
      ) {
        await releasePlaces(trx, booking, entry.tenant.booking)
      }
      booking.useTransaction(trx)
      await booking.save()
      const locale = booking.locale ?? entry.tenant.locale
      await recordBookingEvent(
        trx,
        outbox,
        booking,
        change.event,
        from,
        { ...actor, reason: change.reason, data: change.data },
        now,
        {
          profile,
          names: {
            service: booking.service.nameIn(locale),
            resource: booking.resource.name,
            branch: entry.branch.name,
          },
        }
      )
      return { booking, changed: true }
    })
    if (result.changed) await liveVersion.bump(result.booking.branchId)
    return result
  }

  /** The resources of the branch that offer `service`, each with its start times on `date`. */
  async #offers(
    entry: BranchEntry,
    service: Service,
    date: string,
    settings: BookingSettings,
    now: DateTime
  ) {
    const resources = await Resource.ofBranch(entry.branch.id)
      .where('is_active', true)
      .whereHas('services', (query) => query.where('services.id', service.id))
      .preload('schedules')
    const query = {
      date,
      timezone: entry.branch.timezone,
      holidays: entry.holidays,
      slotMinutes: settings.slotMinutes,
      durationMinutes: service.durationMinutes ?? settings.slotMinutes,
      notBefore: now,
    }
    return resources.map((resource) => ({
      resource,
      slots: resourceSlots(resource.id, resource.schedules, query),
    }))
  }

  async #prepareTicket(entry: BranchEntry, service: Service): Promise<TakeContext | null> {
    try {
      return await this.queue.prepareTake(entry.branch, service)
    } catch (error) {
      // Outside the queue's hours (or a service not in the queue) the customer still arrives, without a ticket.
      if (error instanceof DomainError) return null
      throw error
    }
  }

  /** Inside the booking's transaction: the customer joins the walk-in queue with an appointment ticket. */
  async #joinQueue(
    locked: Booking,
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    taking: TakeContext
  ) {
    const ticket = await this.queue.takeWithin(sqlOf(trx), outbox, taking, {
      channel: 'booking',
      priority: 'appointment',
      name: locked.customerName,
      phone: locked.customerPhone,
      locale: locked.locale,
      bookingId: locked.id,
    })
    locked.ticketId = ticket.id
    return ticket
  }

  /** The tenant's booking, with its service and its branch's entry; 404 for anything else. */
  async #found(bookingId: string, tenantId: number) {
    const booking = await Booking.forTenant(tenantId)
      .where('id', bookingId)
      .preload('service')
      .first()
    if (!booking) throw new DomainError('booking_not_found', {}, 404)
    return { booking, entry: await this.#entryOf(booking) }
  }

  async #entryOf(booking: Pick<Booking, 'branchId'>) {
    const entry = await branchDirectory.byId(booking.branchId)
    if (!entry) throw new DomainError('booking_not_found', {}, 404)
    return entry
  }

  async #assertBeforeCutoff(booking: Booking, now: DateTime) {
    const settings = (await this.#entryOf(booking)).tenant.booking
    if (now > booking.startsAt.minus({ minutes: settings.cancellationCutoffMinutes })) {
      throw new DomainError('booking_cutoff_passed', {
        hours: Math.round((settings.cancellationCutoffMinutes / 60) * 10) / 10,
      })
    }
  }

  #assertCan(booking: Booking, action: BookingAction) {
    if (!canMove(booking.status, action))
      throw new DomainError(`booking_illegal_${action}`, {
        code: booking.code,
        status: booking.status,
      })
  }
}

/** What a command did: the state machine's transition (none for a reschedule or an override) and the event. */
interface Change {
  action?: BookingAction
  event: BookingEventType
  reason?: string | null
  data?: Record<string, unknown> | null
  /** The booking keeps (or already re-took) its places although its status no longer holds one. */
  keepsPlaces?: boolean
}

/** A command's change of a locked booking; null changes nothing. */
type Apply = (
  booking: Booking,
  trx: TransactionClientContract,
  now: DateTime,
  outbox: OutboxBatch
) => Promise<Change | null>

/** How many codes a booking draws before a clash is an error. */
const CODE_ATTEMPTS = 3

function bookingCode() {
  return readableCode('BK')
}
