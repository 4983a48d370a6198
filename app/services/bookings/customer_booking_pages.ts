import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import { formatMoment } from '#support/dates'
import type Booking from '#models/booking'
import Ticket from '#models/ticket'
import DomainError from '#exceptions/domain_error'
import BookingService from '#services/bookings/booking_service'
import Payments from '#services/payments/payments'
import type { BranchEntry } from '#services/platform/branch_directory'
import liveVersion from '#support/live_version'
import clock from '#support/clock'
import { bookingUrl, qrSvg } from '#support/urls'

/** The customer's booking page (`/booking/:id`, no login): what it shows and which buttons it offers. */
@inject()
export default class CustomerBookingPages {
  constructor(
    protected bookings: BookingService,
    protected payments: Payments
  ) {}

  /**
   * Everything the booking page (and its live card) shows: whether the customer may still move or
   * cancel it (open, before the tenant's cut-off) or check in (awaiting them, from the check-in
   * window), the payment link, the QR code.
   */
  async state(
    booking: Booking,
    entry: BranchEntry,
    locale: string,
    options: { poll?: boolean } = {}
  ) {
    const settings = entry.tenant.booking
    const now = clock.now()
    const open = ['pending_payment', 'awaiting_customer'].includes(booking.status)
    const beforeCutoff =
      now < booking.startsAt.minus({ minutes: settings.cancellationCutoffMinutes })
    const checkInOpens = booking.startsAt.minus({ minutes: settings.earlyCheckinMinutes })
    const ticket = booking.ticketId ? await Ticket.find(booking.ticketId) : null
    // A poll shows the link made so far; only a visit asks the gateway for one.
    const pay =
      booking.status !== 'pending_payment'
        ? { url: null, problem: null }
        : options.poll
          ? { url: await this.bookings.payUrl(booking), problem: null }
          : await this.#payLink(booking)
    return {
      ...entry,
      booking,
      ticket,
      version: await liveVersion.get(booking.branchId),
      qr: options.poll ? null : await qrSvg(bookingUrl(booking.id)),
      payUrl: pay.url,
      payProblem: pay.problem,
      canChange: open && beforeCutoff,
      canCheckIn: booking.status === 'awaiting_customer' && now >= checkInOpens,
      checkInOpens: checkInOpens.setZone(entry.branch.timezone).setLocale(locale),
      cutoffHours: Math.round((settings.cancellationCutoffMinutes / 60) * 10) / 10,
      when: formatMoment(DateTime.fromISO(booking.serviceDate), 'fullDate', locale),
    }
  }

  /**
   * The payment page of a booking waiting for its prepayment: made at the gateway on the first
   * visit, reused after. When the gateway cannot make it now, the page says why and the next visit
   * (or the page's next refresh) tries again; the booking keeps its place until its pay-by time.
   */
  async #payLink(booking: Booking): Promise<{
    url: string | null
    problem: { key: string; params: Record<string, string | number> } | null
  }> {
    try {
      return { url: await this.payments.ensureLink(booking), problem: null }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      return { url: null, problem: { key: `errors.${error.key}`, params: error.params } }
    }
  }
}
