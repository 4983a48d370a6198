import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'
import QueueEngine, { type TakenPlace } from '#services/queue/queue_engine'
import ApiResources from '#services/platform/api_resources'
import IdempotentRequests from '#services/platform/idempotent_requests'
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
   * Takes a number. With an Idempotency-Key, the answer is kept inside the take's transaction
   * (ctx.idempotency), its number and queue position filled in by the database; a repeat that
   * raced it is handed the first ticket.
   */
  async store({ request, response, tenant, i18n, apiRequestId, idempotency }: HttpContext) {
    const payload = await request.validateUsing(createTicketValidator)
    const entry = await findBranch(tenant, payload.branch_id)
    const service = await findBranchService(entry, payload.service_id)
    const phone = payload.phone
      ? normalizePhone(payload.phone, countryOfTimezone(entry.branch.timezone))
      : null
    if (payload.phone && !phone) throw new DomainError('invalid_phone', {}, 422)
    const answer = (ticket: Ticket, ahead?: number | null) =>
      this.apiResources.takenTicket(ticket, service, tenant.queue, i18n.locale, ahead)
    let taken: { id: string; place: TakenPlace } | undefined
    const taking = this.queue.take(entry.branch, service, {
      channel: 'api',
      priority: payload.priority,
      phone,
      name: payload.name ?? null,
      note: payload.note ?? null,
      requestId: apiRequestId,
      countAhead: true,
      within: async (sql, created, place) => {
        taken = { id: created.id, place }
        if (!idempotency) return
        await this.idempotentRequests.recordWithin(
          sql,
          idempotency,
          201,
          await answer(created, 0),
          {
            '$.number': place.inSql.number,
            '$.ahead': place.inSql.ahead,
          }
        )
      },
    })
    const ticket = await taking.catch((error) => {
      // The key already answered another request: nothing was taken; the middleware replays it.
      if (!idempotency || !this.idempotentRequests.isKeyAlreadyAnswered(error)) throw error
      idempotency.refused = true
      return null
    })
    if (!ticket) return
    // The engine handed back a raced repeat's first ticket: described as it is now.
    if (taken?.id !== ticket.id) return response.created(await answer(ticket))
    if (idempotency) idempotency.kept = true
    return response.created(await answer(ticket, taken.place.ahead))
  }

  async show({ params, tenant, i18n }: HttpContext) {
    const ticket = await Ticket.findForTenantOrFail(tenant, params.id)
    return this.apiResources.ticket(ticket, tenant.queue, i18n.locale)
  }
}
