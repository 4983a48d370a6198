import { test } from '@japa/runner'
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import WebhookDelivery from '#models/webhook_delivery'
import WebhookEndpoint from '#models/webhook_endpoint'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import jobs from '#support/jobs'
import metrics from '#support/metrics'
import QueueEngine from '#services/queue/queue_engine'
import WebhookEndpoints from '#services/messaging/webhook_endpoints'
import Webhooks, { USER_AGENT } from '#services/messaging/webhooks'
import { MAX_ATTEMPTS } from '#services/messaging/outbox'
import { createWorld, PASSWORD, type World } from '#tests/helpers/world'
import { HttpSession } from '#tests/helpers/http_session'
import type { WebhookEvent } from '#enums/messaging'
import app from '@adonisjs/core/services/app'
import { eventually, jobsSettled } from '#tests/helpers/wait'
import type { TestContext } from '@japa/runner/core'

const webhookEndpoints = await app.container.make(WebhookEndpoints)
const webhooksService = await app.container.make(Webhooks)

const engine = await app.container.make(QueueEngine)
const TICKET_EVENTS: WebhookEvent[] = ['ticket.created', 'ticket.called', 'ticket.completed']

/*
| The receiver's check, exactly as the README's "Outgoing webhooks" section gives it to receivers.
*/
const TOLERANCE_SECONDS = 5 * 60

function verifyLoketSignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  secret: string,
  now = Math.floor(Date.now() / 1000)
) {
  let timestamp = Number.NaN
  const signatures: string[] = []
  for (const part of String(header ?? '').split(',')) {
    const [key, value] = part.trim().split('=')
    if (key === 't') timestamp = Number(value)
    if (key === 'v1' && value) signatures.push(value)
  }
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > TOLERANCE_SECONDS) return false
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest()
  return signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex')
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

interface Received {
  headers: IncomingHttpHeaders
  raw: Buffer
  verified: boolean
  status: number
  body: { id: string; type: string; created_at: string; data: Record<string, any> } | null
}

/**
 * A receiver like the README's: it checks the signature (400 when wrong), skips event ids it has
 * handled, and answers what `answer` says for the nth request it gets (200 by default).
 */
async function startReceiver(answer: (nth: number) => number = () => 200) {
  const receiver = {
    secret: '',
    answer,
    requests: [] as Received[],
    /** Event ids handled (answered 2xx once each). */
    handled: [] as string[],
    url: '',
    /** Where a 3xx answer points. */
    location: '/',
    close: async () => {},
  }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      const verified = verifyLoketSignature(
        raw,
        request.headers['loket-signature'],
        receiver.secret
      )
      const body = verified ? JSON.parse(raw.toString('utf8')) : null
      const status = verified ? receiver.answer(receiver.requests.length + 1) : 400
      if (verified && status < 300 && !receiver.handled.includes(body.id))
        receiver.handled.push(body.id)
      receiver.requests.push({ headers: request.headers, raw, verified, status, body })
      const headers = {
        'content-type': 'text/plain',
        ...(status >= 300 && status < 400 ? { location: receiver.location } : {}),
      }
      response.writeHead(status, headers).end(status === 200 ? 'ok' : `refused with ${status}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/loket-webhook`
  receiver.close = async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  return receiver
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>

/** A receiver (see startReceiver) that is closed when the test ends. */
async function openReceiver(cleanup: TestContext['cleanup'], answer?: (nth: number) => number) {
  const receiver = await startReceiver(answer)
  cleanup(() => receiver.close())
  return receiver
}

/** An endpoint of the world's tenant posting to `receiver`, which learns its secret. */
async function endpointFor(
  world: World,
  receiver: Receiver,
  events: WebhookEvent[] = TICKET_EVENTS,
  description = 'Test receiver'
) {
  const { endpoint, secret } = await webhookEndpoints.create(
    world.tenant,
    { url: receiver.url, description, events, isActive: true },
    { user: world.owner }
  )
  receiver.secret = secret
  return endpoint
}

/** An active ticket.created endpoint of the world's tenant at `url`, for tests that deliver nothing. */
async function endpointAt(world: World, url: string) {
  const { endpoint } = await webhookEndpoints.create(
    world.tenant,
    { url, events: ['ticket.created'], isActive: true },
    { user: world.owner }
  )
  return endpoint
}

/**
 * A fresh world with an endpoint for ticket.created posting to a receiver that answers as `answer`
 * says; the receiver is closed when the test ends.
 */
async function receiverWorld(cleanup: TestContext['cleanup'], answer?: (nth: number) => number) {
  const world = await createWorld()
  const receiver = await openReceiver(cleanup, answer)
  const endpoint = await endpointFor(world, receiver, ['ticket.created'])
  return { world, receiver, endpoint }
}

/** Takes a number in the world, and returns the (first) delivery `endpoint` got for it. */
async function takeNumberFor(world: World, endpoint: WebhookEndpoint) {
  await engine.take(world.branch, world.services[0], { channel: 'web' })
  const [row] = await deliveriesOf(endpoint)
  return row
}

/** Waits until no job for the delivery is pending: a late attempt changes nothing asserted after. */
function deliveryJobsSettled(deliveryId: number) {
  return jobsSettled((name, payload) => name === 'deliver-webhook' && payload?.id === deliveryId)
}

/** Polls `check` (after letting in-process jobs finish) until it holds; fails the test naming `what`. */
async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000) {
  const held = await eventually(async () => {
    await jobs.idle()
    return check()
  }, timeoutMs)
  if (!held) throw new Error(`timed out waiting for ${what}`)
}

/** Waits for a delivery to reach `status` (in-process jobs and Bull alike) and returns it. */
async function deliveryIn(id: number, status: string | string[]) {
  const statuses = [status].flat()
  await until(
    async () => statuses.includes((await WebhookDelivery.findOrFail(id)).status),
    `delivery ${id} to be ${statuses.join('|')}`
  )
  return WebhookDelivery.findOrFail(id)
}

function deliveriesOf(endpoint: WebhookEndpoint) {
  return WebhookDelivery.query().where('endpoint_id', endpoint.id).orderBy('id')
}

/** A delivery row written straight to the log (no job): for log pages and edge cases. */
async function insertDelivery(
  endpoint: WebhookEndpoint,
  fields: Partial<Record<string, string | number | null>> = {}
) {
  const at = toSqlDateTime(clock.now())
  const [id] = await db.table('webhook_deliveries').insert({
    tenant_id: endpoint.tenantId,
    endpoint_id: endpoint.id,
    event: 'ticket.created',
    event_id: randomUUID(),
    payload: '{"id":"x","type":"ticket.created","created_at":"2026-01-01T00:00:00.000Z","data":{}}',
    status: 'dead',
    attempts: MAX_ATTEMPTS,
    last_error: 'The endpoint answered HTTP 500',
    response_status: 500,
    created_at: at,
    updated_at: at,
    ...fields,
  })
  return WebhookDelivery.findOrFail(Number(id))
}

/** How many rows a query finds. */
async function count(query: { count: (column: string) => any }) {
  const [row] = await query.count('* as total')
  return Number(row.$extras.total)
}

async function adminSession(world: World) {
  const session = new HttpSession()
  await session.login(world.owner.email, PASSWORD)
  await session.get('/admin/webhooks')
  return session
}

test.group('Webhooks: delivery', (group) => {
  group.setup(() => jobs.startWorkers())

  test('taking, calling and completing a number delivers ticket.created, .called and .completed, signed, to the subscribed endpoint only', async ({
    assert,
    cleanup,
  }) => {
    const world = await createWorld()
    const subscribed = await openReceiver(cleanup)
    const unsubscribed = await openReceiver(cleanup)
    const endpoint = await endpointFor(world, subscribed)
    const other = await endpointFor(world, unsubscribed, ['notification.sent'])

    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    await engine.callNext(world.branch, { counter: world.counters[0], by: world.operator })
    await engine.complete(ticket, { counter: world.counters[0], by: world.operator })

    await until(() => subscribed.handled.length === 3, 'three events')
    // The receiver answers before the worker writes down the answer: wait for each row too.
    for (const row of await deliveriesOf(endpoint)) await deliveryIn(row.id, ['sent', 'failed'])
    const rows = await deliveriesOf(endpoint)
    assert.deepEqual(
      rows.map((row) => [
        row.event,
        row.status,
        row.attempts,
        row.responseStatus,
        row.responseExcerpt,
      ]),
      [
        ['ticket.created', 'sent', 1, 200, 'ok'],
        ['ticket.called', 'sent', 1, 200, 'ok'],
        ['ticket.completed', 'sent', 1, 200, 'ok'],
      ]
    )
    for (const row of rows) {
      assert.isAtLeast(row.durationMs!, 0)
      assert.isNotNull(row.sentAt)
    }

    const byEvent = new Map(
      subscribed.requests.map((request) => [request.headers['loket-event'], request])
    )
    assert.sameMembers([...byEvent.keys()], TICKET_EVENTS)
    for (const row of rows) {
      const request = byEvent.get(row.event)!
      assert.isTrue(request.verified)
      assert.equal(
        request.raw.toString('utf8'),
        row.payload,
        'the stored payload is sent byte for byte'
      )
      assert.equal(request.headers['content-type'], 'application/json')
      assert.equal(request.headers['user-agent'], USER_AGENT)
      assert.equal(request.headers['loket-delivery'], String(row.id))
      assert.equal(request.headers['loket-event-id'], row.eventId)
      assert.match(String(request.headers['loket-signature']), /^t=\d{10},v1=[0-9a-f]{64}$/)
      assert.deepEqual(Object.keys(request.body!), ['id', 'type', 'created_at', 'data'])
      assert.equal(request.body!.id, row.eventId)
      assert.equal(request.body!.type, row.event)
      assert.match(request.body!.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      assert.containsSubset(request.body!.data.ticket, {
        id: ticket.id,
        number: 'A001',
        branch_id: world.branch.id,
        service_id: world.services[0].id,
      })
    }
    assert.equal(byEvent.get('ticket.called')!.body!.data.ticket.status, 'called')
    assert.equal(byEvent.get('ticket.completed')!.body!.data.ticket.status, 'done')
    assert.isString(byEvent.get('ticket.completed')!.body!.data.ticket.completed_at)

    assert.lengthOf(unsubscribed.requests, 0)
    assert.lengthOf(await deliveriesOf(other), 0)
    assert.match(
      await metrics.render(),
      /loket_outbox_deliveries_total\{kind="webhook",channel="webhook",outcome="sent"\} \d+/
    )
    assert.match(
      await metrics.render(),
      /loket_outbox_delivery_latency_seconds_count\{kind="webhook",channel="webhook"\} \d+/
    )
  })

  test('a receiver that fails twice with 500 gets the event exactly once, on the third attempt', async ({
    assert,
    cleanup,
  }) => {
    const { world, receiver, endpoint } = await receiverWorld(cleanup, (nth) =>
      nth <= 2 ? 500 : 200
    )

    const row = await takeNumberFor(world, endpoint)
    const delivered = await deliveryIn(row.id, ['sent', 'dead'])
    await deliveryJobsSettled(row.id)

    assert.equal(delivered.status, 'sent')
    assert.equal(delivered.attempts, 3)
    assert.equal(delivered.responseStatus, 200)
    assert.isNull(delivered.lastError)
    assert.deepEqual(
      receiver.requests.map((request) => request.status),
      [500, 500, 200]
    )
    assert.isTrue(
      receiver.requests.every(
        (request) => request.verified && request.body!.id === delivered.eventId
      )
    )
    assert.isTrue(
      receiver.requests.every(
        (request) => request.headers['loket-delivery'] === String(delivered.id)
      )
    )
    assert.deepEqual(receiver.handled, [delivered.eventId])
    assert.lengthOf(
      receiver.requests.filter((request) => request.status === 200),
      1
    )
  })

  test('an endpoint that always fails is dead after 5 attempts; an admin retry then delivers it', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { world, receiver, endpoint } = await receiverWorld(cleanup, () => 500)

    const row = await takeNumberFor(world, endpoint)
    const dead = await deliveryIn(row.id, 'dead')
    await deliveryJobsSettled(row.id)
    assert.equal(dead.attempts, MAX_ATTEMPTS)
    assert.equal(dead.responseStatus, 500)
    assert.equal(dead.responseExcerpt, 'refused with 500')
    assert.equal(dead.lastError, 'The endpoint answered HTTP 500')
    assert.lengthOf(receiver.requests, MAX_ATTEMPTS)
    assert.lengthOf(receiver.handled, 0)

    const log = await client.get(`/admin/webhooks/${endpoint.id}?status=dead`).loginAs(world.owner)
    log.assertStatus(200)
    log.assertTextIncludes(`data-delivery="${dead.id}" data-status="dead"`)
    log.assertTextIncludes('The endpoint answered HTTP 500')

    receiver.answer = () => 200
    const retried = await client
      .post(`/admin/webhooks/${endpoint.id}/deliveries/${dead.id}/retry`)
      .form({ status: 'dead' })
      .withCsrfToken()
      .loginAs(world.owner)
      .redirects(0)
    retried.assertStatus(302)
    assert.equal(retried.header('location'), `/admin/webhooks/${endpoint.id}?status=dead`)
    const sent = await deliveryIn(dead.id, ['sent', 'dead'])
    assert.equal(sent.status, 'sent')
    assert.equal(sent.attempts, 1)
    assert.equal(sent.responseStatus, 200)
    assert.deepEqual(receiver.handled, [dead.eventId])
    const audit = await AuditLog.query()
      .where('action', 'webhook_delivery.retried')
      .where('subject_id', String(dead.id))
      .firstOrFail()
    assert.equal(audit.userId, world.owner.id)
    assert.equal(audit.tenantId, world.tenant.id)
  }).timeout(40_000)

  test('a redirect is not followed: it counts as a failed attempt', async ({ assert, cleanup }) => {
    const { world, receiver, endpoint } = await receiverWorld(cleanup, () => 302)
    const target = await openReceiver(cleanup)
    target.secret = receiver.secret
    receiver.location = target.url

    const row = await takeNumberFor(world, endpoint)
    const dead = await deliveryIn(row.id, ['dead', 'sent'])
    assert.equal(dead.status, 'dead')
    assert.equal(dead.responseStatus, 302)
    assert.equal(dead.lastError, 'The endpoint answered HTTP 302 (redirects are not followed)')
    assert.lengthOf(target.requests, 0)
  }).timeout(40_000)

  test('an unreachable endpoint is a failed attempt with the network error in the log', async ({
    assert,
  }) => {
    const world = await createWorld()
    const closed = await startReceiver()
    await closed.close()
    const endpoint = await endpointFor(world, closed, ['ticket.created'])

    const row = await takeNumberFor(world, endpoint)
    const dead = await deliveryIn(row.id, 'dead')
    assert.equal(dead.attempts, MAX_ATTEMPTS)
    assert.isNull(dead.responseStatus)
    assert.match(dead.lastError!, /^Could not reach the endpoint: .*ECONNREFUSED/)
  }).timeout(40_000)

  test('a delivery to a deactivated endpoint is suppressed, not sent', async ({
    assert,
    cleanup,
  }) => {
    const { world, receiver, endpoint } = await receiverWorld(cleanup)
    const waiting = await insertDelivery(endpoint, {
      status: 'queued',
      attempts: 0,
      last_error: null,
      response_status: null,
    })
    await webhookEndpoints.update(
      endpoint,
      { url: endpoint.url, events: endpoint.events, isActive: false },
      { user: world.owner }
    )

    await webhooksService.deliver(waiting.id)
    await waiting.refresh()
    assert.equal(waiting.status, 'suppressed')
    assert.equal(waiting.lastError, 'The endpoint is deactivated')
    assert.lengthOf(receiver.requests, 0)

    await engine.take(world.branch, world.services[0], { channel: 'web' })
    assert.lengthOf(
      await deliveriesOf(endpoint),
      1,
      'a deactivated endpoint gets no new deliveries'
    )
  })
})

test.group('Webhooks: admin pages', (group) => {
  group.setup(() => jobs.startWorkers())

  test('creating an endpoint shows its secret once, and the endpoint then receives events signed with it', async ({
    assert,
    cleanup,
  }) => {
    const world = await createWorld()
    const receiver = await openReceiver(cleanup)
    const session = await adminSession(world)

    const created = await session.post('/admin/webhooks', {
      'url': receiver.url,
      'description': 'SIMRS',
      'events[]': 'ticket.created',
      'is_active': '1',
    })
    assert.equal(created.status, 302)
    const endpoint = await WebhookEndpoint.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.equal(created.headers.get('location'), `/admin/webhooks/${endpoint.id}`)
    assert.deepEqual(endpoint.events, ['ticket.created'])
    assert.equal(endpoint.description, 'SIMRS')

    const page = await session.get(`/admin/webhooks/${endpoint.id}`)
    assert.include(page.html, 'data-testid="webhook-secret"')
    const secret = /value="(whsec_[\w-]{43})"/.exec(page.html)?.[1]
    assert.equal(secret, endpoint.secret)
    const stored = await db.from('webhook_endpoints').where('id', endpoint.id).firstOrFail()
    assert.notInclude(stored.secret, secret!, 'the secret is encrypted at rest')
    const later = await session.get(`/admin/webhooks/${endpoint.id}`)
    assert.notInclude(later.html, secret!)
    const list = await session.get('/admin/webhooks')
    assert.include(list.html, receiver.url)
    assert.include(list.html, 'SIMRS')

    receiver.secret = secret!
    await engine.take(world.branch, world.services[0], { channel: 'web' })
    await until(() => receiver.handled.length === 1, 'the first event')
    assert.isTrue(receiver.requests[0].verified)

    const audit = await AuditLog.query()
      .where('action', 'webhook_endpoint.created')
      .where('subject_id', String(endpoint.id))
      .firstOrFail()
    assert.equal(audit.userId, world.owner.id)
    assert.containsSubset(audit.changes, {
      url: receiver.url,
      events: ['ticket.created'],
      is_active: true,
    })
    assert.notInclude(JSON.stringify(audit.changes), 'whsec_')
  })

  test('editing URL, description, events and on/off is saved and audited', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { world, receiver, endpoint } = await receiverWorld(cleanup)

    const form = await client.get(`/admin/webhooks/${endpoint.id}/edit`).loginAs(world.admin)
    form.assertStatus(200)
    form.assertTextIncludes('value="notification.sent"')
    const updated = await client
      .put(`/admin/webhooks/${endpoint.id}`)
      .form({
        'url': `${receiver.url}?v=2`,
        'description': 'CRM',
        'events[]': ['ticket.completed', 'ticket.called'],
      })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    updated.assertStatus(302)
    await endpoint.refresh()
    assert.equal(endpoint.url, `${receiver.url}?v=2`)
    assert.equal(endpoint.description, 'CRM')
    assert.deepEqual(endpoint.events, ['ticket.called', 'ticket.completed'])
    assert.isFalse(endpoint.isActive)

    const audit = await AuditLog.query()
      .where('action', 'webhook_endpoint.updated')
      .where('subject_id', String(endpoint.id))
      .firstOrFail()
    assert.equal(audit.userId, world.admin.id)
    assert.deepEqual(audit.changes!.events, [
      ['ticket.created'],
      ['ticket.called', 'ticket.completed'],
    ])
    assert.deepEqual(audit.changes!.is_active, [true, false])

    await engine.take(world.branch, world.services[0], { channel: 'web' })
    await engine.callNext(world.branch, { counter: world.counters[0], by: world.operator })
    assert.lengthOf(await deliveriesOf(endpoint), 0, 'a switched-off endpoint gets nothing')
  })

  test('the test button delivers webhook.test to that endpoint only', async ({
    assert,
    client,
    cleanup,
  }) => {
    const world = await createWorld()
    const tested = await openReceiver(cleanup)
    const bystander = await openReceiver(cleanup)
    const endpoint = await endpointFor(world, tested, ['ticket.created'])
    await endpointFor(world, bystander, ['ticket.created', 'notification.sent'])

    const response = await client
      .post(`/admin/webhooks/${endpoint.id}/test`)
      .withCsrfToken()
      .loginAs(world.owner)
      .redirects(0)
    response.assertStatus(302)
    await until(() => tested.handled.length === 1, 'the test event')
    const [row] = await deliveriesOf(endpoint)
    assert.equal((await deliveryIn(row.id, 'sent')).event, 'webhook.test')
    const [request] = tested.requests
    assert.isTrue(request.verified)
    assert.equal(request.headers['loket-event'], 'webhook.test')
    assert.equal(request.body!.type, 'webhook.test')
    assert.containsSubset(request.body!.data, { endpoint: { id: endpoint.id, url: tested.url } })
    assert.lengthOf(bystander.requests, 0)
    assert.equal(await count(WebhookDelivery.query().where('tenant_id', world.tenant.id)), 1)
    assert.isNotNull(
      await AuditLog.query()
        .where('action', 'webhook_endpoint.test_sent')
        .where('subject_id', String(endpoint.id))
        .first()
    )
  })

  test('rotating the secret shows the new one once; deliveries are signed with it, not the old one', async ({
    assert,
    cleanup,
  }) => {
    const { world, receiver, endpoint } = await receiverWorld(cleanup)
    const oldSecret = receiver.secret
    const session = await adminSession(world)

    await session.post(`/admin/webhooks/${endpoint.id}/test`)
    await until(() => receiver.handled.length === 1, 'the first test event')
    assert.isTrue(receiver.requests[0].verified)

    const rotated = await session.post(`/admin/webhooks/${endpoint.id}/rotate`)
    assert.equal(rotated.status, 302)
    const page = await session.get(`/admin/webhooks/${endpoint.id}`)
    const newSecret = /value="(whsec_[\w-]{43})"/.exec(page.html)?.[1]
    assert.isString(newSecret)
    assert.notEqual(newSecret, oldSecret)

    receiver.secret = newSecret!
    await session.post(`/admin/webhooks/${endpoint.id}/test`)
    await until(() => receiver.handled.length === 2, 'the second test event')
    const [before, after] = receiver.requests
    assert.isTrue(after.verified)
    assert.isFalse(verifyLoketSignature(after.raw, after.headers['loket-signature'], oldSecret))
    assert.isTrue(verifyLoketSignature(before.raw, before.headers['loket-signature'], oldSecret))
    assert.notEqual(
      String(after.headers['loket-signature']).split(',v1=')[1],
      String(before.headers['loket-signature']).split(',v1=')[1]
    )

    const audits = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('subject_type', 'webhook_endpoint')
    assert.includeMembers(
      audits.map((audit) => audit.action),
      ['webhook_endpoint.created', 'webhook_endpoint.secret_rotated']
    )
    assert.notInclude(JSON.stringify(audits.map((audit) => audit.changes)), 'whsec_')
  })

  test('deleting an endpoint stops its deliveries and removes its log', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { world, receiver, endpoint } = await receiverWorld(cleanup, () => 500)

    const row = await takeNumberFor(world, endpoint)
    await until(() => receiver.requests.length >= 1, 'the first attempt')
    const response = await client
      .delete(`/admin/webhooks/${endpoint.id}`)
      .withCsrfToken()
      .loginAs(world.owner)
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/admin/webhooks')
    const attemptsSoFar = receiver.requests.length

    await deliveryJobsSettled(row.id)
    assert.isAtMost(
      receiver.requests.length,
      attemptsSoFar + 1,
      'at most the attempt already on its way'
    )
    assert.isNull(await WebhookEndpoint.find(endpoint.id))
    assert.isNull(await WebhookDelivery.find(row.id))
    await engine.take(world.branch, world.services[0], { channel: 'web' })
    assert.equal(await count(WebhookDelivery.query().where('tenant_id', world.tenant.id)), 0)
    const audit = await AuditLog.query()
      .where('action', 'webhook_endpoint.deleted')
      .where('subject_id', String(endpoint.id))
      .firstOrFail()
    assert.containsSubset(audit.changes, { url: receiver.url, deliveries: 1 })
  })

  test('dropping a dead delivery keeps it in the log as dropped; a delivered one cannot be retried or dropped', async ({
    assert,
    client,
  }) => {
    const world = await createWorld()
    const endpoint = await endpointAt(world, 'http://127.0.0.1:9/never')
    const dead = await insertDelivery(endpoint)
    const sent = await insertDelivery(endpoint, {
      status: 'sent',
      attempts: 1,
      last_error: null,
      response_status: 200,
    })

    const dropped = await client
      .post(`/admin/webhooks/${endpoint.id}/deliveries/${dead.id}/drop`)
      .withCsrfToken()
      .loginAs(world.owner)
      .redirects(0)
    dropped.assertStatus(302)
    await dead.refresh()
    assert.equal(dead.status, 'dropped')
    assert.isNotNull(
      await AuditLog.query()
        .where('action', 'webhook_delivery.dropped')
        .where('subject_id', String(dead.id))
        .first()
    )

    for (const move of ['retry', 'drop']) {
      await client
        .post(`/admin/webhooks/${endpoint.id}/deliveries/${sent.id}/${move}`)
        .withCsrfToken()
        .loginAs(world.owner)
        .redirects(0)
    }
    await sent.refresh()
    assert.equal(sent.status, 'sent')
    assert.equal(sent.attempts, 1)
    assert.equal(
      await count(
        AuditLog.query()
          .where('subject_type', 'webhook_delivery')
          .where('subject_id', String(sent.id))
      ),
      0
    )
  })

  test('the delivery log lists newest first, 25 a page, and filters by status', async ({
    assert,
    client,
  }) => {
    const world = await createWorld()
    const endpoint = await endpointAt(world, 'http://127.0.0.1:9/never')
    const rows: WebhookDelivery[] = []
    for (let index = 0; index < 30; index++) {
      rows.push(
        await insertDelivery(
          endpoint,
          index % 3 === 0
            ? {}
            : {
                status: 'sent',
                attempts: 1,
                last_error: null,
                response_status: 204,
                duration_ms: 12,
              }
        )
      )
    }
    const idsOn = (html: string) =>
      [...html.matchAll(/data-delivery="(\d+)"/g)].map((match) => Number(match[1]))
    const newestFirst = rows.map((row) => row.id).reverse()

    const first = await client.get(`/admin/webhooks/${endpoint.id}`).loginAs(world.owner)
    first.assertStatus(200)
    assert.deepEqual(idsOn(first.text()), newestFirst.slice(0, 25))
    first.assertTextIncludes('12 ms')
    const second = await client.get(`/admin/webhooks/${endpoint.id}?page=2`).loginAs(world.owner)
    assert.deepEqual(idsOn(second.text()), newestFirst.slice(25))

    const dead = await client.get(`/admin/webhooks/${endpoint.id}?status=dead`).loginAs(world.owner)
    const deadIds = rows
      .filter((row) => row.status === 'dead')
      .map((row) => row.id)
      .reverse()
    assert.lengthOf(deadIds, 10)
    assert.deepEqual(idsOn(dead.text()), deadIds)
    const every = await client.get(`/admin/webhooks/${endpoint.id}?status=`).loginAs(world.owner)
    assert.deepEqual(idsOn(every.text()), newestFirst.slice(0, 25))
  })
})

test.group('Webhooks: access and validation', () => {
  test("another tenant's endpoint and delivery answer 404, and nothing of theirs changes", async ({
    assert,
    client,
  }) => {
    const mine = await createWorld()
    const other = await createWorld()
    const theirs = await endpointAt(other, 'https://hooks.example.com/theirs')
    const own = await endpointAt(mine, 'https://hooks.example.com/mine')
    const theirDelivery = await insertDelivery(theirs)
    const secretBefore = theirs.secret

    ;(await client.get(`/admin/webhooks/${theirs.id}`).loginAs(mine.owner)).assertStatus(404)
    ;(await client.get(`/admin/webhooks/${theirs.id}/edit`).loginAs(mine.owner)).assertStatus(404)
    const form = { 'url': 'https://evil.example.com/', 'events[]': 'ticket.created' }
    ;(
      await client
        .put(`/admin/webhooks/${theirs.id}`)
        .form(form)
        .withCsrfToken()
        .loginAs(mine.owner)
    ).assertStatus(404)
    for (const [method, path] of [
      ['post', `/admin/webhooks/${theirs.id}/rotate`],
      ['post', `/admin/webhooks/${theirs.id}/test`],
      ['delete', `/admin/webhooks/${theirs.id}`],
      ['post', `/admin/webhooks/${theirs.id}/deliveries/${theirDelivery.id}/retry`],
      ['post', `/admin/webhooks/${own.id}/deliveries/${theirDelivery.id}/retry`],
      ['post', `/admin/webhooks/${own.id}/deliveries/${theirDelivery.id}/drop`],
    ] as const)
      (await client[method](path).withCsrfToken().loginAs(mine.owner)).assertStatus(404)

    const list = await client.get('/admin/webhooks').loginAs(mine.owner)
    list.assertTextIncludes('hooks.example.com/mine')
    assert.notInclude(list.text(), 'hooks.example.com/theirs')
    await theirs.refresh()
    await theirDelivery.refresh()
    assert.equal(theirs.url, 'https://hooks.example.com/theirs')
    assert.equal(theirs.secret, secretBefore)
    assert.equal(theirDelivery.status, 'dead')
    assert.equal(await count(WebhookDelivery.query().where('endpoint_id', theirs.id)), 1)
  })

  test('an operator gets 403, and so does an admin limited to one branch', async ({
    assert,
    client,
  }) => {
    const world = await createWorld()
    const endpoint = await endpointAt(world, 'https://hooks.example.com/x')
    const form = { 'url': 'https://hooks.example.com/y', 'events[]': 'ticket.created' }
    ;(await client.get('/admin/webhooks').loginAs(world.operator)).assertStatus(403)
    ;(
      await client.post('/admin/webhooks').form(form).withCsrfToken().loginAs(world.operator)
    ).assertStatus(403)
    ;(await client.get(`/admin/webhooks/${endpoint.id}`).loginAs(world.operator)).assertStatus(403)
    ;(
      await client
        .post(`/admin/webhooks/${endpoint.id}/rotate`)
        .withCsrfToken()
        .loginAs(world.operator)
    ).assertStatus(403)

    world.admin.branchId = world.branch.id
    await world.admin.save()
    ;(await client.get('/admin/webhooks').loginAs(world.admin)).assertStatus(403)
    ;(
      await client.post('/admin/webhooks').form(form).withCsrfToken().loginAs(world.admin)
    ).assertStatus(403)
    ;(
      await client.post(`/admin/webhooks/${endpoint.id}/test`).withCsrfToken().loginAs(world.admin)
    ).assertStatus(403)

    assert.equal(await count(WebhookEndpoint.query().where('tenant_id', world.tenant.id)), 1)
    assert.equal(await count(WebhookDelivery.query().where('tenant_id', world.tenant.id)), 0)
  })

  test('a form without the CSRF token changes nothing', async ({ assert, client }) => {
    const world = await createWorld()
    const response = await client
      .post('/admin/webhooks')
      .form({ 'url': 'https://hooks.example.com/x', 'events[]': 'ticket.created' })
      .loginAs(world.owner)
      .redirects(0)
    assert.notEqual(response.status(), 200)
    assert.equal(await count(WebhookEndpoint.query().where('tenant_id', world.tenant.id)), 0)
  })

  test("an invalid URL or no event answers 422 with a clear message in the user's language", async ({
    assert,
    client,
  }) => {
    const world = await createWorld()
    const create = (body: Record<string, unknown>) =>
      client.post('/admin/webhooks').json(body).withCsrfToken().loginAs(world.owner).accept('json')
    const messageOf = (response: any, field: string) =>
      response.body().error.fields.find((entry: { field: string }) => entry.field === field)
        ?.message

    const scheme = await create({ url: 'ftp://hooks.example.com/x', events: ['ticket.created'] })
    scheme.assertStatus(422)
    assert.equal(messageOf(scheme, 'url'), 'URL harus diawali http:// atau https://.')
    const garbage = await create({ url: 'not a url', events: [] })
    garbage.assertStatus(422)
    assert.equal(
      messageOf(garbage, 'url'),
      'URL tidak valid: tulis lengkap, mis. https://contoh.co.id/webhook.'
    )
    assert.equal(messageOf(garbage, 'events'), 'Pilih minimal satu peristiwa.')
    const unknown = await create({
      url: 'https://hooks.example.com/x',
      events: ['booking.teleported'],
    })
    unknown.assertStatus(422)
    assert.equal(messageOf(unknown, 'events.0'), 'Peristiwa yang dipilih tidak dikenal.')

    world.owner.locale = 'en'
    await world.owner.save()
    const english = await create({ url: 'mailto:admin@example.com' })
    english.assertStatus(422)
    assert.equal(messageOf(english, 'url'), 'The URL must start with http:// or https://.')
    assert.equal(messageOf(english, 'events'), 'Choose at least one event.')
    assert.equal(await count(WebhookEndpoint.query().where('tenant_id', world.tenant.id)), 0)

    const session = await adminSession(world)
    const back = await session.post(
      '/admin/webhooks',
      { url: 'ftp://hooks.example.com/x' },
      { referer: '/admin/webhooks/create' }
    )
    assert.equal(back.status, 302)
    const page = await session.get(back.headers.get('location')!)
    assert.include(page.html, 'The URL must start with http:// or https://.')
    assert.include(page.html, 'value="ftp://hooks.example.com/x"')
  })
})
