import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'
import QueueEngine from '#services/queue/queue_engine'
import ApiResources from '#services/platform/api_resources'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import { createTicketValidator } from '#validators/queue'
import { findBranch, findBranchService } from '#controllers/api_scope'
import Ticket from '#models/ticket'

/** `/api/v1/tickets`: take a number on a visitor's behalf, follow a ticket. */
@inject()
export default class TicketsController {
  constructor(
    protected queue: QueueEngine,
    protected apiResources: ApiResources
  ) {}

  async store({ request, response, tenant, i18n, apiRequestId }: HttpContext) {
    const payload = await request.validateUsing(createTicketValidator)
    const entry = await findBranch(tenant, payload.branch_id)
    const service = await findBranchService(entry, payload.service_id)
    const phone = payload.phone
      ? normalizePhone(payload.phone, countryOfTimezone(entry.branch.timezone))
      : null
    if (payload.phone && !phone) throw new DomainError('invalid_phone', {}, 422)
    const ticket = await this.queue.take(entry.branch, service, {
      channel: 'api',
      priority: payload.priority,
      phone,
      name: payload.name ?? null,
      note: payload.note ?? null,
      requestId: apiRequestId,
    })
    return response.created(
      await this.apiResources.takenTicket(ticket, service, tenant.queue, i18n.locale)
    )
  }

  async show({ params, tenant, i18n }: HttpContext) {
    const ticket = await Ticket.findForTenantOrFail(tenant, params.id)
    return this.apiResources.ticket(ticket, tenant.queue, i18n.locale)
  }
}
