import Booking from '#models/booking'
import Ticket from '#models/ticket'
import DomainError from '#exceptions/domain_error'
import BookingService from '#services/bookings/booking_service'
import { findBookingByReference } from '#services/bookings/booking_lookup'
import { inject } from '@adonisjs/core'

/**
 * What a customer checking in by themselves (the kiosk's "I have a booking") is told:
 * `arrived` (with the queue number, when the booking joined the queue), `already_arrived`,
 * `expired` (came too late: "hangus"), `too_early`, `not_paid`, `closed` (cancelled, done, no-show),
 * `other_branch` (the booking is at another branch of the business) or `not_found`.
 */
export type CheckInOutcome =
  | 'arrived'
  | 'already_arrived'
  | 'expired'
  | 'too_early'
  | 'not_paid'
  | 'closed'
  | 'other_branch'
  | 'not_found'

export interface CheckInResult {
  outcome: CheckInOutcome
  booking: Booking | null
  ticket: Ticket | null
  /** For `too_early`: when check-in opens (branch-local HH:mm). */
  opensAt?: string
}

/**
 * The customer's own check-in at a branch: finds the booking from the scanned link or the typed
 * code and checks it in (BookingService.checkIn), turning each refusal into what the screen shows.
 */
@inject()
export default class SelfCheckIn {
  constructor(protected bookings: BookingService) {}

  async atBranch(
    place: { tenantId: number; branchId: number },
    reference: string,
    requestId?: string | null
  ): Promise<CheckInResult> {
    const found = await findBookingByReference(place.tenantId, reference)
    if (!found) return { outcome: 'not_found', booking: null, ticket: null }
    if (found.branchId !== place.branchId)
      return { outcome: 'other_branch', booking: found, ticket: null }
    if (found.status === 'arrived' || found.status === 'ongoing')
      return this.#result('already_arrived', found)
    try {
      const booking = await this.bookings.checkIn(found.id, place.tenantId, { by: null, requestId })
      return this.#result(booking.status === 'expired' ? 'expired' : 'arrived', booking)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      if (error.key === 'booking_too_early')
        return {
          outcome: 'too_early',
          booking: found,
          ticket: null,
          opensAt: String(error.params.time),
        }
      if (error.key === 'booking_not_paid')
        return { outcome: 'not_paid', booking: found, ticket: null }
      if (error.key === 'booking_illegal_arrive') {
        // Someone else checked it in a moment ago, or it has ended.
        const latest = await Booking.findOrFail(found.id)
        if (latest.status === 'arrived' || latest.status === 'ongoing')
          return this.#result('already_arrived', latest)
        return {
          outcome:
            latest.status === 'expired' || latest.status === 'no_show' ? 'expired' : 'closed',
          booking: latest,
          ticket: null,
        }
      }
      throw error
    }
  }

  async #result(outcome: CheckInOutcome, booking: Booking): Promise<CheckInResult> {
    const ticket = booking.ticketId
      ? await Ticket.query().where('id', booking.ticketId).preload('service').first()
      : null
    return { outcome, booking, ticket }
  }
}
