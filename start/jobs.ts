/*
| Registers every background job with the job facade (app/services/jobs.ts) and, in the
| web server, starts consuming them unless WORKERS_ENABLED=false.
*/
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import jobs from '#support/jobs'
import closeDayJob from '#jobs/close_day_job'
import sweepNoShowsJob from '#jobs/sweep_no_shows_job'
import deliverNotificationJob from '#jobs/deliver_notification_job'
import deliverWebhookJob from '#jobs/deliver_webhook_job'
import fetchInboxMediaJob from '#jobs/fetch_inbox_media_job'
import checkInboxSlaJob from '#jobs/check_inbox_sla_job'

jobs.register(
  closeDayJob,
  sweepNoShowsJob,
  deliverNotificationJob,
  deliverWebhookJob,
  fetchInboxMediaJob,
  checkInboxSlaJob
)

if (app.getEnvironment() === 'web' && env.get('WORKERS_ENABLED', true)) {
  jobs.startWorkers()
}
