import { test } from '@japa/runner'
import { Redis } from 'ioredis'
import app from '@adonisjs/core/services/app'
import redis from '@adonisjs/redis/services/main'
import QueueEngine from '#services/queue/queue_engine'
import liveVersion from '#support/live_version'
import { loadShedding } from '#support/load_shedding'
import { livePolls } from '#http/long_poll'
import { redisConnection, redisEnabled, redisPrefix } from '#config/redis'
import { createWorld } from '#tests/helpers/world'

const engine = await app.container.make(QueueEngine)
const base = `http://${process.env.HOST}:${process.env.PORT}`

/** Resolves once `count` long polls are waiting on this server (the test server runs in this process). */
async function waiting(count: number) {
  const started = Date.now()
  while (loadShedding.waiting < count) {
    if (Date.now() - started > 5000) throw new Error(`${count} long polls never waited`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

async function timed<T>(work: Promise<T>) {
  const started = Date.now()
  const value = await work
  return { value, ms: Date.now() - started }
}

test.group('Live screens: long polls', (group) => {
  // The versions live in Redis when it is configured: connected before the first test reads one.
  group.setup(async () => {
    if (redisEnabled) await redis.ping()
  })
  group.each.setup(() => {
    const before = livePolls.waitMs
    livePolls.waitMs = 20_000
    return () => {
      livePolls.waitMs = before
    }
  })

  test('the TV is answered as soon as a number is called, long before the wait ends', async ({
    assert,
  }) => {
    const { branch, services, counters, operator, display } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    const version = await liveVersion.get(branch.id)
    const poll = timed(fetch(`${base}/display/${display.token}/live?v=${version}&w=1`))
    await waiting(1)
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const { value: response, ms } = await poll
    assert.equal(response.status, 200)
    const html = await response.text()
    assert.include(html, 'A001')
    assert.include(html, `v=${await liveVersion.get(branch.id)}&w=1`)
    assert.isBelow(ms, 2000)
    assert.equal(loadShedding.waiting, 0)
  })

  test('with nothing changing it answers 204 after the wait, and at once without w=1', async ({
    assert,
  }) => {
    livePolls.waitMs = 300
    const { branch, display } = await createWorld()
    const version = await liveVersion.get(branch.id)
    const held = await timed(fetch(`${base}/display/${display.token}/live?v=${version}&w=1`))
    assert.equal(held.value.status, 204)
    assert.isAtLeast(held.ms, 250)
    livePolls.waitMs = 20_000
    const quick = await timed(fetch(`${base}/display/${display.token}/live?v=${version}`))
    assert.equal(quick.value.status, 204)
    assert.isBelow(quick.ms, 2000)
  })

  test('a screen that already holds an old version gets the board at once', async ({ assert }) => {
    const { branch, display } = await createWorld()
    const version = await liveVersion.get(branch.id)
    await liveVersion.bump(branch.id)
    const { value, ms } = await timed(
      fetch(`${base}/display/${display.token}/live?v=${version}&w=1`)
    )
    assert.equal(value.status, 200)
    assert.isBelow(ms, 2000)
  })

  test('bumps asked for at the same moment share round trips, each answered after it was asked', async ({
    assert,
  }) => {
    const { branch } = await createWorld()
    const before = await liveVersion.get(branch.id)
    const versions = await Promise.all(
      Array.from({ length: 20 }, () => liveVersion.bump(branch.id))
    )
    // The first goes at once; the 19 asked for while it was on its way share the one after it.
    assert.deepEqual(versions, [before + 1, ...Array(19).fill(before + 2)])
    assert.equal(await liveVersion.get(branch.id), before + 2)
    assert.equal(await liveVersion.bump(branch.id), before + 3)
  })

  test('only the changed branch wakes its screens; the others keep waiting', async ({ assert }) => {
    const one = await createWorld()
    const two = await createWorld()
    const polls = [one, two].map(async (world) =>
      fetch(
        `${base}/display/${world.display.token}/live?v=${await liveVersion.get(world.branch.id)}&w=1`
      ).then((response) => response.status)
    )
    await waiting(2)
    await liveVersion.bump(one.branch.id)
    assert.equal(await polls[0], 200)
    assert.equal(loadShedding.waiting, 1)
    await liveVersion.bump(two.branch.id)
    assert.equal(await polls[1], 200)
  })

  test("the visitor's ticket wakes when it is called", async ({ assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    const version = await liveVersion.get(branch.id)
    const visitor = fetch(`${base}/t/${ticket.id}/live?b=${branch.id}&v=${version}&w=1`).then(
      async (response) => ({ status: response.status, html: await response.text() })
    )
    await waiting(1)
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const answer = await visitor
    assert.equal(answer.status, 200)
    assert.include(answer.html, 'data-status="called"')
  })

  test("the operator's console wakes when a visitor takes a number", async ({ client, assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    await client
      .post('/app/counter/select')
      .form({ 'counter_id': counters[0].id, 'service_ids[]': [services[0].id] })
      .withCsrfToken()
      .loginAs(operator)
      .redirects(0)
    const version = await liveVersion.get(branch.id)
    const poll = timed(
      client
        .get(`/app/counter/live?v=${version}&w=1`)
        .loginAs(operator)
        .then((response) => response)
    )
    await waiting(1)
    await engine.take(branch, services[0], { channel: 'web' })
    const { value, ms } = await poll
    value.assertStatus(200)
    value.assertTextIncludes('Menunggu (1)')
    assert.isBelow(ms, 2000)
  })

  test('waiting polls are not work in progress: they never make the server shed load', async ({
    assert,
  }) => {
    const { branch, display } = await createWorld()
    const version = await liveVersion.get(branch.id)
    const before = loadShedding.inFlight
    const polls = Array.from({ length: loadShedding.limit + 20 }, () =>
      fetch(`${base}/display/${display.token}/live?v=${version}&w=1`)
    )
    await waiting(loadShedding.limit + 20)
    assert.isAtMost(loadShedding.inFlight, before)
    assert.isFalse(loadShedding.overloaded())
    const page = await fetch(`${base}/b/${branch.slug}`)
    assert.equal(page.status, 200)
    await liveVersion.bump(branch.id)
    const statuses = await Promise.all(polls.map((poll) => poll.then((r) => r.status)))
    assert.deepEqual(new Set(statuses), new Set([200]))
  })

  test('a screen that goes away stops its wait at once', async ({ assert }) => {
    const { branch, display } = await createWorld()
    const version = await liveVersion.get(branch.id)
    const gone = new AbortController()
    const poll = fetch(`${base}/display/${display.token}/live?v=${version}&w=1`, {
      signal: gone.signal,
    }).catch((error) => error.name)
    await waiting(1)
    gone.abort()
    assert.equal(await poll, 'AbortError')
    const started = Date.now()
    while (loadShedding.waiting > 0 && Date.now() - started < 5000)
      await new Promise((resolve) => setImmediate(resolve))
    assert.equal(loadShedding.waiting, 0)
  })

  test('a stopping server answers every waiting poll at once', async ({ assert }) => {
    const { branch, display } = await createWorld()
    const version = await liveVersion.get(branch.id)
    const polls = [1, 2, 3].map(() =>
      timed(fetch(`${base}/display/${display.token}/live?v=${version}&w=1`))
    )
    await waiting(3)
    liveVersion.releaseAll()
    try {
      for (const poll of polls) {
        const { value, ms } = await poll
        assert.equal(value.status, 204)
        assert.isBelow(ms, 5000)
      }
    } finally {
      liveVersion.resume()
    }
  })

  if (redisEnabled) {
    test("a change made on another server wakes this server's screens through Redis pub/sub", async ({
      assert,
    }) => {
      const { branch, display } = await createWorld()
      const version = await liveVersion.get(branch.id)
      const other = new Redis({ host: redisConnection.host, port: redisConnection.port })
      try {
        const poll = timed(fetch(`${base}/display/${display.token}/live?v=${version}&w=1`))
        await waiting(1)
        // What another server's bump does: a new version, and the message on the live channel.
        const next = await other.incr(`${redisPrefix}branch:${branch.id}:version`)
        await other.publish(`${redisPrefix}live`, `branch:${branch.id} ${next}`)
        const { value, ms } = await poll
        assert.equal(value.status, 200)
        assert.isBelow(ms, 900)
        assert.include(await value.text(), `v=${next}&w=1`)
      } finally {
        other.disconnect()
      }
    })

    test('a change whose message was lost still reaches the screens within about a second', async ({
      assert,
    }) => {
      const { branch, display } = await createWorld()
      const version = await liveVersion.get(branch.id)
      const other = new Redis({ host: redisConnection.host, port: redisConnection.port })
      try {
        const poll = timed(fetch(`${base}/display/${display.token}/live?v=${version}&w=1`))
        await waiting(1)
        await other.incr(`${redisPrefix}branch:${branch.id}:version`)
        const { value, ms } = await poll
        assert.equal(value.status, 200)
        assert.isBelow(ms, 2500)
      } finally {
        other.disconnect()
      }
    })
  }
})
