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
}

/** Starts a missing version at the current timestamp, then increments it, in one round trip. */
const BUMP_SCRIPT = `if redis.call('exists', KEYS[1]) == 0 then redis.call('set', KEYS[1], ARGV[1]) end
return redis.call('incr', KEYS[1])`

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

  async bump(scope: string) {
    return withRedis(async () => {
      const version = await redis.eval(BUMP_SCRIPT, 1, this.#key(scope), Date.now())
      return this.#remember(scope, Number(version))
    }, clockVersion)
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

class LiveVersion {
  #store: VersionStore = redisEnabled ? new RedisVersionStore() : new MemoryVersionStore()

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

  async #bump(scope: string) {
    try {
      return await this.#store.bump(scope)
    } catch (error) {
      logger.error({ err: error, scope }, 'could not bump the live version')
      return null
    }
  }
}

const liveVersion = new LiveVersion()
export default liveVersion
