import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import DomainError from '#exceptions/domain_error'
import IdempotentRequests from '#services/platform/idempotent_requests'
import { inject } from '@adonisjs/core'

/** 1 to 128 visible ASCII characters (a UUID is the usual choice). */
const VALID_KEY = /^[\x21-\x7e]{1,128}$/

/**
 * `Idempotency-Key` on the REST API's POSTs (after ApiKeyMiddleware). The first answer is kept and
 * replayed for a repeat of the same request, with `Idempotent-Replayed: true`; the key with another
 * request is refused with 422. The key also reaches the queue engine as `ctx.apiRequestId`, so
 * that two repeats arriving at the same moment still act once. Without the header a POST simply
 * runs.
 */
@inject()
export default class ApiIdempotencyMiddleware {
  constructor(protected idempotentRequests: IdempotentRequests) {}

  async handle(ctx: HttpContext, next: NextFn) {
    ctx.apiRequestId = null
    const key = ctx.request.header('idempotency-key')
    if (ctx.request.method() !== 'POST' || key === undefined) return next()
    if (!VALID_KEY.test(key)) throw new DomainError('idempotency_key_invalid', {}, 422)

    const apiKeyId = ctx.apiKey.id
    const fingerprint = this.idempotentRequests.fingerprint(
      ctx.request.method(),
      ctx.request.url(),
      ctx.request.body()
    )
    const claim = await this.idempotentRequests.claim(apiKeyId, key, fingerprint)
    if (claim.replay) {
      ctx.response.header('Idempotent-Replayed', 'true')
      return ctx.response.status(claim.status).json(claim.body)
    }

    ctx.apiRequestId = this.idempotentRequests.requestIdOf(apiKeyId, key)
    try {
      await next()
    } catch (error) {
      await this.idempotentRequests.release(apiKeyId, key)
      throw error
    }
    // Errors of the handler have been rendered by now: their answer is kept like any other.
    const status = ctx.response.getStatus()
    if (status >= 500) await this.idempotentRequests.release(apiKeyId, key)
    else await this.idempotentRequests.complete(apiKeyId, key, status, ctx.response.getBody())
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    /** The queue engine's request id derived from the Idempotency-Key, null without one. */
    apiRequestId: string | null
  }
}
