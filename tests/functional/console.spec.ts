import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import Ticket from '#models/ticket'
import Counter from '#models/counter'
import User from '#models/user'
import TicketEvent from '#models/ticket_event'
import QueueEngine from '#services/queue/queue_engine'
import { createWorld, seat } from '#tests/helpers/world'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

/** A world with the operator seated at counter 1 and `count` numbers waiting. */
async function consoleWorld(count = 2) {
  const world = await createWorld({ services: 2 })
  await seat(world.counters[0], world.operator)
  const tickets = []
  for (let index = 0; index < count; index++)
    tickets.push(await engine.take(world.branch, world.services[0], { channel: 'web' }))
  return { ...world, tickets }
}

function post(client: any, url: string, user: any, form: Record<string, unknown> = {}) {
  return client
    .post(url)
    .form({ request_id: randomUUID(), ...form })
    .header('HX-Request', 'true')
    .withCsrfToken()
    .loginAs(user)
}

test.group('Counter console: the full set of actions', () => {
  test('start, then done, from the console', async ({ client, assert }) => {
    const { branch, counters, operator, tickets } = await consoleWorld()
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const started = await post(client, `/app/tickets/${tickets[0].id}/start`, operator)
    started.assertStatus(200)
    started.assertTextIncludes('badge-serving')
    ;(await post(client, `/app/tickets/${tickets[0].id}/complete`, operator)).assertStatus(200)
    await tickets[0].refresh()
    assert.equal(tickets[0].status, 'done')
  })

  test('skip puts the called number back; no-show ends it', async ({ client, assert }) => {
    const { branch, counters, operator, tickets } = await consoleWorld(3)
    await engine.callNext(branch, { counter: counters[0], by: operator })
    ;(await post(client, `/app/tickets/${tickets[0].id}/skip`, operator)).assertStatus(200)
    await tickets[0].refresh()
    assert.equal(tickets[0].status, 'waiting')
    const next = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    ;(await post(client, `/app/tickets/${next.id}/no-show`, operator)).assertStatus(200)
    await next.refresh()
    assert.equal(next.status, 'no_show')
  })

  test('the waiting list shows each number with its priority, and offers to call, hold or cancel it', async ({
    client,
  }) => {
    const { branch, services, operator } = await consoleWorld(1)
    const vip = await engine.take(branch, services[0], { channel: 'staff', priority: 'vip' })
    const page = await client.get('/app/counter').loginAs(operator)
    page.assertTextIncludes(`<span class="number">${vip.number}</span>`)
    page.assertTextIncludes('badge-prio-vip')
    page.assertTextIncludes(`/app/tickets/${vip.id}/call`)
    page.assertTextIncludes(`/app/tickets/${vip.id}/hold`)
    page.assertTextIncludes(`/app/tickets/${vip.id}/cancel`)
  })

  test('calling a chosen number from the waiting list', async ({ client, assert }) => {
    const { operator, tickets } = await consoleWorld(3)
    const response = await post(client, `/app/tickets/${tickets[2].id}/call`, operator)
    response.assertTextIncludes(`data-testid="current-number">${tickets[2].number}<`)
    await tickets[2].refresh()
    assert.equal(tickets[2].status, 'called')
  })

  test('hold and release from the waiting list', async ({ client, assert }) => {
    const { operator, tickets } = await consoleWorld()
    const held = await post(client, `/app/tickets/${tickets[0].id}/hold`, operator)
    held.assertTextIncludes('Ditahan')
    await tickets[0].refresh()
    assert.equal(tickets[0].status, 'held')
    await post(client, `/app/tickets/${tickets[0].id}/unhold`, operator)
    await tickets[0].refresh()
    assert.equal(tickets[0].status, 'waiting')
  })

  test('transfer to another service and to a counter, with a note', async ({ client, assert }) => {
    const { branch, counters, operator, services, tickets } = await consoleWorld()
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const response = await post(client, `/app/tickets/${tickets[0].id}/transfer`, operator, {
      service_id: services[1].id,
      counter_id: counters[1].id,
      note: 'Perlu cek gigi',
    })
    response.assertStatus(200)
    await tickets[0].refresh()
    assert.equal(tickets[0].status, 'waiting')
    assert.equal(tickets[0].serviceId, services[1].id)
    assert.equal(tickets[0].targetCounterId, counters[1].id)
    const event = await TicketEvent.query()
      .where('ticket_id', tickets[0].id)
      .where('type', 'transferred')
      .firstOrFail()
    assert.equal(event.note, 'Perlu cek gigi')
  })

  test("an operator cannot transfer another counter's visitor; a supervisor can, from the board", async ({
    client,
    assert,
  }) => {
    const { tenant, branch, counters, operator, operator2, tickets, services } =
      await consoleWorld()
    await seat(counters[1], operator2)
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const refused = await client
      .post(`/app/tickets/${tickets[0].id}/transfer`)
      .form({ service_id: services[1].id })
      .withCsrfToken()
      .loginAs(operator2)
    refused.assertStatus(403)
    const supervisor = await User.create({
      tenantId: tenant.id,
      fullName: 'Supervisor',
      email: `sup-${tenant.id}@test.loket`,
      password: 'secret-pass-123',
      role: 'supervisor',
      isActive: true,
    })
    const allowed = await client
      .post(`/app/tickets/${tickets[0].id}/transfer`)
      .form({ service_id: services[1].id })
      .withCsrfToken()
      .header('referer', '/app/board')
      .loginAs(supervisor)
      .redirects(0)
    allowed.assertStatus(302)
    await tickets[0].refresh()
    assert.equal(tickets[0].serviceId, services[1].id)
  })

  test('an illegal move answers 409 with the reason', async ({ client }) => {
    const { operator, tickets } = await consoleWorld()
    const response = await client
      .post(`/app/tickets/${tickets[0].id}/start`)
      .json({})
      .withCsrfToken()
      .loginAs(operator)
      .accept('json')
    // not at this counter (it is waiting): refused before the state machine
    response.assertStatus(409)
  })

  test('notes and tags on the visit are kept and listed in its history', async ({
    client,
    assert,
  }) => {
    const { branch, counters, operator, tickets } = await consoleWorld()
    await engine.callNext(branch, { counter: counters[0], by: operator })
    await post(client, `/app/tickets/${tickets[0].id}/note`, operator, {
      note: 'Alergi penisilin',
      tags: 'kontrol, lansia',
    })
    await tickets[0].refresh()
    assert.equal(tickets[0].note, 'Alergi penisilin')
    assert.deepEqual(tickets[0].tagList, ['kontrol', 'lansia'])
    const page = await client.get(`/app/tickets/${tickets[0].id}`).loginAs(operator)
    page.assertStatus(200)
    page.assertTextIncludes('Alergi penisilin')
    page.assertTextIncludes('Dipanggil')
    page.assertTextIncludes('Catatan')
  })

  test('presence: the operator goes on a break and comes back', async ({ client, assert }) => {
    const { counters, operator } = await consoleWorld(0)
    const response = await client
      .post('/app/counter/presence')
      .form({ presence: 'break' })
      .header('HX-Request', 'true')
      .withCsrfToken()
      .loginAs(operator)
    response.assertStatus(200)
    response.assertTextIncludes('aria-pressed="true"')
    assert.equal((await Counter.findOrFail(counters[0].id)).presence, 'break')
    const bad = await client
      .post('/app/counter/presence')
      .json({ presence: 'napping' })
      .withCsrfToken()
      .loginAs(operator)
      .accept('json')
    bad.assertStatus(422)
  })

  test("another tenant's ticket answers 404 for every action", async ({ client }) => {
    const one = await consoleWorld(0)
    const other = await createWorld()
    const foreign = await engine.take(other.branch, other.services[0], { channel: 'web' })
    for (const action of [
      'call',
      'recall',
      'start',
      'complete',
      'skip',
      'no-show',
      'transfer',
      'hold',
      'unhold',
      'note',
    ]) {
      const response = await client
        .post(`/app/tickets/${foreign.id}/${action}`)
        .json({ service_id: one.services[0].id })
        .withCsrfToken()
        .loginAs(one.operator)
        .accept('json')
      response.assertStatus(404)
    }
    ;(await client.get(`/app/tickets/${foreign.id}`).loginAs(one.operator)).assertStatus(404)
  })
})

test.group('Front desk', () => {
  test('issues a ticket with a priority, a name, a phone and a note, ready to print', async ({
    client,
    assert,
  }) => {
    const { operator, services, branch } = await createWorld()
    const response = await client
      .post('/app/desk')
      .form({
        service_id: services[0].id,
        priority: 'priority',
        name: 'Bu Sri',
        phone: '0812-3456-7890',
        note: 'Kursi roda',
        request_id: randomUUID(),
      })
      .withCsrfToken()
      .loginAs(operator)
      .redirects(0)
    response.assertStatus(302)
    const ticket = await Ticket.query().where('branch_id', branch.id).firstOrFail()
    assert.equal(ticket.channel, 'staff')
    assert.equal(ticket.priority, 'priority')
    assert.equal(ticket.customerPhone, '+6281234567890')
    assert.equal(ticket.note, 'Kursi roda')
    const slip = await client.get(response.header('location')!).loginAs(operator)
    slip.assertTextIncludes(`data-testid="desk-number">${ticket.number}<`)
    slip.assertTextIncludes('<svg')
  })

  test('a bad phone number or priority is refused', async ({ client, assert }) => {
    const { operator, services, branch } = await createWorld()
    const phone = await client
      .post('/app/desk')
      .json({ service_id: services[0].id, priority: 'regular', phone: 'call me' })
      .withCsrfToken()
      .loginAs(operator)
      .accept('json')
    phone.assertStatus(422)
    const priority = await client
      .post('/app/desk')
      .json({ service_id: services[0].id, priority: 'royal' })
      .withCsrfToken()
      .loginAs(operator)
      .accept('json')
    priority.assertStatus(422)
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 0)
  })

  test("another tenant's service answers 404", async ({ client }) => {
    const one = await createWorld()
    const other = await createWorld()
    ;(
      await client
        .post('/app/desk')
        .json({ service_id: other.services[0].id, priority: 'regular' })
        .withCsrfToken()
        .loginAs(one.operator)
        .accept('json')
    ).assertStatus(404)
  })
})

test.group('Supervisor board', () => {
  test('shows counters with their visitor, services with waits and the visitors at risk', async ({
    client,
  }) => {
    const { admin, branch, services, counters, operator } = await createWorld()
    services[0].slaMinutes = 1
    await services[0].save()
    await seat(counters[0], operator)
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const response = await client.get('/app/board').loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('Pantauan loket')
    response.assertTextIncludes('A001')
    response.assertTextIncludes(operator.fullName)
  })

  test('operators may not open it', async ({ client }) => {
    const { operator } = await createWorld()
    ;(await client.get('/app/board').loginAs(operator)).assertStatus(403)
    ;(await client.get('/app/reports/daily').loginAs(operator)).assertStatus(403)
  })
})
