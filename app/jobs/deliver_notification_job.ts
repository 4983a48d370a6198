import app from '@adonisjs/core/services/app'
import Notifications from '#services/messaging/notifications'
import { MAX_ATTEMPTS, backoffMs } from '#services/messaging/outbox'
import type { JobDefinition } from '#support/jobs'

/**
 * One delivery attempt of an outbox message. Idempotent: a row already sent (or taken by another
 * worker) is left alone. A failed attempt throws, and the job queue tries again with backoff.
 */
const deliverNotificationJob: JobDefinition<{ id: number }> = {
  name: 'deliver-notification',
  attempts: MAX_ATTEMPTS,
  get backoffMs() {
    return backoffMs()
  },
  handle: async ({ id }) => (await app.container.make(Notifications)).deliver(id),
}

export default deliverNotificationJob
