import type { JobStatus } from '#enums/field'

/** What a job's status follows from: its places and the work on them. */
export interface JobProgress {
  quota: number
  /** Active claims. */
  claimed: number
  /** Whether a technician holding a place has started. */
  anyStarted: boolean
  /** Whether every active claim is marked done (false with no claims). */
  allDone: boolean
}

/**
 * The status a live job has after a change of its claims or work: done once every place is
 * claimed and every technician on it is done; in progress once anyone started; assigned when
 * every place is claimed; open otherwise. A job never goes back from in progress to assigned or
 * open: a place returned to the pool after the work started is claimed again while it goes on.
 */
export function statusOfProgress(progress: JobProgress): JobStatus {
  if (progress.claimed >= progress.quota && progress.claimed > 0 && progress.allDone) return 'done'
  if (progress.anyStarted) return 'in_progress'
  if (progress.claimed >= progress.quota) return 'assigned'
  return 'open'
}

/** Why a job refuses a command, as an error key (resources/lang/<locale>/errors.json), or null. */
export type Refusal = string | null

/** A technician may claim a place while the job is live and has one left. */
export function claimRefusal(job: { status: JobStatus; quota: number; claimed: number }): Refusal {
  if (job.status === 'done' || job.status === 'cancelled') return 'job_closed'
  if (job.claimed >= job.quota) return 'job_already_taken'
  return null
}

/** CS edits or cancels a job only while nobody has claimed it. */
export function editRefusal(job: { status: JobStatus; claimed: number }): Refusal {
  if (job.status === 'done' || job.status === 'cancelled') return 'job_closed'
  if (job.status !== 'open' || job.claimed > 0) return 'job_claimed_locked'
  return null
}

/** A technician starts work once the team is complete (or the work is already going on). */
export function startRefusal(job: { status: JobStatus; quota: number; claimed: number }): Refusal {
  if (job.status === 'done' || job.status === 'cancelled') return 'job_closed'
  if (job.status === 'open') return 'job_team_incomplete'
  return null
}

/** CS closes a job whose work has started, even with a place unfilled or a technician not done. */
export function closeRefusal(job: { status: JobStatus }): Refusal {
  if (job.status === 'done' || job.status === 'cancelled') return 'job_closed'
  if (job.status !== 'in_progress') return 'job_not_started'
  return null
}

/** More days are asked for and granted only while the job is live. */
export function extensionRefusal(job: { status: JobStatus }): Refusal {
  if (job.status === 'done' || job.status === 'cancelled') return 'job_closed'
  return null
}

/** `date` (`YYYY-MM-DD`) plus `days`. */
export function addDays(date: string, days: number) {
  const [year, month, day] = date.split('-').map(Number)
  const moment = new Date(Date.UTC(year, month - 1, day + days))
  return moment.toISOString().slice(0, 10)
}
