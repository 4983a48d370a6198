import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Resource from '#models/resource'
import Service from '#models/service'
import DomainError from '#exceptions/domain_error'
import BookingService from '#services/bookings/booking_service'
import BookingBoard from '#services/bookings/booking_board'
import { findBookingByReference } from '#services/bookings/booking_lookup'
import BranchRecordPolicy from '#policies/branch_record_policy'
import {
  bookingDayValidator,
  bookingScanValidator,
  bookingTimesValidator,
  staffBookingValidator,
} from '#validators/bookings'
import { currentEntry, findStaffBooking } from '#controllers/bookings/scope'
import { BOOKING_STATUSES } from '#enums/booking'

/**
 * Staff: a day's bookings of the branch (filtered, searched), the scan box at the desk, a
 * booking's page with its history, and bookings made at the desk for walk-ins and callers.
 */
@inject()
export default class BookingsController {
  constructor(
    protected bookings: BookingService,
    protected bookingBoard: BookingBoard
  ) {}

  async index({ request, view, branch }: HttpContext) {
    const filter = await bookingDayValidator.validate(request.qs())
    const date = filter.date ?? branch.today()
    const bookings = await this.bookingBoard.day(branch, {
      date,
      status: filter.status,
      resourceId: filter.resource_id,
      search: filter.q,
    })
    const resources = await Resource.ofBranch(branch.id)
    return view.render('pages/bookings/staff/index', {
      section: 'bookings',
      date,
      today: branch.today(),
      filter,
      bookings,
      resources,
      statuses: BOOKING_STATUSES,
      tickets: await this.bookingBoard.ticketNumbers(bookings),
    })
  }

  /** What the desk's scanner typed (the booking's link) or a person typed (its code): check it in. */
  async scan(ctx: HttpContext) {
    const { reference } = await ctx.request.validateUsing(bookingScanValidator)
    const found = await findBookingByReference(ctx.tenant.id, reference)
    if (!found) throw new DomainError('booking_not_found', {}, 404)
    await ctx.bouncer.with(BranchRecordPolicy).authorize('operate', found)
    const booking = await this.bookings.checkIn(found.id, ctx.tenant.id, { by: ctx.auth.user! })
    const message =
      booking.status === 'expired' ? 'bookings.flash.expired' : 'bookings.flash.arrived'
    ctx.session.flash(
      booking.status === 'expired' ? 'error' : 'success',
      ctx.i18n.t(message, { code: booking.code, name: booking.customerName })
    )
    return ctx.response.redirect().toRoute('bookings.show', { id: booking.id })
  }

  async show(ctx: HttpContext) {
    const booking = await findStaffBooking(ctx)
    return ctx.view.render('pages/bookings/staff/show', {
      section: 'bookings',
      ...(await this.bookingBoard.detail(booking)),
    })
  }

  /** The desk's booking form; an htmx request (another service or day picked) gets only its free times. */
  async create(ctx: HttpContext) {
    const { service_id: serviceId, date: asked } = await bookingTimesValidator.validate(
      ctx.request.qs()
    )
    const entry = await currentEntry(ctx)
    const services = entry.services.filter((candidate) => candidate.isBookable)
    const service = services.find((candidate) => candidate.id === serviceId) ?? services[0] ?? null
    const date = asked ?? ctx.branch.today()
    const times = service ? await this.bookings.availability(entry, service, date) : []
    const data = { section: 'bookings', services, service, date, today: ctx.branch.today(), times }
    if (ctx.htmx.isRequest) return ctx.view.render('partials/bookings/staff/desk_times', data)
    return ctx.view.render('pages/bookings/staff/create', data)
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(staffBookingValidator)
    const entry = await currentEntry(ctx)
    const service = await Service.query()
      .where('branch_id', ctx.branch.id)
      .where('id', input.service_id)
      .firstOrFail()
    const booking = await this.bookings.book(entry, service, {
      date: input.date,
      time: input.time,
      resourceId: input.resource_id ?? null,
      name: input.name,
      phone: input.phone ?? null,
      email: input.email ?? null,
      note: input.note ?? null,
      locale: entry.tenant.locale,
      channel: 'staff',
      requestId: input.request_id ?? null,
      by: ctx.auth.user!,
    })
    ctx.session.flash('success', ctx.i18n.t('bookings.flash.created', { code: booking.code }))
    return ctx.response.redirect().toRoute('bookings.show', { id: booking.id })
  }
}
