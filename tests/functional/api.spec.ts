import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { randomUUID } from 'node:crypto'
import SwaggerParser from '@apidevtools/swagger-parser'
import ace from '@adonisjs/core/services/ace'
import router from '@adonisjs/core/services/router'
import Ticket from '#models/ticket'
import ApiIdempotency from '#models/api_idempotency'
import TicketEvent from '#models/ticket_event'
import ApiKey from '#models/api_key'
import AuditLog from '#models/audit_log'
import QueueEngine from '#services/queue/queue_engine'
import ApiKeys from '#services/platform/api_keys'
import { rateLimits } from '#start/limiter'
import ApiKeysCreate from '#commands/api_keys_create'
import { createWorld, PASSWORD, type World } from '#tests/helpers/world'
import { HttpSession } from '#tests/helpers/http_session'
import app from '@adonisjs/core/services/app'
import clock from '#support/clock'
import { toSqlDateTime } from '#models/columns'

const apiKeys = await app.container.make(ApiKeys)

const engine = await app.container.make(QueueEngine)

/** A world with an API key of its tenant. */
async function apiWorld(options: Parameters<typeof createWorld>[0] = {}) {
  const world = await createWorld(options)
  const { apiKey, plainKey } = await apiKeys.create(world.tenant, 'Test system', { user: null })
  return { ...world, apiKey, plainKey }
}

type ApiWorld = Awaited<ReturnType<typeof apiWorld>>

/** Takes a number in the world's first service (or as `fields` say) with `key` as its Idempotency-Key. */
function takeWithKey(
  client: ApiClient,
  world: Pick<ApiWorld, 'branch' | 'services' | 'plainKey'>,
  key: string,
  fields: Record<string, unknown> = {}
) {
  return client
    .post('/api/v1/tickets')
    .bearerToken(world.plainKey)
    .header('Idempotency-Key', key)
    .json({ branch_id: world.branch.id, service_id: world.services[0].id, ...fields })
}

async function eventTypes(ticketId: string) {
  return (await TicketEvent.query().where('ticket_id', ticketId).orderBy('id')).map(
    (event) => event.type
  )
}

test.group('API: keys', () => {
  test('a request without a key answers 401 in English, with WWW-Authenticate', async ({
    client,
  }) => {
    const response = await client.get('/api/v1/queues?branch_id=1')
    response.assertStatus(401)
    response.assertHeader('www-authenticate', 'Bearer')
    response.assertBody({
      error: {
        code: 'E_API_KEY_MISSING',
        message: 'An API key is needed: send it in the header Authorization: Bearer lk_…',
      },
    })
  })

  test('a wrong key answers 401, in the language asked for', async ({ client }) => {
    const english = await client
      .get('/api/v1/queues?branch_id=1')
      .bearerToken(`lk_${'x'.repeat(43)}`)
    english.assertStatus(401)
    english.assertBodyContains({
      error: { code: 'E_API_KEY_INVALID', message: 'This API key is unknown or has been revoked.' },
    })

    const indonesian = await client
      .get('/api/v1/queues?branch_id=1')
      .bearerToken('not-a-key')
      .header('Accept-Language', 'id-ID,id;q=0.9')
    indonesian.assertStatus(401)
    indonesian.assertBodyContains({
      error: { message: 'Kunci API ini tidak dikenal atau sudah dicabut.' },
    })
  })

  test('a revoked key stops working at once', async ({ client }) => {
    const { branch, apiKey, plainKey } = await apiWorld()
    ;(await client.get(`/api/v1/queues?branch_id=${branch.id}`).bearerToken(plainKey)).assertStatus(
      200
    )
    await apiKeys.revoke(apiKey, { user: null })
    const response = await client.get(`/api/v1/queues?branch_id=${branch.id}`).bearerToken(plainKey)
    response.assertStatus(401)
    response.assertBodyContains({ error: { code: 'E_API_KEY_INVALID' } })
  })

  test('a key revoked on another server stops working within 5 s here (verified keys are remembered that long)', async ({
    client,
  }) => {
    const { branch, apiKey, plainKey } = await apiWorld()
    const queues = () => client.get(`/api/v1/queues?branch_id=${branch.id}`).bearerToken(plainKey)
    ;(await queues()).assertStatus(200)
    // Another server revokes it: the row changes, this server's memory does not.
    await ApiKey.query()
      .where('id', apiKey.id)
      .update({ revoked_at: toSqlDateTime(clock.now()) })
    try {
      clock.travelTo(clock.now().plus({ seconds: 4 }))
      ;(await queues()).assertStatus(200)
      clock.travelTo(clock.now().plus({ seconds: 2 }))
      ;(await queues()).assertStatus(401)
    } finally {
      clock.reset()
    }
  })

  test('the key may come in X-Api-Key instead, and using it is recorded', async ({
    client,
    assert,
  }) => {
    const { branch, apiKey, plainKey } = await apiWorld()
    const response = await client
      .get(`/api/v1/queues?branch_id=${branch.id}`)
      .header('X-Api-Key', plainKey)
    response.assertStatus(200)
    await apiKey.refresh()
    assert.isNotNull(apiKey.lastUsedAt)
  })

  test('requests are rate limited per key, with Retry-After', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { branch, plainKey } = await apiWorld()
    const other = await apiWorld()
    const before = rateLimits.apiPerMinute
    rateLimits.apiPerMinute = 2
    cleanup(() => {
      rateLimits.apiPerMinute = before
    })
    const statuses = []
    for (let index = 0; index < 3; index++) {
      statuses.push(
        (await client.get(`/api/v1/queues?branch_id=${branch.id}`).bearerToken(plainKey)).status()
      )
    }
    assert.deepEqual(statuses, [200, 200, 429])

    const limited = await client.get(`/api/v1/queues?branch_id=${branch.id}`).bearerToken(plainKey)
    limited.assertStatus(429)
    limited.assertBodyContains({ error: { code: 'E_TOO_MANY_REQUESTS' } })
    assert.isAbove(Number(limited.header('retry-after')), 0)

    const otherKey = await client
      .get(`/api/v1/queues?branch_id=${other.branch.id}`)
      .bearerToken(other.plainKey)
    otherKey.assertStatus(200)
  })
})

test.group('API: tickets', () => {
  test('POST /tickets takes a number through the api channel', async ({ client, assert }) => {
    const { branch, services, plainKey } = await apiWorld({ services: 2 })
    await engine.take(branch, services[1], { channel: 'web' })
    const response = await client.post('/api/v1/tickets').bearerToken(plainKey).json({
      branch_id: branch.id,
      service_id: services[1].id,
      priority: 'vip',
      phone: '0812-3456-7890',
      name: 'Siti',
      note: 'Kontrol',
    })
    response.assertStatus(201)
    const body = response.body()
    assert.containsSubset(body, {
      number: 'B002',
      status: 'waiting',
      priority: 'vip',
      branch_id: branch.id,
      service: { id: services[1].id, code: 'B', name: services[1].name },
      counter: null,
      ahead: 0,
      called_at: null,
      completed_at: null,
    })
    assert.equal(body.events.length, 1)
    assert.equal(body.events[0].type, 'created')
    assert.match(body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    // The answer, built from what the take knew, is what reading the ticket back gives.
    const shown = await client.get(`/api/v1/tickets/${body.id}`).bearerToken(plainKey)
    assert.deepEqual(shown.body(), body)

    const ticket = await Ticket.findOrFail(body.id)
    assert.equal(ticket.channel, 'api')
    assert.equal(ticket.customerPhone, '+6281234567890')
    assert.equal(ticket.customerName, 'Siti')
  })

  test('GET /tickets/:id shows status, counter, how many are ahead and the history', async ({
    client,
    assert,
  }) => {
    const { branch, services, counters, operator, plainKey } = await apiWorld()
    const first = await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const third = await engine.take(branch, services[0], { channel: 'web' })

    const waiting = await client.get(`/api/v1/tickets/${third.id}`).bearerToken(plainKey)
    waiting.assertStatus(200)
    assert.equal(waiting.body().ahead, 2)

    await engine.callNext(branch, { counter: counters[0], by: operator })
    const called = await client.get(`/api/v1/tickets/${first.id}`).bearerToken(plainKey)
    assert.containsSubset(called.body(), {
      status: 'called',
      counter: { id: counters[0].id, name: 'Loket 1' },
      ahead: 0,
    })
    assert.isString(called.body().called_at)
    assert.deepEqual(
      called
        .body()
        .events.map((event: { type: string; counter_id: number | null }) => [
          event.type,
          event.counter_id,
        ]),
      [
        ['created', null],
        ['called', counters[0].id],
      ]
    )
    assert.equal(
      (await client.get(`/api/v1/tickets/${third.id}`).bearerToken(plainKey)).body().ahead,
      1
    )
  })

  test('invalid input answers 422 with the fields', async ({ client, assert }) => {
    const { branch, plainKey } = await apiWorld()
    const response = await client
      .post('/api/v1/tickets')
      .bearerToken(plainKey)
      .json({ branch_id: branch.id, priority: 'royal' })
    response.assertStatus(422)
    assert.equal(response.body().error.code, 'E_VALIDATION_ERROR')
    assert.sameMembers(
      response.body().error.fields.map((field: { field: string }) => field.field),
      ['service_id', 'priority']
    )
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 0)
  })

  test('a phone number that is not one answers 422', async ({ client }) => {
    const { branch, services, plainKey } = await apiWorld()
    const response = await client
      .post('/api/v1/tickets')
      .bearerToken(plainKey)
      .json({ branch_id: branch.id, service_id: services[0].id, phone: '123' })
    response.assertStatus(422)
    response.assertBodyContains({ error: { code: 'E_INVALID_PHONE' } })
  })

  test('an inactive service answers 409 with the reason', async ({ client }) => {
    const { branch, services, plainKey } = await apiWorld()
    services[0].isActive = false
    await services[0].save()
    const response = await client
      .post('/api/v1/tickets')
      .bearerToken(plainKey)
      .json({ branch_id: branch.id, service_id: services[0].id })
    response.assertStatus(409)
    response.assertBodyContains({
      error: {
        code: 'E_SERVICE_UNAVAILABLE',
        message: 'The service Layanan 1 is not taking numbers right now.',
      },
    })
  })

  test("another tenant's branch, service and ticket answer 404", async ({ client, assert }) => {
    const mine = await apiWorld()
    const other = await createWorld()
    const theirs = await engine.take(other.branch, other.services[0], { channel: 'web' })

    const branch = await client
      .post('/api/v1/tickets')
      .bearerToken(mine.plainKey)
      .json({ branch_id: other.branch.id, service_id: other.services[0].id })
    branch.assertStatus(404)
    const service = await client
      .post('/api/v1/tickets')
      .bearerToken(mine.plainKey)
      .json({ branch_id: mine.branch.id, service_id: other.services[0].id })
    service.assertStatus(404)
    const ticket = await client.get(`/api/v1/tickets/${theirs.id}`).bearerToken(mine.plainKey)
    ticket.assertStatus(404)
    assert.equal(
      ticket.body().error.message,
      'The page or record you are looking for does not exist.'
    )
    ;(await client.get(`/api/v1/tickets/${randomUUID()}`).bearerToken(mine.plainKey)).assertStatus(
      404
    )
    assert.lengthOf(await Ticket.query().whereIn('branch_id', [mine.branch.id, other.branch.id]), 1)
  })
})

test.group('API: ticket actions', () => {
  async function act(
    client: any,
    world: ApiWorld,
    ticketId: string,
    body: Record<string, unknown>
  ) {
    return client.post(`/api/v1/tickets/${ticketId}/actions`).bearerToken(world.plainKey).json(body)
  }

  test('call, recall, start and complete at a counter', async ({ client, assert }) => {
    const world = await apiWorld()
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const counterId = world.counters[1].id

    const called = await act(client, world, ticket.id, { action: 'call', counter_id: counterId })
    called.assertStatus(200)
    assert.containsSubset(called.body(), {
      status: 'called',
      counter: { id: counterId, name: 'Loket 2' },
    })
    assert.equal(
      (await act(client, world, ticket.id, { action: 'recall', counter_id: counterId })).body()
        .status,
      'called'
    )
    assert.equal(
      (await act(client, world, ticket.id, { action: 'start', counter_id: counterId })).body()
        .status,
      'serving'
    )
    const done = await act(client, world, ticket.id, { action: 'complete', counter_id: counterId })
    assert.equal(done.body().status, 'done')
    assert.isString(done.body().completed_at)
    assert.deepEqual(await eventTypes(ticket.id), [
      'created',
      'called',
      'recalled',
      'started',
      'completed',
    ])
  })

  test('hold and unhold, skip, no-show', async ({ client, assert }) => {
    const world = await apiWorld()
    const counterId = world.counters[0].id
    const first = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const second = await engine.take(world.branch, world.services[0], { channel: 'web' })

    assert.equal((await act(client, world, first.id, { action: 'hold' })).body().status, 'held')
    assert.equal(
      (await act(client, world, first.id, { action: 'unhold' })).body().status,
      'waiting'
    )

    await act(client, world, second.id, { action: 'call', counter_id: counterId })
    const skipped = await act(client, world, second.id, { action: 'skip', counter_id: counterId })
    assert.containsSubset(skipped.body(), { status: 'waiting', counter: null, ahead: 1 })

    const noShow = await act(client, world, first.id, { action: 'no_show' })
    assert.equal(noShow.body().status, 'no_show')
    assert.deepEqual(await eventTypes(second.id), ['created', 'called', 'skipped'])
  })

  test('transfer to another service, and cancel with a reason', async ({ client, assert }) => {
    const world = await apiWorld({ services: 2 })
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    await act(client, world, ticket.id, { action: 'call', counter_id: world.counters[0].id })

    const moved = await act(client, world, ticket.id, {
      action: 'transfer',
      to_service_id: world.services[1].id,
    })
    moved.assertStatus(200)
    assert.containsSubset(moved.body(), {
      status: 'waiting',
      number: 'A001',
      service: { id: world.services[1].id, code: 'B' },
    })

    const cancelled = await act(client, world, ticket.id, { action: 'cancel', reason: 'Went home' })
    assert.equal(cancelled.body().status, 'cancelled')
    await ticket.refresh()
    assert.equal(ticket.cancelReason, 'Went home')
  })

  test('an illegal move answers 409 with the reason', async ({ client, assert }) => {
    const world = await apiWorld()
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const response = await act(client, world, ticket.id, {
      action: 'complete',
      counter_id: world.counters[0].id,
    })
    response.assertStatus(409)
    response.assertBody({
      error: {
        code: 'E_ILLEGAL_COMPLETE',
        message: 'Number A001 cannot be completed: it is waiting.',
      },
    })
    await ticket.refresh()
    assert.equal(ticket.status, 'waiting')
  })

  test('missing details answer 422: counter for a call, reason for a cancel, target for a transfer', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const fieldsOf = (response: any) =>
      response.body().error.fields.map((field: { field: string }) => field.field)

    const call = await act(client, world, ticket.id, { action: 'call' })
    call.assertStatus(422)
    assert.deepEqual(fieldsOf(call), ['counter_id'])
    assert.deepEqual(fieldsOf(await act(client, world, ticket.id, { action: 'cancel' })), [
      'reason',
    ])
    assert.deepEqual(fieldsOf(await act(client, world, ticket.id, { action: 'transfer' })), [
      'to_counter_id',
    ])
    assert.deepEqual(fieldsOf(await act(client, world, ticket.id, { action: 'dance' })), ['action'])
  })

  test("another tenant's ticket or counter answers 404 and nothing moves", async ({
    client,
    assert,
  }) => {
    const mine = await apiWorld()
    const other = await createWorld()
    const myTicket = await engine.take(mine.branch, mine.services[0], { channel: 'web' })
    const theirTicket = await engine.take(other.branch, other.services[0], { channel: 'web' })

    ;(await act(client, mine, theirTicket.id, { action: 'hold' })).assertStatus(404)
    ;(
      await act(client, mine, myTicket.id, { action: 'call', counter_id: other.counters[0].id })
    ).assertStatus(404)
    ;(
      await act(client, mine, myTicket.id, {
        action: 'transfer',
        to_service_id: other.services[1].id,
      })
    ).assertStatus(404)
    await myTicket.refresh()
    await theirTicket.refresh()
    assert.equal(myTicket.status, 'waiting')
    assert.equal(theirTicket.status, 'waiting')
  })
})

test.group('API: queues', () => {
  test("GET /queues lists each service's waiting tickets in call order and who is at a counter", async ({
    client,
    assert,
  }) => {
    const { branch, services, counters, operator, plainKey } = await apiWorld({ services: 2 })
    const first = await engine.take(branch, services[0], { channel: 'web' })
    const second = await engine.take(branch, services[0], { channel: 'web' })
    const urgent = await engine.take(branch, services[0], {
      channel: 'staff',
      priority: 'emergency',
    })
    await engine.take(branch, services[1], { channel: 'web' })
    const called = await engine.callTicket(first, { counter: counters[0], by: operator })

    const response = await client.get(`/api/v1/queues?branch_id=${branch.id}`).bearerToken(plainKey)
    response.assertStatus(200)
    const body = response.body()
    assert.equal(body.branch_id, branch.id)
    assert.equal(body.service_date, branch.today())
    assert.deepEqual(
      body.queues.map((queue: any) => [queue.service.code, queue.waiting_count]),
      [
        ['A', 2],
        ['B', 1],
      ]
    )
    const queueA = body.queues[0]
    assert.deepEqual(
      queueA.waiting.map((ticket: any) => [ticket.number, ticket.priority, ticket.ahead]),
      [
        [urgent.number, 'emergency', 0],
        [second.number, 'regular', 1],
      ]
    )
    assert.deepEqual(queueA.at_counters, [
      {
        id: called.id,
        number: 'A001',
        status: 'called',
        counter: { id: counters[0].id, name: 'Loket 1' },
      },
    ])
    assert.deepEqual(body.queues[1].at_counters, [])
  })

  test('service_id narrows it to one service; 404 for another branch or tenant', async ({
    client,
    assert,
  }) => {
    const { branch, services, plainKey } = await apiWorld({ services: 2 })
    const other = await createWorld()
    const one = await client
      .get(`/api/v1/queues?branch_id=${branch.id}&service_id=${services[1].id}`)
      .bearerToken(plainKey)
    assert.deepEqual(
      one.body().queues.map((queue: any) => queue.service.id),
      [services[1].id]
    )
    ;(
      await client.get(`/api/v1/queues?branch_id=${other.branch.id}`).bearerToken(plainKey)
    ).assertStatus(404)
    ;(
      await client
        .get(`/api/v1/queues?branch_id=${branch.id}&service_id=${other.services[0].id}`)
        .bearerToken(plainKey)
    ).assertStatus(404)
    const missing = await client.get('/api/v1/queues').bearerToken(plainKey)
    missing.assertStatus(422)
    assert.equal(missing.body().error.fields[0].field, 'branch_id')
  })
})

test.group('API: Idempotency-Key', () => {
  test('a repeat gets the first answer again and takes no second number', async ({
    client,
    assert,
  }) => {
    const { branch, services, plainKey } = await apiWorld()
    const idempotencyKey = randomUUID()
    const send = () => takeWithKey(client, { branch, services, plainKey }, idempotencyKey)

    const first = await send()
    first.assertStatus(201)
    assert.isUndefined(first.header('idempotent-replayed'))
    await engine.take(branch, services[0], { channel: 'web' })
    const again = await send()
    again.assertStatus(201)
    again.assertHeader('idempotent-replayed', 'true')
    assert.deepEqual(again.body(), first.body())
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id).where('channel', 'api'), 1)
  })

  test('the same key with another request answers 422', async ({ client, assert }) => {
    const { branch, services, plainKey } = await apiWorld({ services: 2 })
    const idempotencyKey = randomUUID()
    const send = (serviceId: number) =>
      takeWithKey(client, { branch, services, plainKey }, idempotencyKey, { service_id: serviceId })
    ;(await send(services[0].id)).assertStatus(201)
    const reused = await send(services[1].id)
    reused.assertStatus(422)
    reused.assertBodyContains({ error: { code: 'E_IDEMPOTENCY_KEY_REUSED' } })
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 1)
  })

  test('repeats arriving at the same moment take one number and all get it', async ({ assert }) => {
    const { branch, services, plainKey } = await apiWorld()
    const idempotencyKey = randomUUID()
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`http://${process.env.HOST}:${process.env.PORT}/api/v1/tickets`, {
          method: 'POST',
          headers: {
            'authorization': `Bearer ${plainKey}`,
            'idempotency-key': idempotencyKey,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ branch_id: branch.id, service_id: services[0].id }),
        })
      )
    )
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [201])
    const ids = await Promise.all(
      responses.map(async (response) => ((await response.json()) as { id: string }).id)
    )
    assert.equal(new Set(ids).size, 1)
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 1)
  }).timeout(30_000)

  test('the same key with different requests at the same moment: one number, the others 422', async ({
    assert,
  }) => {
    const { branch, services, plainKey } = await apiWorld({ services: 2 })
    const idempotencyKey = randomUUID()
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        fetch(`http://${process.env.HOST}:${process.env.PORT}/api/v1/tickets`, {
          method: 'POST',
          headers: {
            'authorization': `Bearer ${plainKey}`,
            'idempotency-key': idempotencyKey,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ branch_id: branch.id, service_id: services[index % 2].id }),
        })
      )
    )
    const statuses = responses.map((response) => response.status).sort()
    const tickets = await Ticket.query().where('branch_id', branch.id)
    assert.lengthOf(tickets, 1)
    const winner = tickets[0].serviceId
    const bodies = await Promise.all(responses.map((response) => response.json() as any))
    responses.forEach((response, index) => {
      const sameRequest = services[index % 2].id === winner
      assert.equal(response.status, sameRequest ? 201 : 422, JSON.stringify(bodies[index]))
      if (sameRequest) assert.equal(bodies[index].id, tickets[0].id)
    })
    assert.deepEqual(new Set(statuses), new Set([201, 422]))
  }).timeout(30_000)

  test('the kept answer is written with the ticket; a refused take takes nothing and is refused again', async ({
    client,
    assert,
  }) => {
    const { branch, services, plainKey } = await apiWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const idempotencyKey = randomUUID()
    const first = await takeWithKey(client, { branch, services, plainKey }, idempotencyKey)
    first.assertStatus(201)
    // The number and the queue position are filled in by the database in the same transaction.
    first.assertBodyContains({ number: 'A003', ahead: 2 })
    // The answer is kept on the ticket's row: no row of its own.
    const taken = await Ticket.findOrFail(first.body().id)
    assert.equal(taken.aheadAtTake, 2)
    assert.lengthOf(taken.apiFingerprint!, 64)
    assert.isNull(await ApiIdempotency.findBy('idempotency_key', idempotencyKey))

    // A bad phone is refused before any transaction: nothing is kept, a repeat is refused the same way.
    const refusedKey = randomUUID()
    const send = () =>
      takeWithKey(client, { branch, services, plainKey }, refusedKey, { phone: '12' })
    const refused = await send()
    assert.include([400, 422], refused.status())
    const again = await send()
    assert.equal(again.status(), refused.status())
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 3)
  })

  test('a repeat is answered as the number was taken, after the ticket moved on and the service closed', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    await engine.take(world.branch, world.services[0], { channel: 'web' })
    const idempotencyKey = randomUUID()
    const send = () => takeWithKey(client, world, idempotencyKey)
    const first = await send()
    first.assertStatus(201)
    first.assertBodyContains({ status: 'waiting', ahead: 1 })

    const ticket = await Ticket.findOrFail(first.body().id)
    await engine.callTicket(ticket, { counter: world.counters[0], by: null })
    const afterCall = await send()
    afterCall.assertStatus(201)
    afterCall.assertHeader('idempotent-replayed', 'true')
    assert.deepEqual(afterCall.body(), first.body())

    await world.services[0].merge({ isActive: false }).save()
    const afterClosing = await send()
    afterClosing.assertStatus(201)
    afterClosing.assertHeader('idempotent-replayed', 'true')
    assert.deepEqual(afterClosing.body(), first.body())
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 2)
  })

  test('a key that took a number is refused on another route, which does nothing', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const waiting = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const idempotencyKey = randomUUID()
    const take = await takeWithKey(client, world, idempotencyKey)
    take.assertStatus(201)

    const action = await client
      .post(`/api/v1/tickets/${waiting.id}/actions`)
      .bearerToken(world.plainKey)
      .header('Idempotency-Key', idempotencyKey)
      .json({ action: 'call', counter_id: world.counters[0].id })
    assert.equal(action.status(), 422, action.text())
    action.assertBodyContains({ error: { code: 'E_IDEMPOTENCY_KEY_REUSED' } })
    assert.equal((await Ticket.findOrFail(waiting.id)).status, 'waiting')
    // The key is not left claimed: the number's repeat is still answered.
    const again = await takeWithKey(client, world, idempotencyKey)
    again.assertStatus(201)
    assert.equal(again.body().id, take.body().id)
  })

  test('a key already used on another request refuses the take and rolls it back')
    .with([{ dailyCapacity: null }, { dailyCapacity: 50 }])
    .run(async ({ client, assert }, { dailyCapacity }) => {
      const world = await apiWorld()
      // A capped service takes its number in two round trips: the refusal holds on both paths.
      await world.services[0].merge({ dailyCapacity }).save()
      const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
      await engine.callTicket(ticket, { counter: world.counters[0], by: null })
      const idempotencyKey = randomUUID()
      const action = await client
        .post(`/api/v1/tickets/${ticket.id}/actions`)
        .bearerToken(world.plainKey)
        .header('Idempotency-Key', idempotencyKey)
        .json({ action: 'complete', counter_id: world.counters[0].id })
      action.assertStatus(200)

      const take = await takeWithKey(client, world, idempotencyKey)
      assert.equal(take.status(), 422, take.text())
      take.assertBodyContains({ error: { code: 'E_IDEMPOTENCY_KEY_REUSED' } })
      assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 1)
    })

  test('repeats of an action arriving at the same moment act once and all get the answer', async ({
    assert,
  }) => {
    const world = await apiWorld()
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    await engine.callTicket(ticket, { counter: world.counters[0], by: null })
    const idempotencyKey = randomUUID()
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(
          `http://${process.env.HOST}:${process.env.PORT}/api/v1/tickets/${ticket.id}/actions`,
          {
            method: 'POST',
            headers: {
              'authorization': `Bearer ${world.plainKey}`,
              'idempotency-key': idempotencyKey,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ action: 'complete', counter_id: world.counters[0].id }),
          }
        )
      )
    )
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [200])
    assert.deepEqual(await eventTypes(ticket.id), ['created', 'called', 'completed'])
  }).timeout(30_000)

  test('a repeated action acts once, even a recall', async ({ client, assert }) => {
    const world = await apiWorld()
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    await engine.callTicket(ticket, { counter: world.counters[0], by: null })
    const idempotencyKey = randomUUID()
    const recall = () =>
      client
        .post(`/api/v1/tickets/${ticket.id}/actions`)
        .bearerToken(world.plainKey)
        .header('Idempotency-Key', idempotencyKey)
        .json({ action: 'recall', counter_id: world.counters[0].id })
    ;(await recall()).assertStatus(200)
    ;(await recall()).assertStatus(200)
    assert.deepEqual(await eventTypes(ticket.id), ['created', 'called', 'recalled'])
  })

  test('keys belong to one API key: another key may use the same value', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const { plainKey: secondKey } = await apiKeys.create(world.tenant, 'Second system', {
      user: null,
    })
    const idempotencyKey = randomUUID()
    for (const plainKey of [world.plainKey, secondKey]) {
      const response = await takeWithKey(client, { ...world, plainKey }, idempotencyKey)
      response.assertStatus(201)
    }
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 2)
  })

  test('a malformed key answers 422', async ({ client }) => {
    const { branch, services, plainKey } = await apiWorld()
    const response = await takeWithKey(client, { branch, services, plainKey }, 'x'.repeat(129))
    response.assertStatus(422)
    response.assertBodyContains({ error: { code: 'E_IDEMPOTENCY_KEY_INVALID' } })
  })
})

test.group('API: OpenAPI document and docs page', () => {
  test('the OpenAPI document is valid, needs no key and describes every API route', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/api/v1/openapi.json')
    response.assertStatus(200)
    const document = response.body()
    assert.equal(document.openapi, '3.0.3')
    await SwaggerParser.validate(structuredClone(document))

    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map(
        (method) => `${method.toUpperCase()} /api/v1${path.replace('{id}', ':id')}`
      )
    )
    const routes = router
      .toJSON()
      .root.filter((route) => route.pattern.startsWith('/api/v1/'))
      .flatMap((route) =>
        route.methods
          .filter((method) => method !== 'HEAD')
          .map((method) => `${method} ${route.pattern}`)
      )
    assert.sameMembers(documented, routes)
    assert.containsSubset(document.components.responses, {
      Unauthorized: {},
      NotFound: {},
      Conflict: {},
      ValidationFailed: {},
      TooManyRequests: {},
    })
  })

  test('/api/docs is a readable page made from the same document, with no outside script', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/api/docs')
    response.assertStatus(200)
    response.assertTextIncludes('Loket REST API')
    for (const text of [
      'POST /api/v1/tickets',
      'GET /api/v1/tickets/{id}',
      'POST /api/v1/tickets/{id}/actions',
      'GET /api/v1/queues',
      'Idempotency-Key',
      'Retry-After',
    ]) {
      response.assertTextIncludes(text)
    }
    assert.match(String(response.header('content-security-policy')), /script-src 'self'/)
    assert.notMatch(response.text(), /<script[^>]+src="https?:/)
    assert.notMatch(response.text(), /<script>(?!\s*<\/script>)/)
  })
})

test.group('API: node ace api-keys:create', (group) => {
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('prints a key that works', async ({ client, assert }) => {
    const { tenant, branch } = await createWorld()
    const command = await ace.create(ApiKeysCreate, [tenant.slug, '--name=Booking website'])
    await command.exec()
    command.assertSucceeded()
    const printed = command.logger
      .getLogs()
      .map((log) => log.message)
      .join('\n')
    const key = /lk_[\w-]{43}/.exec(printed)?.[0]
    assert.isString(key)
    assert.equal(
      (await ApiKey.query().where('tenant_id', tenant.id).firstOrFail()).name,
      'Booking website'
    )
    ;(await client.get(`/api/v1/queues?branch_id=${branch.id}`).bearerToken(key!)).assertStatus(200)
  })

  test('an unknown tenant is a clear error and exit code 1', async ({ assert }) => {
    const command = await ace.create(ApiKeysCreate, ['no-such-tenant', '--name=Booking'])
    await command.exec()
    command.assertFailed()
    assert.include(
      command.logger
        .getLogs()
        .map((log) => log.message)
        .join('\n'),
      'No tenant with the slug "no-such-tenant"'
    )
  })
})

test.group('Admin: API keys', () => {
  async function adminSession(world: World, email = world.owner.email) {
    const session = new HttpSession()
    await session.login(email, PASSWORD)
    await session.get('/admin/api-keys')
    return session
  }

  test('creating a key shows it once, and it works', async ({ client, assert }) => {
    const world = await createWorld()
    const session = await adminSession(world)
    const created = await session.post('/admin/api-keys', { name: 'Booking website' })
    assert.equal(created.status, 302)

    const page = await session.get(created.headers.get('location')!)
    assert.include(page.html, 'data-testid="new-api-key"')
    const key = /value="(lk_[\w-]{43})"/.exec(page.html)?.[1]
    assert.isString(key)
    const apiKey = await ApiKey.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.include(page.html, apiKey.prefix)
    assert.notEqual(apiKey.tokenHash, key)

    const later = await session.get('/admin/api-keys')
    assert.notInclude(later.html, key!)
    assert.include(later.html, 'Booking website')
    ;(
      await client.get(`/api/v1/queues?branch_id=${world.branch.id}`).bearerToken(key!)
    ).assertStatus(200)

    const audit = await AuditLog.query()
      .where('action', 'api_key.created')
      .where('subject_id', String(apiKey.id))
      .firstOrFail()
    assert.equal(audit.userId, world.owner.id)
  })

  test('revoking a key stops it working and is audited', async ({ client, assert }) => {
    const world = await apiWorld()
    const session = await adminSession(world, world.admin.email)
    const revoked = await session.post(`/admin/api-keys/${world.apiKey.id}/revoke`)
    assert.equal(revoked.status, 302)
    ;(
      await client.get(`/api/v1/queues?branch_id=${world.branch.id}`).bearerToken(world.plainKey)
    ).assertStatus(401)
    const page = await session.get('/admin/api-keys')
    assert.include(page.html, 'Dicabut')
    assert.isNotNull(
      await AuditLog.query()
        .where('action', 'api_key.revoked')
        .where('subject_id', String(world.apiKey.id))
        .first()
    )
  })

  test("an operator gets 403; another tenant's key answers 404", async ({ client, assert }) => {
    const world = await apiWorld()
    const other = await apiWorld()
    ;(await client.get('/admin/api-keys').loginAs(world.operator)).assertStatus(403)
    ;(
      await client
        .post('/admin/api-keys')
        .form({ name: 'Sneaky' })
        .withCsrfToken()
        .loginAs(world.operator)
    ).assertStatus(403)
    ;(
      await client
        .post(`/admin/api-keys/${world.apiKey.id}/revoke`)
        .withCsrfToken()
        .loginAs(world.operator)
    ).assertStatus(403)
    ;(
      await client
        .post(`/admin/api-keys/${other.apiKey.id}/revoke`)
        .withCsrfToken()
        .loginAs(world.owner)
    ).assertStatus(404)
    await other.apiKey.refresh()
    assert.isNull(other.apiKey.revokedAt)
    assert.lengthOf(await ApiKey.query().where('tenant_id', world.tenant.id), 1)
  })

  test('an admin limited to one branch may not manage tenant-wide keys', async ({ client }) => {
    const world = await createWorld()
    world.admin.branchId = world.branch.id
    await world.admin.save()
    ;(await client.get('/admin/api-keys').loginAs(world.admin)).assertStatus(403)
  })

  test('the page lists keys with their prefix and links the API docs', async ({ client }) => {
    const world = await apiWorld()
    const response = await client.get('/admin/api-keys').loginAs(world.owner)
    response.assertStatus(200)
    response.assertTextIncludes(world.apiKey.prefix)
    response.assertTextIncludes('Test system')
    response.assertTextIncludes('href="/api/docs"')
  })
})
