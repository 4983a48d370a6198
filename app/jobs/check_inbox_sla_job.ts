import app from '@adonisjs/core/services/app'
import SlaWatch, { type SlaClockName } from '#services/inbox/sla_watch'
import type { JobDefinition } from '#support/jobs'

/** At a ticket's due time: flags the SLA clock when it is still running late. Idempotent. */
const checkInboxSlaJob: JobDefinition<{ conversationId: number; clock: SlaClockName }> = {
  name: 'check-inbox-sla',
  attempts: 3,
  handle: async ({ conversationId, clock }) => {
    await (await app.container.make(SlaWatch)).check(conversationId, clock)
  },
}

export default checkInboxSlaJob
