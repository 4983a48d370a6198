import { randomUUID } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Gives every request an id (the proxy's X-Request-Id, or a new UUID), sends it back in the
 * response and binds it to the request's logger. This replaces the framework's own generator,
 * whose ids cost more CPU than a whole page of middleware (config/app.ts: generateRequestId).
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const id = ctx.request.header('x-request-id') || randomUUID()
    ctx.request.request.headers['x-request-id'] = id
    ctx.response.header('x-request-id', id)
    ctx.logger = ctx.logger.child({ request_id: id })
    return next()
  }
}
