import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import { loadShedding } from '#support/load_shedding'
import metrics from '#support/metrics'
import { refusalLocale } from '#http/early_shedding'
import { useLocale } from '#middleware/locale_middleware'

/** Answered when the server is past its capacity: 503, in the user's language (errors.overloaded). */
export class OverloadedException extends Exception {
  static status = 503
  static code = 'E_OVERLOADED'
}

/**
 * Refuses a visitor's or an API client's request at once when the process is past MAX_IN_FLIGHT
 * requests, with `Retry-After`, before anything is read from the database.
 */
export default class ShedLoadMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (loadShedding.overloaded()) {
      metrics.shed.inc()
      // The refusal in the language the route would have answered in (its page is kept per language).
      const [path, query = ''] = ctx.request.url(true).split('?')
      useLocale(ctx, refusalLocale(path, query, ctx.request.headers()))
      ctx.response.header('Retry-After', String(loadShedding.retryAfterSeconds))
      throw new OverloadedException('Overloaded')
    }
    return next()
  }
}
