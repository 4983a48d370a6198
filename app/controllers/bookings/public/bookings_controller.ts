import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import { DateTime } from 'luxon'
import Booking from '#models/booking'
import Ticket from '#models/ticket'
import DomainError from '#exceptions/domain_error'
import BookingService from '#services/bookings/booking_service'
import Payments from '#services/payments/payments'
import { bookingCalendar } from '#services/bookings/calendar'
import branchDirectory, { type BranchEntry } from '#services/platform/branch_directory'
import liveVersion from '#support/live_version'
import clock from '#support/clock'
import { bookingUrl, qrSvg } from '#support/urls'
import { readPoll } from '#validators/queue'
import { publicBookingDayValidator, publicBookingValidator, publicCancelValidator, publicRescheduleValidator } from '#validators/bookings'
import { useVisitorLocale } from '#middleware/locale_middleware'

const bookings = new BookingService()
const payments = new Payments()

/** How many days ahead customers can pick. */
const DAYS_AHEAD = 14

/**
 * The customer's booking pages, no login: `/book/:slug` (choose a service, a day, a free time,
 * leave a name and number), then `/booking/:id` (status, QR code for check-in, add to calendar,
 * pay, check in on site, move or cancel until the cut-off). The booking's UUID is the key.
 */
export default class PublicBookingsController {
  async services(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const entry = await branchOf(ctx.params.slug)
    const services = entry.services.filter((service) => service.isBookable)
    return ctx.view.render('pages/bookings/customer/services', { ...entry, services })
  }

  /** The days ahead and the free times of the chosen one; an htmx request gets only the times. */
  async times(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const entry = await branchOf(ctx.params.slug)
    const service = bookableService(entry, ctx.params.serviceId)
    const { date: asked } = await publicBookingDayValidator.validate(ctx.request.qs())
    const days = nextDays(entry, ctx.i18n.locale)
    const date = days.some((day) => day.date === asked) ? asked! : days[0].date
    const times = await bookings.availability(entry, service, date)
    const data = { ...entry, service, days, date, times, action: ctx.request.url() }
    if (ctx.htmx.isRequest) return ctx.view.render('partials/bookings/customer/times', data)
    return ctx.view.render('pages/bookings/customer/times', data)
  }

  async store(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const entry = await branchOf(ctx.params.slug)
    const input = await ctx.request.validateUsing(publicBookingValidator)
    const service = bookableService(entry, input.service_id)
    const booking = await bookings.book(entry, service, {
      date: input.date,
      time: input.time,
      name: input.name,
      phone: input.phone,
      email: input.email ?? null,
      note: input.note ?? null,
      locale: ctx.i18n.locale,
      channel: 'web',
      requestId: input.request_id,
    })
    return ctx.response.redirect().status(303).toRoute('booking.show', { id: booking.id })
  }

  async show(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const { booking, entry } = await findBooking(ctx.params.id)
    return ctx.view.render('pages/bookings/customer/show', await this.#state(booking, entry, ctx.i18n.locale))
  }

  /** Polled by the booking page: 204 while nothing in the branch changed, else the status card. */
  async live(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    const booking = await Booking.find(ctx.params.id)
    if (!booking) throw new errors.E_ROW_NOT_FOUND()
    const current = await liveVersion.get(booking.branchId)
    if (version === current) return ctx.response.noContent()
    useVisitorLocale(ctx)
    const found = await findBooking(booking.id)
    return ctx.view.render('partials/bookings/customer/status', await this.#state(found.booking, found.entry, ctx.i18n.locale, { poll: true }))
  }

  async calendar({ params, response, i18n }: HttpContext) {
    const { booking, entry } = await findBooking(params.id)
    const ics = bookingCalendar(booking, {
      title: `${booking.service.nameIn(booking.locale ?? i18n.locale)} · ${entry.tenant.name}`,
      location: [entry.branch.name, entry.branch.address].filter(Boolean).join(', '),
      description: `${booking.code} · ${booking.resource.name}\n${bookingUrl(booking.id)}`,
      url: bookingUrl(booking.id),
      organizer: entry.tenant.name,
    })
    response.header('content-type', 'text/calendar; charset=utf-8')
    response.header('content-disposition', `attachment; filename="booking-${booking.code}.ics"`)
    return ics
  }

  async cancel(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const { booking } = await findBooking(ctx.params.id)
    const { reason } = await ctx.request.validateUsing(publicCancelValidator)
    await bookings.cancel(booking.id, booking.tenantId, { by: null, reason: reason || ctx.i18n.t('booking_public.cancelled_by_customer'), byCustomer: true })
    ctx.session.flash('success', ctx.i18n.t('booking_public.flash.cancelled'))
    return ctx.response.redirect().toRoute('booking.show', { id: booking.id })
  }

  /** Other free times of the booking's service, to move it to. */
  async rescheduleForm(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const { booking, entry } = await findBooking(ctx.params.id)
    const { date: asked } = await publicBookingDayValidator.validate(ctx.request.qs())
    const days = nextDays(entry, ctx.i18n.locale)
    const date = days.some((day) => day.date === asked) ? asked! : booking.serviceDate
    const times = await bookings.availability(entry, booking.service, date)
    const data = { ...entry, service: booking.service, booking, days, date, times, action: ctx.request.url() }
    if (ctx.htmx.isRequest) return ctx.view.render('partials/bookings/customer/times', data)
    return ctx.view.render('pages/bookings/customer/reschedule', data)
  }

  async reschedule(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const { booking } = await findBooking(ctx.params.id)
    const target = await ctx.request.validateUsing(publicRescheduleValidator)
    await bookings.reschedule(booking.id, booking.tenantId, target, { by: null, byCustomer: true })
    ctx.session.flash('success', ctx.i18n.t('booking_public.flash.rescheduled'))
    return ctx.response.redirect().toRoute('booking.show', { id: booking.id })
  }

  /** "I am here": the customer's own check-in on site, within the check-in window. */
  async checkIn(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const { booking } = await findBooking(ctx.params.id)
    const after = await bookings.checkIn(booking.id, booking.tenantId, { by: null })
    ctx.session.flash(after.status === 'arrived' ? 'success' : 'error', ctx.i18n.t(`booking_public.flash.checkin_${after.status === 'arrived' ? 'arrived' : 'expired'}`))
    return ctx.response.redirect().toRoute('booking.show', { id: booking.id })
  }

  /** Everything the booking page (and its live card) shows. */
  async #state(booking: Booking, entry: BranchEntry, locale: string, options: { poll?: boolean } = {}) {
    const settings = entry.tenant.booking
    const now = clock.now()
    const open = ['pending_payment', 'awaiting_customer'].includes(booking.status)
    const beforeCutoff = now < booking.startsAt.minus({ minutes: settings.cancellationCutoffMinutes })
    const checkInOpens = booking.startsAt.minus({ minutes: settings.earlyCheckinMinutes })
    const ticket = booking.ticketId ? await Ticket.find(booking.ticketId) : null
    // A poll shows the link made so far; only a visit asks the gateway for one.
    const pay =
      booking.status !== 'pending_payment'
        ? { url: null, problem: null }
        : options.poll
          ? { url: await BookingService.payUrl(booking), problem: null }
          : await payLink(booking)
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
      when: DateTime.fromISO(booking.serviceDate).setLocale(locale).toFormat('cccc, d LLLL yyyy'),
    }
  }
}

/**
 * The payment page of a booking waiting for its prepayment: made at the gateway on the first
 * visit, reused after. When the gateway cannot make it now, the page says why and the next visit
 * (or the page's next refresh) tries again; the booking keeps its place until its pay-by time.
 */
async function payLink(booking: Booking): Promise<{ url: string | null; problem: { key: string; params: Record<string, string | number> } | null }> {
  try {
    return { url: await payments.ensureLink(booking), problem: null }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    return { url: null, problem: { key: `errors.${error.key}`, params: error.params } }
  }
}

async function branchOf(slug: string) {
  const entry = await branchDirectory.bySlug(String(slug))
  if (!entry || !entry.tenant.isActive) throw new errors.E_ROW_NOT_FOUND()
  return entry
}

function bookableService(entry: BranchEntry, id: unknown) {
  const service = entry.services.find((candidate) => candidate.id === Number(id) && candidate.isBookable)
  if (!service) throw new errors.E_ROW_NOT_FOUND()
  return service
}

async function findBooking(id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(String(id))) throw new errors.E_ROW_NOT_FOUND()
  const booking = await Booking.query().where('id', id).preload('service').preload('resource').first()
  const entry = booking ? await branchDirectory.byId(booking.branchId) : null
  if (!booking || !entry) throw new errors.E_ROW_NOT_FOUND()
  return { booking, entry }
}


/** Today and the next days in the branch's zone, with their names in the visitor's language. */
function nextDays(entry: BranchEntry, locale: string) {
  const today = entry.branch.localNow().startOf('day').setLocale(locale)
  return Array.from({ length: DAYS_AHEAD }, (_, index) => {
    const day = today.plus({ days: index })
    return { date: day.toISODate()!, weekday: day.toFormat('ccc'), label: day.toFormat('d LLL'), closed: entry.holidays.has(day.toISODate()!) }
  })
}
