import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Ticket from '#models/ticket'
import TicketEvent from '#models/ticket_event'
import Counter from '#models/counter'
import BranchHour from '#models/branch_hour'
import Holiday from '#models/holiday'
import QueueEngine from '#services/queue/queue_engine'
import clock from '#support/clock'
import branchDirectory from '#services/platform/branch_directory'
import { midday, middayEachTest, createWorld } from '#tests/helpers/world'
import { expectedRejection } from '#tests/helpers/errors'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

async function eventTypes(ticketId: string) {
  return (await TicketEvent.query().where('ticket_id', ticketId).orderBy('id')).map(
    (event) => event.type
  )
}

test.group('Queue engine: start, hold, skip, no-show', (group) => {
  middayEachTest(group)

  test('start records when service began; complete measures from there', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    const called = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    clock.travelTo(midday().plus({ minutes: 2 }))
    const serving = await engine.start(called, { counter: counters[0], by: operator })
    assert.equal(serving.status, 'serving')
    clock.travelTo(midday().plus({ minutes: 7 }))
    const done = await engine.complete(called, { counter: counters[0], by: operator })
    assert.approximately(done.serviceSeconds!, 300, 3)
    assert.deepEqual(await eventTypes(called.id), ['created', 'called', 'started', 'completed'])
  })

  test('a held ticket is not called and gets its place back when released', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    const first = await engine.take(branch, services[0], { channel: 'web' })
    const second = await engine.take(branch, services[0], { channel: 'web' })
    await engine.hold(first, { by: operator })
    const called = await engine.callNext(branch, { counter: counters[0], by: operator })
    assert.equal(called!.id, second.id)
    await engine.complete(second, { counter: counters[0], by: operator })
    await engine.unhold(first, { by: operator })
    assert.equal(
      (await engine.callNext(branch, { counter: counters[0], by: operator }))!.id,
      first.id
    )
  })

  test('skip sends the called ticket to the end of the queue', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    clock.travelTo(midday().minus({ minutes: 5 }))
    const first = await engine.take(branch, services[0], { channel: 'web' })
    const second = await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(midday())
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const skipped = await engine.skip(first, { counter: counters[0], by: operator })
    assert.equal(skipped.status, 'waiting')
    assert.isNull(skipped.counterId)
    assert.equal(
      (await engine.callNext(branch, { counter: counters[0], by: operator }))!.id,
      second.id
    )
  })

  test('a no-show ends the visit and frees the counter', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const called = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    const gone = await engine.noShow(called, { by: operator, counter: counters[0] })
    assert.equal(gone.status, 'no_show')
    assert.isNotNull(await engine.callNext(branch, { counter: counters[0], by: operator }))
  })

  test('serving tickets keep the counter busy too', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const called = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    await engine.start(called, { counter: counters[0], by: operator })
    const error = await expectedRejection(
      engine.callNext(branch, { counter: counters[0], by: operator })
    )
    assert.equal(error.key, 'counter_busy')
  })

  test('a counter can call a chosen waiting ticket', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    const chosen = await engine.take(branch, services[0], { channel: 'web' })
    const called = await engine.callTicket(chosen, { counter: counters[0], by: operator })
    assert.equal(called.status, 'called')
    assert.equal(called.counterId, counters[0].id)
  })
})

test.group('Queue engine: transfers', (group) => {
  middayEachTest(group)

  test('transfer to another service keeps the number and, by default, the place', async ({
    assert,
  }) => {
    const { tenant, branch, services, counters, operator, operator2 } = await createWorld({
      services: 2,
    })
    await counters[1]
      .related('services')
      .sync({ [services[1].id]: { rank: 1, tenant_id: tenant.id } })
    clock.travelTo(midday().minus({ minutes: 10 }))
    const moving = await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(midday().minus({ minutes: 5 }))
    await engine.take(branch, services[1], { channel: 'web' })
    clock.travelTo(midday())
    await engine.callNext(branch, { counter: counters[0], by: operator })

    const moved = await engine.transfer(
      moving,
      { serviceId: services[1].id },
      { by: operator, counter: counters[0] }
    )
    assert.equal(moved.status, 'waiting')
    assert.equal(moved.number, 'A001')
    assert.equal(moved.serviceId, services[1].id)
    assert.equal(moved.transferCount, 1)
    assert.equal(
      (await engine.callNext(branch, { counter: counters[1], by: operator2 }))!.id,
      moving.id
    )
    const event = await TicketEvent.query()
      .where('ticket_id', moving.id)
      .where('type', 'transferred')
      .firstOrFail()
    assert.deepEqual(event.data, {
      from: { service_id: services[0].id, counter_id: counters[0].id },
      to: { service_id: services[1].id, counter_id: null },
    })
  })

  test('transfer to a counter: only that counter calls it, and first', async ({ assert }) => {
    const { branch, services, counters, operator, operator2 } = await createWorld()
    const moving = await engine.take(branch, services[0], { channel: 'web' })
    const other = await engine.take(branch, services[0], { channel: 'web' })
    await engine.callTicket(moving, { counter: counters[0], by: operator })
    await engine.transfer(
      moving,
      { counterId: counters[1].id },
      { by: operator, counter: counters[0] }
    )
    assert.equal(
      (await engine.callNext(branch, { counter: counters[0], by: operator }))!.id,
      other.id
    )
    assert.equal(
      (await engine.callNext(branch, { counter: counters[1], by: operator2 }))!.id,
      moving.id
    )
  })

  test('when the tenant says so, a transferred ticket joins the end of the new queue', async ({
    assert,
  }) => {
    const { tenant, branch, services, counters, operator } = await createWorld({ services: 2 })
    tenant.queueSettings = JSON.stringify({ transferKeepsPlace: false })
    await tenant.save()
    clock.travelTo(midday().minus({ minutes: 10 }))
    const moving = await engine.take(branch, services[0], { channel: 'web' })
    clock.travelTo(midday())
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const moved = await engine.transfer(
      moving,
      { serviceId: services[1].id },
      { by: operator, counter: counters[0] }
    )
    // The clock moved to midday() and runs on from there: the ticket queues again at that moment.
    assert.isBelow(Math.abs(clock.now().diff(moved.queuedAt, 'seconds').seconds), 5)
    assert.isAbove(moved.queuedAt.toMillis(), moving.queuedAt.toMillis() + 5 * 60_000)
  })

  test('a transfer needs a destination of the same branch', async ({ assert }) => {
    const one = await createWorld()
    const other = await createWorld()
    const ticket = await engine.take(one.branch, one.services[0], { channel: 'web' })
    await engine.callNext(one.branch, { counter: one.counters[0], by: one.operator })
    const nowhere = await expectedRejection(engine.transfer(ticket, {}, { by: one.operator }))
    assert.equal(nowhere.key, 'transfer_needs_target')
    const foreign = await expectedRejection(
      engine.transfer(ticket, { serviceId: other.services[0].id }, { by: one.operator })
    )
    assert.equal(foreign.key, 'unknown_service')
    await ticket.refresh()
    assert.equal(ticket.status, 'called')
  })
})

test.group('Queue engine: priorities, capacity, hours', (group) => {
  middayEachTest(group)

  test('staff-set priority goes first; the ratio rule lets regulars through', async ({
    assert,
  }) => {
    const { tenant, branch, services, counters, operator } = await createWorld()
    for (let index = 0; index < 3; index++)
      await engine.take(branch, services[0], { channel: 'web' })
    const vip = await engine.take(branch, services[0], { channel: 'staff', priority: 'vip' })
    assert.equal(
      (await engine.callNext(branch, { counter: counters[0], by: operator }))!.id,
      vip.id
    )
    await engine.complete(vip, { counter: counters[0], by: operator })

    tenant.queueSettings = JSON.stringify({ ratio: { regular: 2, priority: 1 } })
    await tenant.save()
    const second = await engine.take(branch, services[0], {
      channel: 'staff',
      priority: 'priority',
    })
    const order: string[] = []
    for (let index = 0; index < 3; index++) {
      const called = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
      order.push(called.priority)
      await engine.complete(called, { counter: counters[0], by: operator })
    }
    // the last call was a priority (vip): regulars are due, two of them, then the priority one
    assert.deepEqual(order, ['regular', 'regular', 'priority'])
    void second
  })

  test('a service stops taking numbers at its daily capacity', async ({ assert }) => {
    const { branch, services } = await createWorld()
    services[0].dailyCapacity = 2
    await services[0].save()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const error = await expectedRejection(engine.take(branch, services[0], { channel: 'web' }))
    assert.equal(error.key, 'service_full')
    assert.lengthOf(await Ticket.query().where('service_id', services[0].id), 2)
  })

  test('outside opening hours no number is taken, and the visitor is told when it opens', async ({
    assert,
  }) => {
    const { tenant, branch, services } = await createWorld()
    for (const weekday of [1, 2, 3, 4, 5]) {
      await BranchHour.create({
        tenantId: tenant.id,
        branchId: branch.id,
        weekday,
        opensAt: '08:00',
        closesAt: '15:00',
      })
    }
    branchDirectory.forget({ branchId: branch.id })
    clock.travelTo(DateTime.fromISO('2026-11-28T10:00', { zone: branch.timezone }))
    const error = await expectedRejection(engine.take(branch, services[0], { channel: 'web' }))
    assert.equal(error.key, 'branch_closed')
    assert.equal(error.params.opens, 'Senin 08:00')

    clock.travelTo(DateTime.fromISO('2026-11-30T09:00', { zone: branch.timezone }))
    await Holiday.create({
      tenantId: tenant.id,
      branchId: branch.id,
      date: '2026-11-30',
      name: 'Libur',
    })
    branchDirectory.forget({ branchId: branch.id })
    const holiday = await expectedRejection(engine.take(branch, services[0], { channel: 'web' }))
    assert.equal(holiday.params.opens, 'Selasa 08:00')
  })
})

test.group('Queue engine: no-show sweeper and presence', (group) => {
  middayEachTest(group)

  test('a called visitor not started within the grace period becomes a no-show', async ({
    assert,
  }) => {
    const { branch, services, counters, operator } = await createWorld()
    services[0].noShowAfterMinutes = 3
    await services[0].save()
    await engine.take(branch, services[0], { channel: 'web' })
    const called = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    assert.equal(await engine.sweepNoShows(branch), 0)
    clock.travelTo(midday().plus({ minutes: 4 }))
    assert.equal(await engine.sweepNoShows(branch), 1)
    await called.refresh()
    assert.equal(called.status, 'no_show')
    const counter = await Counter.findOrFail(counters[0].id)
    assert.equal(counter.presence, 'available')
  })

  test('with "requeue" the late visitor goes back to the end once, then is a no-show', async ({
    assert,
  }) => {
    const { branch, services, counters, operator } = await createWorld()
    services[0].noShowAfterMinutes = 2
    services[0].noShowAction = 'requeue'
    await services[0].save()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    clock.travelTo(midday().plus({ minutes: 3 }))
    await engine.sweepNoShows(branch)
    await ticket.refresh()
    assert.equal(ticket.status, 'waiting')
    await engine.callNext(branch, { counter: counters[0], by: operator })
    clock.travelTo(midday().plus({ minutes: 6 }))
    await engine.sweepNoShows(branch)
    await ticket.refresh()
    assert.equal(ticket.status, 'no_show')
    assert.deepEqual(await eventTypes(ticket.id), [
      'created',
      'called',
      'requeued',
      'called',
      'no_show',
    ])
  })

  test('a started visitor is never swept', async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    services[0].noShowAfterMinutes = 2
    await services[0].save()
    await engine.take(branch, services[0], { channel: 'web' })
    const called = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    await engine.start(called, { counter: counters[0], by: operator })
    clock.travelTo(midday().plus({ minutes: 10 }))
    assert.equal(await engine.sweepNoShows(branch), 0)
  })

  test('calling makes the counter busy; completing makes it available; a break stays a break', async ({
    assert,
  }) => {
    const { branch, services, counters, operator } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const called = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    assert.equal((await Counter.findOrFail(counters[0].id)).presence, 'busy')
    await engine.complete(called, { counter: counters[0], by: operator })
    assert.equal((await Counter.findOrFail(counters[0].id)).presence, 'available')
    await engine.setPresence(counters[0], 'break')
    const next = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    await engine.complete(next, { counter: counters[0], by: operator })
    assert.equal((await Counter.findOrFail(counters[0].id)).presence, 'break')
  })
})
