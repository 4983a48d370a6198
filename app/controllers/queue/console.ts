import type { HttpContext } from '@adonisjs/core/http'
import type Counter from '#models/counter'
import CounterConsole from '#services/queue/counter_console'

/*
| How the counter console's controllers (CounterController, TicketActionsController) answer.
*/

/** Answers an action: the fresh console fragment for htmx, a redirect back to the console otherwise. */
export async function respondWithConsole(ctx: HttpContext, counter: Counter | null) {
  if (!ctx.htmx.isRequest || !counter) return ctx.response.redirect().toRoute('counter.show')
  const counterConsole = await ctx.containerResolver.make(CounterConsole)
  return ctx.view.render('partials/queue/console', await counterConsole.state(ctx.branch, counter))
}

/** A short message: a toast for htmx, a flash message otherwise. */
export function notify(ctx: HttpContext, message: string) {
  if (ctx.htmx.isRequest) ctx.htmx.trigger('toast', { message })
  else ctx.session.flash('success', message)
}
