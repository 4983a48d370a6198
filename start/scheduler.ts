/*
| Cron entries, in one place. Each calls a service; the database run coordinator makes sure
| that when several servers run Loket, each scheduled run happens on one of them only.
*/
import cron from 'node-cron'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import clock from '#support/clock'
import DailyReset from '#services/queue/daily_reset'
import NoShowSweep from '#services/queue/no_show_sweep'
import DatabaseRunCoordinator from '#support/run_coordinator'
import Outbox from '#services/messaging/outbox'
import BookingCron from '#services/bookings/booking_cron'
import StaffSessions from '#services/platform/staff_sessions'
import RatingService from '#services/billing/rating_service'
import SlaWatch from '#services/inbox/sla_watch'
import InboxMedia from '#services/inbox/inbox_media'
import { sendWeeklySummaries } from '#services/inbox/inbox_analytics'
import PosSync from '#services/renewals/pos_sync'
import RenewalService from '#services/renewals/renewal_service'
import Retention from '#services/privacy/retention'
import QueueStats from '#services/analytics/queue_stats'
import { sendQueueWeeklySummaries } from '#services/analytics/queue_weekly_summary'

if (env.get('SCHEDULER_ENABLED', true)) {
  const [
    bookingCron,
    dailyReset,
    runCoordinator,
    noShowSweep,
    outbox,
    staffSessions,
    ratings,
    slaWatch,
    inboxMedia,
  ] = await Promise.all([
    app.container.make(BookingCron),
    app.container.make(DailyReset),
    app.container.make(DatabaseRunCoordinator),
    app.container.make(NoShowSweep),
    app.container.make(Outbox),
    app.container.make(StaffSessions),
    app.container.make(RatingService),
    app.container.make(SlaWatch),
    app.container.make(InboxMedia),
  ])
  cron.setRunCoordinator(runCoordinator)

  /** On shutdown no new run starts, and a run under way may finish (for up to 5 s) before the database closes. */
  app.terminating(() => cron.shutdown(5_000))

  /** Every minute: the analytics rollups count the ticket events since the last run. */
  cron.schedule(
    '* * * * *',
    async () => {
      const counted = await new QueueStats().advance({ settleSeconds: 10 })
      if (counted > 0) logger.debug({ counted }, 'analytics rollups advanced')
    },
    { name: 'analytics-rollup', distributed: true, noOverlap: true }
  )

  /** Every minute: close yesterday's tickets of branches that have passed 00:00 local time. */
  cron.schedule(
    '* * * * *',
    async () => {
      const queued = await dailyReset.dispatchDue()
      if (queued > 0) logger.info({ branches: queued }, 'daily reset queued')
    },
    { name: 'daily-reset', distributed: true, noOverlap: true }
  )

  /** Every minute: called visitors not started within their service's grace period. */
  cron.schedule(
    '* * * * *',
    async () => {
      const swept = await noShowSweep.dispatchDue()
      if (swept > 0) logger.debug({ branches: swept }, 'no-show sweep queued')
    },
    { name: 'no-show-sweep', distributed: true, noOverlap: true }
  )

  /** Every minute: unpaid bookings released, reminders, auto-blending into the queue, no-shows. */
  cron.schedule(
    '* * * * *',
    async () => {
      const done = await bookingCron.run()
      if (Object.values(done).some(Boolean)) logger.info(done, 'bookings tick')
    },
    { name: 'bookings-tick', distributed: true, noOverlap: true }
  )

  /**
   * Every 15 seconds: messages and webhook calls whose delivery job was lost (Redis was down, a
   * worker died) are dispatched again. Runs on every server: a row is claimed once, so it is safe.
   */
  cron.schedule(
    '*/15 * * * * *',
    async () => {
      const dispatched = await outbox.sweep()
      if (dispatched > 0) logger.info({ dispatched }, 'outbox rows dispatched again')
    },
    { name: 'outbox-sweep', noOverlap: true }
  )

  /** Every minute: rating links whose delay has passed go to the customers (claimed once each). */
  cron.schedule(
    '* * * * *',
    async () => {
      const sent = await ratings.sendDue()
      if (sent > 0) logger.info({ sent }, 'rating links sent')
    },
    { name: 'rating-links', distributed: true, noOverlap: true }
  )

  /**
   * Every minute: the inbox's safety net. SLA breaches whose job was lost (a restart, Redis down)
   * are flagged, and customers' media whose download job was lost is fetched.
   */
  cron.schedule(
    '* * * * *',
    async () => {
      const flagged = await slaWatch.sweep()
      if (flagged > 0) logger.info({ flagged }, 'inbox SLA breaches flagged by the sweeper')
      await inboxMedia.fetchStale()
    },
    { name: 'inbox-sweep', distributed: true, noOverlap: true }
  )

  /** Mondays at 07:00 (server time): last week's inbox numbers by email to each tenant's owners. */
  cron.schedule(
    '0 7 * * 1',
    async () => {
      const queued = await sendWeeklySummaries(clock.now())
      if (queued > 0) logger.info({ queued }, 'inbox weekly summaries queued')
    },
    { name: 'inbox-weekly-summary', distributed: true, noOverlap: true }
  )

  /** Mondays at 07:05: every owner gets last week's queue figures by email (once per ISO week). */
  cron.schedule(
    '5 7 * * 1',
    async () => {
      const queued = await sendQueueWeeklySummaries(clock.now())
      if (queued > 0) logger.info({ queued }, 'queue weekly summaries queued')
    },
    { name: 'queue-weekly-summary', distributed: true, noOverlap: true }
  )

  /** Every day at 02:30 (server time): every tenant with an enabled POS source is synced. */
  cron.schedule(
    '30 2 * * *',
    async () => {
      const posSync = await app.container.make(PosSync)
      const runs = await posSync.syncAll()
      if (runs > 0) logger.info({ runs }, 'POS sync runs')
    },
    { name: 'pos-sync', distributed: true, noOverlap: true }
  )

  /**
   * Every hour at :05: renewals computed for outlets expiring within the horizon (one per outlet
   * per expiry date) and the due reminder, churn and winback steps taken (each step once, even
   * when two servers run it: the attempts' unique (renewal, step) index).
   */
  cron.schedule(
    '5 * * * *',
    async () => {
      const renewals = await app.container.make(RenewalService)
      const done = await renewals.run(clock.now())
      if (done.created || done.reminded) logger.info(done, 'renewals tick')
    },
    { name: 'renewals', distributed: true, noOverlap: true }
  )

  /** Every night: forget old scheduler runs. */
  cron.schedule('17 3 * * *', () => runCoordinator.prune(), {
    name: 'prune-scheduled-runs',
    distributed: true,
  })

  /** Every night: forget staff sessions that ended by themselves (unused for 12 hours). */
  cron.schedule('27 3 * * *', () => staffSessions.prune(), {
    name: 'prune-staff-sessions',
    distributed: true,
  })

  /** Every night: personal data older than each tenant's retention days is anonymized (in batches). */
  cron.schedule(
    '47 2 * * *',
    async () => {
      const retention = await app.container.make(Retention)
      const report = await retention.run()
      const tenants = Object.keys(report).length
      if (tenants > 0) logger.info({ tenants }, 'privacy retention applied')
    },
    { name: 'privacy-retention', distributed: true, noOverlap: true }
  )
}
