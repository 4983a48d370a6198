import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import env from '#start/env'
import { redisEnabled } from '#config/redis'
import jobs from '#support/jobs'
import Outbox from '#services/messaging/outbox'
import { redisReady } from '#support/redis_state'
import { operatorAccess } from '#support/secrets'
import { inject } from '@adonisjs/core'

/** A waiting message older than this means no worker is delivering: /healthz says so. */
const STALLED_AFTER_SECONDS = 15 * 60

/** No check may hold the answer longer than this: a health check that hangs is an outage of its own. */
const CHECK_DEADLINE_MS = 2_000

/**
 * `GET /healthz`: `status` is `ok`, `degraded` (Redis or the job queue is down: numbers are still
 * taken, called and shown, limits count in memory, messages wait in the outbox) or `down` (the
 * database or the outbox fails: 503, take this server out of the load balancer). The checks
 * themselves are shown outside production, or to whoever sends the METRICS_TOKEN.
 */
@inject()
export default class HealthController {
  constructor(protected outbox: Outbox) {}

  async show({ request, response }: HttpContext) {
    const checks = {
      database: await probe(async () => {
        await db.rawQuery('SELECT 1')
        return { connection: db.primaryConnectionName }
      }),
      redis: redisEnabled
        ? await probe(async () => {
            if (!redisReady()) throw new Error(`not connected (${redis.connection('main').status})`)
            return { reply: await redis.ping() }
          })
        : { ok: true, detail: 'not configured' },
      jobs: await probe(async () => {
        if (!jobs.ready()) throw new Error(`the ${jobs.driver.name} queue cannot be reached`)
        const health = await jobs.health()
        if (!health.ok) throw new Error(JSON.stringify(health.detail))
        return { driver: jobs.driver.name, ready: true, ...health.detail }
      }),
      outbox: await probe(async () => {
        const stats = await this.outbox.stats()
        const stalled = Object.values(stats).some(
          (table) => table.oldestPendingSeconds > STALLED_AFTER_SECONDS
        )
        if (stalled)
          throw new Error(
            `messages have waited more than ${STALLED_AFTER_SECONDS / 60} minutes: is a worker running?`
          )
        return stats
      }),
    }
    const down = !checks.database.ok || !checks.outbox.ok
    const status = down ? 'down' : checks.redis.ok && checks.jobs.ok ? 'ok' : 'degraded'
    const detailed = operatorAccess(request.header('authorization'), {
      token: env.get('METRICS_TOKEN'),
      production: app.inProduction,
    })
    response.header('cache-control', 'no-store')
    return response
      .status(down ? 503 : 200)
      .json(detailed ? { ok: !down, status, checks } : { ok: !down, status })
  }
}

async function probe(check: () => Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CHECK_DEADLINE_MS} ms`)),
        CHECK_DEADLINE_MS
      )
    })
    return { ok: true, detail: await Promise.race([check(), deadline]) }
  } catch (error) {
    return { ok: false, detail: (error as Error).message }
  } finally {
    clearTimeout(timer)
  }
}
