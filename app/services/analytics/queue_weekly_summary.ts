import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import Branch from '#models/branch'
import { absoluteUrl } from '#support/urls'
import { ownerDigest } from '#services/messaging/owner_digest'
import QueueAnalytics, { type Kpis } from '#services/analytics/queue_analytics'

const minutes = (seconds: number | null) =>
  seconds === null ? '-' : String(Math.round(seconds / 60))
const percent = (share: number | null) => (share === null ? '-' : `${Math.round(share * 100)}%`)

/** The change from last week's figure to this one, "+12%" ("-" with nothing to compare). */
function change(now: number, before: number) {
  if (before === 0) return '-'
  const delta = Math.round(((now - before) * 100) / before)
  return `${delta > 0 ? '+' : ''}${delta}%`
}

/**
 * The weekly queue email to owners (Mondays, the scheduler; issue 16): for every tenant whose
 * queue took numbers last week (its first branch's calendar), each active owner gets last week's
 * figures from the rollups against the week before, through the outbox, once per owner and ISO
 * week (the notification's dedupe key), in the owner's language.
 */
export async function sendQueueWeeklySummaries(now: DateTime) {
  const widest = now.minus({ days: 15 }).toISODate()!
  const tenants = await db
    .from('queue_stats')
    .where('day', '>=', widest)
    .where('taken', '>', 0)
    .distinct('tenant_id')
  let queued = 0
  for (const { tenant_id: tenantId } of tenants) {
    try {
      queued += await weeklySummary(Number(tenantId), now)
    } catch (error) {
      logger.error({ err: error, tenantId }, 'queue weekly summary failed')
    }
  }
  return queued
}

async function weeklySummary(tenantId: number, now: DateTime) {
  const branch = await Branch.forTenant(tenantId).orderBy('id').firstOrFail()
  const lastWeek = now.setZone(branch.timezone).startOf('week').minus({ weeks: 1 })
  const weekKey = `${lastWeek.weekYear}-W${String(lastWeek.weekNumber).padStart(2, '0')}`
  const digest = await ownerDigest(tenantId, 'queue-weekly', weekKey)
  if (!digest) return 0
  const report = await new QueueAnalytics().report(tenantId, {
    branchId: null,
    from: lastWeek.toISODate()!,
    to: lastWeek.plus({ days: 6 }).toISODate()!,
    by: 'branch',
    interval: 'day',
  })
  if (report.kpis.taken === 0) return 0
  const kpis: Kpis = report.kpis
  const byHour = report.heat.grid.reduce(
    (sums, row) => sums.map((sum, hour) => sum + row[hour]),
    new Array<number>(24).fill(0)
  )
  const busiest = byHour.indexOf(Math.max(...byHour))
  const variables = {
    week: weekKey,
    from: lastWeek.toISODate()!,
    to: lastWeek.plus({ days: 6 }).toISODate()!,
    taken: String(kpis.taken),
    taken_change: change(kpis.taken, report.previous.taken),
    served: String(kpis.served),
    median_wait: minutes(kpis.medianWaitSeconds),
    p90_wait: minutes(kpis.p90WaitSeconds),
    sla: percent(kpis.slaCompliance),
    no_show_rate: percent(kpis.noShowRate),
    busiest_hour: `${String(busiest).padStart(2, '0')}:00`,
    link: absoluteUrl('analytics.index'),
    tenant_name: digest.profile.tenantName,
  }
  return digest.send('queue_weekly_summary', variables, now)
}
