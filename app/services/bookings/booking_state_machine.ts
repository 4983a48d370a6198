import type { DateTime } from 'luxon'
import type Booking from '#models/booking'
import type { BookingSettings } from '#models/settings/booking_settings'
import type { BookingStatus } from '#enums/booking'

export type BookingAction =
  'pay' | 'expire_unpaid' | 'arrive' | 'expire_late' | 'start' | 'finish' | 'cancel' | 'no_show'

/**
 * Every booking transition (DESIGN.md, "Bookings"); a move not listed is illegal, except an
 * admin's override, which may set any status with a reason (BookingService.override).
 *
 *   pending_payment -> awaiting_customer -> arrived -> ongoing -> done
 *   pending_payment -> expired (not paid in time)      awaiting_customer -> expired (arrived too late)
 *   pending_payment | awaiting_customer -> cancelled   awaiting_customer -> no_show (never came)
 *   awaiting_customer -> ongoing (the queue started serving an auto-enqueued appointment)
 */
export const BOOKING_TRANSITIONS: Record<
  BookingAction,
  { from: readonly BookingStatus[]; to: BookingStatus }
> = {
  pay: { from: ['pending_payment'], to: 'awaiting_customer' },
  expire_unpaid: { from: ['pending_payment'], to: 'expired' },
  arrive: { from: ['awaiting_customer'], to: 'arrived' },
  expire_late: { from: ['awaiting_customer'], to: 'expired' },
  start: { from: ['arrived', 'awaiting_customer'], to: 'ongoing' },
  finish: { from: ['ongoing'], to: 'done' },
  cancel: { from: ['pending_payment', 'awaiting_customer'], to: 'cancelled' },
  no_show: { from: ['awaiting_customer'], to: 'no_show' },
}

export function canMove(from: BookingStatus, action: BookingAction) {
  return BOOKING_TRANSITIONS[action].from.includes(from)
}

export function nextBookingStatus(from: BookingStatus, action: BookingAction): BookingStatus {
  if (!canMove(from, action)) throw new Error(`Cannot ${action} a booking that is ${from}`)
  return BOOKING_TRANSITIONS[action].to
}

/**
 * The arrival window a session may start in without an override (seed 002: arrival, then
 * start): from check-in's opening (the tenant's early check-in minutes before the slot); for a
 * customer who never checked in, only until the arrival tolerance ends (the booking has lapsed).
 */
export function startWindowOf(
  booking: Pick<Booking, 'startsAt' | 'status'>,
  settings: Pick<BookingSettings, 'earlyCheckinMinutes' | 'arrivalToleranceMinutes'>,
  now: DateTime
) {
  const opens = booking.startsAt.minus({ minutes: settings.earlyCheckinMinutes })
  const closes = booking.startsAt.plus({ minutes: settings.arrivalToleranceMinutes })
  const outside: 'early' | 'late' | null =
    now < opens ? 'early' : booking.status === 'awaiting_customer' && now > closes ? 'late' : null
  return { opens, closes, outside }
}
