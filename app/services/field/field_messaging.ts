import { DateTime } from 'luxon'
import type Customer from '#models/customer'
import type Job from '#models/job'
import type User from '#models/user'
import { requestJobRating } from '#services/billing/rating_requests'
import { enqueueNotification } from '#services/messaging/notifications'
import { enqueueWebhook } from '#services/messaging/webhooks'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import { formatMoment } from '#support/dates'
import { absoluteUrl } from '#support/urls'
import type { SqlRunner } from '#support/sql'
import type { JobEventType, JobStatus } from '#enums/field'
import type { ChannelKind, MessageEvent, WebhookEvent } from '#enums/messaging'

/** The webhook event each job event is announced as. */
const WEBHOOK_OF: Partial<Record<JobEventType, WebhookEvent>> = {
  created: 'job.created',
  claimed: 'job.claimed',
  released: 'job.released',
  returned_to_pool: 'job.released',
  started: 'job.started',
  done: 'job.done',
  closed: 'job.done',
  cancelled: 'job.cancelled',
}

/** What a job event tells the world, besides its webhook. */
export interface JobAnnouncement {
  profile: MessagingProfile
  customer: Customer
  /** The technicians holding its places now, by name. */
  technicians: string[]
  from: JobStatus | null
  now: DateTime
}

/**
 * What a job event tells the world, in the event's own transaction: the subscribed webhook
 * endpoints, and the customer: "your technicians X and Y are coming on D" when the last place is
 * claimed (again, with the new names, after a replacement), and "the visit is done" at the end.
 */
export async function announceJobEvent(
  sql: SqlRunner,
  outbox: OutboxBatch,
  job: Job,
  type: JobEventType,
  context: JobAnnouncement
) {
  // The last technician's "done" finishes the job: receivers hear job.done, as when CS closes it.
  const finishes = type === 'technician_done' && job.status === 'done' && context.from !== 'done'
  const webhook = finishes ? 'job.done' : WEBHOOK_OF[type]
  if (webhook)
    await enqueueWebhook(
      sql,
      outbox,
      context.profile,
      webhook,
      { job: jobData(job), technicians: context.technicians },
      context.now
    )

  const filled = job.status === 'assigned' && context.from === 'open'
  const finished = job.status === 'done' && context.from !== 'done'
  if (filled || finished)
    await messageCustomer(sql, outbox, job, filled ? 'job_scheduled' : 'job_done', context)
  if (finished) await requestJobRating(sql, context.profile, job, context.customer, context.now)
}

async function messageCustomer(
  sql: SqlRunner,
  outbox: OutboxBatch,
  job: Job,
  event: MessageEvent,
  { profile, customer, technicians, now }: JobAnnouncement
) {
  const channel = profile.settings.visitorChannel
  if (!channel || !customer.phone || customer.status !== 'active') return
  const locale = customer.locale ?? profile.tenantLocale
  await enqueueNotification(
    sql,
    outbox,
    profile,
    {
      branchId: job.branchId,
      event,
      channel,
      recipient: customer.phone,
      locale,
      variables: {
        customer_name: customer.name,
        job_code: job.code,
        job_title: job.title,
        visit_date: formatMoment(DateTime.fromISO(job.plannedStart), 'fullDate', locale),
        technicians: technicians.join(', '),
        tenant_name: profile.tenantName,
      },
      subject: { type: 'job', id: job.id },
    },
    now
  )
}

/**
 * A notice to members of staff (a technician, the branch's CS) on each channel they can be
 * reached on: their phone on the tenant's visitor channel, their email when the email channel is on.
 */
export async function messageStaff(
  sql: SqlRunner,
  outbox: OutboxBatch,
  profile: MessagingProfile,
  people: User[],
  event: MessageEvent,
  variables: Record<string, string>,
  context: { job: Job; now: DateTime }
) {
  for (const person of people) {
    const recipients: [ChannelKind, string][] = []
    if (profile.settings.visitorChannel && person.phone)
      recipients.push([profile.settings.visitorChannel, person.phone])
    if (profile.activeChannels.has('email')) recipients.push(['email', person.email])
    for (const [channel, recipient] of recipients) {
      await enqueueNotification(
        sql,
        outbox,
        profile,
        {
          branchId: context.job.branchId,
          event,
          channel,
          recipient,
          locale: person.locale ?? profile.tenantLocale,
          variables: {
            staff_name: person.fullName,
            job_code: context.job.code,
            job_title: context.job.title,
            job_address: context.job.address,
            visit_date: formatMoment(
              DateTime.fromISO(context.job.plannedStart),
              'fullDate',
              person.locale ?? profile.tenantLocale
            ),
            link: absoluteUrl('field.jobs.show', { id: context.job.id }),
            tenant_name: profile.tenantName,
            ...variables,
          },
          subject: { type: 'job', id: context.job.id },
        },
        context.now
      )
    }
  }
}

/** What webhook receivers and API clients learn of a job. */
export function jobData(job: Job) {
  const iso = (moment: DateTime | null) => (moment ? moment.toUTC().toISO() : null)
  return {
    id: job.id,
    code: job.code,
    status: job.status,
    branch_id: job.branchId,
    customer_id: job.customerId,
    title: job.title,
    description: job.description,
    address: job.address,
    planned_start: job.plannedStart,
    planned_end: job.plannedEnd,
    quota: job.quota,
    claimed: job.claimed,
    places_left: job.placesLeft,
    priority: job.priority,
    started_at: iso(job.startedAt),
    done_at: iso(job.doneAt),
    cancelled_at: iso(job.cancelledAt),
    cancel_reason: job.cancelReason,
    created_at: iso(job.createdAt),
  }
}
