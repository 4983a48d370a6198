import db from '@adonisjs/lucid/services/db'
import jobs from '#support/jobs'
import { SWEEP_NO_SHOWS_JOB } from '#jobs/sweep_no_shows_job'

/**
 * Every minute: the branches with at least one service that sweeps no-shows and a called
 * ticket at a counter get a sweep job (app/services/queue_engine.ts sweepNoShows).
 */
export default class NoShowSweep {
  async dueBranchIds() {
    const rows = await db
      .from('tickets')
      .join('services', 'services.id', 'tickets.service_id')
      .whereNotNull('services.no_show_after_minutes')
      .where('tickets.status', 'called')
      .distinct('tickets.branch_id')
    return rows.map((row) => Number(row.branch_id))
  }

  async dispatchDue() {
    const branchIds = await this.dueBranchIds()
    for (const branchId of branchIds) await jobs.dispatch(SWEEP_NO_SHOWS_JOB, { branchId })
    return branchIds.length
  }
}
