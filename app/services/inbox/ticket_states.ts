import type { DateTime } from 'luxon'
import type { ConversationKind, ConversationStatus } from '#enums/inbox'

/**
 * The support ticket's states (seed 004): `open -> pending -> resolved -> closed`. Agents move a
 * ticket along these edges; a customer's message moves it by the rules of `inboundEffect`. Pure
 * rules, unit-tested (tests/unit/ticket_states.spec.ts); the services apply them on locked rows.
 */
const AGENT_MOVES: Record<ConversationStatus, readonly ConversationStatus[]> = {
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
}

/** Whether an agent may move a ticket from `from` to `to` (closed is final). */
export function canMove(from: ConversationStatus, to: ConversationStatus) {
  return AGENT_MOVES[from].includes(to)
}

/**
 * What a customer's message does to their current conversation (the newest open, pending or
 * resolved one):
 * - `new`: there is none; a conversation opens (a ticket unless the message takes a number);
 * - `join`: it is open (or a queue conversation, and the message is about the queue again);
 * - `resume`: it is pending: it opens again, its resolution clock going on from where it stopped;
 * - `reopen`: it was resolved within the tenant's reopen days: it opens again, counted, with a new
 *   first-response clock;
 * - `close_and_new`: it was resolved longer ago: it is closed and a new conversation opens;
 * - `convert`: a visitor who queued by WhatsApp asks something else: it becomes a support ticket.
 */
export type InboundEffect = 'new' | 'join' | 'resume' | 'reopen' | 'close_and_new' | 'convert'

export function inboundEffect(
  current: {
    kind: ConversationKind
    status: ConversationStatus
    resolvedAt: DateTime | null
  } | null,
  options: { queued: boolean; now: DateTime; reopenDays: number }
): InboundEffect {
  if (!current || current.status === 'closed') return 'new'
  if (current.kind === 'queue') return options.queued ? 'join' : 'convert'
  if (current.status === 'pending') return 'resume'
  if (current.status === 'resolved') {
    const stale =
      current.resolvedAt && current.resolvedAt < options.now.minus({ days: options.reopenDays })
    return stale ? 'close_and_new' : 'reopen'
  }
  return 'join'
}
