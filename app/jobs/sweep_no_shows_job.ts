import app from '@adonisjs/core/services/app'
import Branch from '#models/branch'
import QueueEngine from '#services/queue/queue_engine'
import type { JobDefinition } from '#support/jobs'

export const SWEEP_NO_SHOWS_JOB = 'queue.sweep-no-shows'

/** Marks a branch's late called visitors as no-shows, or requeues them, per service (idempotent). */
const sweepNoShowsJob: JobDefinition<{ branchId: number }> = {
  name: SWEEP_NO_SHOWS_JOB,
  attempts: 3,
  backoffMs: 5000,
  async handle({ branchId }) {
    const branch = await Branch.find(branchId)
    if (branch) await (await app.container.make(QueueEngine)).sweepNoShows(branch)
  },
}

export default sweepNoShowsJob
