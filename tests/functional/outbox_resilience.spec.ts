import { test } from '@japa/runner'
import Notification from '#models/notification'
import QueueEngine from '#services/queue/queue_engine'
import Outbox from '#services/messaging/outbox'
import jobs, { BullDriver, InProcessDriver } from '#support/jobs'
import { redisConnection, redisEnabled } from '#config/redis'
import { createWorld } from '#tests/helpers/world'
import { RedisLink } from '#tests/helpers/redis_link'
import { messageVisitors, outboxSettled } from '#tests/helpers/outbox'
import { eventually, jobsSettled } from '#tests/helpers/wait'
import { FakeSmsGateway } from '#tests/fakes/sms_gateway'
import MessagingChannel from '#models/messaging_channel'
import type { World } from '#tests/helpers/world'
import app from '@adonisjs/core/services/app'

const outboxService = await app.container.make(Outbox)

const engine = await app.container.make(QueueEngine)
const PHONE = '+6281234567890'

/** The world's tenant sends visitors' messages by SMS through `gateway`. */
async function smsThrough(world: World, gateway: FakeSmsGateway) {
  await MessagingChannel.create({
    tenantId: world.tenant.id,
    kind: 'sms',
    isActive: true,
    settings: {
      base_url: gateway.url,
      account_sid: gateway.accountSid,
      auth_token: gateway.authToken,
      from: 'LOKET',
    },
  })
  await messageVisitors(world, { visitorChannel: 'sms' })
}

/** Takes a number for PHONE in the world, as a web visitor. */
function takeNumber(world: World) {
  return engine.take(world.branch, world.services[0], { channel: 'web', phone: PHONE })
}

/** The world's one visitor message, once the outbox has settled. */
async function settledMessage(world: World) {
  await outboxSettled(world.tenant.id)
  const [row] = await Notification.query().where('tenant_id', world.tenant.id)
  return row
}

test.group('Outbox: a provider that is down', (group) => {
  const gateway = new FakeSmsGateway()
  group.setup(async () => {
    await gateway.start()
    return () => gateway.stop()
  })
  group.each.setup(() => gateway.reset())

  /** A fresh world that texts visitors through the gateway takes a number: the world, and its message once the outbox settled. */
  async function messageThroughGateway() {
    const world = await createWorld()
    await smsThrough(world, gateway)
    await takeNumber(world)
    return { world, row: await settledMessage(world) }
  }

  test('messages wait while the gateway fails and go out once, exactly, when it is back', async ({
    assert,
  }) => {
    gateway.failNext(2, { status: 503, code: 20500, message: 'Service Unavailable' })
    gateway.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests' })
    const { row } = await messageThroughGateway()

    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 4)
    assert.lengthOf(gateway.requests, 4)
    assert.lengthOf(gateway.accepted, 1)
    assert.equal(gateway.accepted[0].to, PHONE)
    assert.equal(row.providerMessageId, gateway.accepted[0].sid)
    assert.isNull(row.lastError)
  })

  test('a gateway down for good leaves the message dead after 5 attempts; an admin retry sends it once', async ({
    client,
    assert,
  }) => {
    gateway.failNext(5, { status: 500, code: 20500, message: 'Internal Server Error' })
    const { world, row } = await messageThroughGateway()

    assert.equal(row.status, 'dead')
    assert.equal(row.attempts, 5)
    assert.include(row.lastError!, '20500')
    assert.lengthOf(gateway.accepted, 0)

    await client
      .post('/admin/messaging/outbox/retry')
      .form({ 'ids[]': [row.id] })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    await outboxSettled(world.tenant.id)
    await row.refresh()
    assert.equal(row.status, 'sent')
    assert.lengthOf(gateway.accepted, 1)
  })

  test('a number the gateway calls invalid is dead at once, without retries', async ({
    assert,
  }) => {
    gateway.failNext(1, {
      status: 400,
      code: 21211,
      message: "The 'To' number is not a valid phone number.",
    })
    const { row } = await messageThroughGateway()
    assert.equal(row.status, 'dead')
    assert.equal(row.attempts, 1)
    assert.lengthOf(gateway.requests, 1)
  })
})

test.group('Outbox: nothing lost, nothing sent twice', () => {
  test('rows written while no worker runs wait, and go out once when the sweeper finds them', async ({
    assert,
  }) => {
    const world = await createWorld()
    await messageVisitors(world)
    const stopped = new InProcessDriver()
    await stopped.close()
    const previous = jobs.use(stopped)
    try {
      await takeNumber(world)
      const [row] = await Notification.query().where('tenant_id', world.tenant.id)
      assert.equal(row.status, 'queued')
      assert.equal(row.attempts, 0)
    } finally {
      jobs.use(previous)
    }
    // Nothing dispatches a row that is not overdue yet; once it is, the sweeper does, and only once.
    assert.equal(await outboxService.sweep({ overdueMs: 60_000 }), 0)
    await outboxService.sweep({ overdueMs: 0 })
    await outboxService.sweep({ overdueMs: 0 })
    const row = await settledMessage(world)
    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 1)
  })

  test('a row left "sending" by a worker that died is attempted again after its lock expires', async ({
    assert,
  }) => {
    const world = await createWorld()
    await messageVisitors(world)
    await takeNumber(world)
    const row = await settledMessage(world)
    await Notification.query()
      .where('id', row.id)
      .update({ status: 'sending', attempts: 1, locked_until: '2020-01-01 00:00:00.000' })
    await outboxService.sweep({ overdueMs: 0 })
    await outboxSettled(world.tenant.id)
    await row.refresh()
    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 2)
  })

  if (redisEnabled) {
    test("a server's first message, written while its queue is still connecting, goes out at once", async ({
      assert,
    }) => {
      const gateway = await new FakeSmsGateway().start()
      const world = await createWorld()
      await smsThrough(world, gateway)
      const driver = new BullDriver()
      const previous = jobs.use(driver)
      try {
        jobs.startWorkers()
        assert.isFalse(driver.ready(), 'the queue has not connected yet')
        assert.isTrue(driver.accepting())
        await takeNumber(world)
        const row = await settledMessage(world)
        assert.equal(row.status, 'sent')
        assert.lengthOf(gateway.accepted, 1)
      } finally {
        jobs.use(previous)
        await gateway.stop()
        await driver.close()
      }
    })

    test('a queue whose first connection fails accepts nothing: the sweeper hands its rows out', async ({
      assert,
    }) => {
      const link = new RedisLink()
      await link.up()
      await link.down()
      const driver = new BullDriver({ ...redisConnection, port: link.port })
      try {
        assert.isTrue(await eventually(async () => !driver.accepting()))
        assert.isFalse(driver.ready())
      } finally {
        await driver.close().catch(() => {})
      }
    })

    test('with Redis down, messages wait in the outbox and go out once when it is back', async ({
      assert,
    }) => {
      const link = new RedisLink()
      await link.up()
      const gateway = await new FakeSmsGateway().start()
      const driver = new BullDriver({ ...redisConnection, port: link.port })
      const previous = jobs.use(driver)
      try {
        jobs.startWorkers()
        assert.isTrue(await eventually(async () => driver.ready()))
        const world = await createWorld()
        await smsThrough(world, gateway)

        await link.down()
        assert.isTrue(await eventually(async () => !driver.ready()))
        assert.isFalse(driver.accepting(), 'a lost queue takes no dispatches')
        const started = Date.now()
        await takeNumber(world)
        assert.isBelow(Date.now() - started, 1000, 'taking a number does not wait for Redis')
        // Nothing was handed to the unreachable queue: the row waits for the sweeper.
        const [waiting] = await Notification.query().where('tenant_id', world.tenant.id)
        assert.equal(waiting.status, 'queued')
        assert.equal(
          await outboxService.sweep({ overdueMs: 0 }),
          0,
          'the sweeper waits for the queue too'
        )

        await link.up()
        assert.isTrue(await eventually(async () => driver.ready()))
        await outboxService.sweep({ overdueMs: 0 })
        assert.isTrue(
          await eventually(
            async () => (await Notification.findOrFail(waiting.id)).status === 'sent'
          )
        )
        await jobsSettled(
          (name, payload) => name === 'deliver-notification' && payload?.id === waiting.id
        )
        await waiting.refresh()
        assert.equal(waiting.status, 'sent')
        assert.equal(waiting.attempts, 1)
        assert.lengthOf(gateway.accepted, 1)
      } finally {
        jobs.use(previous)
        await gateway.stop()
        await driver.close()
        await link.down().catch(() => {})
      }
    }).timeout(30_000)
  }
})
