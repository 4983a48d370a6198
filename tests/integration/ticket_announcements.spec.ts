import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import QueueEngine from '#services/queue/queue_engine'
import WebhookEndpoints from '#services/messaging/webhook_endpoints'
import messagingDirectory from '#services/messaging/messaging_directory'
import Notification from '#models/notification'
import WebhookDelivery from '#models/webhook_delivery'
import { numberNeededBeforeCommit } from '#services/queue/ticket_messaging'
import type { WebhookEvent } from '#enums/messaging'
import { createWorld, middayEachTest } from '#tests/helpers/world'
import { messageVisitors } from '#tests/helpers/outbox'

const engine = await app.container.make(QueueEngine)
const webhookEndpoints = await app.container.make(WebhookEndpoints)

test.group('What a new ticket needs its number for', (group) => {
  middayEachTest(group)

  // A take skips announceTicketEvent when numberNeededBeforeCommit says nothing needs the number
  // (MySQL's one-round-trip take): the two must agree on every case. On SQLite every take
  // announces, so there the rows it wrote show whether the number was needed.
  test('a take writes messages or webhook calls exactly when numberNeededBeforeCommit says it needs its number', async ({
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
      if (example.hooks.length > 0)
        await webhookEndpoints.create(
          world.tenant,
          { url: 'https://hooks.example.com/loket', events: example.hooks, isActive: true },
          { user: world.owner }
        )
      const ticket = await engine.take(world.branch, world.services[0], {
        channel: 'web',
        phone: example.phone ? '6281234567890' : null,
      })
      const profile = await messagingDirectory.get(world.tenant.id)
      const needed = numberNeededBeforeCommit(ticket, { profile })
      const messages = await Notification.forTenant(world.tenant)
      const calls = await WebhookDelivery.forTenant(world.tenant)
      assert.equal(messages.length + calls.length > 0, needed, example.name)
      answers.add(needed)
    }
    assert.sameMembers([...answers], [true, false], 'the cases cover both answers')
  })
})
