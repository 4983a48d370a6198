import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { randomUUID } from 'node:crypto'
import Ticket from '#models/ticket'
import Counter from '#models/counter'
import type User from '#models/user'
import TicketEvent from '#models/ticket_event'
import AuditLog from '#models/audit_log'
import QueueEngine from '#services/queue/queue_engine'
import liveVersion from '#support/live_version'
import { createWorld, seat } from '#tests/helpers/world'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

/** A world whose operator sits at counter 1, with `waiting` numbers taken for service A. */
async function seatedWorld(waiting = 0) {
  const world = await createWorld()
  await seat(world.counters[0], world.operator)
  const tickets: Ticket[] = []
  for (let index = 0; index < waiting; index++)
    tickets.push(await engine.take(world.branch, world.services[0], { channel: 'web' }))
  return { ...world, tickets }
}

/** `operator` presses a console button: an htmx POST to `path` (chain more before awaiting). */
function htmxPost(client: ApiClient, operator: User, path: string) {
  return client.post(path).header('HX-Request', 'true').withCsrfToken().loginAs(operator)
}

test.group('Counter console: picking a counter', () => {
  test('an operator without a counter is asked to pick one, with its services ticked', async ({
    client,
  }) => {
    const { operator, counters } = await createWorld()
    const response = await client.get('/app/counter').loginAs(operator)
    response.assertStatus(200)
    response.assertTextIncludes('Mulai bertugas')
    response.assertTextIncludes(counters[0].name)
  })

  test('picking a counter seats the operator and records its services', async ({
    client,
    assert,
  }) => {
    const { operator, counters, services } = await createWorld({ services: 3 })
    const response = await client
      .post('/app/counter/select')
      .form({ 'counter_id': counters[1].id, 'service_ids[]': [services[2].id, services[0].id] })
      .withCsrfToken()
      .loginAs(operator)
      .redirects(0)
    response.assertStatus(302)
    await counters[1].refresh()
    assert.equal(counters[1].operatorId, operator.id)
    const ids = await engine.servedServiceIds(counters[1])
    assert.deepEqual(ids, [services[2].id, services[0].id])
    const audit = await AuditLog.query()
      .where('action', 'counter.services_updated')
      .where('subject_id', String(counters[1].id))
      .firstOrFail()
    assert.equal(audit.userId, operator.id)
  })

  test('a counter needs at least one service', async ({ client }) => {
    const { operator, counters } = await createWorld()
    const response = await client
      .post('/app/counter/select')
      .json({ counter_id: counters[0].id, service_ids: [] })
      .withCsrfToken()
      .loginAs(operator)
      .accept('json')
    response.assertStatus(422)
  })

  test("another tenant's counter answers 404", async ({ client }) => {
    const one = await createWorld()
    const other = await createWorld()
    const response = await client
      .post('/app/counter/select')
      .form({ 'counter_id': other.counters[0].id, 'service_ids[]': [one.services[0].id] })
      .withCsrfToken()
      .loginAs(one.operator)
    response.assertStatus(404)
  })

  test('the console needs a login', async ({ client, assert }) => {
    const response = await client.get('/app/counter').redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/login')
  })
})

test.group('Counter console: serving', () => {
  test('call next puts the oldest number on the console (htmx answers the fragment)', async ({
    client,
    assert,
  }) => {
    const { branch, counters, operator } = await seatedWorld(1)
    const response = await htmxPost(client, operator, '/app/counter/call-next').form({
      request_id: randomUUID(),
    })
    response.assertStatus(200)
    response.assertTextIncludes('data-testid="current-number">A001<')
    assert.notInclude(response.text(), '<html')
    const ticket = await Ticket.query().where('branch_id', branch.id).firstOrFail()
    assert.equal(ticket.status, 'called')
    assert.equal(ticket.counterId, counters[0].id)
  })

  test('without JavaScript the same form redirects back to the console', async ({
    client,
    assert,
  }) => {
    const { operator } = await seatedWorld(1)
    const response = await client
      .post('/app/counter/call-next')
      .form({})
      .withCsrfToken()
      .loginAs(operator)
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/app/counter')
  })

  test('calling with nobody waiting says so in a toast', async ({ client, assert }) => {
    const { operator } = await seatedWorld()
    const response = await htmxPost(client, operator, '/app/counter/call-next')
    response.assertStatus(200)
    assert.include(String(response.header('hx-trigger')), 'Tidak ada yang menunggu')
  })

  test('calling while a number is still at the counter answers 409 with a toast', async ({
    client,
    assert,
  }) => {
    const { branch, counters, operator } = await seatedWorld(2)
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const response = await htmxPost(client, operator, '/app/counter/call-next')
    response.assertStatus(409)
    response.assertTextIncludes('masih melayani A001')
    assert.equal(response.header('hx-retarget'), '#toasts')
  })

  test('a repeated click with the same request id calls only once', async ({ client, assert }) => {
    const { branch, operator } = await seatedWorld(2)
    const requestId = randomUUID()
    for (let index = 0; index < 2; index++) {
      const response = await htmxPost(client, operator, '/app/counter/call-next').form({
        request_id: requestId,
      })
      response.assertStatus(200)
    }
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id).where('status', 'called'), 1)
  })

  test("recall, then done: the ticket is served and appears in today's history", async ({
    client,
    assert,
  }) => {
    const { branch, counters, operator } = await seatedWorld(1)
    const ticket = (await engine.callNext(branch, { counter: counters[0], by: operator }))!

    const recall = await htmxPost(client, operator, `/app/tickets/${ticket.id}/recall`)
    recall.assertStatus(200)
    recall.assertTextIncludes('dipanggil ulang 1×')

    const done = await htmxPost(client, operator, `/app/tickets/${ticket.id}/complete`)
    done.assertStatus(200)
    done.assertTextIncludes('Riwayat hari ini')
    done.assertTextIncludes('badge-done')
    await ticket.refresh()
    assert.equal(ticket.status, 'done')
    const types = (await TicketEvent.query().where('ticket_id', ticket.id).orderBy('id')).map(
      (event) => event.type
    )
    assert.deepEqual(types, ['created', 'called', 'recalled', 'completed'])
  })

  test('cancel needs a reason and keeps it', async ({ client, assert }) => {
    const {
      operator,
      tickets: [ticket],
    } = await seatedWorld(1)

    const missing = await client
      .post(`/app/tickets/${ticket.id}/cancel`)
      .json({})
      .withCsrfToken()
      .loginAs(operator)
      .accept('json')
    missing.assertStatus(422)
    await ticket.refresh()
    assert.equal(ticket.status, 'waiting')

    const response = await client
      .post(`/app/tickets/${ticket.id}/cancel`)
      .form({ reason: 'Tidak hadir' })
      .withCsrfToken()
      .loginAs(operator)
      .redirects(0)
    response.assertStatus(302)
    await ticket.refresh()
    assert.equal(ticket.status, 'cancelled')
    assert.equal(ticket.cancelReason, 'Tidak hadir')
  })

  test("another tenant's ticket answers 404 and stays untouched", async ({ client, assert }) => {
    const one = await createWorld()
    const other = await createWorld()
    await seat(one.counters[0], one.operator)
    const foreign = await engine.take(other.branch, other.services[0], { channel: 'web' })
    const response = await client
      .post(`/app/tickets/${foreign.id}/cancel`)
      .form({ reason: 'coba-coba' })
      .withCsrfToken()
      .loginAs(one.operator)
    response.assertStatus(404)
    await foreign.refresh()
    assert.equal(foreign.status, 'waiting')
  })

  test('actions without a CSRF token change nothing', async ({ client, assert }) => {
    const { branch, operator } = await seatedWorld(1)
    const response = await client.post('/app/counter/call-next').loginAs(operator).redirects(0)
    assert.oneOf(response.status(), [302, 403])
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id).where('status', 'called'), 0)
  })

  test('the console poll answers 204 until the branch changes', async ({ client }) => {
    const { branch, services, operator } = await seatedWorld()
    const version = await liveVersion.get(branch.id)
    ;(await client.get(`/app/counter/live?v=${version}`).loginAs(operator)).assertStatus(204)
    await engine.take(branch, services[0], { channel: 'web' })
    const changed = await client.get(`/app/counter/live?v=${version}`).loginAs(operator)
    changed.assertStatus(200)
    changed.assertTextIncludes('Menunggu (1)')
  })

  test('leaving the counter frees it', async ({ client, assert }) => {
    const { counters, operator } = await seatedWorld()
    await client.post('/app/counter/leave').withCsrfToken().loginAs(operator)
    const counter = await Counter.findOrFail(counters[0].id)
    assert.isNull(counter.operatorId)
  })

  test('an operator cannot open the admin pages: 403 page, not a crash', async ({ client }) => {
    const { operator } = await createWorld()
    for (const url of [
      '/admin',
      '/admin/services',
      '/admin/users',
      '/admin/audit',
      '/platform/tenants',
    ]) {
      const response = await client.get(url).loginAs(operator)
      response.assertStatus(403)
      response.assertTextIncludes('Akses ditolak')
    }
  })
})
