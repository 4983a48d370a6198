import app from '@adonisjs/core/services/app'
import Branch from '#models/branch'
import QueueEngine from '#services/queue/queue_engine'
import { CLOSE_DAY_JOB } from '#services/queue/daily_reset'
import type { JobDefinition } from '#support/jobs'

/** Closes the open tickets of a branch's earlier days (idempotent). */
const closeDayJob: JobDefinition<{ branchId: number }> = {
  name: CLOSE_DAY_JOB,
  attempts: 5,
  backoffMs: 5000,
  async handle({ branchId }) {
    const branch = await Branch.find(branchId)
    if (branch) await (await app.container.make(QueueEngine)).closePreviousDays(branch)
  },
}

export default closeDayJob
