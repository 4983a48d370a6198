import type { TicketStatus } from '#enums/ticket'

export type TicketAction =
  | 'call'
  | 'recall'
  | 'start'
  | 'complete'
  | 'hold'
  | 'unhold'
  | 'skip'
  | 'no_show'
  | 'requeue'
  | 'transfer'
  | 'cancel'
  | 'close'

/**
 * Every ticket transition there is (DESIGN.md, "Queue"). A move not listed here is illegal.
 *
 *   waiting -> called -> serving -> done        called -> done (served without a separate start)
 *   waiting <-> held                            called -> waiting (skip: back of the queue)
 *   waiting | called -> no_show                 called | serving -> waiting (transfer)
 *   waiting | held | called -> cancelled        open -> cancelled (end of day, reset)
 */
const TRANSITIONS: Record<TicketAction, { from: readonly TicketStatus[]; to: TicketStatus }> = {
  call: { from: ['waiting'], to: 'called' },
  recall: { from: ['called'], to: 'called' },
  start: { from: ['called'], to: 'serving' },
  complete: { from: ['called', 'serving'], to: 'done' },
  hold: { from: ['waiting'], to: 'held' },
  unhold: { from: ['held'], to: 'waiting' },
  skip: { from: ['called'], to: 'waiting' },
  no_show: { from: ['waiting', 'called'], to: 'no_show' },
  requeue: { from: ['called'], to: 'waiting' },
  transfer: { from: ['called', 'serving'], to: 'waiting' },
  cancel: { from: ['waiting', 'held', 'called'], to: 'cancelled' },
  close: { from: ['waiting', 'called', 'serving', 'held'], to: 'cancelled' },
}

export class IllegalTransition extends Error {
  constructor(
    public action: TicketAction,
    public from: TicketStatus
  ) {
    super(`Cannot ${action} a ticket that is ${from}`)
  }
}

export function canTransition(from: TicketStatus, action: TicketAction) {
  return TRANSITIONS[action].from.includes(from)
}

/** The status a ticket in `from` moves to on `action`; throws IllegalTransition when the move is not allowed. */
export function nextStatus(from: TicketStatus, action: TicketAction): TicketStatus {
  if (!canTransition(from, action)) throw new IllegalTransition(action, from)
  return TRANSITIONS[action].to
}
