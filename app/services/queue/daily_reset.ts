import Branch from '#models/branch'
import jobs from '#support/jobs'

export const CLOSE_DAY_JOB = 'queue.close-day'

/**
 * The daily reset: at 00:00 branch time yesterday's open tickets are closed (numbering restarts
 * by itself: numbers are allocated per local day). A branch is due when the local day it last
 * closed is not today; each due branch gets a close-day job. Safe to run again and again.
 */
export default class DailyReset {
  async dueBranches() {
    const branches = await Branch.query().orderBy('id')
    return branches.filter((branch) => branch.lastResetDate !== branch.today())
  }

  /** Queues a close-day job for every due branch; returns how many were queued. */
  async dispatchDue() {
    const due = await this.dueBranches()
    for (const branch of due) await jobs.dispatch(CLOSE_DAY_JOB, { branchId: branch.id })
    return due.length
  }
}
