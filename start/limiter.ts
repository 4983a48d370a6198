/*
| Rate limits on public endpoints, per client IP, and on the REST API, per API key. Limits come
| from the environment (RATE_LIMIT_*_PER_MINUTE) and are read per request, so tests can tighten them.
| Counters live in Redis when it is configured, in the database otherwise (config/limiter.ts).
*/
import limiter from '@adonisjs/limiter/services/main'
import { errors } from '@adonisjs/limiter'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import env from '#start/env'

export const rateLimits = {
  takePerMinute: env.get('RATE_LIMIT_TAKE_PER_MINUTE', 60),
  pollPerMinute: env.get('RATE_LIMIT_POLL_PER_MINUTE', 1200),
  loginPerMinute: env.get('RATE_LIMIT_LOGIN_PER_MINUTE', 10),
  /** Login attempts to one account per 15 minutes, from any address (app/services/staff_sessions.ts). */
  loginPerAccount: env.get('RATE_LIMIT_LOGIN_PER_ACCOUNT', 10),
  apiPerMinute: env.get('RATE_LIMIT_API_PER_MINUTE', 600),
  webhookPerMinute: env.get('RATE_LIMIT_WEBHOOK_PER_MINUTE', 6000),
}

/**
 * A route middleware allowing `perMinute()` requests per client (`clientOf`: the IP unless told
 * otherwise) per minute. It consumes one point in a single store round trip (the stock middleware
 * reads first, then consumes) and answers 429 with Retry-After when the budget is spent.
 */
function throttle(
  name: string,
  perMinute: () => number,
  store?: 'memory',
  clientOf: (ctx: HttpContext) => string = (ctx) => ctx.request.ip()
) {
  return async function throttleRequests(ctx: HttpContext, next: NextFn) {
    const requests = perMinute()
    const budget = store
      ? limiter.use(store, { requests, duration: 60 })
      : limiter.use({ requests, duration: 60 })
    try {
      const state = await budget.consume(`${name}:${clientOf(ctx)}`)
      ctx.response.header('X-RateLimit-Limit', requests)
      ctx.response.header('X-RateLimit-Remaining', state.remaining)
    } catch (error) {
      if (error instanceof errors.E_TOO_MANY_REQUESTS) {
        ctx.response.header('Retry-After', error.response.availableIn)
        ctx.response.header('X-RateLimit-Limit', requests)
        ctx.response.header('X-RateLimit-Remaining', 0)
      }
      throw error
    }
    return next()
  }
}

/** Gives `client` its whole `name` budget back, in the shared store (tests start a limit from zero). */
export async function refill(name: string, client: string) {
  await limiter.use({ requests: 1, duration: 60 }).delete(`${name}:${client}`)
}

/** Taking a number: generous enough for a clinic's shared Wi-Fi, tight enough to stop a script. */
export const throttleTake = throttle('take', () => rateLimits.takePerMinute)

/**
 * Screens polling for changes (every 1-3 s each). Counted per server in memory: polls are cheap
 * reads, the limit only stops floods, and a shared counter would cost a round trip per poll.
 */
export const throttlePoll = throttle('poll', () => rateLimits.pollPerMinute, 'memory')

/** Login attempts: slows down password guessing. */
export const throttleLogin = throttle('login', () => rateLimits.loginPerMinute)

/**
 * REST API calls, per API key (the apiKey middleware runs first and puts the key on the context).
 * Counted by the key's hash, which no other key will ever have (ids start again in a new database).
 */
export const throttleApi = throttle(
  'api',
  () => rateLimits.apiPerMinute,
  undefined,
  (ctx) => `key-${ctx.apiKey.tokenHash.slice(0, 16)}`
)

/** A kiosk's requests, per device (many kiosks may share one IP): the take budget, per kiosk. */
export const throttleKiosk = throttle(
  'kiosk',
  () => rateLimits.takePerMinute,
  undefined,
  (ctx) => `device-${ctx.params.token}`
)

/**
 * Providers' webhooks in (WhatsApp, payments): they come from a few addresses in bursts, so the
 * budget per IP is large; it only stops floods. Counted per server in memory, like polls.
 */
export const throttleWebhook = throttle('webhook', () => rateLimits.webhookPerMinute, 'memory')

/** Staff scanning or checking in bookings at the front desk: the take budget, per staff member. */
export const throttleScan = throttle(
  'scan',
  () => rateLimits.takePerMinute,
  undefined,
  (ctx) => (ctx.auth?.user ? `user-${ctx.auth.user.id}` : ctx.request.ip())
)
