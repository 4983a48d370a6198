import db from '@adonisjs/lucid/services/db'
import { toSqlDateTime } from '#models/columns'
import { isUniqueViolation } from '#support/database'
import clock from '#support/clock'

/**
 * Lets N servers share one cron schedule: before a run, each server tries to insert the run's
 * row (task name + scheduled minute); the unique key lets exactly one of them through.
 */
export default class DatabaseRunCoordinator {
  async shouldRun(key: string) {
    const [name, ...slot] = key.split(':')
    try {
      await db.table('scheduled_runs').insert({
        name,
        run_key: slot.join(':'),
        started_at: toSqlDateTime(clock.now()),
      })
      return true
    } catch (error) {
      if (isUniqueViolation(error)) return false
      throw error
    }
  }

  async onComplete(key: string) {
    const [name, ...slot] = key.split(':')
    await db
      .from('scheduled_runs')
      .where('name', name)
      .where('run_key', slot.join(':'))
      .update({ finished_at: toSqlDateTime(clock.now()) })
  }

  /** Forgets runs older than a week. */
  async prune() {
    const cutoff = toSqlDateTime(clock.now().minus({ days: 7 }))
    await db.from('scheduled_runs').where('started_at', '<', cutoff).delete()
  }
}
