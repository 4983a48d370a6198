import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Branch from '#models/branch'
import Customer from '#models/customer'
import Job from '#models/job'
import User from '#models/user'
import JobService from '#services/field/job_service'
import JobBoard, { JOBS_PER_PAGE } from '#services/field/job_board'
import ApiResources, { jobEventResource } from '#services/platform/api_resources'
import { apiJobCancelValidator, apiJobListValidator, apiJobValidator } from '#validators/field_api'
import { keyActor } from '#controllers/field/api/key_actor'

/**
 * `/api/v1/jobs`: visit jobs (seed 003, PJV) for another system: CS's list with its filters,
 * creating a job in one of the business's branches, reading one with the technicians on it,
 * cancelling one nobody has claimed, and its history. The key's creator is the one who acted, as
 * in the audit log; the Idempotency-Key reaches the job service as the request id, so that two
 * repeats arriving together still create one job.
 */
@inject()
export default class JobsController {
  constructor(
    protected jobs: JobService,
    protected jobBoard: JobBoard,
    protected apiResources: ApiResources
  ) {}

  /** `GET /jobs?status=&priority=&customer_id=&technician_id=&branch_id=&from=&to=&q=&page=&per_page=` */
  async index({ request, tenant }: HttpContext) {
    const filter = await request.validateUsing(apiJobListValidator)
    const branch = filter.branch_id
      ? await Branch.findForTenantOrFail(tenant, filter.branch_id)
      : null
    // Another business's customer or technician answers 404, as everywhere else, not an empty page.
    if (filter.customer_id) await Customer.findForTenantOrFail(tenant, filter.customer_id)
    if (filter.technician_id)
      await User.forTenant(tenant.id).where('id', filter.technician_id).firstOrFail()
    const page = await this.jobBoard
      .query(tenant.id, branch ? [branch.id] : null, {
        status: filter.status,
        priority: filter.priority,
        customerId: filter.customer_id,
        technicianId: filter.technician_id,
        from: filter.from,
        to: filter.to,
        q: filter.q,
      })
      .paginate(filter.page ?? 1, filter.per_page ?? JOBS_PER_PAGE)
    return {
      data: await this.apiResources.jobs(page.all()),
      meta: {
        total: page.total,
        page: page.currentPage,
        per_page: page.perPage,
        last_page: page.lastPage,
      },
    }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(apiJobValidator)
    const branch = await Branch.findForTenantOrFail(ctx.tenant, input.branch_id)
    const customer = await Customer.findForTenantOrFail(ctx.tenant, input.customer_id)
    const job = await this.jobs.create(
      branch,
      {
        customerId: customer.id,
        title: input.title,
        description: input.description ?? null,
        address: input.address ?? null,
        plannedStart: input.planned_start,
        plannedEnd: input.planned_end,
        quota: input.quota,
        priority: input.priority,
      },
      await this.#actor(ctx)
    )
    return ctx.response.created(await this.apiResources.job(job))
  }

  async show({ params, tenant }: HttpContext) {
    return this.apiResources.job(await Job.findForTenantOrFail(tenant, params.id))
  }

  /** Only while no technician has claimed it: else 409 `E_JOB_CLAIMED_LOCKED`. */
  async cancel(ctx: HttpContext) {
    const { reason } = await ctx.request.validateUsing(apiJobCancelValidator)
    const job = await Job.findForTenantOrFail(ctx.tenant, ctx.params.id)
    const cancelled = await this.jobs.cancel(job.id, ctx.tenant.id, reason, await this.#actor(ctx))
    return this.apiResources.job(cancelled)
  }

  /** The job's history, oldest first. */
  async events({ params, tenant }: HttpContext) {
    const job = await Job.findForTenantOrFail(tenant, params.id)
    const history = await this.jobs.history(job)
    return { data: history.map(jobEventResource) }
  }

  async #actor(ctx: HttpContext) {
    const { user, ip } = await keyActor(ctx)
    return { by: user, requestId: ctx.apiRequestId, ip }
  }
}
