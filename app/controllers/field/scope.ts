import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import Job from '#models/job'
import JobAssignment from '#models/job_assignment'
import { findStaffRecord } from '#controllers/scope'
import { CUSTOMER_ROLES } from '#enums/role'
import { LIVE_JOB_STATUSES } from '#enums/field'

/**
 * A job the logged-in member of staff may see. Dispatchers and sales: any job of their tenant
 * within their branch scope (another tenant's answers 404, another branch's 403). Technicians:
 * only a job they hold or held a place on, or one the pool offers them (live, a place left, in
 * their branch; a claim reaches any job of their branch); any other answers 404, as if it did
 * not exist. Other roles: 403.
 */
export async function findVisibleJob(
  ctx: HttpContext,
  options: { claiming?: boolean } = {},
  id: unknown = ctx.params.id
) {
  const user = ctx.auth.user!
  if (user.role !== 'technician') {
    if (!CUSTOMER_ROLES.includes(user.role)) await ctx.bouncer.authorize('dispatchJobs')
    return findStaffRecord(ctx, Job, id, { ability: 'operate' })
  }
  const job = await Job.forTenant(ctx.tenant)
    .where('id', String(id ?? ''))
    .firstOrFail()
  const held = await JobAssignment.query()
    .where('job_id', job.id)
    .where('technician_id', user.id)
    .select('id')
    .first()
  const inBranch = user.branchId === null || user.branchId === job.branchId
  // A tap on a card the pool showed a moment ago reaches the job even once it is full: the
  // service answers "already taken" rather than "not found".
  const offered =
    inBranch &&
    (options.claiming || (LIVE_JOB_STATUSES.includes(job.status) && job.claimed < job.quota))
  if (!held && !offered) throw new errors.E_ROW_NOT_FOUND()
  return job
}
