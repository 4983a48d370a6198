import { errors } from '@adonisjs/limiter'
import type { LimiterStoreContract } from '@adonisjs/limiter/types'
import { redisReady, withRedis } from '#support/redis_state'

/**
 * A rate-limit store that counts in Redis (shared by every server) while Redis answers, and in
 * this server's memory while it does not: a Redis outage never turns "take a number" or a login
 * into an error, and never leaves it unlimited. Counts start afresh in memory during the outage;
 * when Redis is back, its own counts are used again.
 */
export default class FallbackLimiterStore implements LimiterStoreContract {
  constructor(
    private primary: LimiterStoreContract,
    private fallback: LimiterStoreContract,
    private ready: () => boolean = redisReady
  ) {}

  get name() {
    return this.primary.name
  }

  get requests() {
    return this.primary.requests
  }

  get duration() {
    return this.primary.duration
  }

  get blockDuration() {
    return this.primary.blockDuration
  }

  #use<T>(work: (store: LimiterStoreContract) => Promise<T>) {
    return withRedis(
      () => work(this.primary),
      () => work(this.fallback),
      { passThrough: (error) => error instanceof errors.E_TOO_MANY_REQUESTS, ready: this.ready }
    )
  }

  consume(key: string | number) {
    return this.#use((store) => store.consume(key))
  }

  increment(key: string | number) {
    return this.#use((store) => store.increment(key))
  }

  decrement(key: string | number) {
    return this.#use((store) => store.decrement(key))
  }

  block(key: string | number, duration: string | number) {
    return this.#use((store) => store.block(key, duration))
  }

  set(key: string | number, requests: number, duration?: string | number) {
    return this.#use((store) => store.set(key, requests, duration))
  }

  delete(key: string | number) {
    return this.#use((store) => store.delete(key))
  }

  get(key: string | number) {
    return this.#use((store) => store.get(key))
  }

  deleteInMemoryBlockedKeys() {
    this.primary.deleteInMemoryBlockedKeys?.()
    this.fallback.deleteInMemoryBlockedKeys?.()
  }

  clear() {
    return this.#use((store) => store.clear())
  }
}
