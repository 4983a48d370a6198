import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { redisEnabled } from '#config/redis'
import jobs from '#services/jobs'

/** `GET /healthz`: whether the database, Redis (when configured) and the job workers answer. */
export default class HealthController {
  async show({ response }: HttpContext) {
    const checks = {
      database: await probe(async () => {
        await db.rawQuery('SELECT 1')
        return { connection: db.primaryConnectionName }
      }),
      redis: redisEnabled ? await probe(async () => ({ reply: await redis.ping() })) : { ok: true, detail: 'not configured' },
      jobs: await jobs.health().then(
        (health) => ({ ok: health.ok, detail: { driver: jobs.driver.name, ...health.detail } }),
        (error) => ({ ok: false, detail: (error as Error).message })
      ),
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
