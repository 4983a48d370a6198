import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Job from '#models/job'
import JobExtension from '#models/job_extension'
import User from '#models/user'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import JobService, { type JobInput } from '#services/field/job_service'
import JobBoard from '#services/field/job_board'
import CustomerDirectory from '#services/field/customer_directory'
import { readPoll } from '#validators/queue'
import {
  closeJobValidator,
  extensionDecisionValidator,
  jobFilterValidator,
  jobReasonValidator,
  jobValidator,
  returnToPoolValidator,
} from '#validators/field'
import { findStaffRecord } from '#controllers/scope'
import { findVisibleJob } from '#controllers/field/scope'
import { JOB_PRIORITIES, JOB_STATUSES } from '#enums/field'

/** A job's page is drawn again at least this often, for what changes with time alone. */
const REDRAW_MS = 60_000

/**
 * CS's side of visit jobs: the list (filtered, paginated, with the extension requests waiting),
 * creating and editing a job nobody claimed yet, cancelling it, returning an absent technician's
 * place to the pool, closing a job, deciding extensions. A job's page (shared with technicians)
 * shows its team, photos and history, and polls for changes.
 */
@inject()
export default class JobsController {
  constructor(
    protected jobs: JobService,
    protected jobBoard: JobBoard,
    protected customers: CustomerDirectory
  ) {}

  async index(ctx: HttpContext) {
    const filter = await jobFilterValidator.validate(ctx.request.qs())
    const branchIds = ctx.branches.map((branch) => branch.id)
    const page = await this.jobBoard.list(ctx.tenant.id, branchIds, {
      status: filter.status,
      priority: filter.priority,
      technicianId: filter.technician_id,
      from: filter.from,
      to: filter.to,
      q: filter.q,
      page: filter.page,
    })
    page.baseUrl(ctx.request.url())
    page.queryString({ ...ctx.request.qs(), page: undefined })
    return ctx.view.render('pages/field/jobs/index', {
      section: 'field_jobs',
      filter,
      page,
      statuses: JOB_STATUSES,
      priorities: JOB_PRIORITIES,
      technicians: await this.#technicians(ctx),
      extensions: await this.jobBoard.pendingExtensions(ctx.tenant.id, branchIds),
    })
  }

  async create(ctx: HttpContext) {
    const today = ctx.branch.today()
    const customerId = Number(ctx.request.qs().customer_id) || null
    return ctx.view.render('pages/field/jobs/form', {
      section: 'field_jobs',
      job: null,
      values: {
        planned_start: today,
        planned_end: today,
        quota: 1,
        priority: 'normal',
        customer_id: customerId,
      },
      customers: await this.customers.pickable(ctx.tenant.id),
      priorities: JOB_PRIORITIES,
    })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(jobValidator)
    const job = await this.jobs.create(ctx.branch, jobInput(input), {
      by: ctx.auth.user!,
      requestId: input.request_id ?? null,
    })
    ctx.session.flash('success', ctx.i18n.t('field.flash.created', { code: job.code }))
    return ctx.response.redirect().toRoute('field.jobs.show', { id: job.id })
  }

  async edit(ctx: HttpContext) {
    const job = await findStaffRecord(ctx, Job, ctx.params.id, { ability: 'operate' })
    return ctx.view.render('pages/field/jobs/form', {
      section: 'field_jobs',
      job,
      values: {
        customer_id: job.customerId,
        title: job.title,
        description: job.description,
        address: job.address,
        planned_start: job.plannedStart,
        planned_end: job.plannedEnd,
        quota: job.quota,
        priority: job.priority,
      },
      customers: await this.customers.pickable(ctx.tenant.id),
      priorities: JOB_PRIORITIES,
    })
  }

  async update(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(jobValidator)
    const job = await findStaffRecord(ctx, Job, ctx.params.id, { ability: 'operate' })
    await this.jobs.update(job.id, ctx.tenant.id, jobInput(input), {
      by: ctx.auth.user!,
      requestId: input.request_id ?? null,
    })
    return this.#done(ctx, job, 'field.flash.updated')
  }

  async cancel(ctx: HttpContext) {
    const { reason, request_id: requestId } = await ctx.request.validateUsing(jobReasonValidator)
    const job = await findStaffRecord(ctx, Job, ctx.params.id, { ability: 'operate' })
    await this.jobs.cancel(job.id, ctx.tenant.id, reason, this.#actor(ctx, requestId))
    return this.#done(ctx, job, 'field.flash.cancelled')
  }

  async close(ctx: HttpContext) {
    const { note, request_id: requestId } = await ctx.request.validateUsing(closeJobValidator)
    const job = await findStaffRecord(ctx, Job, ctx.params.id, { ability: 'operate' })
    await this.jobs.close(job.id, ctx.tenant.id, note ?? null, this.#actor(ctx, requestId))
    return this.#done(ctx, job, 'field.flash.closed')
  }

  /** Emergency: the technician is absent; their place goes back to the pool ("find a replacement"). */
  async returnToPool(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(returnToPoolValidator)
    const job = await findStaffRecord(ctx, Job, ctx.params.id, { ability: 'operate' })
    await this.jobs.returnToPool(
      job.id,
      ctx.tenant.id,
      input.technician_id,
      input.reason,
      this.#actor(ctx, input.request_id)
    )
    return this.#done(ctx, job, 'field.flash.returned')
  }

  async decideExtension(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(extensionDecisionValidator)
    const extension = await JobExtension.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    const job = await findStaffRecord(ctx, Job, extension.jobId, { ability: 'operate' })
    await this.jobs.decideExtension(
      extension.id,
      ctx.tenant.id,
      { approve: input.decision === 'approve', note: input.note ?? null },
      this.#actor(ctx, input.request_id)
    )
    return this.#done(
      ctx,
      job,
      input.decision === 'approve'
        ? 'field.flash.extension_approved'
        : 'field.flash.extension_rejected'
    )
  }

  async show(ctx: HttpContext) {
    const job = await findVisibleJob(ctx)
    return ctx.view.render('pages/field/jobs/show', await this.#state(ctx, job))
  }

  /** The job's card again once something changed (204 while the branch version holds). */
  async live(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    const drawnAt = Number(ctx.request.qs().r)
    const fresh = Number.isFinite(drawnAt) && clock.now().toMillis() - drawnAt < REDRAW_MS
    const job = await findVisibleJob(ctx)
    if (version !== null && fresh && (await liveVersion.get(job.branchId)) === version)
      return ctx.response.noContent()
    return ctx.view.render('partials/field/job_detail', await this.#state(ctx, job))
  }

  async #state(ctx: HttpContext, job: Job) {
    return {
      section: ctx.auth.user!.role === 'technician' ? 'field_my_jobs' : 'field_jobs',
      version: await liveVersion.get(job.branchId),
      now: clock.now(),
      ...(await this.jobBoard.page(job, ctx.auth.user!)),
    }
  }

  #technicians(ctx: HttpContext) {
    return User.forTenant(ctx.tenant)
      .where('role', 'technician')
      .where('is_active', true)
      .orderBy('full_name')
      .select('id', 'full_name')
  }

  #actor(ctx: HttpContext, requestId?: string) {
    return { by: ctx.auth.user!, requestId: requestId ?? null, ip: ctx.request.ip() }
  }

  #done(ctx: HttpContext, job: Job, message: string) {
    ctx.session.flash('success', ctx.i18n.t(message, { code: job.code }))
    return ctx.response.redirect().toRoute('field.jobs.show', { id: job.id })
  }
}

function jobInput(input: Awaited<ReturnType<typeof jobValidator.validate>>): JobInput {
  return {
    customerId: input.customer_id,
    title: input.title,
    description: input.description ?? null,
    address: input.address ?? null,
    plannedStart: input.planned_start,
    plannedEnd: input.planned_end,
    quota: input.quota,
    priority: input.priority,
  }
}
