import { inject } from '@adonisjs/core'
import type { DateTime } from 'luxon'
import Ticket from '#models/ticket'
import TicketEvent from '#models/ticket_event'
import type Booking from '#models/booking'
import type Branch from '#models/branch'
import type Counter from '#models/counter'
import type Resource from '#models/resource'
import type Service from '#models/service'
import clock from '#support/clock'
import { formatPrice } from '#support/prices'
import BookingBoard, { sessionView } from '#services/bookings/booking_board'
import type { BookingSettings } from '#models/settings/booking_settings'
import type { BookingChannel, BookingStatus, ResourceKind } from '#enums/booking'
import QueueBoard from '#services/queue/queue_board'
import { aheadOf, type Candidate } from '#services/queue/queue_order'
import type { QueueSettings } from '#models/settings/queue_settings'
import Customer from '#models/customer'
import type Job from '#models/job'
import JobAssignment from '#models/job_assignment'
import type JobEvent from '#models/job_event'
import { jobData } from '#services/field/field_messaging'
import type Invoice from '#models/invoice'
import type Rating from '#models/rating'
import { invoiceData } from '#services/billing/billing_messaging'
import { ratingData } from '#services/billing/rating_service'
import type { CustomerSource, CustomerStatus, JobEventType, JobStatus } from '#enums/field'
import {
  AT_COUNTER_STATUSES,
  type Priority,
  type TicketEventType,
  type TicketStatus,
} from '#enums/ticket'

/*
| What the REST API answers: plain JSON objects with snake_case fields and ISO 8601 times in UTC.
| The shapes are documented in app/services/openapi.ts; change both together.
*/

export interface ServiceResource {
  id: number
  code: string
  name: string
}

export interface CounterResource {
  id: number
  name: string
}

export interface TicketResource {
  id: string
  number: string
  status: TicketStatus
  priority: Priority
  branch_id: number
  service: ServiceResource
  counter: CounterResource | null
  /** Waiting tickets of the same service that will be called before this one (0 unless waiting). */
  ahead: number
  created_at: string
  called_at: string | null
  completed_at: string | null
  events: { type: TicketEventType; at: string; counter_id: number | null }[]
}

export interface QueueResource {
  service: ServiceResource
  waiting_count: number
  /** In the order they will be called (counters and ratios aside). */
  waiting: { id: string; number: string; priority: Priority; queued_at: string; ahead: number }[]
  at_counters: { id: string; number: string; status: TicketStatus; counter: CounterResource }[]
}

function iso(moment: DateTime): string
function iso(moment: DateTime | null): string | null
function iso(moment: DateTime | null) {
  return moment ? moment.toUTC().toISO() : null
}

function serviceResource(service: Service, locale: string): ServiceResource {
  return { id: service.id, code: service.code, name: service.nameIn(locale) }
}

function counterResource(counter: Counter): CounterResource {
  return { id: counter.id, name: counter.name }
}

function candidateOf(ticket: Ticket): Candidate {
  return {
    id: ticket.id,
    serviceId: ticket.serviceId,
    priority: ticket.priority,
    queuedAt: ticket.queuedAt.toMillis(),
    sequence: ticket.sequence,
    targetCounterId: ticket.targetCounterId,
  }
}

/** Today's queue of each of `services` (of `branch`): who waits, in call order, and who is at a counter. */
export async function queueResources(
  branch: Branch,
  services: Service[],
  settings: QueueSettings,
  locale: string
) {
  const open = await Ticket.query()
    .where('branch_id', branch.id)
    .where('service_date', branch.today())
    .whereIn(
      'service_id',
      services.map((service) => service.id)
    )
    .whereIn('status', ['waiting', ...AT_COUNTER_STATUSES])
    .preload('counter')
    .orderBy('queued_at')
    .orderBy('sequence')

  return services.map((service): QueueResource => {
    const tickets = open.filter((ticket) => ticket.serviceId === service.id)
    const waiting = tickets.filter((ticket) => ticket.status === 'waiting')
    const inLine = waiting.filter((ticket) => ticket.targetCounterId === null).map(candidateOf)
    return {
      service: serviceResource(service, locale),
      waiting_count: waiting.length,
      waiting: waiting
        .map((ticket) => ({
          id: ticket.id,
          number: ticket.number,
          priority: ticket.priority,
          queued_at: iso(ticket.queuedAt),
          ahead: aheadOf(candidateOf(ticket), inLine, settings.priorityWeights),
        }))
        .sort((a, b) => a.ahead - b.ahead),
      at_counters: tickets
        .filter(
          (ticket) => AT_COUNTER_STATUSES.includes(ticket.status) && ticket.counterId !== null
        )
        .map((ticket) => ({
          id: ticket.id,
          number: ticket.number,
          status: ticket.status,
          counter: counterResource(ticket.counter),
        })),
    }
  })
}

/*
|--------------------------------------------------------------------------
| Bookings, booth sessions, outlets and booking settings
|--------------------------------------------------------------------------
*/

export interface BookableResource {
  id: number
  kind: ResourceKind
  name: string
}

export interface BookingResource {
  id: string
  code: string
  status: BookingStatus
  channel: BookingChannel
  branch_id: number
  resource: BookableResource
  service: ServiceResource
  /** The branch-local day and time of the start. */
  service_date: string
  local_time: string
  starts_at: string
  ends_at: string
  customer: { name: string; phone: string | null; email: string | null }
  note: string | null
  price: { amount: number; currency: string; formatted: string }
  pay_by: string | null
  paid_at: string | null
  arrived_at: string | null
  started_at: string | null
  session_ends_at: string | null
  finished_at: string | null
  cancelled_at: string | null
  cancel_reason: string | null
  /** A running session: seconds to its planned end (0 once past it); null otherwise. */
  seconds_left: number | null
  overrun: boolean
  /** The queue number it got when it joined the walk-in queue. */
  ticket: { id: string; number: string } | null
  created_at: string
}

/** A booking (its `service` and `resource` loaded) with its session's countdown and its queue number. */
export function bookingResource(
  booking: Booking,
  locale: string,
  ticketNumbers: ReadonlyMap<string, string> = new Map()
): BookingResource {
  const session = sessionView(booking)
  return {
    id: booking.id,
    code: booking.code,
    status: booking.status,
    channel: booking.channel,
    branch_id: booking.branchId,
    resource: { id: booking.resource.id, kind: booking.resource.kind, name: booking.resource.name },
    service: serviceResource(booking.service, locale),
    service_date: booking.serviceDate,
    local_time: booking.localTime,
    starts_at: iso(booking.startsAt),
    ends_at: iso(booking.endsAt),
    customer: {
      name: booking.customerName,
      phone: booking.customerPhone,
      email: booking.customerEmail,
    },
    note: booking.note,
    price: {
      amount: booking.price,
      currency: booking.currency,
      formatted: formatPrice(booking.price, booking.currency),
    },
    pay_by: iso(booking.payBy),
    paid_at: iso(booking.paidAt),
    arrived_at: iso(booking.arrivedAt),
    started_at: iso(booking.startedAt),
    session_ends_at: iso(booking.sessionEndsAt),
    finished_at: iso(booking.finishedAt),
    cancelled_at: iso(booking.cancelledAt),
    cancel_reason: booking.cancelReason,
    seconds_left: session.seconds_left,
    overrun: session.overrun,
    ticket:
      booking.ticketId && ticketNumbers.has(booking.ticketId)
        ? { id: booking.ticketId, number: ticketNumbers.get(booking.ticketId)! }
        : null,
    created_at: iso(booking.createdAt),
  }
}

/** A booth session's state (`GET /sessions/:id/status`): what a booth needs to run it. */
export function sessionStatusResource(booking: Booking) {
  return {
    ...sessionView(booking),
    resource_id: booking.resourceId,
    arrived_at: iso(booking.arrivedAt),
    finished_at: iso(booking.finishedAt),
    server_time: iso(clock.now()),
  }
}

/** A branch (outlet) with its bookable resources and the services each offers. */
export function outletResource(branch: Branch, resources: Resource[]) {
  return {
    id: branch.id,
    name: branch.name,
    slug: branch.slug,
    timezone: branch.timezone,
    address: branch.address,
    resources: resources.map((resource) => ({
      id: resource.id,
      kind: resource.kind,
      name: resource.name,
      is_active: resource.isActive,
      service_ids: resource.services.map((service) => service.id),
    })),
  }
}

/** The booking settings, flat and snake_case (the same names `PUT /settings` takes). */
export function bookingSettingsResource(settings: BookingSettings) {
  return {
    session_duration_minutes: settings.sessionDurationMinutes,
    arrival_tolerance_minutes: settings.arrivalToleranceMinutes,
    early_checkin_minutes: settings.earlyCheckinMinutes,
    slot_minutes: settings.slotMinutes,
    quota_per_slot: settings.quotaPerSlot,
    payment_minutes: settings.paymentMinutes,
    cancellation_cutoff_minutes: settings.cancellationCutoffMinutes,
    reminder_day_before: settings.reminders.dayBefore,
    reminder_hour_before: settings.reminders.hourBefore,
    no_show_grace_minutes: settings.noShowGraceMinutes,
    blending_mode: settings.blending.mode,
    blending_auto_minutes: settings.blending.autoMinutesBefore,
    payment_provider: settings.paymentProvider,
  }
}

/*
|--------------------------------------------------------------------------
| Field service: customers, visit jobs and their history
|--------------------------------------------------------------------------
*/

export interface CustomerResource {
  id: number
  name: string
  /** E.164. */
  phone: string | null
  address: string | null
  notes: string | null
  status: CustomerStatus
  source: CustomerSource
  locale: string | null
  created_at: string
  updated_at: string
}

export function customerResource(customer: Customer): CustomerResource {
  return {
    id: customer.id,
    name: customer.name,
    phone: customer.phone,
    address: customer.address,
    notes: customer.notes,
    status: customer.status,
    source: customer.source,
    locale: customer.locale,
    created_at: iso(customer.createdAt),
    updated_at: iso(customer.updatedAt),
  }
}

/** A technician holding a place on a job now (released claims are left out). */
export interface JobTechnicianResource {
  id: number
  name: string
  claimed_at: string
  started_at: string | null
  done_at: string | null
}

/** A job as webhooks carry it (jobData), with its customer and the technicians on it now. */
export type JobResource = ReturnType<typeof jobData> & {
  customer: { id: number; name: string; phone: string | null }
  technicians: JobTechnicianResource[]
}

export interface JobEventResource {
  id: number
  type: JobEventType
  from_status: JobStatus | null
  to_status: JobStatus
  /** The member of staff who did it; null for the system, a customer's message, an API key of nobody. */
  user: { id: number; name: string } | null
  reason: string | null
  data: Record<string, unknown> | null
  created_at: string
}

/** One step of a job's history (its `user` loaded). */
export function jobEventResource(event: JobEvent): JobEventResource {
  return {
    id: event.id,
    type: event.type,
    from_status: event.fromStatus,
    to_status: event.toStatus,
    user: event.user ? { id: event.user.id, name: event.user.fullName } : null,
    reason: event.reason,
    data: event.data,
    created_at: iso(event.createdAt),
  }
}

/**
 * The API's answers that need more than the record itself: a ticket's place in the queue, a
 * booking's queue number. The plain shapes are the functions of this file.
 */
@inject()
export default class ApiResources {
  constructor(
    protected queueBoard: QueueBoard,
    protected bookingBoard: BookingBoard
  ) {}

  /**
   * The answer to taking a number through the API, as it was when taken: built from what the take
   * knows (the ticket's service, its one `created` event, how many were ahead: `aheadAtTake`),
   * with no query. A repeat of the request (its Idempotency-Key) gets it again from the ticket's
   * row, whatever became of the ticket since; `ticket` describes it as it is now.
   */
  takenTicket(ticket: Ticket, service: Service, locale: string): TicketResource {
    return {
      id: ticket.id,
      number: ticket.number,
      status: 'waiting',
      priority: ticket.priority,
      branch_id: ticket.branchId,
      service: serviceResource(service, locale),
      counter: null,
      ahead: ticket.aheadAtTake ?? 0,
      created_at: iso(ticket.createdAt),
      called_at: null,
      completed_at: null,
      events: [{ type: 'created', at: iso(ticket.createdAt), counter_id: null }],
    }
  }

  /** A ticket with its service, counter, place in the queue and history. */
  async ticket(ticket: Ticket, settings: QueueSettings, locale: string): Promise<TicketResource> {
    await ticket.load('service')
    if (ticket.counterId) await ticket.load('counter')
    const [ahead, events] = await Promise.all([
      this.queueBoard.ahead(ticket, settings),
      TicketEvent.query()
        .where('ticket_id', ticket.id)
        .orderBy('id')
        .select('type', 'created_at', 'counter_id'),
    ])
    return {
      id: ticket.id,
      number: ticket.number,
      status: ticket.status,
      priority: ticket.priority,
      branch_id: ticket.branchId,
      service: serviceResource(ticket.service, locale),
      counter: ticket.counterId ? counterResource(ticket.counter) : null,
      ahead,
      created_at: iso(ticket.createdAt),
      called_at: iso(ticket.calledAt),
      completed_at: iso(ticket.completedAt),
      events: events.map((event) => ({
        type: event.type,
        at: iso(event.createdAt),
        counter_id: event.counterId,
      })),
    }
  }

  /** One booking, with its queue number looked up. */
  async oneBooking(booking: Booking, locale: string) {
    await booking.load('service')
    await booking.load('resource')
    return bookingResource(booking, locale, await this.bookingBoard.ticketNumbers([booking]))
  }

  /** Jobs with their customers and the technicians on them now: two queries for the whole page. */
  async jobs(jobs: Job[]): Promise<JobResource[]> {
    if (jobs.length === 0) return []
    const ids = jobs.map((job) => job.id)
    const [assignments, customers] = await Promise.all([
      JobAssignment.query()
        .whereIn('job_id', ids)
        .whereNull('released_at')
        .preload('technician', (technician) => technician.select('id', 'full_name'))
        .orderBy('id'),
      Customer.query()
        .whereIn('id', [...new Set(jobs.map((job) => job.customerId))])
        .select('id', 'name', 'phone'),
    ])
    const customerOf = new Map(customers.map((customer) => [customer.id, customer]))
    return jobs.map((job) => {
      const customer = customerOf.get(job.customerId)!
      return {
        ...jobData(job),
        customer: { id: customer.id, name: customer.name, phone: customer.phone },
        technicians: assignments
          .filter((assignment) => assignment.jobId === job.id)
          .map((assignment) => ({
            id: assignment.technicianId,
            name: assignment.technician.fullName,
            claimed_at: iso(assignment.claimedAt),
            started_at: iso(assignment.startedAt),
            done_at: iso(assignment.doneAt),
          })),
      }
    })
  }

  async job(job: Job) {
    const [resource] = await this.jobs([job])
    return resource
  }
}

/*
|--------------------------------------------------------------------------
| Billing: invoices and ratings (read only)
|--------------------------------------------------------------------------
*/

/** An invoice as webhooks carry it (invoiceData), with whom it bills and its lines (`lines` loaded). */
export function invoiceResource(invoice: Invoice) {
  return {
    ...invoiceData(invoice),
    bill_to: {
      name: invoice.billToName,
      phone: invoice.billToPhone,
      email: invoice.billToEmail,
      address: invoice.billToAddress,
    },
    lines: invoice.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      unit_price: line.unitPrice,
      amount: line.amount,
    })),
  }
}

/** A rating as webhooks carry it (ratingData), with the staff it credits (`credits` loaded). */
export function ratingResource(rating: Rating) {
  return {
    ...ratingData(rating),
    credits: rating.credits.map((credit) => ({ user_id: credit.userId, part: credit.part })),
  }
}
