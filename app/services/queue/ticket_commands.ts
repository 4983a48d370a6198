import type Counter from '#models/counter'
import type Ticket from '#models/ticket'
import DomainError from '#exceptions/domain_error'
import type QueueEngine from '#services/queue/queue_engine'
import type { StaffAction, TicketRef, TransferTarget } from '#services/queue/queue_engine'

/** The ticket actions a caller can name (the REST API's `action`, the counter console's buttons). */
export const API_TICKET_ACTIONS = [
  'call',
  'recall',
  'start',
  'complete',
  'hold',
  'unhold',
  'skip',
  'no_show',
  'transfer',
  'cancel',
] as const
export type TicketCommandName = (typeof API_TICKET_ACTIONS)[number]

/** Actions a counter does: they need the counter. */
export const COUNTER_ACTIONS = [
  'call',
  'recall',
  'start',
  'complete',
  'skip',
] as const satisfies readonly TicketCommandName[]

export interface TicketCommand {
  action: TicketCommandName
  /** The counter acting: required for COUNTER_ACTIONS; for a no-show or a transfer, the ticket must be at it. */
  counter: Counter | null
  /** Where a transfer sends the ticket. */
  transfer?: TransferTarget
  /** Why a ticket is cancelled. */
  reason?: string
}

/**
 * Runs an action named as data (`{ action: 'complete', counter }`) through the queue engine, for
 * callers that receive the action from outside (the REST API, the console's action route). The
 * engine holds the rules.
 */
export async function runTicketCommand(
  queue: QueueEngine,
  ticket: TicketRef,
  command: TicketCommand,
  context: StaffAction
): Promise<Ticket> {
  const { counter } = command
  const atCounter = () => {
    if (!counter) throw new DomainError('counter_required', {}, 422)
    return { ...context, counter }
  }
  const nearCounter = { ...context, counter: counter ?? undefined }

  switch (command.action) {
    case 'call':
      return queue.callTicket(ticket, atCounter())
    case 'recall':
      return queue.recall(ticket, atCounter())
    case 'start':
      return queue.start(ticket, atCounter())
    case 'complete':
      return queue.complete(ticket, atCounter())
    case 'skip':
      return queue.skip(ticket, atCounter())
    case 'hold':
      return queue.hold(ticket, context)
    case 'unhold':
      return queue.unhold(ticket, context)
    case 'no_show':
      return queue.noShow(ticket, nearCounter)
    case 'transfer':
      return queue.transfer(ticket, command.transfer ?? {}, nearCounter)
    case 'cancel':
      if (!command.reason) throw new DomainError('cancel_reason_required', {}, 422)
      return queue.cancel(ticket, command.reason, context)
  }
}
