import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import BookingService from '#services/bookings/booking_service'
import ApiResources from '#services/platform/api_resources'
import { appointmentValidator } from '#validators/bookings'
import {
  findBooking,
  findBranch,
  findBranchResource,
  findBranchService,
} from '#controllers/api_scope'

/** `/api/v1/appointments`: book a time on a customer's behalf, and check them in when they arrive. */
@inject()
export default class AppointmentsController {
  constructor(
    protected bookings: BookingService,
    protected apiResources: ApiResources
  ) {}

  async store({ request, response, tenant, i18n, apiRequestId }: HttpContext) {
    const payload = await request.validateUsing(appointmentValidator)
    const entry = await findBranch(tenant, payload.branch_id)
    const service = await findBranchService(entry, payload.service_id)
    const resource = payload.resource_id
      ? await findBranchResource(entry, payload.resource_id)
      : null
    const booking = await this.bookings.book(entry, service, {
      date: payload.date,
      time: payload.time,
      resourceId: resource?.id ?? null,
      name: payload.name,
      phone: payload.phone ?? null,
      email: payload.email ?? null,
      note: payload.note ?? null,
      locale: i18n.locale,
      channel: 'api',
      requestId: apiRequestId,
    })
    return response.created(await this.apiResources.oneBooking(booking, i18n.locale))
  }

  /** The customer is here: arrived within the tolerance (joining the queue if the business blends), else expired. */
  async checkIn({ params, tenant, i18n, apiRequestId }: HttpContext) {
    const booking = await findBooking(tenant, params.id)
    const arrived = await this.bookings.checkIn(booking.id, tenant.id, {
      by: null,
      requestId: apiRequestId,
    })
    return this.apiResources.oneBooking(arrived, i18n.locale)
  }
}
