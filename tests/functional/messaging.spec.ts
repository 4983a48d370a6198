import { test } from '@japa/runner'
import MessageTemplate from '#models/message_template'
import { randomUUID } from 'node:crypto'
import Notification from '#models/notification'
import Ticket from '#models/ticket'
import OptOut from '#models/opt_out'
import AuditLog from '#models/audit_log'
import QueueEngine from '#services/queue/queue_engine'
import Notifications from '#services/messaging/notifications'
import { optOutLink } from '#services/messaging/notifications'
import DomainError from '#exceptions/domain_error'
import { createWorld, seat, type World } from '#tests/helpers/world'
import { messageVisitors, outboxSettled } from '#tests/helpers/outbox'
import app from '@adonisjs/core/services/app'

const notificationsService = await app.container.make(Notifications)

const engine = await app.container.make(QueueEngine)
const PHONE = '+6281234567890'

async function messagesOf(tenantId: number) {
  return Notification.query().where('tenant_id', tenantId).orderBy('id')
}

/** A visitor who left `phone` takes a number for the world's first service. */
function visit(world: World, phone = PHONE) {
  return engine.take(world.branch, world.services[0], { channel: 'web', phone })
}

/** A world whose tenant messages its visitors (on the `log` channel). */
async function messagingWorld() {
  const world = await createWorld()
  await messageVisitors(world)
  return world
}

/** Two tenants of their own that both message their visitors. */
async function twoMessagingTenants() {
  return { world: await messagingWorld(), other: await messagingWorld() }
}

test.group('Messages to visitors: queue events', () => {
  test('a visitor who left a phone number is told their number, and then their counter', async ({
    assert,
  }) => {
    const world = await messagingWorld()
    const ticket = await visit(world, PHONE)
    await seat(world.counters[0], world.operator)
    await engine.callNext(world.branch, { counter: world.counters[0], by: world.operator })
    await outboxSettled(world.tenant.id)

    const [created, called] = await messagesOf(world.tenant.id)
    assert.equal(created.event, 'ticket_created')
    assert.equal(created.recipient, PHONE)
    assert.equal(created.status, 'sent')
    assert.equal(created.providerMessageId, `log-${created.id}`)
    assert.include(created.body, 'Nomor antrean Anda A001 (Layanan 1)')
    assert.include(created.body, `/t/${ticket.id}`)
    assert.match(created.body, /Berhenti menerima pesan: http\S+\/o\/\S+/)
    assert.equal(created.subjectType, 'ticket')
    assert.equal(created.subjectId, ticket.id)

    assert.equal(called.event, 'ticket_called')
    assert.include(called.body, 'Silakan menuju Loket 1')
    assert.equal(called.status, 'sent')
    assert.isNotNull(called.sentAt)
  })

  test('visitors without a phone number, or tenants without a channel, get no messages', async ({
    assert,
  }) => {
    const quiet = await createWorld()
    await visit(quiet)
    const chatty = await createWorld()
    await messageVisitors(chatty)
    await engine.take(chatty.branch, chatty.services[0], { channel: 'web' })
    assert.lengthOf(await messagesOf(quiet.tenant.id), 0)
    assert.lengthOf(await messagesOf(chatty.tenant.id), 0)
  })

  test('messages are written in the language the visitor used', async ({ assert }) => {
    const world = await messagingWorld()
    world.services[0].nameEn = 'General clinic'
    await world.services[0].save()
    await engine.take(world.branch, world.services[0], {
      channel: 'web',
      phone: PHONE,
      locale: 'en',
    })
    const [message] = await messagesOf(world.tenant.id)
    assert.equal(message.locale, 'en')
    assert.include(message.body, 'Your queue number is A001 (General clinic)')
  })

  test('"N to go" reaches each visitor once when their turn comes near', async ({ assert }) => {
    const world = await createWorld({ services: 1, counters: 1 })
    await messageVisitors(world)
    world.services[0].notifyAhead = 2
    await world.services[0].save()
    const tickets = []
    for (let index = 0; index < 6; index++) {
      tickets.push(
        await engine.take(world.branch, world.services[0], {
          channel: 'web',
          phone: `+62812000000${index}`,
        })
      )
    }
    await seat(world.counters[0], world.operator)
    const counter = world.counters[0]

    const near = async () =>
      (await messagesOf(world.tenant.id))
        .filter((message) => message.event === 'ticket_near')
        .map((message) => message.subjectId)
    // A001..A003 were taken with at most 2 ahead: their first message said so already.
    assert.deepEqual(await near(), [])
    await engine.callNext(world.branch, { counter, by: world.operator })
    assert.deepEqual(await near(), [tickets[3].id])
    await engine.complete(tickets[0], { counter, by: world.operator })
    await engine.callNext(world.branch, { counter, by: world.operator })
    assert.deepEqual(await near(), [tickets[3].id, tickets[4].id])

    const message = (await messagesOf(world.tenant.id)).find((row) => row.event === 'ticket_near')!
    assert.include(message.body, 'tinggal 2 antrean lagi')
    const fresh = await Ticket.findOrFail(tickets[3].id)
    assert.isNotNull(fresh.nearNotifiedAt)
  })

  test('a cancelled or no-show visitor is told; the daily reset sends nothing', async ({
    assert,
  }) => {
    const world = await createWorld({ counters: 1 })
    await messageVisitors(world)
    const cancelled = await visit(world, PHONE)
    const missing = await visit(world, '+6281111111111')
    const closed = await visit(world, '+6282222222222')
    await engine.cancel(cancelled, 'Pasien pulang', { by: world.admin })
    await engine.noShow(missing, { by: world.admin })
    await engine.resetToday(world.branch, { user: world.admin })
    void closed

    const events = (await messagesOf(world.tenant.id)).map(
      (message) => `${message.event}:${message.recipient}`
    )
    assert.includeMembers(events, [`ticket_cancelled:${PHONE}`, 'ticket_no_show:+6281111111111'])
    assert.notInclude(events, 'ticket_cancelled:+6282222222222')
  })

  test('a repeated take writes one message; a refused take writes none', async ({ assert }) => {
    const world = await messagingWorld()
    const requestId = randomUUID()
    await engine.take(world.branch, world.services[0], { channel: 'web', phone: PHONE, requestId })
    await engine.take(world.branch, world.services[0], { channel: 'web', phone: PHONE, requestId })
    assert.lengthOf(await messagesOf(world.tenant.id), 1)

    world.services[1].dailyCapacity = 1
    await world.services[1].save()
    await engine.take(world.branch, world.services[1], { channel: 'web' })
    await assert.rejects(
      () => engine.take(world.branch, world.services[1], { channel: 'web', phone: PHONE }),
      DomainError
    )
    assert.lengthOf(await messagesOf(world.tenant.id), 1)
  })

  test('a visitor-message event the tenant turned off is not sent', async ({ assert }) => {
    const world = await createWorld({ counters: 1 })
    await messageVisitors(world, {
      events: {
        ticket_created: false,
        ticket_near: true,
        ticket_called: true,
        ticket_no_show: true,
        ticket_cancelled: true,
      },
    })
    await visit(world)
    await seat(world.counters[0], world.operator)
    await engine.callNext(world.branch, { counter: world.counters[0], by: world.operator })
    assert.deepEqual(
      (await messagesOf(world.tenant.id)).map((message) => message.event),
      ['ticket_called']
    )
  })
})

test.group('Messages to visitors: opting out', () => {
  test('the link in a message asks first, then stops the messages; the visitor can subscribe again', async ({
    client,
    assert,
  }) => {
    const world = await messagingWorld()
    await visit(world)
    const [message] = await messagesOf(world.tenant.id)
    const path = new URL(/http\S+\/o\/\S+/.exec(message.body)![0]).pathname

    const page = await client.get(path)
    page.assertStatus(200)
    page.assertTextIncludes(
      `Berhenti menerima pesan Log server (uji coba) dari ${world.tenant.name}`
    )
    assert.lengthOf(await OptOut.query().where('tenant_id', world.tenant.id), 0)

    const stop = await client.post(path).withCsrfToken().redirects(0)
    stop.assertStatus(302)
    const optOut = await OptOut.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.deepInclude(optOut.$attributes, { channel: 'log', recipient: PHONE, source: 'link' })
    ;(await client.get(path)).assertTextIncludes('tidak akan menerima pesan')

    await visit(world)
    assert.lengthOf(await messagesOf(world.tenant.id), 1)

    ;(await client.delete(path).withCsrfToken().redirects(0)).assertStatus(302)
    assert.lengthOf(await OptOut.query().where('tenant_id', world.tenant.id), 0)
    await visit(world)
    assert.lengthOf(await messagesOf(world.tenant.id), 2)
  })

  test('a forged or broken link answers 404', async ({ client, assert }) => {
    ;(await client.get('/o/not-a-token')).assertStatus(404)
    const world = await createWorld()
    const link = optOutLink(world.tenant.id, 'sms', PHONE)
    const token = link.slice(link.lastIndexOf('/') + 1)
    assert.isBelow(token.length, 60, 'short enough for an SMS')
    ;(await client.get(`/o/${token}`)).assertStatus(200)
    ;(await client.get(`/o/${token.slice(0, -3)}abc`)).assertStatus(404)
    const other = await createWorld()
    ;(await client.get(`/o/${token.replace(/^\d+/, String(other.tenant.id))}`)).assertStatus(404)
  })

  test('a message still waiting when its recipient opts out is not sent', async ({ assert }) => {
    const world = await messagingWorld()
    await visit(world)
    const [message] = await messagesOf(world.tenant.id)
    await outboxSettled(world.tenant.id)
    await Notification.query().where('id', message.id).update({ status: 'queued', attempts: 0 })
    await OptOut.create({
      tenantId: world.tenant.id,
      channel: 'log',
      recipient: PHONE,
      source: 'link',
    })
    await notificationsService.deliver(message.id)
    await message.refresh()
    assert.equal(message.status, 'suppressed')
    assert.equal(message.attempts, 1)
  })
})

test.group('Admin: the outbox', () => {
  test('lists the messages with their status, filters them, and shows nothing of another tenant', async ({
    client,
    assert,
  }) => {
    const { world, other } = await twoMessagingTenants()
    await visit(world)
    await visit(other, '+6289999999999')
    await outboxSettled(world.tenant.id)

    const page = await client.get('/admin/messaging').loginAs(world.admin)
    page.assertStatus(200)
    page.assertTextIncludes(PHONE)
    page.assertTextIncludes('Terkirim')
    assert.notInclude(page.text(), '+6289999999999')

    const found = await client
      .get(`/admin/messaging?recipient=${encodeURIComponent(PHONE.slice(3, 9))}`)
      .loginAs(world.admin)
    found.assertTextIncludes(PHONE)
    // Wildcards typed in the search are plain characters, on MySQL and SQLite alike.
    for (const wildcard of ['%', '_', '!']) {
      const none = await client
        .get(`/admin/messaging?recipient=${encodeURIComponent(wildcard)}`)
        .loginAs(world.admin)
      assert.notInclude(none.text(), PHONE)
    }

    const filtered = await client.get('/admin/messaging?status=dead').loginAs(world.admin)
    filtered.assertTextIncludes('Belum ada pesan.')
    ;(
      await client.get('/admin/messaging?status=bogus').loginAs(world.admin).redirects(0)
    ).assertStatus(302)
  })

  test("a dead message is retried with fresh attempts, or dropped; another tenant's rows are untouched", async ({
    client,
    assert,
  }) => {
    const { world, other } = await twoMessagingTenants()
    await visit(world)
    await visit(world, '+6281111111111')
    await visit(other)
    await outboxSettled(world.tenant.id)
    await outboxSettled(other.tenant.id)
    const [first, second] = await messagesOf(world.tenant.id)
    const [theirs] = await messagesOf(other.tenant.id)
    await Notification.query()
      .whereIn('id', [first.id, second.id, theirs.id])
      .update({ status: 'dead', attempts: 5, last_error: 'provider down' })

    const retry = await client
      .post('/admin/messaging/outbox/retry')
      .form({ ids: [first.id, theirs.id] })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    retry.assertStatus(302)
    await outboxSettled(world.tenant.id)
    await first.refresh()
    await theirs.refresh()
    assert.equal(first.status, 'sent')
    assert.equal(first.attempts, 1)
    assert.equal(theirs.status, 'dead')

    const drop = await client
      .post('/admin/messaging/outbox/drop')
      .form({ 'ids[]': [second.id] })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    drop.assertStatus(302)
    await second.refresh()
    assert.equal(second.status, 'dropped')
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .whereIn('action', ['outbox.retried', 'outbox.dropped'])
    assert.lengthOf(audit, 2)
  })

  test('an operator cannot open the messaging pages', async ({ client }) => {
    const world = await createWorld()
    ;(await client.get('/admin/messaging').loginAs(world.operator)).assertStatus(403)
    ;(await client.get('/admin/messaging/templates').loginAs(world.operator)).assertStatus(403)
  })
})

test.group('Admin: templates and settings', () => {
  test('a reworded template is used for the next message, and can be reset', async ({
    client,
    assert,
  }) => {
    const world = await messagingWorld()
    const save = await client
      .put('/admin/messaging/templates/ticket_created/id')
      .form({
        body: 'Halo! Nomor {{ticket_number}} di {{branch_name}}. Lihat {{link}}',
        whatsapp_template: 'antrean_baru',
      })
      .withCsrfToken()
      .loginAs(world.owner)
      .redirects(0)
    save.assertStatus(302)
    await visit(world)
    const [message] = await messagesOf(world.tenant.id)
    assert.equal(message.body.split(' Lihat ')[0], `Halo! Nomor A001 di ${world.branch.name}.`)
    assert.equal(message.variables.whatsapp_template, 'antrean_baru')
    assert.lengthOf(
      await AuditLog.query()
        .where('tenant_id', world.tenant.id)
        .where('action', 'message_template.created'),
      1
    )

    const list = await client.get('/admin/messaging/templates').loginAs(world.owner)
    list.assertTextIncludes('Diubah')
    await client
      .delete('/admin/messaging/templates/ticket_created/id')
      .withCsrfToken()
      .loginAs(world.owner)
      .redirects(0)
    await visit(world, '+6281111111111')
    const [, reset] = await messagesOf(world.tenant.id)
    assert.include(reset.body, 'Nomor antrean Anda A002')
  })

  test('the same template form sent twice at once saves one template, with no error', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const send = () =>
      client
        .put('/admin/messaging/templates/ticket_created/id')
        .form({ body: 'Nomor {{ticket_number}}.' })
        .withCsrfToken()
        .loginAs(world.owner)
        .redirects(0)
    const answers = await Promise.all([send(), send(), send()])
    assert.deepEqual(
      answers.map((answer) => answer.status()),
      [302, 302, 302]
    )
    assert.lengthOf(await MessageTemplate.query().where('tenant_id', world.tenant.id), 1)
  })

  test('an unknown variable is refused with its name, and nothing is saved', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const response = await client
      .put('/admin/messaging/templates/ticket_called/id')
      .form({ body: 'Nomor {{tiket_number}} dipanggil' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    response.assertStatus(422)
    assert.include(JSON.stringify(response.body()), 'Variabel tidak dikenal: {{tiket_number}}')
    const page = await client
      .get('/admin/messaging/templates/ticket_called/id')
      .loginAs(world.owner)
    page.assertTextIncludes('Nomor {{ticket_number}} dipanggil')
    ;(
      await client.get('/admin/messaging/templates/no_such_event/id').loginAs(world.owner)
    ).assertStatus(404)
    ;(
      await client.get('/admin/messaging/templates/ticket_called/fr').loginAs(world.owner)
    ).assertStatus(404)
  })

  test('the preview renders what is typed with sample data', async ({ client }) => {
    const world = await createWorld()
    const response = await client
      .post('/admin/messaging/templates/preview')
      .form({ body: 'Nomor {{ticket_number}} ke {{counter}} <b>sekarang</b>' })
      .header('hx-request', 'true')
      .withCsrfToken()
      .loginAs(world.owner)
    response.assertStatus(200)
    response.assertTextIncludes('Nomor A012 ke Loket 3 &lt;b&gt;sekarang&lt;/b&gt;')
  })

  test('owners choose the visitor channel and the messages sent; it is audited', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const response = await client
      .put('/admin/messaging/settings')
      .form({ 'visitor_channel': 'log', 'events[ticket_called]': '1' })
      .withCsrfToken()
      .loginAs(world.owner)
      .redirects(0)
    response.assertStatus(302)
    await world.tenant.refresh()
    assert.equal(world.tenant.messaging.visitorChannel, 'log')
    assert.isTrue(world.tenant.messaging.events.ticket_called)
    assert.isFalse(world.tenant.messaging.events.ticket_created)
    assert.lengthOf(
      await AuditLog.query()
        .where('tenant_id', world.tenant.id)
        .where('action', 'tenant.messaging_settings_updated'),
      1
    )

    const bad = await client
      .put('/admin/messaging/settings')
      .form({ visitor_channel: 'pigeon' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    bad.assertStatus(422)
  })
})

test.group('Health and metrics', () => {
  test('/healthz reports the outbox and /metrics its backlog in Prometheus text', async ({
    client,
    assert,
  }) => {
    const world = await messagingWorld()
    await visit(world)
    await outboxSettled(world.tenant.id)

    const health = await client.get('/healthz')
    assert.property(health.body().checks, 'outbox')
    assert.isTrue(health.body().checks.outbox.ok)

    const metrics = await client.get('/metrics')
    metrics.assertStatus(200)
    assert.include(String(metrics.header('content-type')), 'text/plain')
    assert.match(metrics.text(), /^loket_outbox_rows\{kind="notification",status="dead"\} \d+$/m)
    assert.match(
      metrics.text(),
      /^loket_outbox_deliveries_total\{kind="notification",channel="log",outcome="sent"\} \d+$/m
    )
    assert.match(
      metrics.text(),
      /^loket_outbox_delivery_latency_seconds_count\{kind="notification",channel="log"\} \d+$/m
    )
  })
})
