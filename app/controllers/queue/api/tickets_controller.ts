import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'
import QueueEngine from '#services/queue/queue_engine'
import ApiResources from '#services/platform/api_resources'
import IdempotentRequests, { KeyAlreadyAnswered } from '#services/platform/idempotent_requests'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import { createTicketValidator } from '#validators/queue'
import { findBranch, findBranchService } from '#controllers/api_scope'
import Ticket from '#models/ticket'

/** `/api/v1/tickets`: take a number on a visitor's behalf, follow a ticket. */
@inject()
export default class TicketsController {
  constructor(
    protected queue: QueueEngine,
    protected apiResources: ApiResources,
    protected idempotentRequests: IdempotentRequests
  ) {}

  /**
   * Takes a number. With an Idempotency-Key the ticket keeps what its answer needs (the request's
   * fingerprint, how many were ahead), so the answer costs no write of its own; a repeat, raced or
   * late, is answered from that ticket by ApiIdempotencyMiddleware.
   */
  async store({ request, response, tenant, i18n, apiRequestId, idempotency }: HttpContext) {
    const payload = await request.validateUsing(createTicketValidator)
    const entry = await findBranch(tenant, payload.branch_id)
    const service = await findBranchService(entry, payload.service_id)
    const phone = payload.phone
      ? normalizePhone(payload.phone, countryOfTimezone(entry.branch.timezone))
      : null
    if (payload.phone && !phone) throw new DomainError('invalid_phone', {}, 422)
    const ticket = await this.queue
      .take(entry.branch, service, {
        channel: 'api',
        priority: payload.priority,
        phone,
        name: payload.name ?? null,
        note: payload.note ?? null,
        requestId: apiRequestId,
        countAhead: true,
        apiRequest: idempotency
          ? {
              fingerprint: idempotency.fingerprint,
              unanswered: this.idempotentRequests.unanswered(idempotency),
            }
          : undefined,
      })
      .catch((error) => {
        // The key already answered another request: nothing was taken; the middleware replays it.
        if (!idempotency || !(error instanceof KeyAlreadyAnswered)) throw error
        idempotency.refused = true
        return null
      })
    // Not taken now (refused, or a repeat handed the first ticket): the middleware answers.
    if (!ticket?.$isLocal) return
    if (idempotency) idempotency.kept = true
    return response.created(this.apiResources.takenTicket(ticket, service, i18n.locale))
  }

  async show({ params, tenant, i18n }: HttpContext) {
    const ticket = await Ticket.findForTenantOrFail(tenant, params.id)
    return this.apiResources.ticket(ticket, tenant.queue, i18n.locale)
  }
}
