import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import QueueEngine from '#services/queue/queue_engine'
import WebhookEndpoints from '#services/messaging/webhook_endpoints'
import messagingDirectory from '#services/messaging/messaging_directory'
import Notification from '#models/notification'
import OptOut from '#models/opt_out'
import Ticket from '#models/ticket'
import WebhookDelivery from '#models/webhook_delivery'
import { messagedOnTake } from '#services/queue/ticket_messaging'
import type { WebhookEvent } from '#enums/messaging'
import { createWorld, middayEachTest, type World } from '#tests/helpers/world'
import { messageVisitors } from '#tests/helpers/outbox'

const engine = await app.container.make(QueueEngine)
const webhookEndpoints = await app.container.make(WebhookEndpoints)

function announceTakes(world: World, events: WebhookEvent[] = ['ticket.created']) {
  return webhookEndpoints.create(
    world.tenant,
    { url: 'https://hooks.example.com/loket', events, isActive: true },
    { user: world.owner }
  )
}

// On MySQL a take is one round trip: the database numbers the ticket and writes its number and
// who is ahead into its message and webhook calls (ticket_messaging.ts, `inSql`). On SQLite Node
// writes them. Both must read the same.
test.group('What a new ticket tells the world', (group) => {
  middayEachTest(group)

  test('a take writes its message exactly when messagedOnTake says so, and a webhook call when one is subscribed', async ({
    assert,
  }) => {
    const cases: { name: string; messaging: boolean; phone: boolean; hooks: WebhookEvent[] }[] = [
      { name: 'no messages, no webhooks', messaging: false, phone: false, hooks: [] },
      { name: 'visitors messaged, no phone', messaging: true, phone: false, hooks: [] },
      { name: 'visitors messaged, a phone', messaging: true, phone: true, hooks: [] },
      { name: 'no messages, a phone', messaging: false, phone: true, hooks: [] },
      {
        name: 'a webhook on ticket.created',
        messaging: false,
        phone: false,
        hooks: ['ticket.created'],
      },
      {
        name: 'a webhook on ticket.called only',
        messaging: false,
        phone: false,
        hooks: ['ticket.called'],
      },
    ]
    const answers = new Set<boolean>()
    for (const example of cases) {
      const world = await createWorld()
      if (example.messaging) await messageVisitors(world)
      if (example.hooks.length > 0) await announceTakes(world, example.hooks)
      const ticket = await engine.take(world.branch, world.services[0], {
        channel: 'web',
        phone: example.phone ? '6281234567890' : null,
      })
      const profile = await messagingDirectory.get(world.tenant.id)
      const messaged = messagedOnTake(ticket, { profile })
      assert.lengthOf(await Notification.forTenant(world.tenant), messaged ? 1 : 0, example.name)
      const calls = await WebhookDelivery.forTenant(world.tenant)
      assert.lengthOf(calls, example.hooks.includes('ticket.created') ? 1 : 0, example.name)
      answers.add(messaged)
    }
    assert.sameMembers([...answers], [true, false], 'the cases cover both answers')
  })

  test("the message and the webhook call say the ticket's number and who is ahead", async ({
    assert,
  }) => {
    const world = await createWorld()
    await messageVisitors(world)
    await announceTakes(world)
    const service = world.services[0]
    for (let index = 0; index < 2; index++)
      await engine.take(world.branch, service, { channel: 'web' })
    const ticket = await engine.take(world.branch, service, {
      channel: 'web',
      phone: '+6281234567890',
    })
    assert.equal(ticket.number, 'A003')

    const [message] = await Notification.forTenant(world.tenant)
    assert.equal(message.subject, `Nomor antrean A003 di ${world.branch.name}`)
    assert.include(message.body, 'Nomor antrean Anda A003 (Layanan 1)')
    assert.include(message.body, 'Ada 2 antrean sebelum Anda.')
    assert.notMatch(message.body, /\uE000/)
    assert.deepInclude(message.variables, {
      ticket_number: 'A003',
      ahead: '2',
    })

    const calls = await WebhookDelivery.forTenant(world.tenant).orderBy('id')
    assert.deepEqual(
      calls.map((call) => JSON.parse(call.payload).data.ticket.number),
      ['A001', 'A002', 'A003']
    )
    const body = JSON.parse(calls[2].payload)
    assert.deepInclude(body.data.ticket, {
      id: ticket.id,
      status: 'waiting',
      service_id: service.id,
    })
    assert.equal(body.type, 'ticket.created')
  })

  test('a visitor near their turn is marked as told, unless they opted out (then no message either)', async ({
    assert,
  }) => {
    const world = await createWorld()
    await messageVisitors(world)
    const service = world.services[0]
    service.notifyAhead = 1
    await service.save()
    await OptOut.create({
      tenantId: world.tenant.id,
      channel: 'log',
      recipient: '+6281200000001',
      source: 'link',
    })
    const take = (phone: string) => engine.take(world.branch, service, { channel: 'web', phone })
    const first = await take('+6281200000000')
    const optedOut = await take('+6281200000001')
    const third = await take('+6281200000002')

    const fresh = async (ticket: Ticket) => (await Ticket.findOrFail(ticket.id)).nearNotifiedAt
    assert.isNotNull(await fresh(first), 'nobody ahead: its first message says it is near')
    assert.isNull(await fresh(optedOut), 'opted out: told nothing')
    assert.isNull(await fresh(third), 'two ahead: told later')
    const messages = await Notification.forTenant(world.tenant).orderBy('id')
    assert.deepEqual(
      messages.map((message) => message.subjectId),
      [first.id, third.id]
    )
  })
})
