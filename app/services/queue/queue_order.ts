import type { Priority } from '#enums/ticket'

/** What the ordering needs to know of a waiting ticket. */
export interface Candidate {
  id: string
  serviceId: number
  priority: Priority
  /** When it joined the queue, epoch milliseconds. */
  queuedAt: number
  sequence: number
  /** Set when the ticket was transferred to one counter: only that counter calls it. */
  targetCounterId: number | null
}

export interface OrderContext {
  now: number
  counterId: number
  /** The services the counter serves and their rank: 1 is primary, higher ranks are helped when primary ones are empty. */
  serviceRanks: Map<number, number>
  /** Anti-starvation limit of a service, in milliseconds. */
  starvationMs: (serviceId: number) => number
  weights: Record<Priority, number>
  /** With the ratio rule on: the class due next. Null lets the weights decide. */
  due: PriorityClass | null
}

/** The ratio rule only tells ordinary visitors from everyone with a priority of some kind. */
export type PriorityClass = 'regular' | 'priority'

export function classOf(priority: Priority): PriorityClass {
  return priority === 'regular' ? 'regular' : 'priority'
}

/**
 * The order in which counter `counterId` calls the waiting tickets it may call:
 *   1. emergencies;
 *   2. tickets waiting longer than their service's anti-starvation limit, oldest first;
 *   3. tickets transferred to this very counter;
 *   4. the counter's primary services before the ones it only helps with (rank);
 *   5. the class due under the ratio rule, else the higher priority weight;
 *   6. the oldest, then the lowest number.
 * Tickets transferred to another counter, and services this counter does not serve, are left out.
 */
export function orderForCounter(candidates: Candidate[], context: OrderContext): Candidate[] {
  const callable = candidates.filter((ticket) =>
    ticket.targetCounterId === null
      ? context.serviceRanks.has(ticket.serviceId)
      : ticket.targetCounterId === context.counterId
  )
  const starving = (ticket: Candidate) =>
    context.now - ticket.queuedAt > context.starvationMs(ticket.serviceId)
  const rank = (ticket: Candidate) =>
    ticket.targetCounterId === context.counterId
      ? 0
      : (context.serviceRanks.get(ticket.serviceId) ?? Number.MAX_SAFE_INTEGER)
  const precedence = (ticket: Candidate) =>
    context.due
      ? classOf(ticket.priority) === context.due
        ? 1
        : 0
      : context.weights[ticket.priority]

  return callable.sort(
    (a, b) =>
      Number(b.priority === 'emergency') - Number(a.priority === 'emergency') ||
      Number(starving(b)) - Number(starving(a)) ||
      (starving(a) && starving(b) ? a.queuedAt - b.queuedAt : 0) ||
      rank(a) - rank(b) ||
      precedence(b) - precedence(a) ||
      a.queuedAt - b.queuedAt ||
      a.sequence - b.sequence
  )
}

/**
 * Which class is due under a ratio rule such as "2 regular : 1 priority", given the classes of
 * the counter's latest calls (newest first): after `ratio.regular` regular calls in a row, a
 * priority one; after `ratio.priority` priority calls in a row, a regular one.
 */
export function dueClass(
  recent: PriorityClass[],
  ratio: { regular: number; priority: number }
): PriorityClass {
  if (recent.length === 0) return 'regular'
  const last = recent[0]
  let run = 0
  while (run < recent.length && recent[run] === last) run++
  if (last === 'regular') return run >= ratio.regular ? 'priority' : 'regular'
  return run >= ratio.priority ? 'regular' : 'priority'
}

/**
 * How many tickets of the same service will be called before `ticket`, by the service's own
 * order (weights and arrival; counters and ratios aside): the "N ahead" a visitor sees.
 */
export function aheadOf(
  ticket: Candidate,
  sameService: Candidate[],
  weights: Record<Priority, number>
) {
  const mine = weights[ticket.priority]
  return sameService.filter((other) => {
    if (other.id === ticket.id) return false
    const theirs = weights[other.priority]
    return (
      theirs > mine ||
      (theirs === mine &&
        (other.queuedAt < ticket.queuedAt ||
          (other.queuedAt === ticket.queuedAt && other.sequence < ticket.sequence)))
    )
  }).length
}
