import type { HttpContext } from '@adonisjs/core/http'
import Ticket from '#models/ticket'
import Service from '#models/service'
import DomainError from '#exceptions/domain_error'
import branchDirectory from '#services/platform/branch_directory'
import QueueBoard from '#services/queue/queue_board'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import { deskTicketValidator } from '#validators/queue'
import QueueEngine from '#services/queue/queue_engine'
import { PRIORITIES } from '#enums/ticket'
import { findStaffRecord } from '#controllers/scope'
import { qrSvg, ticketUrl } from '#support/urls'
import { inject } from '@adonisjs/core'

/** The front desk issues tickets for walk-ins, with a priority class and a note, and prints them. */
@inject()
export default class DeskController {
  constructor(
    protected queueBoard: QueueBoard,
    protected queue: QueueEngine
  ) {}

  async create({ view, branch }: HttpContext) {
    const services = await Service.ofBranch(branch.id).where('is_active', true)
    const issued = await Ticket.query()
      .where('branch_id', branch.id)
      .where('service_date', branch.today())
      .where('channel', 'staff')
      .preload('service')
      .orderBy('created_at', 'desc')
      .limit(15)
    return view.render('pages/queue/desk', {
      section: 'desk',
      services,
      priorities: PRIORITIES,
      issued,
    })
  }

  async store({ request, response, branch }: HttpContext) {
    const payload = await request.validateUsing(deskTicketValidator)
    const service = await Service.query()
      .where('branch_id', branch.id)
      .where('id', payload.service_id)
      .firstOrFail()
    const phone = payload.phone
      ? normalizePhone(payload.phone, countryOfTimezone(branch.timezone))
      : null
    if (payload.phone && !phone) throw new DomainError('invalid_phone', {}, 422)
    const ticket = await this.queue.take(branch, service, {
      channel: 'staff',
      priority: payload.priority,
      name: payload.name ?? null,
      phone,
      note: payload.note ?? null,
      requestId: payload.request_id,
    })
    return response.redirect().toRoute('desk.show', { id: ticket.id })
  }

  /** The issued ticket, ready to print for the visitor. */
  async show(ctx: HttpContext) {
    const { params, view } = ctx
    const ticket = await findStaffRecord(ctx, Ticket, params.id, {
      ability: 'operate',
      extend: (query) => query.preload('service'),
    })
    const entry = await branchDirectory.byId(ticket.branchId)
    const url = ticketUrl(ticket.id)
    const qr = await qrSvg(url)
    const ahead = await this.queueBoard.ahead(ticket, entry!.tenant.queue)
    return view.render('pages/queue/desk_ticket', { section: 'desk', ticket, qr, url, ahead })
  }
}
