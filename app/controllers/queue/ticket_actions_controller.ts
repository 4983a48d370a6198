import type { HttpContext } from '@adonisjs/core/http'
import Ticket from '#models/ticket'
import TicketEvent from '#models/ticket_event'
import CounterDesk from '#services/queue/counter_desk'
import {
  annotateValidator,
  cancelTicketValidator,
  staffActionValidator,
  transferValidator,
} from '#validators/queue'
import { respondWithConsole } from '#controllers/queue/console'
import QueueEngine from '#services/queue/queue_engine'
import DomainError from '#exceptions/domain_error'
import {
  COUNTER_ACTIONS,
  runTicketCommand,
  type TicketCommandName,
} from '#services/queue/ticket_commands'
import { findStaffRecord } from '#controllers/scope'
import { inject } from '@adonisjs/core'

/**
 * The counter console's (and the supervisor board's) work on one ticket: its page with its
 * history, the one-click actions, and notes.
 */
@inject()
export default class TicketActionsController {
  constructor(
    protected counterDesk: CounterDesk,
    protected queue: QueueEngine
  ) {}

  /** `/app/tickets/:id`: a ticket and its history (ticket_events). */
  async show(ctx: HttpContext) {
    const ticket = await this.findTicket(ctx)
    await ticket.load('service')
    await ticket.load('counter')
    const events = await TicketEvent.query()
      .where('ticket_id', ticket.id)
      .preload('user')
      .preload('counter')
      .orderBy('id')
    return ctx.view.render('pages/queue/ticket', { section: 'counter', ticket, events })
  }

  /**
   * `POST /app/tickets/:id/:action` (`call`, `no-show`…), every one-click action on a ticket: call this one, recall,
   * start, done, skip, no-show, transfer, hold, release, cancel, run by runTicketCommand as the
   * API runs them. Counter actions need the operator's counter; a transfer away from one's own
   * counter is for supervisors. Answers with the refreshed console (htmx) or a redirect.
   */
  async act(ctx: HttpContext) {
    const action = String(ctx.params.action).replace('-', '_') as TicketCommandName
    const { requestId, transfer, reason } = await this.formOf(ctx, action)
    const ticket = await this.findTicket(ctx)
    const current = await this.counterDesk.current(ctx.auth.user!, ctx.branch.id)
    const atCounter = (COUNTER_ACTIONS as readonly string[]).includes(action)
    if (atCounter && !current) throw new DomainError('no_counter_selected')
    if (action === 'transfer' && (!current || ticket.counterId !== current.id))
      await ctx.bouncer.authorize('supervise')
    await runTicketCommand(
      this.queue,
      ticket,
      {
        action,
        // A transfer or a no-show names the counter only when the ticket is at it.
        counter:
          atCounter || action === 'no_show' || ticket.counterId === current?.id ? current : null,
        transfer,
        reason,
      },
      { by: ctx.auth.user!, requestId }
    )
    if (!current && (action === 'transfer' || action === 'cancel'))
      return ctx.response.redirect().back()
    return respondWithConsole(ctx, current)
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
    await this.queue.annotate(
      ticket,
      { note: payload.note ?? null, tags },
      { by: ctx.auth.user!, requestId: payload.request_id }
    )
    return respondWithConsole(ctx, await this.counterDesk.current(ctx.auth.user!, ctx.branch.id))
  }

  /** What an action's form sends: its request id, and where a transfer goes or why a cancel. */
  private async formOf(ctx: HttpContext, action: TicketCommandName) {
    if (action === 'transfer') {
      const form = await ctx.request.validateUsing(transferValidator)
      return {
        requestId: form.request_id,
        transfer: { serviceId: form.service_id, counterId: form.counter_id, note: form.note },
      }
    }
    if (action === 'cancel') {
      const form = await ctx.request.validateUsing(cancelTicketValidator)
      return { requestId: form.request_id, reason: form.reason }
    }
    const form = await ctx.request.validateUsing(staffActionValidator)
    return { requestId: form.request_id }
  }

  /** A ticket of the user's tenant (another tenant's answers 404) within their branch scope. */
  private findTicket(ctx: HttpContext) {
    return findStaffRecord(ctx, Ticket, ctx.params.id, { ability: 'operate' })
  }
}
