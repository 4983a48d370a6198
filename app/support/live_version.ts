import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import { redisEnabled, redisPrefix } from '#config/redis'
import { withRedis } from '#support/redis_state'

/**
 * "Something changed" counter per branch (and per tenant's inbox). Live screens (TV, visitor
 * ticket, operator console, the inbox) poll with the version they hold; an unchanged version is
 * answered with 204 and no rendering.
 *
 * The version is bumped after a change commits, so a screen that sees a new version always
 * reads the new data. It lives in Redis when Redis is configured (shared by every server),
 * else in this process (one server, the embedded default). Versions start at a timestamp,
 * so a restart never hands a screen the number it already holds.
 */
interface VersionStore {
  /** `scope`: `branch:<id>` or `inbox:<tenant id>`. */
  get(scope: string): Promise<number>
  bump(scope: string): Promise<number>
  /** The versions of several scopes at once (the long polls' once-a-second check). */
  getMany(scopes: string[]): Promise<Map<string, number>>
  /** Calls `changed` whenever another server bumps a scope (this server's own bumps are told directly). */
  listen(changed: (scope: string, version: number) => void): void
}

class MemoryVersionStore implements VersionStore {
  #versions = new Map<string, number>()
  #base = Date.now()

  async get(scope: string) {
    return this.#versions.get(scope) ?? this.#base
  }

  async bump(scope: string) {
    const next = (this.#versions.get(scope) ?? this.#base) + 1
    this.#versions.set(scope, next)
    return next
  }

  async getMany(scopes: string[]) {
    return new Map(scopes.map((scope) => [scope, this.#versions.get(scope) ?? this.#base]))
  }

  /** One process: every bump is this server's own. */
  listen() {}
}

/**
 * Starts a missing version at the current timestamp, increments it and tells every server
 * (`<scope> <version>` on the live channel), in one round trip.
 */
const BUMP_SCRIPT = `if redis.call('exists', KEYS[1]) == 0 then redis.call('set', KEYS[1], ARGV[1]) end
local version = redis.call('incr', KEYS[1])
redis.call('publish', ARGV[2], ARGV[3] .. ' ' .. version)
return version`

/**
 * Versions in Redis, remembered by each server for 100 ms: a TV asking every second costs no
 * round trip most of the time, and a change made on another server shows within 100 ms more.
 * A change made on this server updates the remembered version at once.
 */
const REMEMBER_MS = 100

class RedisVersionStore implements VersionStore {
  #remembered = new Map<string, { version: number; at: number }>()

  #key(scope: string) {
    return `${redisPrefix}${scope}:version`
  }

  #remember(scope: string, version: number) {
    if (this.#remembered.size > 10_000) this.#remembered.clear()
    this.#remembered.set(scope, { version, at: Date.now() })
    return version
  }

  async get(scope: string) {
    const remembered = this.#remembered.get(scope)
    if (remembered && Date.now() - remembered.at < REMEMBER_MS) return remembered.version
    return withRedis(async () => {
      let value = await redis.get(this.#key(scope))
      if (value === null) {
        await redis.set(this.#key(scope), Date.now(), 'NX')
        value = await redis.get(this.#key(scope))
      }
      return this.#remember(scope, Number(value))
    }, clockVersion)
  }

  #channel = `${redisPrefix}live`

  async bump(scope: string) {
    return withRedis(async () => {
      const version = await redis.eval(
        BUMP_SCRIPT,
        1,
        this.#key(scope),
        Date.now(),
        this.#channel,
        scope
      )
      return this.#remember(scope, Number(version))
    }, clockVersion)
  }

  async getMany(scopes: string[]) {
    const read = async () => {
      const values = await redis.mget(scopes.map((scope) => this.#key(scope)))
      const versions = new Map<string, number>()
      scopes.forEach((scope, index) => {
        if (values[index] !== null)
          versions.set(scope, this.#remember(scope, Number(values[index])))
      })
      return versions
    }
    const clock = async () => {
      const version = await clockVersion()
      return new Map(scopes.map((scope) => [scope, version]))
    }
    return withRedis(read, clock)
  }

  /**
   * Subscribes to the live channel (a connection of its own, opened on the first long poll;
   * ioredis subscribes again after a reconnect). A message lost meanwhile is caught by the
   * long polls' once-a-second check.
   */
  listen(changed: (scope: string, version: number) => void) {
    redis.subscribe(this.#channel, (message: string) => {
      const [scope, value] = message.split(' ')
      const version = Number(value)
      if (!scope || !Number.isSafeInteger(version)) return
      const remembered = this.#remembered.get(scope)
      if (remembered && remembered.version >= version) return
      changed(scope, this.#remember(scope, version))
    })
  }
}

/**
 * The version while Redis is down: the current second, the same on every server. A screen then
 * fetches a fresh board at least once a second (more work, but it never misses a change made on
 * another server), and once Redis is back the next poll meets its versions again.
 */
async function clockVersion() {
  return Math.floor(Date.now() / 1000)
}

interface Waiter {
  version: number
  wake(version: number | null): void
}

/** A bump on its way to the store, and the one that will follow it (asked for meanwhile). */
interface Flight {
  done: Promise<number | null>
  next: Promise<number | null> | null
}

/** How often the waiting long polls' versions are read again, in case a change message was lost. */
const CHECK_EVERY_MS = 1000

class LiveVersion {
  #store: VersionStore = redisEnabled ? new RedisVersionStore() : new MemoryVersionStore()
  #waiters = new Map<string, Set<Waiter>>()
  #listening = false
  #stopping = false
  #check?: NodeJS.Timeout
  #flights = new Map<string, Flight>()

  get(branchId: number) {
    return this.#store.get(`branch:${branchId}`)
  }

  /** Tells every live screen of the branch to refresh. Never fails the caller: the change is already committed. */
  bump(branchId: number) {
    return this.#bump(`branch:${branchId}`)
  }

  /** The version of the tenant's inbox (every conversation's list and thread). */
  inbox(tenantId: number) {
    return this.#store.get(`inbox:${tenantId}`)
  }

  /** Tells every open inbox of the tenant to refresh. */
  bumpInbox(tenantId: number) {
    return this.#bump(`inbox:${tenantId}`)
  }

  /**
   * A long poll: resolves with the branch's version as soon as it is no longer `version` (at
   * once if it already differs), or with null after `ms` or when `signal` aborts (the screen went
   * away, the server stops). Waiting costs a timer and an entry in a map, no database work.
   */
  changed(branchId: number, version: number, ms: number, signal?: AbortSignal) {
    return this.#wait(`branch:${branchId}`, version, ms, signal)
  }

  /**
   * The server is stopping: every waiting long poll is answered now ("nothing changed", the screen
   * asks again and reaches another server), and new ones no longer wait.
   */
  releaseAll() {
    this.#stopping = true
    for (const waiters of [...this.#waiters.values()])
      for (const waiter of [...waiters]) waiter.wake(null)
  }

  /** Long polls wait again (tests: after releaseAll). */
  resume() {
    this.#stopping = false
  }

  async #wait(scope: string, version: number, ms: number, signal?: AbortSignal) {
    const current = await this.#store.get(scope)
    if (current !== version) return current
    if (this.#stopping || signal?.aborted || ms <= 0) return null
    this.#listen()
    return new Promise<number | null>((resolve) => {
      const waiter: Waiter = {
        version,
        wake: (next) => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', abort)
          this.#forget(scope, waiter)
          resolve(next)
        },
      }
      const abort = () => waiter.wake(null)
      const timer = setTimeout(abort, ms)
      signal?.addEventListener('abort', abort, { once: true })
      let waiters = this.#waiters.get(scope)
      if (!waiters) this.#waiters.set(scope, (waiters = new Set()))
      waiters.add(waiter)
    })
  }

  #forget(scope: string, waiter: Waiter) {
    const waiters = this.#waiters.get(scope)
    if (!waiters) return
    waiters.delete(waiter)
    if (waiters.size === 0) this.#waiters.delete(scope)
    if (this.#waiters.size === 0 && this.#check) {
      clearInterval(this.#check)
      this.#check = undefined
    }
  }

  /** Wakes the scope's long polls that hold another version than `version`. */
  #changed(scope: string, version: number) {
    const waiters = this.#waiters.get(scope)
    if (!waiters) return
    for (const waiter of [...waiters]) if (waiter.version !== version) waiter.wake(version)
  }

  #listen() {
    if (!this.#listening) {
      this.#listening = true
      this.#store.listen((scope, version) => this.#changed(scope, version))
    }
    this.#check ??= setInterval(() => {
      if (this.#waiters.size === 0) return
      this.#store
        .getMany([...this.#waiters.keys()])
        .then((versions) => versions.forEach((version, scope) => this.#changed(scope, version)))
        .catch((error) => logger.warn({ err: error }, 'could not check the live versions'))
    }, CHECK_EVERY_MS).unref()
  }

  /**
   * Bumps that overlap share a round trip: while one bump of `scope` is on its way, every bump
   * asked for meanwhile waits for one more that starts after it (a screen that reads the version
   * it returns must see every change committed before the call). A branch taking hundreds of
   * numbers a second then costs two Redis calls per round trip, not one per ticket.
   */
  #bump(scope: string): Promise<number | null> {
    const flight = this.#flights.get(scope)
    if (flight) return (flight.next ??= flight.done.then(() => this.#fly(scope)))
    return this.#fly(scope)
  }

  #fly(scope: string) {
    const flight: Flight = { done: this.#send(scope), next: null }
    this.#flights.set(scope, flight)
    flight.done.then(() => {
      if (this.#flights.get(scope) === flight) this.#flights.delete(scope)
    })
    return flight.done
  }

  async #send(scope: string) {
    try {
      const version = await this.#store.bump(scope)
      this.#changed(scope, version)
      return version
    } catch (error) {
      logger.error({ err: error, scope }, 'could not bump the live version')
      return null
    }
  }
}

const liveVersion = new LiveVersion()
export default liveVersion
