import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { redisEnabled } from '#config/redis'
import jobs from '#services/jobs'
import Outbox from '#services/outbox'

/** A waiting message older than this means no worker is delivering: /healthz says so. */
const STALLED_AFTER_SECONDS = 15 * 60

/** `GET /healthz`: whether the database, Redis (when configured), the job workers and the outbox are well. */
export default class HealthController {
  async show({ response }: HttpContext) {
    const checks = {
      database: await probe(async () => {
        await db.rawQuery('SELECT 1')
        return { connection: db.primaryConnectionName }
      }),
      redis: redisEnabled ? await probe(async () => ({ reply: await redis.ping() })) : { ok: true, detail: 'not configured' },
      jobs: await jobs.health().then(
        (health) => ({ ok: health.ok, detail: { driver: jobs.driver.name, ready: jobs.ready(), ...health.detail } }),
        (error) => ({ ok: false, detail: (error as Error).message })
      ),
      outbox: await probe(async () => {
        const stats = await Outbox.stats()
        const stalled = Object.values(stats).some((table) => table.oldestPendingSeconds > STALLED_AFTER_SECONDS)
        if (stalled) throw new Error(`messages have waited more than ${STALLED_AFTER_SECONDS / 60} minutes: is a worker running?`)
        return stats
      }),
    }
    const ok = Object.values(checks).every((check) => check.ok)
    return response.status(ok ? 200 : 503).json({ ok, checks })
  }
}

async function probe(check: () => Promise<unknown>) {
  try {
    return { ok: true, detail: await check() }
  } catch (error) {
    return { ok: false, detail: (error as Error).message }
  }
}
