import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import DomainError from '#exceptions/domain_error'
import IdempotentRequests, { type AnswerRecord } from '#services/platform/idempotent_requests'
import { inject } from '@adonisjs/core'
import ApiResources from '#services/platform/api_resources'
import { findBranch, findBranchService } from '#controllers/api_scope'

/** 1 to 128 visible ASCII characters (a UUID is the usual choice). */
const VALID_KEY = /^[\x21-\x7e]{1,128}$/

/**
 * Routes whose answer is kept on the row the handler writes (`ctx.idempotency`): taking a number
 * through the API keeps it on the ticket. Its answer then costs no write of its own.
 */
const KEPT_ON_TICKET = new Set(['api.tickets.store'])

/**
 * `Idempotency-Key` on the REST API's POSTs (after ApiKeyMiddleware). The first answer is kept and
 * replayed for a repeat of the same request, with `Idempotent-Replayed: true`; the key with another
 * request is refused with 422. The key also reaches the queue engine as `ctx.apiRequestId`, so
 * that two repeats arriving at the same moment still act once. Without the header a POST simply
 * runs.
 *
 * Most routes claim the key before they run and keep the answer after. A route of KEPT_ON_TICKET
 * neither reads nor writes before: the ticket it takes keeps the request's fingerprint (the key
 * is its request id), and a repeat, handed that ticket by the engine or arriving later, is
 * answered from it as taken. Its take is refused when the key has an answer kept here.
 */
@inject()
export default class ApiIdempotencyMiddleware {
  constructor(
    protected idempotentRequests: IdempotentRequests,
    protected apiResources: ApiResources
  ) {}

  async handle(ctx: HttpContext, next: NextFn) {
    ctx.apiRequestId = null
    ctx.idempotency = null
    const key = ctx.request.header('idempotency-key')
    if (ctx.request.method() !== 'POST' || key === undefined) return next()
    if (!VALID_KEY.test(key)) throw new DomainError('idempotency_key_invalid', {}, 422)

    const record: AnswerRecord = {
      apiKeyId: ctx.apiKey.id,
      key,
      fingerprint: this.idempotentRequests.fingerprint(
        ctx.request.method(),
        ctx.request.url(),
        ctx.request.body()
      ),
    }
    ctx.apiRequestId = this.idempotentRequests.requestIdOf(record.apiKeyId, key)
    if (KEPT_ON_TICKET.has(ctx.route?.name ?? '')) return this.#keptOnTicket(ctx, next, record)

    const claim = await this.idempotentRequests.claim(
      ctx.tenant.id,
      record.apiKeyId,
      key,
      record.fingerprint
    )
    if (claim.replay) return replay(ctx, claim.status, claim.body)
    try {
      await next()
    } catch (error) {
      await this.idempotentRequests.release(record.apiKeyId, key)
      throw error
    }
    // Errors of the handler have been rendered by now: their answer is kept like any other.
    const status = ctx.response.getStatus()
    if (status >= 500) await this.idempotentRequests.release(record.apiKeyId, key)
    else
      await this.idempotentRequests.complete(record.apiKeyId, key, status, ctx.response.getBody())
  }

  async #keptOnTicket(ctx: HttpContext, next: NextFn, record: AnswerRecord) {
    const answer = { ...record, kept: false, refused: false }
    ctx.idempotency = answer
    await next()
    const refused = answer.refused
    const status = ctx.response.getStatus()
    if (answer.kept || (status >= 500 && !refused)) return
    // Not taken now: a repeat (handed the first ticket by the engine, or refused before its take,
    // the branch closed since, say), a take refused for a key answered elsewhere, or an error
    // answer. The first answer is the one every repeat gets.
    const taken = await this.idempotentRequests.ticketTakenWith(
      ctx.tenant.id,
      record.apiKeyId,
      record.key
    )
    if (taken) {
      if (taken.apiFingerprint !== record.fingerprint)
        throw new DomainError('idempotency_key_reused', {}, 422)
      const entry = await findBranch(ctx.tenant, taken.branchId)
      const service = await findBranchService(entry, taken.originServiceId)
      return replay(ctx, 201, this.apiResources.takenTicket(taken, service, ctx.i18n.locale))
    }
    const kept = await this.idempotentRequests.earlier(
      record.apiKeyId,
      record.key,
      record.fingerprint
    )
    if (kept?.replay) return replay(ctx, kept.status, kept.body)
    if (refused) throw new DomainError('idempotency_key_in_use', {}, 409)
    await this.idempotentRequests.keep(record, status, ctx.response.getBody())
  }
}

function replay(ctx: HttpContext, status: number, body: unknown) {
  ctx.response.header('Idempotent-Replayed', 'true')
  return ctx.response.status(status).json(body)
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    /** The queue engine's request id derived from the Idempotency-Key, null without one. */
    apiRequestId: string | null
    /**
     * On a route that keeps its answer on the ticket it takes: the request's key and fingerprint,
     * and whether the handler took a number now (`kept`) or was refused because the key had an
     * answer kept already (`refused`: the middleware then replays that answer). Null otherwise.
     */
    idempotency: (AnswerRecord & { kept: boolean; refused: boolean }) | null
  }
}
