import type { HttpContext } from '@adonisjs/core/http'

/** What an htmx request asks for, and the response headers htmx understands. */
export class Htmx {
  constructor(protected ctx: HttpContext) {}

  /** True when the request came from htmx (it sets `HX-Request: true`). */
  get isRequest() {
    return this.ctx.request.header('hx-request') === 'true'
  }

  /** Fires a client-side event, e.g. a toast: `trigger('toast', { message })`. */
  trigger(event: string, detail: unknown = true) {
    const current = this.ctx.response.getHeader('HX-Trigger')
    const events = current ? JSON.parse(String(current)) : {}
    events[event] = detail
    this.ctx.response.header('HX-Trigger', JSON.stringify(events))
    return this
  }

  /** Sends the response into another element than the one that asked. */
  retarget(selector: string, swap = 'innerHTML') {
    this.ctx.response.header('HX-Retarget', selector)
    this.ctx.response.header('HX-Reswap', swap)
    return this
  }

  /** Makes htmx load a whole new page. */
  redirect(url: string) {
    this.ctx.response.header('HX-Redirect', url)
    return this
  }
}
