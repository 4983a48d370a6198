import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import { redisEnabled } from '#config/redis'

/**
 * Whether Redis can be asked right now. Taking a number, calling and the live screens must not wait
 * for a Redis that is down: while the connection is not ready, the code paths that use Redis (rate
 * limits, live-screen versions) work from this server's memory instead, and go back to Redis as
 * soon as the connection is ready again (ioredis reconnects by itself).
 */
export function redisReady() {
  return redisEnabled && redis.connection('main').status === 'ready'
}

/** How long a Redis round trip may take on a hot path before the memory fallback answers instead. */
export const REDIS_DEADLINE_MS = 250

/**
 * `work` against Redis, or `fallback` when Redis is not ready, fails, or does not answer within
 * REDIS_DEADLINE_MS (a connection that just died keeps its commands until its retries run out).
 * Errors that `passThrough` accepts are the answer itself (a rate limit that says no), not a failure.
 */
export async function withRedis<T>(
  work: () => Promise<T>,
  fallback: () => Promise<T>,
  options: { passThrough?: (error: unknown) => boolean; ready?: () => boolean } = {}
) {
  if (!(options.ready ?? redisReady)()) return fallback()
  let timer: NodeJS.Timeout | undefined
  const running = work()
  try {
    return await Promise.race([
      running,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer within ${REDIS_DEADLINE_MS} ms`)),
          REDIS_DEADLINE_MS
        )
      }),
    ])
  } catch (error) {
    if (options.passThrough?.(error)) throw error
    running.catch(() => {})
    degraded(error)
    return fallback()
  } finally {
    clearTimeout(timer)
  }
}

let lastWarning = 0

/** One warning every 10 seconds at most while Redis is failing, not one per request. */
function degraded(error: unknown) {
  if (Date.now() - lastWarning < 10_000) return
  lastWarning = Date.now()
  logger.warn(
    { err: error },
    "Redis is failing: working from this server's memory until it is back"
  )
}
