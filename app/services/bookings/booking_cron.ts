import logger from '@adonisjs/core/services/logger'
import Booking from '#models/booking'
import Tenant from '#models/tenant'
import { toSqlDateTime } from '#models/columns'
import clock from '#services/clock'
import BookingService from '#services/bookings/booking_service'

/** Bookings looked at per task per run: a backlog is worked off over the next minutes. */
const BATCH = 200

/**
 * What happens to bookings with time (run every minute from start/scheduler.ts, on one server,
 * and by hand with `node ace bookings:tick`): unpaid bookings are released, reminders go out the
 * day and the hour before, appointments join the queue when the tenant auto-blends, and bookings
 * nobody came for become no-shows. Each booking is its own transaction; one failing does not
 * stop the others.
 */
export default class BookingCron {
  static async run(service = new BookingService()) {
    const now = clock.now()
    const done = { expired: 0, reminded: 0, enqueued: 0, noShows: 0 }

    const unpaid = await Booking.query().where('status', 'pending_payment').where('pay_by', '<=', toSqlDateTime(now)).limit(BATCH)
    for (const booking of unpaid) if ((await attempt(() => service.expireUnpaid(booking.id, booking.tenantId)))?.status === 'expired') done.expired++

    // Reminders: a booking made more than a day (an hour) before its start hears of it then.
    const confirmed = await Booking.query()
      .where('status', 'awaiting_customer')
      .where('starts_at', '>', toSqlDateTime(now))
      .where('starts_at', '<=', toSqlDateTime(now.plus({ hours: 24 })))
      .where((query) => query.whereNull('reminded_day_at').orWhereNull('reminded_hour_at'))
      .limit(BATCH)
    const tenants = new Map<number, Tenant>()
    for (const booking of confirmed) {
      const tenant = tenants.get(booking.tenantId) ?? (await Tenant.findOrFail(booking.tenantId))
      tenants.set(tenant.id, tenant)
      const { reminders } = tenant.booking
      const bookedAhead = booking.startsAt.diff(booking.createdAt, 'minutes').minutes
      const untilStart = booking.startsAt.diff(now, 'minutes').minutes
      if (reminders.dayBefore && !booking.remindedDayAt && bookedAhead > 24 * 60 && untilStart > 60) {
        if (await attempt(() => service.remind(booking.id, booking.tenantId, 'day'))) done.reminded++
      }
      if (reminders.hourBefore && !booking.remindedHourAt && bookedAhead > 60 && untilStart <= 60) {
        if (await attempt(() => service.remind(booking.id, booking.tenantId, 'hour'))) done.reminded++
      }
    }

    const soon = await Booking.query()
      .whereIn('status', ['awaiting_customer', 'arrived'])
      .whereNull('ticket_id')
      .where('starts_at', '<=', toSqlDateTime(now.plus({ hours: 2 })))
      .where('starts_at', '>', toSqlDateTime(now.minus({ hours: 2 })))
      .limit(BATCH)
    for (const booking of soon) {
      const tenant = tenants.get(booking.tenantId) ?? (await Tenant.findOrFail(booking.tenantId))
      tenants.set(tenant.id, tenant)
      const { blending, arrivalToleranceMinutes } = tenant.booking
      if (blending.mode !== 'auto') continue
      const due = booking.startsAt.minus({ minutes: blending.autoMinutesBefore }) <= now && booking.startsAt.plus({ minutes: arrivalToleranceMinutes }) > now
      if (due && (await attempt(() => service.enqueue(booking.id, booking.tenantId)))?.ticketId) done.enqueued++
    }

    const missed = await Booking.query().where('status', 'awaiting_customer').where('starts_at', '<', toSqlDateTime(now)).limit(BATCH)
    for (const booking of missed) {
      const changed = await attempt(() => service.markNoShow(booking.id, booking.tenantId))
      if (changed?.status === 'no_show') done.noShows++
    }
    return done
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
