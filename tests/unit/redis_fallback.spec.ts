import { test } from '@japa/runner'
import { errors, stores } from '@adonisjs/limiter'
import type { LimiterStoreContract } from '@adonisjs/limiter/types'
import FallbackLimiterStore from '#support/fallback_limiter_store'
import { REDIS_DEADLINE_MS } from '#support/redis_state'

/**
 * A store standing for Redis as the app meets it when Redis fails: every command is refused the
 * way ioredis refuses it once its retries ran out, or never answers (a connection that just died).
 * Each call is counted, so a test can see whether Redis was asked at all.
 */
function failingRedis(mode: 'refuses' | 'hangs' | 'full') {
  const calls: string[] = []
  const memory = stores.memory({})({ requests: 2, duration: 60 })
  const answer = (name: string) => {
    calls.push(name)
    if (mode === 'refuses')
      return Promise.reject(
        Object.assign(new Error('Reached the max retries per request limit (which is 2).'), {
          name: 'MaxRetriesPerRequestError',
        })
      )
    if (mode === 'hangs') return new Promise<never>(() => {})
    return memory
      .consume('full')
      .then(() => memory.consume('full'))
      .then(() => memory.consume('full'))
  }
  const store = new Proxy({} as LimiterStoreContract, {
    get(_, property: string) {
      if (['name', 'requests', 'duration', 'blockDuration'].includes(property))
        return (memory as any)[property]
      return () => answer(property)
    },
  })
  return { store, calls }
}

const budget = () => stores.memory({})({ requests: 3, duration: 60 })

test.group('Rate limits while Redis is down', () => {
  test('a Redis that refuses commands: limits count in memory instead, and still say no after the budget', async ({
    assert,
  }) => {
    const redis = failingRedis('refuses')
    const store = new FallbackLimiterStore(redis.store, budget(), () => true)
    for (let index = 0; index < 3; index++) await store.consume('take:10.0.0.1')
    await assert.rejects(() => store.consume('take:10.0.0.1'), errors.E_TOO_MANY_REQUESTS)
    assert.lengthOf(redis.calls, 4)
  })

  test(`a Redis that does not answer costs at most ${REDIS_DEADLINE_MS} ms before memory answers`, async ({
    assert,
  }) => {
    const redis = failingRedis('hangs')
    const store = new FallbackLimiterStore(redis.store, budget(), () => true)
    const started = performance.now()
    const state = await store.consume('take:10.0.0.2')
    assert.isBelow(performance.now() - started, REDIS_DEADLINE_MS + 150)
    assert.equal(state.remaining, 2)
  })

  test('while the connection is not ready Redis is not asked at all', async ({ assert }) => {
    const redis = failingRedis('refuses')
    const store = new FallbackLimiterStore(redis.store, budget(), () => false)
    await store.consume('take:10.0.0.3')
    assert.lengthOf(redis.calls, 0)
  })

  test("Redis saying no is Redis's answer, not a failure: the memory budget is not used instead", async ({
    assert,
  }) => {
    const redis = failingRedis('full')
    const store = new FallbackLimiterStore(redis.store, budget(), () => true)
    await assert.rejects(() => store.consume('take:10.0.0.4'), errors.E_TOO_MANY_REQUESTS)
  })
})
