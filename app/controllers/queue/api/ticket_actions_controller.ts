import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import QueueEngine from '#services/queue/queue_engine'
import { runTicketCommand } from '#services/queue/ticket_commands'
import ApiResources from '#services/platform/api_resources'
import { ticketActionValidator } from '#validators/queue'
import Ticket from '#models/ticket'
import Counter from '#models/counter'
import Service from '#models/service'

/** `POST /api/v1/tickets/:id/actions`: call, recall, start, complete, hold, skip, transfer, cancel… */
@inject()
export default class TicketActionsController {
  constructor(
    protected queue: QueueEngine,
    protected apiResources: ApiResources
  ) {}

  async store({ params, request, tenant, i18n, apiRequestId }: HttpContext) {
    const payload = await request.validateUsing(ticketActionValidator)
    const ticket = await Ticket.findForTenantOrFail(tenant, params.id)
    const counter = payload.counter_id
      ? await Counter.findForTenantOrFail(tenant, payload.counter_id)
      : null
    const toService = payload.to_service_id
      ? await Service.findForTenantOrFail(tenant, payload.to_service_id)
      : null
    const toCounter = payload.to_counter_id
      ? await Counter.findForTenantOrFail(tenant, payload.to_counter_id)
      : null
    const acted = await runTicketCommand(
      this.queue,
      ticket,
      {
        action: payload.action,
        counter,
        transfer: { serviceId: toService?.id, counterId: toCounter?.id },
        reason: payload.reason,
      },
      { by: null, requestId: apiRequestId }
    )
    return this.apiResources.ticket(acted, tenant.queue, i18n.locale)
  }
}
