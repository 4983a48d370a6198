/*
| Where /metrics reads its scrape-time gauges: the outbox backlog (the database), the job queue
| (Bull's counts on Redis; nothing on the in-process default) and this process's database pool.
*/
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import jobs from '#support/jobs'
import { useMetricSources } from '#support/metrics'
import Outbox from '#services/messaging/outbox'

useMetricSources({
  outbox: async () => (await app.container.make(Outbox)).stats(),
  async jobs() {
    if (jobs.driver.name !== 'bull') return null
    const { ok, detail } = await jobs.health()
    return ok ? (detail as Record<string, number>) : null
  },
  pool() {
    const pool = (db.connection() as any).getWriteClient?.()?.client?.pool
    if (!pool) return null
    return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() }
  },
})
