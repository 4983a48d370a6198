import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import Ticket from '#models/ticket'
import TicketEvent from '#models/ticket_event'
import Notification from '#models/notification'
import WebhookDelivery from '#models/webhook_delivery'
import QueueEngine from '#services/queue/queue_engine'
import WebhookEndpoints from '#services/messaging/webhook_endpoints'
import { withSqlTransaction } from '#support/sql'
import { numberExpression } from '#services/queue/ticket_numbering'
import { isUniqueViolation } from '#support/database'
import { createWorld, middayEachTest } from '#tests/helpers/world'
import { messageVisitors } from '#tests/helpers/outbox'

const engine = await app.container.make(QueueEngine)
const webhookEndpoints = await app.container.make(WebhookEndpoints)

/**
 * The queries the hot path's MySQL connections send until the returned function is called, which
 * stops listening and returns them (one entry per round trip).
 */
function recordQueries() {
  const client = (db.connection('mysql_batches').getWriteClient() as any).client
  const acquire = client.acquireConnection
  const sent: string[] = []
  client.acquireConnection = async function (this: unknown) {
    const connection = await acquire.call(this)
    if (!connection.recordedQuery) {
      const query = connection.query
      connection.recordedQuery = query
      connection.query = function (sql: unknown, ...rest: unknown[]) {
        client.recorded?.push(String(sql))
        return query.call(this, sql, ...rest)
      }
    }
    return connection
  }
  client.recorded = sent
  return () => {
    client.recorded = null
    client.acquireConnection = acquire
    return sent
  }
}

test.group('Plain-SQL transactions on MySQL: statements travel together', (group) => {
  middayEachTest(group)
  group.tap((tapped) => {
    if (db.primaryConnectionName !== 'mysql')
      tapped.skip(true, 'MySQL only: SQLite has no round trips')
  })

  test('a take that counts who is ahead is still one round trip: the count travels with the commit', async ({
    assert,
  }) => {
    const world = await createWorld()
    await engine.take(world.branch, world.services[0], { channel: 'web' })
    const stop = recordQueries()
    const ticket = await engine.take(world.branch, world.services[0], {
      channel: 'api',
      countAhead: true,
    })
    const sent = stop()
    assert.lengthOf(sent, 1)
    assert.match(
      sent[0],
      /^START TRANSACTION;\nINSERT INTO ticket_sequences[\s\S]*;\nSELECT COUNT\(\*\)[\s\S]* INTO @loket_ahead;\nSELECT @loket_ahead AS ahead;\nINSERT INTO tickets[\s\S]*@loket_ahead[\s\S]*INSERT INTO ticket_events[\s\S]*;\nCOMMIT$/
    )
    assert.equal(ticket.aheadAtTake, 1)
    assert.equal(ticket.number, 'A002')
    const stored = await Ticket.findOrFail(ticket.id)
    assert.equal(stored.number, 'A002')
    assert.equal(stored.aheadAtTake, 1)
    assert.lengthOf(await TicketEvent.query().where('ticket_id', ticket.id), 1)
  })

  test('a take with nothing to announce is one round trip: the database numbers the ticket as it inserts it', async ({
    assert,
  }) => {
    const world = await createWorld()
    const stop = recordQueries()
    const first = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const second = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const sent = stop()
    assert.lengthOf(sent, 2, 'one round trip per take')
    for (const batch of sent)
      assert.match(
        batch,
        /^START TRANSACTION;\nINSERT INTO ticket_sequences[\s\S]*;\n\s*INSERT INTO tickets[\s\S]*;\nINSERT INTO ticket_events[\s\S]*;\nCOMMIT$/
      )
    assert.deepEqual([first.sequence, first.number], [1, 'A001'])
    assert.deepEqual([second.sequence, second.number], [2, 'A002'])
    const stored = await db.from('tickets').where('id', second.id).firstOrFail()
    assert.deepEqual([stored.sequence, stored.number, stored.cycle], [2, 'A002', 1])
    assert.lengthOf(await TicketEvent.query().where('ticket_id', second.id), 1)
  })

  test('the database formats a number exactly as the service does', async ({ assert }) => {
    const world = await createWorld()
    const service = world.services[0]
    for (const format of [
      '{code}{n:3}',
      '{code}-{n}',
      '{n:4}',
      'Q{code}{n:2}!',
      '{code}{code}{n:1}',
    ]) {
      service.numberFormat = format
      const number = numberExpression(service)
      for (const sequence of [1, 7, 42, 123, 12345]) {
        const [[row]] = await db.rawQuery(
          `SELECT ${number.sql} AS number FROM (SELECT ? AS last_number) AS day`,
          [...number.bindings, sequence]
        )
        assert.equal(row.number, service.formatNumber(sequence), `${format} ${sequence}`)
      }
    }
  })

  test("with the visitor's message and a webhook call, still one round trip: the database writes the number and who is ahead into both", async ({
    assert,
  }) => {
    const world = await createWorld()
    await messageVisitors(world)
    await webhookEndpoints.create(
      world.tenant,
      { url: 'https://hooks.example.com/loket', events: ['ticket.created'], isActive: true },
      { user: world.owner }
    )
    await engine.take(world.branch, world.services[0], { channel: 'web' })
    const stop = recordQueries()
    const ticket = await engine.take(world.branch, world.services[0], {
      channel: 'web',
      phone: '+6281234567890',
    })
    const sent = stop()
    assert.lengthOf(sent, 1)
    assert.match(
      sent[0],
      / INTO @loket_ahead;\nINSERT INTO tickets[\s\S]*INSERT INTO ticket_events[\s\S]*;\nINSERT INTO webhook_deliveries[\s\S]*INSERT INTO notifications[\s\S]*opt_outs[\s\S]*COMMIT$/
    )
    assert.equal(ticket.number, 'A002')
    const [message] = await Notification.query().where('subject_id', ticket.id)
    assert.include(message.body, 'Nomor antrean Anda A002')
    assert.include(message.body, 'Ada 1 antrean sebelum Anda.')
    assert.equal(message.event, 'ticket_created')
    const deliveries = await WebhookDelivery.query().where('tenant_id', world.tenant.id)
    assert.lengthOf(deliveries, 2)
  })

  test('a service with a daily cap learns the number before writing the ticket: two round trips', async ({
    assert,
  }) => {
    const world = await createWorld()
    const service = world.services[0]
    service.dailyCapacity = 1
    await service.save()
    const stop = recordQueries()
    const ticket = await engine.take(world.branch, service, { channel: 'web' })
    const refused = await engine.take(world.branch, service, { channel: 'web' }).catch((e) => e)
    const sent = stop()
    assert.equal(ticket.number, 'A001')
    assert.equal(refused.code, 'E_SERVICE_FULL')
    assert.lengthOf(
      sent,
      4,
      'two per take: the number, then the ticket and the commit (or the rollback)'
    )
    assert.match(sent[1], /INSERT INTO tickets[\s\S]*COMMIT$/)
    assert.equal(sent[3], 'ROLLBACK')
  })

  test('takes at the same moment on one service each count exactly who is ahead of them, in the answer and in the message', async ({
    assert,
  }) => {
    const world = await createWorld()
    await messageVisitors(world)
    const service = world.services[0]
    await engine.take(world.branch, service, { channel: 'web' })
    await engine.take(world.branch, service, { channel: 'web', priority: 'vip' })
    const tickets = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        engine.take(world.branch, service, {
          channel: 'api',
          phone: `+6281200000${String(index).padStart(2, '0')}`,
          priority: index % 4 === 3 ? 'vip' : 'regular',
          countAhead: true,
        })
      )
    )
    // Ahead of each: the tickets numbered before it (committed before it) in a higher class, or
    // in its class and queued no later (the ordering rule, queue_order.ts).
    const all = await Ticket.query().where('service_id', service.id)
    const messages = await Notification.query().where('tenant_id', world.tenant.id)
    const weight = (ticket: Ticket) => (ticket.priority === 'vip' ? 1 : 0)
    for (const ticket of tickets) {
      const ahead = all.filter(
        (other) =>
          other.sequence < ticket.sequence &&
          (weight(other) > weight(ticket) ||
            (weight(other) === weight(ticket) &&
              other.queuedAt.toMillis() <= ticket.queuedAt.toMillis()))
      )
      assert.equal(ticket.aheadAtTake, ahead.length, `number ${ticket.number}`)
      const message = messages.find((row) => row.subjectId === ticket.id)!
      assert.deepInclude(
        message.variables,
        { ticket_number: ticket.number, ahead: String(ahead.length) },
        `the message of ${ticket.number}`
      )
    }
    assert.lengthOf(messages, 16)
  })

  test('a deferred write that fails fails the statement it travels with, and nothing of the transaction stays', async ({
    assert,
  }) => {
    const world = await createWorld()
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const error = await withSqlTransaction(async (sql) => {
      await sql.defer(
        `INSERT INTO ticket_events (tenant_id, branch_id, ticket_id, type, to_status, created_at)
         VALUES (?, ?, ?, 'created', 'waiting', '2026-03-02 05:00:00.000')`,
        [world.tenant.id, world.branch.id, ticket.id]
      )
      // The day's sequence row of that service exists: a second one is refused.
      await sql.defer(
        'INSERT INTO ticket_sequences (tenant_id, service_id, service_date, cycle, last_number) VALUES (?, ?, ?, 1, 5)',
        [world.tenant.id, world.services[0].id, ticket.serviceDate]
      )
      await sql.all('SELECT 1')
    }).catch((caught) => caught)
    assert.isTrue(isUniqueViolation(error))
    assert.lengthOf(
      await TicketEvent.query().where('ticket_id', ticket.id),
      1,
      'the first write rolled back too'
    )
  })
})
