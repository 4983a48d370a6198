import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { loadShedding } from '#support/load_shedding'

/**
 * Counts the requests this process is handling (app/support/load_shedding.ts), and closes each
 * connection after its answer while the server drains.
 */
export default class InFlightMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    loadShedding.inFlight++
    loadShedding.started++
    try {
      return await next()
    } finally {
      loadShedding.inFlight--
      if (loadShedding.draining) ctx.response.header('Connection', 'close')
    }
  }
}
