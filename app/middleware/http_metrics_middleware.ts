import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import metrics from '#support/metrics'

/**
 * Counts every request and times it, labelled by the route's pattern (`/app/inbox/:id`, never the
 * id: a label per URL would grow without end), method and status; 5xx answers also count as errors.
 */
export default class HttpMetricsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const started = process.hrtime.bigint()
    // An error thrown on the way is answered later by the exception handler: its status is the answer's.
    let thrown: { status?: number } | null = null
    try {
      await next()
    } catch (error) {
      thrown = (error ?? {}) as { status?: number }
      throw error
    } finally {
      const route = ctx.route?.pattern ?? 'unmatched'
      const status = thrown ? Number(thrown.status) || 500 : ctx.response.getStatus()
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const method = ctx.request.method()
      metrics.httpRequests.inc({ method, route, status: String(status) })
      metrics.httpDuration.observe({ method, route }, seconds)
      if (status >= 500) metrics.httpErrors.inc({ route })
    }
  }
}
