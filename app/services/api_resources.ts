import type { DateTime } from 'luxon'
import Ticket from '#models/ticket'
import TicketEvent from '#models/ticket_event'
import type Branch from '#models/branch'
import type Counter from '#models/counter'
import type Service from '#models/service'
import QueueBoard from '#services/queue_board'
import { aheadOf, type Candidate } from '#services/queue_order'
import type { QueueSettings } from '#services/queue_settings'
import { AT_COUNTER_STATUSES, type Priority, type TicketEventType, type TicketStatus } from '#enums/ticket'

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

/** A ticket with its service, counter, place in the queue and history. */
export async function ticketResource(ticket: Ticket, settings: QueueSettings, locale: string): Promise<TicketResource> {
  await ticket.load('service')
  if (ticket.counterId) await ticket.load('counter')
  const [ahead, events] = await Promise.all([
    QueueBoard.ahead(ticket, settings),
    TicketEvent.query().where('ticket_id', ticket.id).orderBy('id').select('type', 'created_at', 'counter_id'),
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
    events: events.map((event) => ({ type: event.type, at: iso(event.createdAt), counter_id: event.counterId })),
  }
}

/** Today's queue of each of `services` (of `branch`): who waits, in call order, and who is at a counter. */
export async function queueResources(branch: Branch, services: Service[], settings: QueueSettings, locale: string) {
  const open = await Ticket.query()
    .where('branch_id', branch.id)
    .where('service_date', branch.today())
    .whereIn('service_id', services.map((service) => service.id))
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
        .filter((ticket) => AT_COUNTER_STATUSES.includes(ticket.status) && ticket.counterId !== null)
        .map((ticket) => ({ id: ticket.id, number: ticket.number, status: ticket.status, counter: counterResource(ticket.counter) })),
    }
  })
}
