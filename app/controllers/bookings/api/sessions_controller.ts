import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Booking from '#models/booking'
import Branch from '#models/branch'
import BookingService from '#services/bookings/booking_service'
import BookingBoard from '#services/bookings/booking_board'
import ApiResources, {
  bookingResource,
  sessionStatusResource,
} from '#services/platform/api_resources'
import { apiBookingsValidator, apiOverrideValidator } from '#validators/bookings'
import { findBooking, findBranch } from '#controllers/api_scope'

/**
 * The booth API (seed 002): list bookings, and run a session: arrival, start, finish, an
 * override with a reason, and its status. A session is a booking, by its id.
 */
@inject()
export default class SessionsController {
  constructor(
    protected bookings: BookingService,
    protected bookingBoard: BookingBoard,
    protected apiResources: ApiResources
  ) {}

  /** `GET /bookings?status=&date=&branch_id=`: without a date, each branch's today. Pages of `per_page`. */
  async index({ request, tenant, i18n }: HttpContext) {
    const filter = await request.validateUsing(apiBookingsValidator)
    const branches = filter.branch_id
      ? [(await findBranch(tenant, filter.branch_id)).branch]
      : await Branch.forTenant(tenant.id)
    const page = filter.page ?? 1
    const perPage = filter.per_page ?? 100
    const query = Booking.forTenant(tenant.id)
      .where((days) => {
        for (const branch of branches)
          days.orWhere((day) =>
            day.where('branch_id', branch.id).where('service_date', filter.date ?? branch.today())
          )
      })
      .preload('service')
      .preload('resource')
      .orderBy('starts_at')
      .orderBy('id')
      .offset((page - 1) * perPage)
      .limit(perPage + 1)
    if (filter.status) query.where('status', filter.status)
    const rows = await query
    const bookings = rows.slice(0, perPage)
    const tickets = await this.bookingBoard.ticketNumbers(bookings)
    return {
      page,
      per_page: perPage,
      next_page: rows.length > perPage ? page + 1 : null,
      bookings: bookings.map((booking) => bookingResource(booking, i18n.locale, tickets)),
    }
  }

  async arrival({ params, tenant, i18n, apiRequestId }: HttpContext) {
    const booking = await findBooking(tenant, params.id)
    return this.apiResources.oneBooking(
      await this.bookings.checkIn(booking.id, tenant.id, { by: null, requestId: apiRequestId }),
      i18n.locale
    )
  }

  async start({ params, tenant, i18n, apiRequestId }: HttpContext) {
    const booking = await findBooking(tenant, params.id)
    return this.apiResources.oneBooking(
      await this.bookings.start(booking.id, tenant.id, { by: null, requestId: apiRequestId }),
      i18n.locale
    )
  }

  async finish({ params, tenant, i18n, apiRequestId }: HttpContext) {
    const booking = await findBooking(tenant, params.id)
    return this.apiResources.oneBooking(
      await this.bookings.finish(booking.id, tenant.id, { by: null, requestId: apiRequestId }),
      i18n.locale
    )
  }

  async override({ params, request, tenant, i18n, apiRequestId }: HttpContext) {
    const { status, reason } = await request.validateUsing(apiOverrideValidator)
    const booking = await findBooking(tenant, params.id)
    const changed = await this.bookings.override(
      booking.id,
      tenant.id,
      { to: status, reason },
      { by: null, requestId: apiRequestId }
    )
    return this.apiResources.oneBooking(changed, i18n.locale)
  }

  async status({ params, tenant }: HttpContext) {
    return sessionStatusResource(await findBooking(tenant, params.id))
  }
}
