import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Ticket from '#models/ticket'
import TicketEvent from '#models/ticket_event'
import AuditLog from '#models/audit_log'
import QueueEngine from '#services/queue/queue_engine'
import QueueBoard from '#services/queue/queue_board'
import { DEFAULT_QUEUE_SETTINGS } from '#models/settings/queue_settings'
import { aheadOf } from '#services/queue/queue_order'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import { midday, middayEachTest, createWorld } from '#tests/helpers/world'
import { rejection } from '#tests/helpers/errors'
import app from '@adonisjs/core/services/app'

const queueBoard = await app.container.make(QueueBoard)

const engine = await app.container.make(QueueEngine)

test.group('Queue engine: numbering', (group) => {
  middayEachTest(group)

  test('numbers count up per service from 1 with the service prefix', async ({ assert }) => {
    const { branch, services } = await createWorld({ services: 2 })
    const a1 = await engine.take(branch, services[0], { channel: 'web' })
    const a2 = await engine.take(branch, services[0], { channel: 'web' })
    const b1 = await engine.take(branch, services[1], { channel: 'web' })
    assert.deepEqual([a1.number, a2.number, b1.number], ['A001', 'A002', 'B001'])
    assert.deepEqual([a1.sequence, a2.sequence, b1.sequence], [1, 2, 1])
    assert.equal(a1.status, 'waiting')
  })

  test('numbering restarts at 1 on the next local day of the branch', async ({ assert }) => {
    const { branch, services } = await createWorld({ timezone: 'Asia/Jayapura' })
    clock.travelTo(DateTime.fromISO('2026-03-01T23:50:00', { zone: 'Asia/Jayapura' }))
    const late = await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(DateTime.fromISO('2026-03-02T00:05:00', { zone: 'Asia/Jayapura' }))
    const early = await engine.take(branch, services[0], { channel: 'web' })
    assert.equal(late.serviceDate, '2026-03-01')
    assert.equal(early.serviceDate, '2026-03-02')
    assert.equal(early.number, 'A001')
  })

  test('the local day follows the branch time zone, not UTC', async ({ assert }) => {
    const { branch, services } = await createWorld({ timezone: 'Asia/Jakarta' })
    clock.travelTo(DateTime.fromISO('2026-05-10T18:30:00Z'))
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    assert.equal(ticket.serviceDate, '2026-05-11')
    assert.equal(ticket.localHour, 1)
  })

  test('a repeated request id returns the first ticket and takes no new number', async ({
    assert,
  }) => {
    const { branch, services } = await createWorld()
    const first = await engine.take(branch, services[0], { channel: 'web', requestId: 'req-1' })
    const again = await engine.take(branch, services[0], { channel: 'web', requestId: 'req-1' })
    assert.equal(again.id, first.id)
    const count = await Ticket.query().where('branch_id', branch.id).count('* as total')
    assert.equal(Number(count[0].$extras.total), 1)
  })

  test('an inactive service takes no numbers', async ({ assert }) => {
    const { branch, services } = await createWorld()
    services[0].isActive = false
    await services[0].save()
    const error = await rejection(engine.take(branch, services[0], { channel: 'web' }))
    assert.instanceOf(error, DomainError)
    assert.equal((error as DomainError).key, 'service_unavailable')
  })

  test('taking a number writes its created event', async ({ assert }) => {
    const { branch, services } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    const events = await TicketEvent.query().where('ticket_id', ticket.id)
    assert.lengthOf(events, 1)
    assert.equal(events[0].type, 'created')
    assert.equal(events[0].toStatus, 'waiting')
  })
})

test.group('Queue engine: calling order', (group) => {
  middayEachTest(group)

  test('call next takes the oldest waiting ticket across services of the same rank', async ({
    assert,
  }) => {
    const { branch, services, counters, operator } = await createWorld({ services: 2 })
    await counters[0].related('services').sync({
      [services[0].id]: { rank: 1, tenant_id: counters[0].tenantId },
      [services[1].id]: { rank: 1, tenant_id: counters[0].tenantId },
    })
    clock.travelTo(midday().minus({ minutes: 10 }))
    const b1 = await engine.take(branch, services[1], { channel: 'web' })
    clock.travelTo(midday().minus({ minutes: 5 }))
    const a1 = await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(midday())

    const first = await engine.callNext(branch, { counter: counters[0], by: operator })
    assert.equal(first!.id, b1.id)
    await engine.complete(first!, { counter: counters[0], by: operator })
    const second = await engine.callNext(branch, { counter: counters[0], by: operator })
    assert.equal(second!.id, a1.id)
  })

  test('a counter only calls the services it serves', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld({ services: 2 })
    await engine.take(branch, services[0], { channel: 'web' })
    const b1 = await engine.take(branch, services[1], { channel: 'web' })
    await counters[0]
      .related('services')
      .sync({ [services[1].id]: { rank: 1, tenant_id: counters[0].tenantId } })
    const called = await engine.callNext(branch, { counter: counters[0], by: operator })
    assert.equal(called!.id, b1.id)
  })

  test('call next answers null when nobody waits', async ({ assert }) => {
    const { branch, counters, operator } = await createWorld()
    assert.isNull(await engine.callNext(branch, { counter: counters[0], by: operator }))
  })

  test('a counter with a called ticket must finish it before calling the next', async ({
    assert,
  }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const error = await rejection(engine.callNext(branch, { counter: counters[0], by: operator }))
    assert.equal((error as DomainError).key, 'counter_busy')
  })

  test('tickets of earlier days are not called', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    clock.travelTo(midday().minus({ days: 1 }))
    await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(midday())
    assert.isNull(await engine.callNext(branch, { counter: counters[0], by: operator }))
  })

  test('calling records the counter, the time and the wait', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    clock.travelTo(midday().minus({ minutes: 4 }))
    await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(midday())
    const called = await engine.callNext(branch, { counter: counters[0], by: operator })
    assert.equal(called!.status, 'called')
    assert.equal(called!.counterId, counters[0].id)
    assert.approximately(called!.waitSeconds!, 240, 2)
    const event = await TicketEvent.query()
      .where('ticket_id', called!.id)
      .where('type', 'called')
      .firstOrFail()
    assert.equal(event.userId, operator.id)
    assert.equal(event.counterId, counters[0].id)
  })

  test('a repeated call-next request id returns the same ticket and calls no other', async ({
    assert,
  }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const first = await engine.callNext(branch, {
      counter: counters[0],
      by: operator,
      requestId: 'click-1',
    })
    const again = await engine.callNext(branch, {
      counter: counters[0],
      by: operator,
      requestId: 'click-1',
    })
    assert.equal(again!.id, first!.id)
    const called = await Ticket.query().where('branch_id', branch.id).where('status', 'called')
    assert.lengthOf(called, 1)
  })
})

test.group('Queue engine: ticket actions', (group) => {
  middayEachTest(group)

  test('recall counts the recalls and writes a recalled event', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    const called = await engine.callNext(branch, { counter: counters[0], by: operator })
    const recalled = await engine.recall(called!, { counter: counters[0], by: operator })
    assert.equal(recalled.recallCount, 1)
    assert.equal(recalled.status, 'called')
    const types = (await TicketEvent.query().where('ticket_id', called!.id).orderBy('id')).map(
      (event) => event.type
    )
    assert.deepEqual(types, ['created', 'called', 'recalled'])
  })

  test('complete marks done with the service time', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(midday().minus({ minutes: 3 }))
    const called = await engine.callNext(branch, { counter: counters[0], by: operator })
    clock.travelTo(midday())
    const done = await engine.complete(called!, { counter: counters[0], by: operator })
    assert.equal(done.status, 'done')
    assert.approximately(done.serviceSeconds!, 180, 2)
  })

  test('another counter cannot complete or recall a ticket it did not call', async ({ assert }) => {
    const { branch, services, counters, operator, operator2 } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    const called = await engine.callNext(branch, { counter: counters[0], by: operator })
    const error = await rejection(engine.complete(called!, { counter: counters[1], by: operator2 }))
    assert.equal((error as DomainError).key, 'not_at_your_counter')
    const again = await rejection(engine.recall(called!, { counter: counters[1], by: operator2 }))
    assert.equal((again as DomainError).key, 'not_at_your_counter')
  })

  test('completing a waiting ticket is refused with 409 and the reason', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    const error = (await rejection(
      engine.complete(ticket, { counter: counters[0], by: operator })
    )) as DomainError
    assert.equal(error.key, 'illegal_complete')
    assert.equal(error.status, 409)
    assert.deepEqual(error.params, { number: 'A001', status: 'waiting' })
  })

  test('cancel keeps the reason; a cancelled ticket cannot be cancelled again', async ({
    assert,
  }) => {
    const { branch, services, operator } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    const cancelled = await engine.cancel(ticket, 'Tidak hadir', { by: operator })
    assert.equal(cancelled.status, 'cancelled')
    assert.equal(cancelled.cancelReason, 'Tidak hadir')
    const error = (await rejection(engine.cancel(ticket, 'lagi', { by: operator }))) as DomainError
    assert.equal(error.key, 'illegal_cancel')
  })

  test("another tenant's ticket is not found", async ({ assert }) => {
    const one = await createWorld()
    const other = await createWorld()
    const ticket = await engine.take(one.branch, one.services[0], { channel: 'web' })
    const error = (await rejection(
      engine.cancel({ id: ticket.id, tenantId: other.tenant.id }, 'x y', { by: other.operator })
    )) as DomainError
    assert.equal(error.status, 404)
    await ticket.refresh()
    assert.equal(ticket.status, 'waiting')
  })

  test('visitors see how many wait ahead of them in their service', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld({ services: 2 })
    const tickets = []
    for (let index = 0; index < 4; index++)
      tickets.push(await engine.take(branch, services[0], { channel: 'web' }))
    await engine.take(branch, services[1], { channel: 'web' })
    assert.equal(await queueBoard.ahead(tickets[3], DEFAULT_QUEUE_SETTINGS), 3)
    await engine.callNext(branch, { counter: counters[0], by: operator })
    await tickets[3].refresh()
    assert.equal(await queueBoard.ahead(tickets[3], DEFAULT_QUEUE_SETTINGS), 2)
    const vip = await engine.take(branch, services[0], { channel: 'staff', priority: 'vip' })
    await tickets[3].refresh()
    assert.equal(await queueBoard.ahead(tickets[3], DEFAULT_QUEUE_SETTINGS), 3)
    assert.equal(await queueBoard.ahead(vip, DEFAULT_QUEUE_SETTINGS), 0)
  })

  test('the database count of tickets ahead agrees with the ordering rule in a mixed queue', async ({
    assert,
  }) => {
    const { branch, services } = await createWorld({ services: 1 })
    const priorities = [
      'regular',
      'priority',
      'regular',
      'vip',
      'appointment',
      'regular',
      'priority',
      'emergency',
    ] as const
    const tickets = []
    for (const priority of priorities)
      tickets.push(await engine.take(branch, services[0], { channel: 'staff', priority }))
    // Two tickets joined at the same millisecond: the lower number goes first.
    await Ticket.query()
      .whereIn('id', [tickets[0].id, tickets[2].id])
      .update({ queued_at: '2020-01-01 00:00:00.000' })
    for (const ticket of tickets) await ticket.refresh()

    const candidates = tickets.map((ticket) => ({
      id: ticket.id,
      serviceId: ticket.serviceId,
      priority: ticket.priority,
      queuedAt: ticket.queuedAt.toMillis(),
      sequence: ticket.sequence,
      targetCounterId: null,
    }))
    // A branch's own weights too: classes sharing a weight, the emergency class ranked last.
    const shared = {
      ...DEFAULT_QUEUE_SETTINGS,
      priorityWeights: { regular: 5, appointment: 10, priority: 10, vip: 20, emergency: 0 },
    }
    for (const settings of [DEFAULT_QUEUE_SETTINGS, shared])
      for (const [index, ticket] of tickets.entries()) {
        const expected = aheadOf(candidates[index], candidates, settings.priorityWeights)
        assert.equal(
          await queueBoard.ahead(ticket, settings),
          expected,
          `ticket ${ticket.number} (${ticket.priority})`
        )
      }
    assert.equal(await queueBoard.ahead(tickets[7], DEFAULT_QUEUE_SETTINGS), 0)
    assert.equal(await queueBoard.ahead(tickets[2], DEFAULT_QUEUE_SETTINGS), 6)
  })
})

test.group('Queue engine: resets', (group) => {
  middayEachTest(group)

  test('reset today closes open tickets, restarts numbering and is audited', async ({ assert }) => {
    const { branch, services, counters, admin, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const done = await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    void done

    const closed = await engine.resetToday(branch, { user: admin, ip: '127.0.0.1' })
    assert.equal(closed, 3)
    const open = await Ticket.query()
      .where('branch_id', branch.id)
      .whereIn('status', ['waiting', 'called'])
    assert.lengthOf(open, 0)
    const next = await engine.take(branch, services[0], { channel: 'web' })
    assert.equal(next.number, 'A001')
    const stored = await db.from('tickets').where('id', next.id).select('cycle').firstOrFail()
    assert.equal(Number(stored.cycle), 2)

    const audit = await AuditLog.query()
      .where('tenant_id', branch.tenantId)
      .where('action', 'queue.reset')
      .firstOrFail()
    assert.equal(audit.userId, admin.id)
    assert.deepEqual(audit.changes, { date: branch.today(), closed: 3 })
  })

  test("the daily reset closes yesterday's open tickets and leaves today's", async ({ assert }) => {
    const { branch, services } = await createWorld({ timezone: 'Asia/Makassar' })
    clock.travelTo(DateTime.fromISO('2026-07-01T21:00:00', { zone: 'Asia/Makassar' }))
    const yesterday = await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(DateTime.fromISO('2026-07-02T00:01:00', { zone: 'Asia/Makassar' }))
    const today = await engine.take(branch, services[0], { channel: 'web' })

    assert.equal(await engine.closePreviousDays(branch), 1)
    await yesterday.refresh()
    await today.refresh()
    assert.equal(yesterday.status, 'cancelled')
    assert.equal(yesterday.cancelReason, 'daily_reset')
    assert.equal(today.status, 'waiting')
    assert.equal(today.number, 'A001')
    assert.equal(branch.lastResetDate, '2026-07-02')
    assert.equal(await engine.closePreviousDays(branch), 0)
  })
})
