import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import Branch from '#models/branch'
import Ticket from '#models/ticket'
import Service from '#models/service'
import DomainError from '#exceptions/domain_error'
import QueueEngine from '#services/queue/queue_engine'
import QueueBoard from '#services/queue/queue_board'
import liveVersion from '#support/live_version'
import { unchangedLive } from '#http/long_poll'
import branchDirectory from '#services/platform/branch_directory'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import { readPoll, takeTicketValidator } from '#validators/queue'
import { useVisitorLocale } from '#middleware/locale_middleware'
import { inject } from '@adonisjs/core'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The visitor's pages: no login, reached by the branch link (QR code) and the ticket link. */
@inject()
export default class VisitorController {
  constructor(
    protected queueBoard: QueueBoard,
    protected queue: QueueEngine
  ) {}

  /** `/b/:slug`: the branch's open services as big buttons, or when it opens again. */
  async branch({ params, request, view }: HttpContext) {
    const entry = await this.findBranch(params.slug)
    const { branch, tenant, services } = entry
    const waiting = await this.queueBoard.waitingByService(branch)
    const myTicket = await this.rememberedTicket(
      request.plainCookie(ticketCookie(branch), undefined, false),
      branch
    )
    const open = branchDirectory.openState(entry, null)
    return view.render('pages/queue/visitor/branch', {
      branch,
      tenant,
      services,
      waiting,
      myTicket,
      open,
    })
  }

  /** Takes a number and sends the visitor to their ticket page. */
  async take({ params, request, response, i18n }: HttpContext) {
    const { branch, services } = await this.findBranch(params.slug)
    const payload = await request.validateUsing(takeTicketValidator)
    const service =
      services.find((candidate) => candidate.id === payload.service_id) ??
      (await this.inactiveService(branch, payload.service_id))
    const phone = payload.phone
      ? normalizePhone(payload.phone, countryOfTimezone(branch.timezone))
      : null
    if (payload.phone && !phone) throw new DomainError('invalid_phone', {}, 422)
    const ticket = await this.queue.take(branch, service, {
      channel: 'web',
      requestId: payload.request_id,
      phone,
      locale: i18n.locale,
    })
    response.plainCookie(ticketCookie(branch), ticket.id, { maxAge: '18h', encode: false })
    return response.redirect().status(303).toRoute('visitor.ticket', { id: ticket.id })
  }

  /** `/t/:id`: the visitor's number, status and position, refreshing by itself. */
  async ticket({ params, view }: HttpContext) {
    const ticket = await Ticket.findOrFail(params.id)
    return view.render('pages/queue/visitor/ticket', await this.ticketState(ticket))
  }

  /** The ticket page's long poll: the fresh fragment once the branch changed, else 204. */
  async ticketLive(ctx: HttpContext) {
    const { branchId, version } = readPoll(ctx.request.qs())
    if (branchId && (await unchangedLive(ctx, branchId, version))) return ctx.response.noContent()
    const ticket = await Ticket.findOrFail(ctx.params.id)
    useVisitorLocale(ctx)
    return ctx.view.render('partials/queue/visitor/ticket_live', await this.ticketState(ticket))
  }

  /** The web app manifest: the visitor pages install as an app (PWA). */
  async manifest({ params, response, i18n }: HttpContext) {
    const { branch, tenant } = await this.findBranch(params.slug)
    return response.header('content-type', 'application/manifest+json').send({
      name: `${tenant.name} · ${branch.name}`,
      short_name: tenant.name.slice(0, 24),
      description: i18n.t('ui.visitor.take_hint'),
      lang: i18n.locale,
      start_url: `/b/${branch.slug}`,
      scope: '/',
      display: 'standalone',
      background_color: '#f8fafc',
      theme_color: tenant.brandColor,
      icons: [
        { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        {
          src: '/icons/icon-512-maskable.png',
          sizes: '512x512',
          type: 'image/png',
          purpose: 'maskable',
        },
      ],
    })
  }

  private async ticketState(ticket: Ticket) {
    await ticket.load('service')
    await ticket.load('counter')
    const entry = await branchDirectory.byId(ticket.branchId)
    if (!entry) throw new errors.E_ROW_NOT_FOUND()
    const settings = entry.tenant.queue
    const ahead = await this.queueBoard.ahead(ticket, settings)
    const estimate =
      settings.showWaitEstimate && ticket.status === 'waiting'
        ? await this.queueBoard.estimatedWaitMinutes(ticket, ahead)
        : null
    return {
      ticket,
      branch: entry.branch,
      tenant: entry.tenant,
      ahead,
      estimate,
      version: await liveVersion.get(ticket.branchId),
      isToday: ticket.serviceDate === entry.branch.today(),
    }
  }

  private async findBranch(slug: string) {
    const entry = await branchDirectory.bySlug(slug)
    if (!entry) throw new errors.E_ROW_NOT_FOUND()
    return entry
  }

  /** A service of the branch that is not open: the engine refuses it politely (409). Elsewhere: 404. */
  private inactiveService(branch: Branch, serviceId: number) {
    return Service.query().where('branch_id', branch.id).where('id', serviceId).firstOrFail()
  }

  /** The ticket this browser took today at the branch, if it is still in the queue. */
  private async rememberedTicket(id: string | undefined, branch: Branch) {
    if (!id || !UUID.test(id)) return null
    const ticket = await Ticket.query()
      .where('id', id)
      .where('branch_id', branch.id)
      .preload('service')
      .first()
    if (
      !ticket ||
      ticket.serviceDate !== branch.today() ||
      !['waiting', 'called', 'serving', 'held'].includes(ticket.status)
    )
      return null
    return ticket
  }
}

function ticketCookie(branch: Branch) {
  return `ticket_${branch.id}`
}
