import { test } from '@japa/runner'
import {
  aheadOf,
  dueClass,
  orderForCounter,
  type Candidate,
  type OrderContext,
} from '#services/queue/queue_order'
import { DEFAULT_QUEUE_SETTINGS } from '#models/settings/queue_settings'

const MINUTE = 60_000
const NOW = Date.UTC(2026, 10, 22, 3, 0, 0)

/** A waiting ticket `minutesAgo` old. */
function ticket(id: string, minutesAgo: number, extra: Partial<Candidate> = {}): Candidate {
  return {
    id,
    serviceId: 1,
    priority: 'regular',
    queuedAt: NOW - minutesAgo * MINUTE,
    sequence: 1,
    targetCounterId: null,
    ...extra,
  }
}

function context(extra: Partial<OrderContext> = {}): OrderContext {
  return {
    now: NOW,
    counterId: 7,
    serviceRanks: new Map([[1, 1]]),
    starvationMs: () => 45 * MINUTE,
    weights: DEFAULT_QUEUE_SETTINGS.priorityWeights,
    due: null,
    ...extra,
  }
}

const ids = (list: Candidate[]) => list.map((item) => item.id)

test.group('Queue order: each rule', () => {
  test('first come, first served among equals', ({ assert }) => {
    const order = orderForCounter(
      [ticket('late', 2), ticket('early', 9), ticket('middle', 5)],
      context()
    )
    assert.deepEqual(ids(order), ['early', 'middle', 'late'])
  })

  test('the lower number goes first when two arrived in the same millisecond', ({ assert }) => {
    const order = orderForCounter(
      [ticket('b', 3, { sequence: 8 }), ticket('a', 3, { sequence: 7 })],
      context()
    )
    assert.deepEqual(ids(order), ['a', 'b'])
  })

  test('a higher priority weight goes before an older lower one', ({ assert }) => {
    const order = orderForCounter(
      [
        ticket('regular', 20),
        ticket('vip', 1, { priority: 'vip' }),
        ticket('priority', 5, { priority: 'priority' }),
      ],
      context()
    )
    assert.deepEqual(ids(order), ['vip', 'priority', 'regular'])
  })

  test('the tenant chooses the weights', ({ assert }) => {
    const weights = { ...DEFAULT_QUEUE_SETTINGS.priorityWeights, appointment: 50 }
    const order = orderForCounter(
      [
        ticket('vip', 9, { priority: 'vip' }),
        ticket('appointment', 1, { priority: 'appointment' }),
      ],
      context({ weights })
    )
    assert.deepEqual(ids(order), ['appointment', 'vip'])
  })

  test('an emergency goes before everything, even a starving ticket', ({ assert }) => {
    const order = orderForCounter(
      [
        ticket('starving', 90),
        ticket('vip', 5, { priority: 'vip' }),
        ticket('emergency', 0, { priority: 'emergency' }),
      ],
      context()
    )
    assert.deepEqual(ids(order), ['emergency', 'starving', 'vip'])
  })

  test('anti-starvation: a ticket waiting past the limit goes before newer higher-priority ones', ({
    assert,
  }) => {
    const order = orderForCounter(
      [ticket('vip', 3, { priority: 'vip' }), ticket('starving', 50)],
      context()
    )
    assert.deepEqual(ids(order), ['starving', 'vip'])
  })

  test('anti-starvation follows each service’s own limit, and starving tickets go oldest first', ({
    assert,
  }) => {
    const ranks = new Map([
      [1, 1],
      [2, 1],
    ])
    const limits = (serviceId: number) => (serviceId === 2 ? 10 : 45) * MINUTE
    const order = orderForCounter(
      [
        ticket('vip', 1, { priority: 'vip' }),
        ticket('fast-lane-late', 12, { serviceId: 2 }),
        ticket('slow-lane', 30),
        ticket('fast-lane-later', 20, { serviceId: 2 }),
      ],
      context({ serviceRanks: ranks, starvationMs: limits })
    )
    assert.deepEqual(ids(order), ['fast-lane-later', 'fast-lane-late', 'vip', 'slow-lane'])
  })

  test('skill routing: the counter’s primary services before the ones it helps with', ({
    assert,
  }) => {
    const ranks = new Map([
      [1, 1],
      [2, 2],
    ])
    const order = orderForCounter(
      [ticket('helped', 30, { serviceId: 2 }), ticket('primary', 2, { serviceId: 1 })],
      context({ serviceRanks: ranks })
    )
    assert.deepEqual(ids(order), ['primary', 'helped'])
  })

  test('skill routing: rank wins over priority weight', ({ assert }) => {
    const ranks = new Map([
      [1, 1],
      [2, 2],
    ])
    const order = orderForCounter(
      [ticket('helped-vip', 3, { serviceId: 2, priority: 'vip' }), ticket('primary', 1)],
      context({ serviceRanks: ranks })
    )
    assert.deepEqual(ids(order), ['primary', 'helped-vip'])
  })

  test('services the counter does not serve are left out', ({ assert }) => {
    const order = orderForCounter(
      [ticket('mine', 1), ticket('other', 10, { serviceId: 9 })],
      context()
    )
    assert.deepEqual(ids(order), ['mine'])
  })

  test('a ticket transferred to this counter comes first; one sent to another counter is left out', ({
    assert,
  }) => {
    const order = orderForCounter(
      [
        ticket('queue', 20),
        ticket('sent-here', 1, { serviceId: 9, targetCounterId: 7 }),
        ticket('sent-elsewhere', 30, { targetCounterId: 8 }),
      ],
      context()
    )
    assert.deepEqual(ids(order), ['sent-here', 'queue'])
  })

  test('ratio rule: when a priority is due, the oldest priority ticket goes first', ({
    assert,
  }) => {
    const order = orderForCounter(
      [
        ticket('regular', 10),
        ticket('vip', 1, { priority: 'vip' }),
        ticket('priority', 2, { priority: 'priority' }),
      ],
      context({ due: 'priority' })
    )
    assert.deepEqual(ids(order), ['priority', 'vip', 'regular'])
  })

  test('ratio rule: when a regular is due, the oldest regular goes first despite weights', ({
    assert,
  }) => {
    const order = orderForCounter(
      [ticket('vip', 10, { priority: 'vip' }), ticket('regular', 2)],
      context({ due: 'regular' })
    )
    assert.deepEqual(ids(order), ['regular', 'vip'])
  })
})

test.group('Queue order: the ratio rule', () => {
  const ratio = { regular: 2, priority: 1 }

  test('starts with a regular visitor', ({ assert }) => {
    assert.equal(dueClass([], ratio), 'regular')
  })

  test('2 regular : 1 priority — after two regulars a priority is due', ({ assert }) => {
    assert.equal(dueClass(['regular'], ratio), 'regular')
    assert.equal(dueClass(['regular', 'regular'], ratio), 'priority')
    assert.equal(dueClass(['regular', 'regular', 'priority'], ratio), 'priority')
  })

  test('after the priority calls of a cycle, regulars are due again', ({ assert }) => {
    assert.equal(dueClass(['priority', 'regular', 'regular'], ratio), 'regular')
    assert.equal(dueClass(['priority'], { regular: 3, priority: 2 }), 'priority')
    assert.equal(dueClass(['priority', 'priority'], { regular: 3, priority: 2 }), 'regular')
  })
})

test.group('Queue order: how many are ahead', () => {
  test('counts older tickets of the same weight and every higher-priority one', ({ assert }) => {
    const mine = ticket('mine', 5)
    const others = [
      mine,
      ticket('older', 9),
      ticket('newer', 1),
      ticket('vip-newer', 1, { priority: 'vip' }),
      ticket('older-2', 6),
    ]
    assert.equal(aheadOf(mine, others, DEFAULT_QUEUE_SETTINGS.priorityWeights), 3)
  })
})
