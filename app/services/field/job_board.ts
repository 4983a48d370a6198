import Customer from '#models/customer'
import Job from '#models/job'
import JobAssignment from '#models/job_assignment'
import JobExtension from '#models/job_extension'
import JobPhoto from '#models/job_photo'
import type User from '#models/user'
import JobEvent from '#models/job_event'
import { withoutWildcards } from '#support/sql'
import { LIVE_JOB_STATUSES, type JobPriority, type JobStatus } from '#enums/field'
import { DISPATCH_ROLES } from '#enums/role'
import {
  claimRefusal,
  closeRefusal,
  editRefusal,
  extensionRefusal,
  startRefusal,
} from '#services/field/job_state_machine'

export interface JobFilter {
  status?: JobStatus | null
  priority?: JobPriority | null
  customerId?: number | null
  technicianId?: number | null
  /** Planned to start on or after / on or before (`YYYY-MM-DD`). */
  from?: string | null
  to?: string | null
  q?: string | null
  page?: number
  perPage?: number
}

/** Page size of the job list. */
export const JOBS_PER_PAGE = 25

/** The order of urgency, most urgent first, for the pool. */
const PRIORITY_RANK =
  "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END"

/**
 * What the field screens read: the open pool a technician claims from, a technician's own jobs,
 * CS's job list, and one job with its team, history, photos and extension requests.
 */
export default class JobBoard {
  /**
   * Jobs with a place left in the technician's branches that they do not already hold one on,
   * the nearest planned date first (then the most urgent).
   */
  pool(technician: User) {
    const query = Job.forTenant(technician.tenantId!)
      .whereIn('status', ['open', 'in_progress'])
      .whereRaw('claimed < quota')
      .whereNotExists((held) =>
        held
          .from('job_assignments')
          .whereColumn('job_assignments.job_id', 'jobs.id')
          .where('job_assignments.technician_id', technician.id)
          .whereNull('job_assignments.released_at')
      )
      .preload('customer', (customer) => customer.select('id', 'name'))
      .orderBy('planned_start')
      .orderByRaw(PRIORITY_RANK)
      .orderBy('id')
      .limit(100)
    if (technician.branchId !== null) query.where('branch_id', technician.branchId)
    return query
  }

  /** The jobs a technician holds a place on: live ones first (nearest first), then the last done. */
  async mine(technician: User) {
    const assignments = await JobAssignment.forTenant(technician.tenantId!)
      .where('technician_id', technician.id)
      .whereNull('released_at')
      .orderBy('id', 'desc')
      .limit(200)
    const byJob = new Map(assignments.map((assignment) => [assignment.jobId, assignment]))
    if (byJob.size === 0) return { live: [], done: [] }
    const jobs = await Job.forTenant(technician.tenantId!)
      .whereIn('id', [...byJob.keys()])
      .preload('customer')
      .orderBy('planned_start')
      .orderBy('id')
    const rows = jobs.map((job) => ({ job, assignment: byJob.get(job.id)! }))
    return {
      live: rows.filter(({ job }) => LIVE_JOB_STATUSES.includes(job.status)),
      done: rows
        .filter(({ job }) => !LIVE_JOB_STATUSES.includes(job.status))
        .sort((a, b) => b.job.id - a.job.id)
        .slice(0, 20),
    }
  }

  /** CS's list of the jobs of some branches (all of them: `branchIds` null), filtered and paginated. */
  list(tenantId: number, branchIds: number[] | null, filter: JobFilter) {
    return this.query(tenantId, branchIds, filter)
      .preload('customer', (customer) => customer.select('id', 'name', 'phone'))
      .paginate(filter.page ?? 1, filter.perPage ?? JOBS_PER_PAGE)
  }

  query(tenantId: number, branchIds: number[] | null, filter: JobFilter) {
    const query = Job.forTenant(tenantId).orderBy('planned_start', 'desc').orderBy('id', 'desc')
    if (branchIds) query.whereIn('branch_id', branchIds)
    if (filter.status) query.where('status', filter.status)
    if (filter.priority) query.where('priority', filter.priority)
    if (filter.customerId) query.where('customer_id', filter.customerId)
    if (filter.from) query.where('planned_start', '>=', filter.from)
    if (filter.to) query.where('planned_start', '<=', filter.to)
    if (filter.technicianId)
      query.whereExists((held) =>
        held
          .from('job_assignments')
          .whereColumn('job_assignments.job_id', 'jobs.id')
          .where('job_assignments.technician_id', filter.technicianId!)
          .whereNull('job_assignments.released_at')
      )
    const q = filter.q?.trim()
    if (q) {
      const like = `%${withoutWildcards(q)}%`
      query.where((where) =>
        where
          .where('code', q.toUpperCase())
          .orWhere('title', 'like', like)
          .orWhere('address', 'like', like)
          .orWhereIn(
            'customer_id',
            Customer.forTenant(tenantId).where('name', 'like', like).select('id')
          )
      )
    }
    return query
  }

  /** One job with its team (claims, released ones too), photos and extension requests. */
  async detail(job: Job) {
    await job.load('customer')
    const [assignments, photos, extensions] = await Promise.all([
      JobAssignment.query().where('job_id', job.id).preload('technician').orderBy('id'),
      JobPhoto.query().where('job_id', job.id).preload('user').orderBy('id'),
      JobExtension.query().where('job_id', job.id).preload('technician').orderBy('id', 'desc'),
    ])
    return {
      job,
      customer: job.customer,
      active: assignments.filter((assignment) => assignment.isActive),
      released: assignments.filter((assignment) => !assignment.isActive),
      photos,
      extensions,
      pendingExtension: extensions.find((extension) => extension.status === 'pending') ?? null,
    }
  }

  /**
   * A job's page as `viewer` sees it: the detail, the history, and the steps their role may take
   * now (a technician's on their own place, a dispatcher's decisions).
   */
  async page(job: Job, viewer: User) {
    const detail = await this.detail(job)
    const history = await JobEvent.query().where('job_id', job.id).preload('user').orderBy('id')
    const mine = detail.active.find((assignment) => assignment.technicianId === viewer.id) ?? null
    const live = LIVE_JOB_STATUSES.includes(job.status)
    const dispatcher = DISPATCH_ROLES.includes(viewer.role)
    const technician = viewer.role === 'technician'
    return {
      ...detail,
      history,
      mine,
      actions: {
        claim: technician && !mine && claimRefusal(job) === null,
        release: !!mine && !mine.startedAt,
        start: !!mine && !mine.startedAt && startRefusal(job) === null,
        finish: !!mine && !!mine.startedAt && !mine.doneAt,
        extension:
          !!mine && !mine.doneAt && extensionRefusal(job) === null && !detail.pendingExtension,
        note: (!!mine || dispatcher) && live,
        edit: dispatcher && editRefusal(job) === null,
        close: dispatcher && closeRefusal(job) === null,
        returnToPool: dispatcher && live,
        decide: dispatcher && !!detail.pendingExtension,
      },
    }
  }

  /** Pending extension requests of some branches, oldest first: CS's to-do. */
  pendingExtensions(tenantId: number, branchIds: number[] | null) {
    const query = JobExtension.forTenant(tenantId)
      .where('status', 'pending')
      .preload('job')
      .preload('technician')
      .orderBy('id')
    if (branchIds)
      query.whereIn('job_id', (jobs) =>
        jobs.from('jobs').whereIn('branch_id', branchIds).select('id')
      )
    return query
  }
}
