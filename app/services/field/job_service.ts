import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Customer from '#models/customer'
import Job from '#models/job'
import JobAssignment from '#models/job_assignment'
import JobEvent from '#models/job_event'
import JobExtension from '#models/job_extension'
import JobPhoto from '#models/job_photo'
import User from '#models/user'
import type Branch from '#models/branch'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { hasRowLocks, isUniqueViolation } from '#support/database'
import { readableCode } from '#support/secrets'
import { sqlOf } from '#support/sql'
import messagingDirectory, { type MessagingProfile } from '#services/messaging/messaging_directory'
import { transactionWithOutbox, type OutboxBatch } from '#services/messaging/outbox'
import AuditTrail from '#services/platform/audit_trail'
import { announceJobEvent, messageStaff } from '#services/field/field_messaging'
import {
  addDays,
  claimRefusal,
  closeRefusal,
  editRefusal,
  extensionRefusal,
  startRefusal,
  statusOfProgress,
  type Refusal,
} from '#services/field/job_state_machine'
import { DISPATCH_ROLES } from '#enums/role'
import type { JobEventType, JobPriority, JobStatus } from '#enums/field'

/** Who does a step: a member of staff (null for the system), with the request's id and address. */
export interface JobActor {
  by: User | null
  requestId?: string | null
  ip?: string | null
}

/** A job as CS describes it; the address defaults to the customer's. */
export interface JobInput {
  customerId: number
  title: string
  description?: string | null
  address?: string | null
  plannedStart: string
  plannedEnd: string
  quota: number
  priority?: JobPriority
}

/** What a command did to a locked job: its event, and an explicit status where it sets one. */
interface Change {
  type: JobEventType
  status?: JobStatus
  reason?: string | null
  data?: Record<string, unknown> | null
  /** Written once the event is: staff notices (a place reopened, an extension asked or decided). */
  after?: (step: StepContext) => Promise<void>
  audit?: string
}

interface StepContext {
  trx: TransactionClientContract
  outbox: OutboxBatch
  profile: MessagingProfile
  now: DateTime
}

type Apply = (job: Job, step: StepContext) => Promise<Change | null>

/**
 * Visit jobs (seed 003, PJV and EKD): CS creates, edits and cancels them; technicians claim
 * their places first come, first served, release them, start, write notes, ask for more days and
 * finish; CS returns an absent technician's place to the pool, decides extensions and closes a
 * job. Every command is one transaction on the locked job row that appends its job_events row
 * and writes its messages and webhook calls; the branch's live version is bumped once it
 * commits, so the pool, the boards and the job's page refresh.
 */
@inject()
export default class JobService {
  constructor(protected auditTrail: AuditTrail) {}

  async create(branch: Branch, input: JobInput, actor: JobActor): Promise<Job> {
    const tenantId = branch.tenantId
    assertDates(input.plannedStart, input.plannedEnd)
    if (actor.requestId) {
      const earlier = await Job.forTenant(tenantId).where('request_id', actor.requestId).first()
      if (earlier) return earlier
    }
    const customer = await this.#activeCustomer(tenantId, input.customerId)
    const profile = await messagingDirectory.get(tenantId)
    for (let attempt = 1; ; attempt++) {
      try {
        const job = await transactionWithOutbox(async (trx, outbox) => {
          const now = clock.now()
          const created = await Job.create(
            {
              tenantId,
              branchId: branch.id,
              customerId: customer.id,
              code: readableCode('JV'),
              title: input.title,
              description: input.description ?? null,
              address: input.address || customer.address || '',
              plannedStart: input.plannedStart,
              plannedEnd: input.plannedEnd,
              quota: input.quota,
              claimed: 0,
              priority: input.priority ?? 'normal',
              status: 'open',
              createdBy: actor.by?.id ?? null,
              requestId: actor.requestId ?? null,
            },
            { client: trx }
          )
          if (!created.address) throw new DomainError('job_address_required', {}, 422)
          await this.#record(
            { trx, outbox, profile, now },
            created,
            { type: 'created' },
            null,
            actor,
            customer
          )
          return created
        })
        await liveVersion.bump(branch.id)
        return job
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 3) throw error
        // The same request id committed meanwhile: that job is the answer; else a code clash: again.
        if (actor.requestId) {
          const earlier = await Job.forTenant(tenantId).where('request_id', actor.requestId).first()
          if (earlier) return earlier
        }
      }
    }
  }

  /** CS changes a job nobody has claimed yet. */
  async update(jobId: number, tenantId: number, input: JobInput, actor: JobActor) {
    assertDates(input.plannedStart, input.plannedEnd)
    const customer = await this.#activeCustomer(tenantId, input.customerId)
    return this.#command(jobId, tenantId, actor, async (job) => {
      refuse(editRefusal(job))
      const before = snapshot(job)
      job.merge({
        customerId: customer.id,
        title: input.title,
        description: input.description ?? null,
        address: input.address || customer.address || job.address,
        plannedStart: input.plannedStart,
        plannedEnd: input.plannedEnd,
        quota: input.quota,
        priority: input.priority ?? job.priority,
      })
      const after = snapshot(job)
      const changes = Object.fromEntries(
        Object.entries(after)
          .filter(([key, value]) => before[key] !== value)
          .map(([key, value]) => [key, [before[key], value]])
      )
      if (Object.keys(changes).length === 0) return null
      return { type: 'edited', data: changes }
    })
  }

  /** CS cancels a job nobody has claimed yet. */
  async cancel(jobId: number, tenantId: number, reason: string, actor: JobActor) {
    return this.#command(jobId, tenantId, actor, async (job, { now }) => {
      refuse(editRefusal(job))
      job.cancelledAt = now
      job.cancelReason = reason
      return { type: 'cancelled', status: 'cancelled', reason, audit: 'job.cancelled' }
    })
  }

  /**
   * A technician claims one place. The job row is locked and its active claims counted: while
   * they are under the quota the claim is written; once full, every other technician tapping at
   * the same moment hears "already taken". One technician holds at most one place per job.
   */
  async claim(jobId: number, tenantId: number, technician: User, requestId?: string | null) {
    return this.#command(
      jobId,
      tenantId,
      { by: technician, requestId },
      async (job, { trx, now }) => {
        const active = await activeAssignments(trx, job.id)
        job.claimed = active.length
        refuse(claimRefusal(job))
        if (active.some((assignment) => assignment.technicianId === technician.id))
          throw new DomainError('job_already_yours', {}, 409)
        await JobAssignment.create(
          {
            tenantId,
            jobId: job.id,
            technicianId: technician.id,
            claimedAt: now,
            emergency: false,
          },
          { client: trx }
        )
        return { type: 'claimed', data: { technician: technician.fullName } }
      }
    )
  }

  /** A technician gives their place back, with a reason, before starting on it. */
  async release(
    jobId: number,
    tenantId: number,
    technician: User,
    reason: string,
    actor: JobActor
  ) {
    return this.#command(jobId, tenantId, actor, async (job, { trx, now }) => {
      const mine = await this.#assignmentOf(trx, job, technician.id)
      if (mine.startedAt) throw new DomainError('job_already_started', {}, 409)
      mine.merge({ releasedAt: now, releaseReason: reason, releasedBy: technician.id })
      await mine.useTransaction(trx).save()
      return { type: 'released', reason, data: { technician: technician.fullName } }
    })
  }

  /**
   * Emergency: CS returns an absent technician's place to the open pool ("find a replacement").
   * The place reopens, the branch's other technicians hear of it, and the audit log keeps it.
   */
  async returnToPool(
    jobId: number,
    tenantId: number,
    technicianId: number,
    reason: string,
    actor: JobActor
  ) {
    return this.#command(jobId, tenantId, actor, async (job, { trx, now }) => {
      if (job.status === 'done' || job.status === 'cancelled')
        throw new DomainError('job_closed', {}, 409)
      const assignment = await this.#assignmentOf(trx, job, technicianId)
      if (assignment.doneAt) throw new DomainError('job_technician_done', {}, 409)
      assignment.merge({
        releasedAt: now,
        releaseReason: reason,
        releasedBy: actor.by?.id ?? null,
        emergency: true,
      })
      await assignment.useTransaction(trx).save()
      const absent = await User.findOrFail(technicianId, { client: trx })
      return {
        type: 'returned_to_pool',
        reason,
        data: { technician: absent.fullName, technician_id: absent.id },
        audit: 'job.returned_to_pool',
        after: async ({ trx: client, outbox, profile, now: at }) => {
          const others = await technicianPool(client, job).whereNot('id', technicianId)
          await messageStaff(
            sqlOf(client),
            outbox,
            profile,
            others,
            'job_place_reopened',
            {
              reason,
            },
            { job, now: at }
          )
        },
      }
    })
  }

  /** A technician starts on their place (the team is complete, or the work is going on). */
  async start(jobId: number, tenantId: number, technician: User, actor: JobActor) {
    return this.#command(jobId, tenantId, actor, async (job, { trx, now }) => {
      refuse(startRefusal(job))
      const mine = await this.#assignmentOf(trx, job, technician.id)
      if (mine.startedAt) return null
      mine.startedAt = now
      await mine.useTransaction(trx).save()
      job.startedAt ??= now
      return { type: 'started', data: { technician: technician.fullName } }
    })
  }

  /** A note on the work: by a technician holding a place, or by CS. */
  async note(jobId: number, tenantId: number, text: string, actor: JobActor & { by: User }) {
    return this.#command(jobId, tenantId, actor, async (job, { trx }) => {
      if (actor.by.role === 'technician') await this.#assignmentOf(trx, job, actor.by.id)
      return { type: 'note', reason: text }
    })
  }

  /**
   * A photo of the work, already on the uploads disk: by a technician holding a place, or by CS.
   * The row and its history line are written together.
   */
  async addPhoto(
    jobId: number,
    tenantId: number,
    file: { key: string; mime: string; size: number },
    caption: string | null,
    actor: JobActor & { by: User }
  ) {
    return this.#command(jobId, tenantId, actor, async (job, { trx }) => {
      if (actor.by.role === 'technician') await this.#assignmentOf(trx, job, actor.by.id)
      const photo = await JobPhoto.create(
        {
          tenantId,
          jobId: job.id,
          userId: actor.by.id,
          fileKey: file.key,
          mime: file.mime,
          size: file.size,
          caption,
        },
        { client: trx }
      )
      return { type: 'photo', reason: caption, data: { photo_id: photo.id } }
    })
  }

  /**
   * A technician marks their part done; the job is done once every place is claimed and every
   * technician on it is done.
   */
  async finish(jobId: number, tenantId: number, technician: User, actor: JobActor) {
    return this.#command(jobId, tenantId, actor, async (job, { trx, now }) => {
      const mine = await this.#assignmentOf(trx, job, technician.id)
      if (!mine.startedAt) throw new DomainError('job_not_started', {}, 409)
      if (mine.doneAt) return null
      mine.doneAt = now
      await mine.useTransaction(trx).save()
      return { type: 'technician_done', data: { technician: technician.fullName } }
    })
  }

  /** CS closes a job whose work started (a place left unfilled, a technician who cannot finish). */
  async close(jobId: number, tenantId: number, note: string | null, actor: JobActor) {
    return this.#command(jobId, tenantId, actor, async (job) => {
      refuse(closeRefusal(job))
      return { type: 'closed', status: 'done', reason: note, audit: 'job.closed' }
    })
  }

  /** A technician on the job asks for `days` more days ("Tambah Hari"); the branch's CS hear of it. */
  async requestExtension(
    jobId: number,
    tenantId: number,
    technician: User,
    input: { days: number; reason: string },
    actor: JobActor
  ) {
    return this.#command(jobId, tenantId, actor, async (job, { trx }) => {
      refuse(extensionRefusal(job))
      await this.#assignmentOf(trx, job, technician.id)
      const pending = await JobExtension.query({ client: trx })
        .where('job_id', job.id)
        .where('status', 'pending')
        .first()
      if (pending) throw new DomainError('extension_pending', {}, 409)
      const extension = await JobExtension.create(
        {
          tenantId,
          jobId: job.id,
          technicianId: technician.id,
          days: input.days,
          reason: input.reason,
          status: 'pending',
        },
        { client: trx }
      )
      return {
        type: 'extension_requested',
        reason: input.reason,
        data: { extension_id: extension.id, days: input.days, technician: technician.fullName },
        after: async ({ trx: client, outbox, profile, now }) => {
          const dispatchers = await User.workingAt(tenantId, job.branchId, 'cs', { client })
          await messageStaff(
            sqlOf(client),
            outbox,
            profile,
            dispatchers,
            'job_extension_requested',
            {
              technician: technician.fullName,
              days: String(input.days),
              reason: input.reason,
            },
            { job, now }
          )
        },
      }
    })
  }

  /** CS approves (the planned end moves) or rejects a pending extension; the technician hears of it. */
  async decideExtension(
    extensionId: number,
    tenantId: number,
    decision: { approve: boolean; note?: string | null },
    actor: JobActor & { by: User }
  ) {
    const extension = await JobExtension.findForTenantOrFail(tenantId, extensionId)
    return this.#command(extension.jobId, tenantId, actor, async (job, { trx, now }) => {
      const locked = await JobExtension.query({ client: trx })
        .where('id', extension.id)
        .firstOrFail()
      if (locked.status !== 'pending') throw new DomainError('extension_decided', {}, 409)
      if (decision.approve) refuse(extensionRefusal(job))
      locked.merge({
        status: decision.approve ? 'approved' : 'rejected',
        decidedBy: actor.by.id,
        decidedAt: now,
        decisionNote: decision.note ?? null,
      })
      if (decision.approve) {
        locked.previousEnd = job.plannedEnd
        locked.newEnd = addDays(job.plannedEnd, locked.days)
        job.plannedEnd = locked.newEnd
      }
      await locked.useTransaction(trx).save()
      const technician = await User.findOrFail(locked.technicianId, { client: trx })
      return {
        type: decision.approve ? 'extension_approved' : 'extension_rejected',
        reason: decision.note ?? null,
        data: {
          extension_id: locked.id,
          days: locked.days,
          technician: technician.fullName,
          planned_end: job.plannedEnd,
        },
        after: async ({ trx: client, outbox, profile, now: at }) => {
          await messageStaff(
            sqlOf(client),
            outbox,
            profile,
            [technician],
            decision.approve ? 'job_extension_approved' : 'job_extension_rejected',
            { days: String(locked.days), planned_end: job.plannedEnd, note: decision.note ?? '' },
            { job, now: at }
          )
        },
      }
    })
  }

  /** The job's history, oldest first, with who did each step. */
  history(job: Job) {
    return JobEvent.query().where('job_id', job.id).preload('user').orderBy('id')
  }

  /**
   * Runs one command on the tenant's locked job: `apply` changes it and says which event it was
   * (null changes nothing: a repeat). The status then follows from the job's claims and work
   * (statusOfProgress) unless the command set one. A repeated request id returns the job as the
   * first request left it.
   */
  async #command(jobId: number, tenantId: number, actor: JobActor, apply: Apply) {
    const profile = await messagingDirectory.get(tenantId)
    const job = await transactionWithOutbox(async (trx, outbox) => {
      const now = clock.now()
      if (actor.requestId) {
        const replayed = await JobEvent.forTenant(tenantId, { client: trx })
          .where('request_id', actor.requestId)
          .first()
        if (replayed) return Job.findOrFail(replayed.jobId, { client: trx })
      }
      const query = Job.forTenant(tenantId, { client: trx }).where('id', jobId)
      if (hasRowLocks(trx)) query.forUpdate()
      const locked = await query.first()
      if (!locked) throw new DomainError('job_not_found', {}, 404)
      const from = locked.status
      const step = { trx, outbox, profile, now }
      const change = await apply(locked, step)
      if (!change) return locked
      const active = await activeAssignments(trx, locked.id)
      locked.claimed = active.length
      locked.status =
        change.status ??
        statusOfProgress({
          quota: locked.quota,
          claimed: active.length,
          anyStarted: from === 'in_progress' || active.some((assignment) => !!assignment.startedAt),
          allDone: active.length > 0 && active.every((assignment) => !!assignment.doneAt),
        })
      if (locked.status === 'done' && from !== 'done') locked.doneAt = now
      await locked.useTransaction(trx).save()
      const customer = await Customer.findOrFail(locked.customerId, { client: trx })
      await this.#record(step, locked, change, from, actor, customer, active)
      if (change.audit)
        await this.auditTrail.record(
          {
            action: change.audit,
            tenantId,
            branchId: locked.branchId,
            subject: { type: 'job', id: locked.id },
            changes: { reason: change.reason ?? null, ...(change.data ?? {}) },
          },
          { user: actor.by, ip: actor.ip ?? null },
          trx
        )
      await change.after?.(step)
      return locked
    })
    await liveVersion.bump(job.branchId)
    return job
  }

  /** Appends the event and announces it (webhooks, the customer's message). */
  async #record(
    step: StepContext,
    job: Job,
    change: Change,
    from: JobStatus | null,
    actor: JobActor,
    customer: Customer,
    active: JobAssignment[] = []
  ) {
    await JobEvent.create(
      {
        tenantId: job.tenantId,
        jobId: job.id,
        type: change.type,
        fromStatus: from,
        toStatus: job.status,
        userId: actor.by?.id ?? null,
        requestId: actor.requestId ?? null,
        reason: change.reason ?? null,
        data: change.data ?? null,
        createdAt: step.now,
      },
      { client: step.trx }
    )
    await announceJobEvent(sqlOf(step.trx), step.outbox, job, change.type, {
      profile: step.profile,
      customer,
      technicians: active.map((assignment) => assignment.technician.fullName),
      from,
      now: step.now,
    })
  }

  /** The technician's active claim on the job; a 409 when they hold none. */
  async #assignmentOf(trx: TransactionClientContract, job: Job, technicianId: number) {
    const assignment = await JobAssignment.query({ client: trx })
      .where('job_id', job.id)
      .where('technician_id', technicianId)
      .whereNull('released_at')
      .first()
    if (!assignment) throw new DomainError('job_not_yours', {}, 409)
    return assignment
  }

  async #activeCustomer(tenantId: number, customerId: number) {
    const customer = await Customer.forTenant(tenantId)
      .where('id', customerId)
      .where('status', 'active')
      .first()
    if (!customer) throw new DomainError('customer_not_found', {}, 422)
    return customer
  }
}

/** A job's active claims, with their technicians. */
function activeAssignments(trx: TransactionClientContract, jobId: number) {
  return JobAssignment.query({ client: trx })
    .where('job_id', jobId)
    .whereNull('released_at')
    .preload('technician')
    .orderBy('id')
}

/** The active technicians who may work the job's branch. */
export function technicianPool(client: TransactionClientContract, job: Job) {
  return User.workingAt(job.tenantId, job.branchId, 'technician', { client })
}

function refuse(refusal: Refusal) {
  if (refusal) throw new DomainError(refusal, {}, 409)
}

/** Both days real calendar days (`2026-02-30` is not), the end not before the start. */
function assertDates(start: string, end: string) {
  const valid = (day: string) => DateTime.fromISO(day).isValid
  if (!valid(start) || !valid(end) || end < start)
    throw new DomainError('job_dates_invalid', {}, 422)
}

function snapshot(job: Job): Record<string, unknown> {
  return {
    customer_id: job.customerId,
    title: job.title,
    description: job.description,
    address: job.address,
    planned_start: job.plannedStart,
    planned_end: job.plannedEnd,
    quota: job.quota,
    priority: job.priority,
  }
}

/** Whether `user` dispatches jobs (sees every job of their branches) rather than working them. */
export function dispatches(user: User) {
  return DISPATCH_ROLES.includes(user.role)
}
