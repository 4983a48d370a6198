import type { HttpContext } from '@adonisjs/core/http'
import Service from '#models/service'
import Counter from '#models/counter'
import QueueEngine from '#services/queue/queue_engine'
import QueueBoard from '#services/queue/queue_board'
import CounterDesk from '#services/queue/counter_desk'
import liveVersion from '#support/live_version'
import branchDirectory from '#services/platform/branch_directory'
import DomainError from '#exceptions/domain_error'

export const queue = new QueueEngine()

/** The counter the logged-in operator sits at; actions at a counter need one. */
export async function myCounter({ auth, branch }: HttpContext) {
  const counter = await CounterDesk.current(auth.user!, branch.id)
  if (!counter) throw new DomainError('no_counter_selected')
  return counter
}

/** Everything the console fragment shows. */
export async function consoleState(ctx: HttpContext, counter: Counter) {
  const ranks = await queue.serviceRanks(counter)
  const serviceIds = [...ranks.keys()]
  const branchServices = await Service.query().where('branch_id', ctx.branch.id).where('is_active', true).withScopes((s) => s.inOrder())
  const otherCounters = await Counter.query()
    .where('branch_id', ctx.branch.id)
    .where('is_active', true)
    .whereNot('id', counter.id)
    .withScopes((s) => s.inOrder())
  const board = await QueueBoard.console(ctx.branch, counter, serviceIds)
  const entry = await branchDirectory.byId(ctx.branch.id)
  return {
    section: 'counter',
    counter,
    services: serviceIds.map((id) => branchServices.find((service) => service.id === id)).filter(Boolean),
    branchServices,
    otherCounters,
    servicesById: new Map(branchServices.map((service) => [service.id, service])),
    ...board,
    weights: entry!.tenant.queue.priorityWeights,
    version: await liveVersion.get(ctx.branch.id),
  }
}

/** Answers an action: the fresh console fragment for htmx, a redirect back to the console otherwise. */
export async function respondWithConsole(ctx: HttpContext, counter: Counter | null) {
  if (!ctx.htmx.isRequest || !counter) return ctx.response.redirect().toRoute('counter.show')
  return ctx.view.render('partials/queue/console', await consoleState(ctx, counter))
}

/** A short message: a toast for htmx, a flash message otherwise. */
export function notify(ctx: HttpContext, message: string) {
  if (ctx.htmx.isRequest) ctx.htmx.trigger('toast', { message })
  else ctx.session.flash('success', message)
}
