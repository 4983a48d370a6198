import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import Booking from '#models/booking'
import Tenant from '#models/tenant'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import BookingService from '#services/bookings/booking_service'

/** Bookings read per page: every due booking is looked at on each run, a page at a time. */
const PAGE = 200

/**
 * What happens to bookings with time (run every minute from start/scheduler.ts, on one server,
 * and by hand with `node ace bookings:tick`): unpaid bookings are released, reminders go out the
 * day and the hour before, appointments join the queue when the tenant auto-blends, and bookings
 * nobody came for become no-shows. Each booking is its own transaction; one failing does not
 * stop the others.
 */
@inject()
export default class BookingCron {
  constructor(protected service: BookingService) {}

  async run() {
    const service = this.service
    const now = clock.now()
    const done = { expired: 0, reminded: 0, enqueued: 0, noShows: 0 }

    const unpaid = pages(() =>
      Booking.query().where('status', 'pending_payment').where('pay_by', '<=', toSqlDateTime(now))
    )
    for await (const booking of unpaid)
      if (
        (await attempt(() => service.expireUnpaid(booking.id, booking.tenantId)))?.status ===
        'expired'
      )
        done.expired++

    // Reminders: a booking made more than a day (an hour) before its start hears of it then.
    const confirmed = pages(() =>
      Booking.query()
        .where('status', 'awaiting_customer')
        .where('starts_at', '>', toSqlDateTime(now))
        .where('starts_at', '<=', toSqlDateTime(now.plus({ hours: 24 })))
        .where((query) => query.whereNull('reminded_day_at').orWhereNull('reminded_hour_at'))
    )
    const tenants = new Map<number, Tenant>()
    for await (const booking of confirmed) {
      const tenant = tenants.get(booking.tenantId) ?? (await Tenant.findOrFail(booking.tenantId))
      tenants.set(tenant.id, tenant)
      const { reminders } = tenant.booking
      const bookedAhead = booking.startsAt.diff(booking.createdAt, 'minutes').minutes
      const untilStart = booking.startsAt.diff(now, 'minutes').minutes
      if (
        reminders.dayBefore &&
        !booking.remindedDayAt &&
        bookedAhead > 24 * 60 &&
        untilStart > 60
      ) {
        if (await attempt(() => service.remind(booking.id, booking.tenantId, 'day')))
          done.reminded++
      }
      if (reminders.hourBefore && !booking.remindedHourAt && bookedAhead > 60 && untilStart <= 60) {
        if (await attempt(() => service.remind(booking.id, booking.tenantId, 'hour')))
          done.reminded++
      }
    }

    const soon = pages(() =>
      Booking.query()
        .whereIn('status', ['awaiting_customer', 'arrived'])
        .whereNull('ticket_id')
        .where('starts_at', '<=', toSqlDateTime(now.plus({ hours: 2 })))
        .where('starts_at', '>', toSqlDateTime(now.minus({ hours: 2 })))
    )
    for await (const booking of soon) {
      const tenant = tenants.get(booking.tenantId) ?? (await Tenant.findOrFail(booking.tenantId))
      tenants.set(tenant.id, tenant)
      const { blending, arrivalToleranceMinutes } = tenant.booking
      if (blending.mode !== 'auto') continue
      const due =
        booking.startsAt.minus({ minutes: blending.autoMinutesBefore }) <= now &&
        booking.startsAt.plus({ minutes: arrivalToleranceMinutes }) > now
      if (due && (await attempt(() => service.enqueue(booking.id, booking.tenantId)))?.ticketId)
        done.enqueued++
    }

    const missed = pages(() =>
      Booking.query()
        .where('status', 'awaiting_customer')
        .where('starts_at', '<', toSqlDateTime(now))
    )
    for await (const booking of missed) {
      const changed = await attempt(() => service.markNoShow(booking.id, booking.tenantId))
      if (changed?.status === 'no_show') done.noShows++
    }
    return done
  }
}

/**
 * The bookings `build` selects, a page at a time in id order (keyset: a booking changed on the
 * way leaves or keeps its place without any being skipped), so a backlog of bookings that are
 * not due yet never hides those that are.
 */
async function* pages(build: () => ModelQueryBuilderContract<typeof Booking, Booking>) {
  let after: string | null = null
  for (;;) {
    const query = build().orderBy('id').limit(PAGE)
    if (after) query.where('id', '>', after)
    const rows: Booking[] = await query
    yield* rows
    if (rows.length < PAGE) return
    after = rows[rows.length - 1].id
  }
}

async function attempt<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work()
  } catch (error) {
    logger.error({ err: error }, 'booking task failed')
    return null
  }
}
