import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Ticket from '#models/ticket'
import User from '#models/user'
import QueueEngine from '#services/queue/queue_engine'
import { createWorld, PASSWORD, seat } from '#tests/helpers/world'
import { HttpSession } from '#tests/helpers/http_session'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

/**
 * Real parallel HTTP requests. On MySQL (CI runs the suite there too) they race for the same
 * rows in separate connections; on SQLite they are serialized by the database itself.
 */
test.group(`Concurrency over HTTP (${db.primaryConnectionName})`, () => {
  test('100 numbers taken at once get 100 distinct consecutive numbers', async ({ assert }) => {
    const { branch, services } = await createWorld({ services: 1 })
    const visitor = new HttpSession()
    await visitor.get(`/b/${branch.slug}`)

    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        visitor.post(`/b/${branch.slug}/tickets`, { service_id: services[0].id })
      )
    )
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [303])

    const tickets = await Ticket.query().where('service_id', services[0].id)
    const sequences = tickets.map((ticket) => ticket.sequence).sort((a, b) => a - b)
    assert.deepEqual(
      sequences,
      Array.from({ length: 100 }, (_, index) => index + 1)
    )
    assert.equal(new Set(tickets.map((ticket) => ticket.number)).size, 100)
    const locations = new Set(responses.map((response) => response.headers.get('location')))
    assert.equal(locations.size, 100)
  }).timeout(60_000)

  test('numbers of two services taken at once stay independent and gapless', async ({ assert }) => {
    const { branch, services } = await createWorld({ services: 2 })
    const visitor = new HttpSession()
    await visitor.get(`/b/${branch.slug}`)
    await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        visitor.post(`/b/${branch.slug}/tickets`, { service_id: services[index % 2].id })
      )
    )
    for (const service of services) {
      const sequences = (await Ticket.query().where('service_id', service.id))
        .map((ticket) => ticket.sequence)
        .sort((a, b) => a - b)
      assert.deepEqual(
        sequences,
        Array.from({ length: 30 }, (_, index) => index + 1)
      )
    }
  }).timeout(60_000)

  test('20 counters calling at once each get a different ticket', async ({ assert }) => {
    const world = await createWorld({ services: 2, counters: 20 })
    for (let index = 0; index < 30; index++) {
      await engine.take(world.branch, world.services[index % 2], { channel: 'web' })
    }

    const sessions = await Promise.all(
      world.counters.map(async (counter, index) => {
        const operator = await User.create({
          tenantId: world.tenant.id,
          fullName: `Op ${index}`,
          email: `op${index}-${world.key}@test.loket`,
          password: PASSWORD,
          role: 'operator',
          isActive: true,
        })
        await seat(counter, operator)
        const session = new HttpSession()
        await session.login(operator.email, PASSWORD)
        return session
      })
    )

    const responses = await Promise.all(
      sessions.map((session) =>
        session.post('/app/counter/call-next', {}, { 'hx-request': 'true' })
      )
    )
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [200])

    const called = await Ticket.query()
      .where('branch_id', world.branch.id)
      .where('status', 'called')
    assert.lengthOf(called, 20)
    assert.equal(new Set(called.map((ticket) => ticket.counterId)).size, 20)
    assert.equal(new Set(called.map((ticket) => ticket.id)).size, 20)
    const waiting = await Ticket.query()
      .where('branch_id', world.branch.id)
      .where('status', 'waiting')
    assert.lengthOf(waiting, 10)
  }).timeout(120_000)

  test('the same counter double-clicking call next at once calls one ticket', async ({
    assert,
  }) => {
    const world = await createWorld()
    for (let index = 0; index < 5; index++)
      await engine.take(world.branch, world.services[0], { channel: 'web' })
    await seat(world.counters[0], world.operator)
    const session = new HttpSession()
    await session.login(world.operator.email, PASSWORD)
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        session.post('/app/counter/call-next', {}, { 'hx-request': 'true' })
      )
    )
    const statuses = responses.map((response) => response.status).sort()
    assert.equal(statuses.filter((status) => status === 200).length, 1)
    assert.isTrue(statuses.every((status) => status === 200 || status === 409))
    assert.lengthOf(
      await Ticket.query().where('branch_id', world.branch.id).where('status', 'called'),
      1
    )
  }).timeout(60_000)
})
