import app from '@adonisjs/core/services/app'
import Webhooks from '#services/messaging/webhooks'
import { MAX_ATTEMPTS, backoffMs } from '#services/messaging/outbox'
import type { JobDefinition } from '#support/jobs'

/**
 * One delivery attempt of an outgoing webhook. Idempotent: a delivery already sent (or taken by
 * another worker) is left alone. A failed attempt throws, and the job queue tries again with backoff.
 */
const deliverWebhookJob: JobDefinition<{ id: number }> = {
  name: 'deliver-webhook',
  attempts: MAX_ATTEMPTS,
  get backoffMs() {
    return backoffMs()
  },
  handle: async ({ id }) => (await app.container.make(Webhooks)).deliver(id),
}

export default deliverWebhookJob
