import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import Device from '#models/device'
import Ticket from '#models/ticket'
import TicketEvent from '#models/ticket_event'
import KioskReservation from '#models/kiosk_reservation'
import QueueEngine from '#services/queue/queue_engine'
import { rateLimits } from '#start/limiter'
import { createWorld, type World } from '#tests/helpers/world'
import { HttpSession } from '#tests/helpers/http_session'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

function createKiosk(world: World, name = 'Kiosk lobi', paperWidth = 58) {
  return Device.create({
    tenantId: world.tenant.id,
    branchId: world.branch.id,
    kind: 'kiosk',
    name,
    token: `kiosk-${world.key}-${randomUUID().slice(0, 8)}`,
    paperWidth,
  })
}

function post(client: ApiClient, url: string, body: Record<string, unknown>) {
  return client.post(url).json(body).withCsrfToken().accept('json')
}

function take(client: ApiClient, kiosk: Device, body: Record<string, unknown>) {
  return post(client, `/kiosk/${kiosk.token}/tickets`, { request_id: randomUUID(), ...body })
}

async function reserve(client: ApiClient, kiosk: Device) {
  const response = await post(client, `/kiosk/${kiosk.token}/reserve`, {})
  response.assertStatus(200)
  const held: { service_id: number; numbers: number[] }[] = response.body().held
  return new Map(held.map((block) => [block.service_id, block.numbers]))
}

function offline(
  serviceId: number,
  sequence: number,
  takenAt = DateTime.utc().minus({ minutes: 2 })
) {
  return { id: randomUUID(), service_id: serviceId, sequence, taken_at: takenAt.toISO() }
}

async function sync(client: ApiClient, kiosk: Device, tickets: ReturnType<typeof offline>[]) {
  const response = await post(client, `/kiosk/${kiosk.token}/sync`, { tickets })
  response.assertStatus(200)
  return response.body().results as { id: string; status: string; reason?: string }[]
}

/** A kiosk (of a new world unless told) that has reserved its block of numbers. */
async function kioskWithBlock(client: ApiClient, world?: World) {
  world ??= await createWorld()
  const kiosk = await createKiosk(world)
  await reserve(client, kiosk)
  return { world, service: world.services[0], kiosk }
}

test.group('Kiosk: the screen', () => {
  test('shows the three languages and the open services with how many wait', async ({
    client,
    assert,
  }) => {
    const world = await createWorld({ services: 3 })
    world.services[0].nameEn = 'General check-up'
    await world.services[0].save()
    world.services[2].isActive = false
    await world.services[2].save()
    await engine.take(world.branch, world.services[1], { channel: 'web' })
    const kiosk = await createKiosk(world)

    const response = await client.get(`/kiosk/${kiosk.token}`)
    response.assertStatus(200)
    for (const text of [
      'Bahasa Indonesia',
      'English',
      'Bahasa Melayu',
      'Pilih layanan',
      'Layanan 1',
      '1 orang menunggu',
    ]) {
      response.assertTextIncludes(text)
    }
    assert.notInclude(response.text(), 'Layanan 3')
    // The English names travel with the page, so the kiosk switches language without the network.
    assert.include(response.text(), 'General check-up')
    assert.isNotNull((await Device.findOrFail(kiosk.id)).lastSeenAt)
  })

  test("an unknown token, or a TV display's token, answers 404", async ({ client }) => {
    const world = await createWorld()
    ;(await client.get('/kiosk/no-such-kiosk')).assertStatus(404)
    ;(await client.get(`/kiosk/${world.display.token}`)).assertStatus(404)
  })
})

test.group('Kiosk: taking a number', () => {
  test('takes a number for the kiosk: channel kiosk, its device, a QR code to the ticket page', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const kiosk = await createKiosk(world)

    const response = await take(client, kiosk, { service_id: world.services[0].id })
    response.assertStatus(201)
    const body = response.body().ticket
    const ticket = await Ticket.findOrFail(body.id)
    assert.equal(ticket.number, 'A001')
    assert.equal(ticket.channel, 'kiosk')
    assert.equal(ticket.deviceId, kiosk.id)
    assert.equal(body.number, 'A001')
    assert.equal(body.ahead, 0)
    assert.match(body.url, new RegExp(`^https?://[^/]+/t/${ticket.id}$`))
    assert.include(body.qr_svg, '<svg')
    assert.equal(body.print_url, `/kiosk/${kiosk.token}/tickets/${ticket.id}/print`)
  })

  test('keeps the phone number in E.164 and refuses one that is not a phone number', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const kiosk = await createKiosk(world)

    const good = await take(client, kiosk, {
      service_id: world.services[0].id,
      phone: '0812-3456-7890',
    })
    good.assertStatus(201)
    assert.equal((await Ticket.findOrFail(good.body().ticket.id)).customerPhone, '+6281234567890')

    const bad = await take(client, kiosk, { service_id: world.services[0].id, phone: '12' })
    bad.assertStatus(422)
    assert.equal(bad.body().error.code, 'E_INVALID_PHONE')
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 1)
  })

  test('a double tap with the same request id gives one ticket', async ({ client, assert }) => {
    const world = await createWorld()
    const kiosk = await createKiosk(world)
    const body = { service_id: world.services[0].id, request_id: randomUUID() }
    const first = await take(client, kiosk, body)
    const second = await take(client, kiosk, body)
    assert.equal(first.body().ticket.id, second.body().ticket.id)
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 1)
  })

  test("a full service answers with the engine's message, in the visitor's language", async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    world.services[0].dailyCapacity = 1
    await world.services[0].save()
    const kiosk = await createKiosk(world)
    ;(await take(client, kiosk, { service_id: world.services[0].id })).assertStatus(201)

    const full = await client
      .post(`/kiosk/${kiosk.token}/tickets?lang=en`)
      .json({ service_id: world.services[0].id, request_id: randomUUID() })
      .withCsrfToken()
      .accept('json')
    full.assertStatus(409)
    assert.equal(full.body().error.code, 'E_SERVICE_FULL')
    assert.include(full.body().error.message, 'Layanan 1')
    assert.include(full.body().error.message, 'all taken')
  })

  test("another tenant's service answers 404, and nothing is taken without a CSRF token", async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const other = await createWorld()
    const kiosk = await createKiosk(world)
    ;(await take(client, kiosk, { service_id: other.services[0].id })).assertStatus(404)

    const noCsrf = await client
      .post(`/kiosk/${kiosk.token}/tickets`)
      .json({ service_id: world.services[0].id, request_id: randomUUID() })
      .accept('json')
    assert.oneOf(noCsrf.status(), [403, 419])
    assert.lengthOf(
      await Ticket.query().whereIn('branch_id', [world.branch.id, other.branch.id]),
      0
    )
  })

  test('kiosks are rate limited each on its own, not per IP', async ({
    client,
    assert,
    cleanup,
  }) => {
    const world = await createWorld()
    const one = await createKiosk(world, 'Kiosk 1')
    const two = await createKiosk(world, 'Kiosk 2')
    const before = rateLimits.takePerMinute
    rateLimits.takePerMinute = 2
    cleanup(() => {
      rateLimits.takePerMinute = before
    })

    const statuses = []
    for (let index = 0; index < 3; index++) {
      statuses.push((await take(client, one, { service_id: world.services[0].id })).status())
    }
    assert.deepEqual(statuses, [201, 201, 429])
    ;(await take(client, two, { service_id: world.services[0].id })).assertStatus(201)
  })
})

test.group('Kiosk: offline blocks', () => {
  test('reserve gives two kiosks distinct blocks of the same sequence, and tops up only what is used', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const [a, b] = world.services
    const one = await createKiosk(world, 'Kiosk 1')
    const two = await createKiosk(world, 'Kiosk 2')

    const first = await reserve(client, one)
    const second = await reserve(client, two)
    assert.deepEqual(first.get(a.id), [1, 2, 3, 4, 5])
    assert.deepEqual(first.get(b.id), [1, 2, 3, 4, 5])
    assert.deepEqual(second.get(a.id), [6, 7, 8, 9, 10])

    // Nothing used: asking again sets nothing more aside.
    assert.deepEqual((await reserve(client, one)).get(a.id), [1, 2, 3, 4, 5])
    assert.lengthOf(await KioskReservation.query().where('device_id', one.id), 2)

    // Online numbers continue after the blocks.
    assert.equal((await engine.take(world.branch, a, { channel: 'web' })).number, 'A011')
  })

  test("a block never goes past the service's daily capacity", async ({ client, assert }) => {
    const world = await createWorld()
    const [limited, open] = world.services
    limited.dailyCapacity = 3
    await limited.save()
    const kiosk = await createKiosk(world)

    const held = await reserve(client, kiosk)
    assert.deepEqual(held.get(limited.id), [1, 2, 3])
    assert.deepEqual(held.get(open.id), [1, 2, 3, 4, 5])
    await assert.rejects(
      () => engine.take(world.branch, limited, { channel: 'web' }),
      'service_full'
    )
  })

  test('sync creates the printed tickets with their ids and numbers; a repeat changes nothing', async ({
    client,
    assert,
  }) => {
    const { world, service, kiosk } = await kioskWithBlock(client)

    const printed = [
      offline(service.id, 1, DateTime.utc()),
      { ...offline(service.id, 2, DateTime.utc().plus({ hours: 1 })), phone: '081234567890' },
    ]
    const results = await sync(client, kiosk, printed)
    assert.deepEqual(
      results.map((result) => result.status),
      ['created', 'created']
    )

    const tickets = await Ticket.query().where('branch_id', world.branch.id).orderBy('sequence')
    assert.deepEqual(
      tickets.map((ticket) => [
        ticket.id,
        ticket.number,
        ticket.channel,
        ticket.deviceId,
        ticket.status,
      ]),
      [
        [printed[0].id, 'A001', 'kiosk', kiosk.id, 'waiting'],
        [printed[1].id, 'A002', 'kiosk', kiosk.id, 'waiting'],
      ]
    )
    // Queued when printed (never before its block was reserved); a kiosk clock ahead of time is clamped to now.
    assert.closeTo(
      tickets[0].queuedAt.toMillis(),
      DateTime.fromISO(printed[0].taken_at!).toMillis(),
      5
    )
    assert.isAtMost(tickets[1].queuedAt.toMillis(), Date.now())
    assert.equal(tickets[1].customerPhone, '+6281234567890')
    const events = await TicketEvent.query().whereIn('ticket_id', [printed[0].id, printed[1].id])
    assert.deepEqual(
      events.map((event) => event.type),
      ['created', 'created']
    )

    const again = await sync(client, kiosk, printed)
    assert.deepEqual(
      again.map((result) => result.status),
      ['exists', 'exists']
    )
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 2)
    assert.lengthOf(
      await TicketEvent.query().whereIn('ticket_id', [printed[0].id, printed[1].id]),
      2
    )

    // The kiosk tops its block up again: the three unused numbers and two new ones.
    assert.deepEqual((await reserve(client, kiosk)).get(service.id), [3, 4, 5, 6, 7])
  })

  test("a number outside the kiosk's blocks, another kiosk's number, another tenant's service are refused", async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const other = await createWorld()
    const service = world.services[0]
    const mine = await createKiosk(world, 'Kiosk 1')
    const theirs = await createKiosk(world, 'Kiosk 2')
    const foreign = await createKiosk(other)
    await reserve(client, mine)
    const theirBlock = (await reserve(client, theirs)).get(service.id)!
    await reserve(client, foreign)
    const sameId = offline(service.id, 2)

    const results = await sync(client, mine, [
      offline(service.id, 50),
      offline(service.id, theirBlock[0]),
      offline(other.services[0].id, 1),
      offline(service.id, 1),
      { ...sameId },
      { ...sameId, sequence: 3 },
    ])
    assert.deepEqual(
      results.map((result) => [result.status, result.reason]),
      [
        ['refused', 'not_reserved'],
        ['refused', 'not_reserved'],
        ['refused', 'unknown_service'],
        ['created', undefined],
        ['created', undefined],
        ['refused', 'id_taken'],
      ]
    )
    const tickets = await Ticket.query()
      .whereIn('branch_id', [world.branch.id, other.branch.id])
      .orderBy('sequence')
    assert.deepEqual(
      tickets.map((ticket) => ticket.sequence),
      [1, 2]
    )
  })

  test("another tenant's ticket id is answered as an id never seen, and stays as it was", async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const other = await createWorld()
    const theirs = await engine.take(other.branch, other.services[0], { channel: 'web' })
    const { kiosk } = await kioskWithBlock(client, world)
    const [known, unknown] = await sync(client, kiosk, [
      { ...offline(world.services[0].id, 40), id: theirs.id as ReturnType<typeof randomUUID> },
      offline(world.services[0].id, 40),
    ])
    assert.deepEqual([known.status, known.reason], [unknown.status, unknown.reason])
    assert.equal(known.reason, 'not_reserved')
    const untouched = await Ticket.findOrFail(theirs.id)
    assert.equal(untouched.branchId, other.branch.id)
    assert.equal(untouched.number, theirs.number)
  })

  test('a block from yesterday, or from before an admin reset of the day, has expired', async ({
    client,
    assert,
  }) => {
    const { world, service, kiosk } = await kioskWithBlock(client)

    const yesterday = await sync(client, kiosk, [
      offline(service.id, 1, DateTime.utc().minus({ days: 1 })),
    ])
    assert.deepEqual(yesterday[0].reason, 'expired')

    await engine.resetToday(world.branch, { user: world.admin })
    const afterReset = await sync(client, kiosk, [offline(service.id, 2)])
    assert.deepEqual(afterReset[0].reason, 'expired')
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 0)

    // A fresh block in the new cycle.
    assert.deepEqual((await reserve(client, kiosk)).get(service.id), [1, 2, 3, 4, 5])
  })

  test('reserved numbers never collide with numbers taken online at the same time', async ({
    client,
    assert,
  }) => {
    const world = await createWorld({ services: 1 })
    const service = world.services[0]
    const kiosk = await createKiosk(world)
    await engine.take(world.branch, service, { channel: 'web' })
    const block = (await reserve(client, kiosk)).get(service.id)!
    assert.deepEqual(block, [2, 3, 4, 5, 6])

    const visitor = new HttpSession()
    await visitor.get(`/b/${world.branch.slug}`)
    const [results, ...online] = await Promise.all([
      sync(
        client,
        kiosk,
        block.map((sequence) => offline(service.id, sequence))
      ),
      ...Array.from({ length: 30 }, () =>
        visitor.post(`/b/${world.branch.slug}/tickets`, { service_id: service.id })
      ),
    ])
    assert.deepEqual([...new Set(online.map((response) => response.status))], [303])
    assert.deepEqual([...new Set(results.map((result) => result.status))], ['created'])

    const tickets = await Ticket.query().where('service_id', service.id)
    assert.lengthOf(tickets, 36)
    assert.equal(new Set(tickets.map((ticket) => ticket.number)).size, 36)
    const fromKiosk = tickets
      .filter((ticket) => ticket.deviceId === kiosk.id)
      .map((ticket) => ticket.sequence)
    assert.sameMembers(fromKiosk, block)
    const sequences = tickets.map((ticket) => ticket.sequence).sort((x, y) => x - y)
    assert.deepEqual(
      sequences,
      Array.from({ length: 36 }, (_, index) => index + 1)
    )
  }).timeout(60_000)
})

test.group('Kiosk: the print view', () => {
  test("prints the kiosk's own ticket for its paper width, framable by this site only", async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const kiosk = await createKiosk(world, 'Kiosk 80', 80)
    const taken = await take(client, kiosk, { service_id: world.services[0].id })
    const id = taken.body().ticket.id

    const response = await client.get(`/kiosk/${kiosk.token}/tickets/${id}/print?lang=en`)
    response.assertStatus(200)
    response.assertTextIncludes('@page { size: 80mm')
    response.assertTextIncludes('paper-80')
    response.assertTextIncludes('A001')
    response.assertTextIncludes('You are next')
    response.assertTextIncludes('<svg')
    assert.equal(response.header('x-frame-options'), 'SAMEORIGIN')
    assert.include(response.header('content-security-policy'), "frame-ancestors 'self'")
  })

  test("another kiosk's ticket, another tenant's, or a web ticket answers 404", async ({
    client,
  }) => {
    const world = await createWorld()
    const other = await createWorld()
    const mine = await createKiosk(world, 'Kiosk 1')
    const theirs = await createKiosk(world, 'Kiosk 2')
    const foreign = await createKiosk(other)
    const id = (await take(client, mine, { service_id: world.services[0].id })).body().ticket.id
    const web = await engine.take(world.branch, world.services[0], { channel: 'web' })

    ;(await client.get(`/kiosk/${theirs.token}/tickets/${id}/print`)).assertStatus(404)
    ;(await client.get(`/kiosk/${foreign.token}/tickets/${id}/print`)).assertStatus(404)
    ;(await client.get(`/kiosk/${mine.token}/tickets/${web.id}/print`)).assertStatus(404)
    ;(await client.get(`/kiosk/${mine.token}/tickets/not-a-uuid/print`)).assertStatus(404)
  })
})
