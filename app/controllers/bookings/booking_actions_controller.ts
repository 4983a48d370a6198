import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type Booking from '#models/booking'
import BookingService from '#services/bookings/booking_service'
import {
  bookingActionValidator,
  bookingTimesValidator,
  cancelBookingValidator,
  overrideBookingValidator,
  rescheduleBookingValidator,
  startBookingValidator,
} from '#validators/bookings'
import { entryOfBooking, findStaffBooking } from '#controllers/bookings/scope'
import BookingBoard from '#services/bookings/booking_board'

/**
 * One-click actions on a booking from its page (and the board): check in, start and finish the
 * session, cancel with a reason, move to another free time, and an admin's override with a
 * reason. Each answers htmx with the refreshed booking card and a toast, a browser with a
 * redirect to the booking; a refusal comes back as 409 or 422 with the reason.
 */
@inject()
export default class BookingActionsController {
  constructor(
    protected bookings: BookingService,
    protected bookingBoard: BookingBoard
  ) {}

  async checkIn(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(bookingActionValidator)
    const booking = await findStaffBooking(ctx)
    const done = await this.bookings.checkIn(booking.id, ctx.tenant.id, {
      by: ctx.auth.user!,
      requestId,
    })
    return this.#respond(
      ctx,
      done,
      done.status === 'expired' ? 'bookings.flash.expired' : 'bookings.flash.arrived'
    )
  }

  /** Starts the session; outside the arrival window only with `outside_window` and a reason. */
  async start(ctx: HttpContext) {
    const {
      outside_window: outsideWindow,
      reason,
      request_id: requestId,
    } = await ctx.request.validateUsing(startBookingValidator)
    const booking = await findStaffBooking(ctx)
    return this.#respond(
      ctx,
      await this.bookings.start(booking.id, ctx.tenant.id, {
        by: ctx.auth.user!,
        requestId,
        ip: ctx.request.ip(),
        outsideWindow: outsideWindow ? { reason: reason ?? null } : null,
      }),
      'bookings.flash.started'
    )
  }

  async finish(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(bookingActionValidator)
    const booking = await findStaffBooking(ctx)
    return this.#respond(
      ctx,
      await this.bookings.finish(booking.id, ctx.tenant.id, { by: ctx.auth.user!, requestId }),
      'bookings.flash.finished'
    )
  }

  async cancel(ctx: HttpContext) {
    const { reason, request_id: requestId } =
      await ctx.request.validateUsing(cancelBookingValidator)
    const booking = await findStaffBooking(ctx)
    return this.#respond(
      ctx,
      await this.bookings.cancel(booking.id, ctx.tenant.id, {
        by: ctx.auth.user!,
        requestId,
        reason,
      }),
      'bookings.flash.cancelled'
    )
  }

  /** The free times of the booking's service on a day, to move it to one. */
  async rescheduleForm(ctx: HttpContext) {
    const booking = await findStaffBooking(ctx)
    const { date: asked } = await bookingTimesValidator.validate(ctx.request.qs())
    const entry = await entryOfBooking(booking)
    const date = asked ?? booking.serviceDate
    const times = await this.bookings.availability(entry, booking.service, date)
    return ctx.view.render('pages/bookings/staff/reschedule', {
      section: 'bookings',
      booking,
      date,
      times,
      timezone: entry.branch.timezone,
    })
  }

  async reschedule(ctx: HttpContext) {
    const {
      date,
      time,
      request_id: requestId,
    } = await ctx.request.validateUsing(rescheduleBookingValidator)
    const booking = await findStaffBooking(ctx)
    const moved = await this.bookings.reschedule(
      booking.id,
      ctx.tenant.id,
      { date, time },
      { by: ctx.auth.user!, requestId }
    )
    ctx.session.flash(
      'success',
      ctx.i18n.t('bookings.flash.rescheduled', {
        code: moved.code,
        date: moved.serviceDate,
        time: moved.localTime,
      })
    )
    return ctx.response.redirect().toRoute('bookings.show', { id: moved.id })
  }

  /** Admins only: any status, with a reason kept on the booking's history. */
  async override(ctx: HttpContext) {
    const {
      status,
      reason,
      request_id: requestId,
    } = await ctx.request.validateUsing(overrideBookingValidator)
    const booking = await findStaffBooking(ctx, 'manage')
    const changed = await this.bookings.override(
      booking.id,
      ctx.tenant.id,
      { to: status, reason },
      { by: ctx.auth.user!, requestId }
    )
    return this.#respond(ctx, changed, 'bookings.flash.overridden')
  }

  async #respond(ctx: HttpContext, booking: Booking, message: string) {
    const text = ctx.i18n.t(message, {
      code: booking.code,
      name: booking.customerName,
      status: ctx.i18n.t(`bookings.statuses.${booking.status}`),
    })
    if (!ctx.htmx.isRequest) {
      ctx.session.flash(booking.status === 'expired' ? 'error' : 'success', text)
      return ctx.response.redirect().toRoute('bookings.show', { id: booking.id })
    }
    ctx.htmx
      .trigger('toast', { message: text, kind: booking.status === 'expired' ? 'error' : 'info' })
      .trigger('bookings:changed')
    await booking.load('service')
    await booking.load('resource')
    return ctx.view.render(
      'partials/bookings/staff/detail',
      await this.bookingBoard.detail(booking)
    )
  }
}
