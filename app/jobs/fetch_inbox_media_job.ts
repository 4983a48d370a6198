import app from '@adonisjs/core/services/app'
import InboxMedia from '#services/inbox/inbox_media'
import type { JobDefinition } from '#support/jobs'

/** Downloads a customer's WhatsApp media into the conversation. Idempotent: a stored one is left alone. */
const fetchInboxMediaJob: JobDefinition<{ id: number }> = {
  name: 'fetch-inbox-media',
  attempts: 5,
  backoffMs: 2_000,
  handle: async ({ id }) => (await app.container.make(InboxMedia)).fetch(id),
}

export default fetchInboxMediaJob
