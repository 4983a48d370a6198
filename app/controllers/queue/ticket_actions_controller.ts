import type { HttpContext } from '@adonisjs/core/http'
import Ticket from '#models/ticket'
import TicketEvent from '#models/ticket_event'
import CounterDesk from '#services/queue/counter_desk'
import { annotateValidator, cancelTicketValidator, staffActionValidator, transferValidator } from '#validators/queue'
import { myCounter, queue, respondWithConsole } from '#controllers/queue/console'
import { findStaffRecord } from '#controllers/scope'

/**
 * One-click actions on a ticket from the counter console (and the supervisor board): call this
 * one, recall, start, done, skip, no-show, transfer, hold, release, cancel, notes. Each answers
 * with the refreshed console (htmx) or a redirect back.
 */
export default class TicketActionsController {
  /** `/app/tickets/:id`: a ticket and its history (ticket_events). */
  async show(ctx: HttpContext) {
    const ticket = await this.findTicket(ctx)
    await ticket.load('service')
    await ticket.load('counter')
    const events = await TicketEvent.query().where('ticket_id', ticket.id).preload('user').preload('counter').orderBy('id')
    return ctx.view.render('pages/queue/ticket', { section: 'counter', ticket, events })
  }

  async call(ctx: HttpContext) {
    const { request_id: requestId, counter, ticket } = await this.atCounter(ctx)
    await queue.callTicket(ticket.id, { counter, by: ctx.auth.user!, requestId })
    return respondWithConsole(ctx, counter)
  }

  async recall(ctx: HttpContext) {
    const { request_id: requestId, counter, ticket } = await this.atCounter(ctx)
    await queue.recall(ticket.id, { counter, by: ctx.auth.user!, requestId })
    return respondWithConsole(ctx, counter)
  }

  async start(ctx: HttpContext) {
    const { request_id: requestId, counter, ticket } = await this.atCounter(ctx)
    await queue.start(ticket.id, { counter, by: ctx.auth.user!, requestId })
    return respondWithConsole(ctx, counter)
  }

  async complete(ctx: HttpContext) {
    const { request_id: requestId, counter, ticket } = await this.atCounter(ctx)
    await queue.complete(ticket.id, { counter, by: ctx.auth.user!, requestId })
    return respondWithConsole(ctx, counter)
  }

  async skip(ctx: HttpContext) {
    const { request_id: requestId, counter, ticket } = await this.atCounter(ctx)
    await queue.skip(ticket.id, { counter, by: ctx.auth.user!, requestId })
    return respondWithConsole(ctx, counter)
  }

  async noShow(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(staffActionValidator)
    const ticket = await this.findTicket(ctx)
    const counter = await CounterDesk.current(ctx.auth.user!, ctx.branch.id)
    await queue.noShow(ticket.id, ctx.tenant.id, { by: ctx.auth.user!, requestId, counter: counter ?? undefined })
    return respondWithConsole(ctx, counter)
  }

  /** Sends a called or served ticket to another service or counter. Away from one's own counter, supervisors only. */
  async transfer(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(transferValidator)
    const ticket = await this.findTicket(ctx)
    const counter = await CounterDesk.current(ctx.auth.user!, ctx.branch.id)
    if (!counter || ticket.counterId !== counter.id) await ctx.bouncer.authorize('supervise')
    await queue.transfer(
      ticket.id,
      ctx.tenant.id,
      { serviceId: payload.service_id, counterId: payload.counter_id, note: payload.note },
      { by: ctx.auth.user!, requestId: payload.request_id, counter: ticket.counterId === counter?.id ? counter : undefined }
    )
    if (!counter) return ctx.response.redirect().back()
    return respondWithConsole(ctx, counter)
  }

  async hold(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(staffActionValidator)
    const ticket = await this.findTicket(ctx)
    await queue.hold(ticket.id, ctx.tenant.id, { by: ctx.auth.user!, requestId })
    return respondWithConsole(ctx, await CounterDesk.current(ctx.auth.user!, ctx.branch.id))
  }

  async unhold(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(staffActionValidator)
    const ticket = await this.findTicket(ctx)
    await queue.unhold(ticket.id, ctx.tenant.id, { by: ctx.auth.user!, requestId })
    return respondWithConsole(ctx, await CounterDesk.current(ctx.auth.user!, ctx.branch.id))
  }

  async cancel(ctx: HttpContext) {
    const { reason, request_id: requestId } = await ctx.request.validateUsing(cancelTicketValidator)
    const ticket = await this.findTicket(ctx)
    await queue.cancel(ticket.id, ctx.tenant.id, reason, { by: ctx.auth.user!, requestId })
    const counter = await CounterDesk.current(ctx.auth.user!, ctx.branch.id)
    if (!counter) return ctx.response.redirect().back()
    return respondWithConsole(ctx, counter)
  }

  /** Notes and tags on the visit. */
  async annotate(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(annotateValidator)
    const ticket = await this.findTicket(ctx)
    const tags = (payload.tags ?? '')
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean)
      .slice(0, 10)
    await queue.annotate(ticket.id, ctx.tenant.id, { note: payload.note ?? null, tags }, { by: ctx.auth.user!, requestId: payload.request_id })
    return respondWithConsole(ctx, await CounterDesk.current(ctx.auth.user!, ctx.branch.id))
  }

  /** A ticket of the user's tenant (another tenant's answers 404) within their branch scope. */
  private findTicket(ctx: HttpContext) {
    return findStaffRecord(ctx, Ticket, ctx.params.id, { ability: 'operate' })
  }

  /** The request id, the operator's counter and the ticket, for actions done at a counter. */
  private async atCounter(ctx: HttpContext) {
    const { request_id } = await ctx.request.validateUsing(staffActionValidator)
    const counter = await myCounter(ctx)
    const ticket = await this.findTicket(ctx)
    return { request_id, counter, ticket }
  }
}
