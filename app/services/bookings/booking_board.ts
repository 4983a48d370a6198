import { DateTime } from 'luxon'
import Booking from '#models/booking'
import Resource from '#models/resource'
import Ticket from '#models/ticket'
import type Branch from '#models/branch'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import { openState } from '#services/platform/opening_hours'
import type { BranchEntry } from '#services/platform/branch_directory'
import type { BookingSettings } from '#models/settings/booking_settings'
import { normalizePhone, countryOfTimezone } from '#support/phone'
import { canMove, startWindowOf } from '#services/bookings/booking_state_machine'
import type { BookingStatus } from '#enums/booking'
import { errors } from '@adonisjs/lucid'
import BookingEvent from '#models/booking_event'
import Payment from '#models/payment'
import branchDirectory from '#services/platform/branch_directory'
import { BOOKING_STATUSES } from '#enums/booking'
import { withoutWildcards } from '#support/sql'

export interface DayFilter {
  date: string
  status?: BookingStatus | null
  resourceId?: number | null
  /** A code, part of a name, or a phone number. */
  search?: string | null
}

/** What a resource is doing now, for the board: a session running, someone waiting, free, or closed. */
export type ResourceState = 'busy' | 'waiting' | 'free' | 'closed'

export interface ResourceNow {
  resource: Resource
  state: ResourceState
  open: boolean
  /** The session running now (the earliest started, should two run). */
  current: Booking | null
  /** Customers who have checked in and wait for their session, earliest booked first. */
  arrived: Booking[]
  /** The next booking still expected (not yet arrived, not past its arrival tolerance). */
  next: Booking | null
}

/** A session as a booth (and the booth API) sees it. */
export interface SessionView {
  booking_id: string
  code: string
  status: BookingStatus
  customer_name: string
  starts_at: string
  started_at: string | null
  session_ends_at: string | null
  /** Seconds until the session's planned end (0 once past it); null before it starts. */
  seconds_left: number | null
  /** A started session past its planned end. */
  overrun: boolean
}

/** Statuses a resource's day still involves: expected, arrived, running. */
const LIVE_STATUSES: BookingStatus[] = [
  'pending_payment',
  'awaiting_customer',
  'arrived',
  'ongoing',
]

/**
 * What the staff booking pages and the booths read: a branch's day of bookings (filtered and
 * searched), every resource of a branch right now (the board), and one resource's current and
 * next session (a booth). Reads only; every change goes through BookingService.
 */
export default class BookingBoard {
  /** Everything a booking's page (and its refreshed card) shows. */
  async detail(booking: Booking) {
    const entry = await branchDirectory.byId(booking.branchId)
    if (!entry) throw new errors.E_ROW_NOT_FOUND()
    const [events, ticket, payment] = await Promise.all([
      BookingEvent.query().where('booking_id', booking.id).preload('user').orderBy('id'),
      booking.ticketId ? Ticket.query().where('id', booking.ticketId).first() : null,
      Payment.query().where('booking_id', booking.id).orderBy('id', 'desc').first(),
    ])
    const now = clock.now()
    // A move's history shows the old and the new time in the branch's zone.
    const moves = new Map(
      events
        .filter((event) => event.type === 'rescheduled' && event.data?.from && event.data?.to)
        .map((event) => {
          const data = event.data as { from: { starts_at: string }; to: { starts_at: string } }
          return [
            event.id,
            {
              from: DateTime.fromISO(data.from.starts_at),
              to: DateTime.fromISO(data.to.starts_at),
            },
          ] as const
        })
    )
    return {
      booking,
      timezone: entry.branch.timezone,
      settings: entry.tenant.booking,
      session: sessionView(booking, now),
      nowMillis: now.toMillis(),
      events,
      moves,
      ticket,
      payment,
      actions: staffActions(booking.status),
      startWindow: startWindowOf(booking, entry.tenant.booking, now),
      statuses: BOOKING_STATUSES,
    }
  }

  /** A day's bookings of the branch, in time order, with their resource and service. */
  day(branch: Branch, filter: DayFilter) {
    const query = Booking.query()
      .where('branch_id', branch.id)
      .where('service_date', filter.date)
      .preload('resource')
      .preload('service')
      .orderBy('starts_at')
      .orderBy('code')
    if (filter.status) query.where('status', filter.status)
    if (filter.resourceId) query.where('resource_id', filter.resourceId)
    const search = filter.search?.trim()
    if (search) {
      // A whole number as typed (0812…) in E.164, or a few digits of one, found anywhere in the number.
      const digits = /^[\d\s\-+().]+$/.test(search) ? search.replace(/\D/g, '') : ''
      const phone =
        digits.length >= 4
          ? (normalizePhone(search, countryOfTimezone(branch.timezone))?.slice(1) ??
            digits.replace(/^0/, ''))
          : null
      query.where((match) => {
        match
          .where('code', search.toUpperCase())
          .orWhere('customer_name', 'like', `%${withoutWildcards(search)}%`)
        if (phone) match.orWhere('customer_phone', 'like', `%${phone}%`)
      })
    }
    return query.limit(500)
  }

  /** The queue numbers of bookings that joined the walk-in queue: { ticketId: number }. */
  async ticketNumbers(bookings: Booking[]) {
    const ids = bookings
      .map((booking) => booking.ticketId)
      .filter((id): id is string => Boolean(id))
    if (ids.length === 0) return new Map<string, string>()
    const tickets = await Ticket.query().whereIn('id', ids).select('id', 'number')
    return new Map(tickets.map((ticket) => [ticket.id, ticket.number]))
  }

  /** Every active resource of the branch now: its session, who waits, what comes next, open or closed. */
  async resources(entry: BranchEntry, now = clock.now()): Promise<ResourceNow[]> {
    const { branch } = entry
    const settings = entry.tenant.booking
    const resources = await Resource.ofBranch(branch.id)
      .where('is_active', true)
      .preload('schedules')
    const bookings = await Booking.query()
      .where('branch_id', branch.id)
      .where('service_date', now.setZone(branch.timezone).toISODate()!)
      .whereIn('status', LIVE_STATUSES)
      .preload('service')
      .orderBy('starts_at')
    const local = now.setZone(branch.timezone)
    return resources.map((resource) => {
      const own = bookings.filter((booking) => booking.resourceId === resource.id)
      const { current, arrived, next } = sessionsOf(own, settings, now)
      const open =
        resource.schedules.length > 0 &&
        openState(resource.schedules, entry.holidays, null, local).open
      const state: ResourceState = current
        ? 'busy'
        : arrived.length
          ? 'waiting'
          : open
            ? 'free'
            : 'closed'
      return { resource, state, open, current, arrived, next }
    })
  }

  /**
   * A booth's resource now: the session running (or, before staff start it, the customer who has
   * arrived) and the next booking. One indexed query over the resource's bookings around now.
   */
  async boothStatus(resourceId: number, settings: BookingSettings, now = clock.now()) {
    const bookings = await Booking.query()
      .where('resource_id', resourceId)
      .whereIn('status', LIVE_STATUSES)
      .where('starts_at', '>=', toSqlDateTime(now.minus({ hours: 12 })))
      .where('starts_at', '<=', toSqlDateTime(now.plus({ hours: 36 })))
      .orderBy('starts_at')
      .limit(50)
    const { current, arrived, next } = sessionsOf(bookings, settings, now)
    const session = current ?? arrived[0] ?? null
    const upcoming = current ? (arrived[0] ?? next) : (arrived[1] ?? next)
    return {
      session: session ? sessionView(session, now) : null,
      next: upcoming ? sessionView(upcoming, now) : null,
    }
  }
}

/** Which one-click actions a booking's page offers staff in its status (the state machine's moves). */
export function staffActions(status: BookingStatus) {
  return {
    checkIn: canMove(status, 'arrive'),
    start: canMove(status, 'start'),
    finish: canMove(status, 'finish'),
    cancel: canMove(status, 'cancel'),
    // BookingService.reschedule moves bookings that have not started and hold their place.
    reschedule: status === 'pending_payment' || status === 'awaiting_customer',
  }
}

/** Splits a resource's live bookings into the session running, those arrived, and the next expected. */
function sessionsOf(bookings: Booking[], settings: BookingSettings, now: DateTime) {
  const current =
    bookings.filter((booking) => booking.status === 'ongoing').sort(byStart)[0] ?? null
  const arrived = bookings.filter((booking) => booking.status === 'arrived')
  const next =
    bookings.find(
      (booking) =>
        (booking.status === 'awaiting_customer' || booking.status === 'pending_payment') &&
        booking.startsAt.plus({ minutes: settings.arrivalToleranceMinutes }) >= now
    ) ?? null
  return { current, arrived, next }
}

function byStart(a: Booking, b: Booking) {
  return (a.startedAt ?? a.startsAt).toMillis() - (b.startedAt ?? b.startsAt).toMillis()
}

/** A booking as a session: times in UTC ISO, the seconds left of a running one and whether it overran. */
export function sessionView(booking: Booking, now = clock.now()): SessionView {
  const running = booking.status === 'ongoing' && booking.sessionEndsAt !== null
  const left = running ? Math.ceil(booking.sessionEndsAt!.diff(now, 'seconds').seconds) : null
  return {
    booking_id: booking.id,
    code: booking.code,
    status: booking.status,
    customer_name: booking.customerName,
    starts_at: booking.startsAt.toUTC().toISO()!,
    started_at: booking.startedAt?.toUTC().toISO() ?? null,
    session_ends_at: booking.sessionEndsAt?.toUTC().toISO() ?? null,
    seconds_left: left === null ? null : Math.max(0, left),
    overrun: running && left !== null && left < 0,
  }
}

/** LIKE's wildcards taken out of what was typed (escaping them differs between MySQL and SQLite). */
