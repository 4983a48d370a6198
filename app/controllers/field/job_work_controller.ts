import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import JobPhoto from '#models/job_photo'
import type Job from '#models/job'
import JobService from '#services/field/job_service'
import { deleteStored, sendStored, storeUpload } from '#support/file_store'
import { IMAGE_TYPES } from '#support/uploads'
import {
  extensionRequestValidator,
  jobNoteValidator,
  jobPhotoValidator,
  jobReasonValidator,
  jobStepValidator,
} from '#validators/field'
import { findVisibleJob } from '#controllers/field/scope'

/** The largest photo of the work kept. */
const PHOTO_MAX_BYTES = 8 * 1024 * 1024

/**
 * A technician's steps on a job: claim a place from the pool, release it (with a reason, before
 * starting), start, finish their part, ask for more days; and, with CS, notes and photos of the
 * work. Each goes back to the job's page with what happened (or why it could not).
 */
@inject()
export default class JobWorkController {
  constructor(protected jobs: JobService) {}

  async claim(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(jobStepValidator)
    const job = await findVisibleJob(ctx, { claiming: true })
    await this.jobs.claim(job.id, ctx.tenant.id, ctx.auth.user!, requestId ?? null)
    return this.#done(ctx, job, 'field.flash.claimed')
  }

  async release(ctx: HttpContext) {
    const { reason, request_id: requestId } = await ctx.request.validateUsing(jobReasonValidator)
    const job = await findVisibleJob(ctx)
    await this.jobs.release(
      job.id,
      ctx.tenant.id,
      ctx.auth.user!,
      reason,
      this.#actor(ctx, requestId)
    )
    ctx.session.flash('success', ctx.i18n.t('field.flash.released', { code: job.code }))
    return ctx.response.redirect().toRoute('field.pool')
  }

  async start(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(jobStepValidator)
    const job = await findVisibleJob(ctx)
    await this.jobs.start(job.id, ctx.tenant.id, ctx.auth.user!, this.#actor(ctx, requestId))
    return this.#done(ctx, job, 'field.flash.started')
  }

  async finish(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(jobStepValidator)
    const job = await findVisibleJob(ctx)
    const after = await this.jobs.finish(
      job.id,
      ctx.tenant.id,
      ctx.auth.user!,
      this.#actor(ctx, requestId)
    )
    return this.#done(
      ctx,
      job,
      after.status === 'done' ? 'field.flash.job_done' : 'field.flash.part_done'
    )
  }

  async requestExtension(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(extensionRequestValidator)
    const job = await findVisibleJob(ctx)
    await this.jobs.requestExtension(
      job.id,
      ctx.tenant.id,
      ctx.auth.user!,
      { days: input.days, reason: input.reason },
      this.#actor(ctx, input.request_id)
    )
    return this.#done(ctx, job, 'field.flash.extension_requested')
  }

  async note(ctx: HttpContext) {
    const { text, request_id: requestId } = await ctx.request.validateUsing(jobNoteValidator)
    const job = await findVisibleJob(ctx)
    await this.jobs.note(job.id, ctx.tenant.id, text, { ...this.#actor(ctx, requestId) })
    return this.#done(ctx, job, 'field.flash.noted')
  }

  /** A photo of the work: typed by its bytes (JPEG, PNG, WebP), at most 8 MB, kept on the uploads disk. */
  async photo(ctx: HttpContext) {
    const { photo, caption } = await ctx.request.validateUsing(jobPhotoValidator)
    const job = await findVisibleJob(ctx)
    const stored = await storeUpload(photo, {
      allowed: IMAGE_TYPES,
      maxBytes: PHOTO_MAX_BYTES,
      prefix: `jobs/${ctx.tenant.id}/${job.id}`,
    })
    try {
      await this.jobs.addPhoto(job.id, ctx.tenant.id, stored, caption ?? null, this.#actor(ctx))
    } catch (error) {
      // Refused (not on the job, the job closed): the file stays nowhere.
      await deleteStored(stored.key)
      throw error
    }
    return this.#done(ctx, job, 'field.flash.photo_added')
  }

  async showPhoto(ctx: HttpContext) {
    const job = await findVisibleJob(ctx)
    const photo = await JobPhoto.forTenant(ctx.tenant)
      .where('job_id', job.id)
      .where('id', ctx.params.photoId)
      .firstOrFail()
    return sendStored(ctx.response, photo.fileKey, IMAGE_TYPES)
  }

  #actor(ctx: HttpContext, requestId?: string) {
    return { by: ctx.auth.user!, requestId: requestId ?? null, ip: ctx.request.ip() }
  }

  #done(ctx: HttpContext, job: Job, message: string) {
    ctx.session.flash('success', ctx.i18n.t(message, { code: job.code }))
    return ctx.response.redirect().toRoute('field.jobs.show', { id: job.id })
  }
}
