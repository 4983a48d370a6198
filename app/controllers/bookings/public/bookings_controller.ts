import type { HttpContext } from '@adonisjs/core/http'
import { formatMoment } from '#support/dates'
import { errors } from '@adonisjs/lucid'
import Booking from '#models/booking'
import BookingService from '#services/bookings/booking_service'
import CustomerBookingPages from '#services/bookings/customer_booking_pages'
import { bookingCalendar } from '#services/bookings/calendar'
import branchDirectory, { type BranchEntry } from '#services/platform/branch_directory'
import liveVersion from '#support/live_version'
import { bookingUrl } from '#support/urls'
import { readPoll } from '#validators/queue'
import {
  publicBookingDayValidator,
  publicBookingValidator,
  publicCancelValidator,
  publicRescheduleValidator,
} from '#validators/bookings'
import { useVisitorLocale } from '#middleware/locale_middleware'
import { inject } from '@adonisjs/core'

/** How many days ahead customers can pick. */
const DAYS_AHEAD = 14

/**
 * The customer's booking pages, no login: `/book/:slug` (choose a service, a day, a free time,
 * leave a name and number), then `/booking/:id` (status, QR code for check-in, add to calendar,
 * pay, check in on site, move or cancel until the cut-off). The booking's UUID is the key.
 */
@inject()
export default class PublicBookingsController {
  constructor(
    protected bookings: BookingService,
    protected pages: CustomerBookingPages
  ) {}

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
    const times = await this.bookings.availability(entry, service, date)
    const data = { ...entry, service, days, date, times, action: ctx.request.url() }
    if (ctx.htmx.isRequest) return ctx.view.render('partials/bookings/customer/times', data)
    return ctx.view.render('pages/bookings/customer/times', data)
  }

  async store(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const entry = await branchOf(ctx.params.slug)
    const input = await ctx.request.validateUsing(publicBookingValidator)
    const service = bookableService(entry, input.service_id)
    const booking = await this.bookings.book(entry, service, {
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
    return ctx.view.render(
      'pages/bookings/customer/show',
      await this.pages.state(booking, entry, ctx.i18n.locale)
    )
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
    return ctx.view.render(
      'partials/bookings/customer/status',
      await this.pages.state(found.booking, found.entry, ctx.i18n.locale, { poll: true })
    )
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
    await this.bookings.cancel(booking.id, booking.tenantId, {
      by: null,
      reason: reason || ctx.i18n.t('booking_public.cancelled_by_customer'),
      byCustomer: true,
    })
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
    const times = await this.bookings.availability(entry, booking.service, date)
    const data = {
      ...entry,
      service: booking.service,
      booking,
      days,
      date,
      times,
      action: ctx.request.url(),
    }
    if (ctx.htmx.isRequest) return ctx.view.render('partials/bookings/customer/times', data)
    return ctx.view.render('pages/bookings/customer/reschedule', data)
  }

  async reschedule(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const { booking } = await findBooking(ctx.params.id)
    const target = await ctx.request.validateUsing(publicRescheduleValidator)
    await this.bookings.reschedule(booking.id, booking.tenantId, target, {
      by: null,
      byCustomer: true,
    })
    ctx.session.flash('success', ctx.i18n.t('booking_public.flash.rescheduled'))
    return ctx.response.redirect().toRoute('booking.show', { id: booking.id })
  }

  /** "I am here": the customer's own check-in on site, within the check-in window. */
  async checkIn(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const { booking } = await findBooking(ctx.params.id)
    const after = await this.bookings.checkIn(booking.id, booking.tenantId, { by: null })
    ctx.session.flash(
      after.status === 'arrived' ? 'success' : 'error',
      ctx.i18n.t(
        `booking_public.flash.checkin_${after.status === 'arrived' ? 'arrived' : 'expired'}`
      )
    )
    return ctx.response.redirect().toRoute('booking.show', { id: booking.id })
  }
}

async function branchOf(slug: string) {
  const entry = await branchDirectory.bySlug(String(slug))
  if (!entry || !entry.tenant.isActive) throw new errors.E_ROW_NOT_FOUND()
  return entry
}

function bookableService(entry: BranchEntry, id: unknown) {
  const service = entry.services.find(
    (candidate) => candidate.id === Number(id) && candidate.isBookable
  )
  if (!service) throw new errors.E_ROW_NOT_FOUND()
  return service
}

async function findBooking(id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(String(id))) throw new errors.E_ROW_NOT_FOUND()
  const booking = await Booking.query()
    .where('id', id)
    .preload('service')
    .preload('resource')
    .first()
  const entry = booking ? await branchDirectory.byId(booking.branchId) : null
  if (!booking || !entry) throw new errors.E_ROW_NOT_FOUND()
  return { booking, entry }
}

/** Today and the next days in the branch's zone, with their names in the visitor's language. */
function nextDays(entry: BranchEntry, locale: string) {
  const today = entry.branch.localNow().startOf('day').setLocale(locale)
  return Array.from({ length: DAYS_AHEAD }, (_, index) => {
    const day = today.plus({ days: index })
    return {
      date: day.toISODate()!,
      weekday: formatMoment(day, 'weekdayShort', locale),
      label: formatMoment(day, 'dayMonth', locale),
      closed: entry.holidays.has(day.toISODate()!),
    }
  })
}
