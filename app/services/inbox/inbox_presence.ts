import redis from '@adonisjs/redis/services/main'
import { redisPrefix } from '#config/redis'
import { withRedis } from '#support/redis_state'

/** A heartbeat counts for this long: the thread page beats every few seconds while it is open. */
export const PRESENCE_TTL_MS = 15_000

/** An agent is "available" for new tickets while they had the inbox open this recently. */
export const AVAILABLE_MS = 10 * 60_000

/** Who is on a conversation right now, as the others see them. */
export interface Viewer {
  userId: number
  name: string
  typing: boolean
  at: number
}

/**
 * Who is looking at (or typing in) which conversation, for collision control ("Rina is
 * replying"), and which agents have the inbox open (for round-robin assignment). Heartbeats live
 * in Redis when it is configured (every server sees them), else in this process; they expire by
 * themselves, so a closed tab disappears within PRESENCE_TTL_MS.
 */
class InboxPresence {
  #memory = new Map<string, Map<number, Viewer>>()

  /** `user` is on conversation `conversationId` now (typing or not); also marks them available. */
  async beat(
    tenantId: number,
    conversationId: number | null,
    user: { id: number; fullName: string },
    typing = false
  ) {
    const viewer: Viewer = { userId: user.id, name: user.fullName, typing, at: Date.now() }
    const keys = [`inbox:${tenantId}:agents`]
    if (conversationId !== null) keys.push(`inbox:${tenantId}:conversation:${conversationId}`)
    await withRedis(
      async () => {
        const pipeline = redis.pipeline()
        for (const key of keys) {
          pipeline.hset(`${redisPrefix}${key}`, String(user.id), JSON.stringify(viewer))
          pipeline.pexpire(`${redisPrefix}${key}`, AVAILABLE_MS)
        }
        await pipeline.exec()
      },
      async () => {
        for (const key of keys) this.#remember(key).set(user.id, viewer)
      }
    )
  }

  /** The others on a conversation (not `exceptUserId`), newest heartbeat first. */
  async viewers(tenantId: number, conversationId: number, exceptUserId: number) {
    const all = await this.#read(`inbox:${tenantId}:conversation:${conversationId}`)
    const fresh = Date.now() - PRESENCE_TTL_MS
    return all
      .filter((viewer) => viewer.userId !== exceptUserId && viewer.at >= fresh)
      .sort((a, b) => b.at - a.at)
  }

  /** The ids of the tenant's staff who had the inbox open within AVAILABLE_MS. */
  async available(tenantId: number) {
    const fresh = Date.now() - AVAILABLE_MS
    const all = await this.#read(`inbox:${tenantId}:agents`)
    return all.filter((viewer) => viewer.at >= fresh).map((viewer) => viewer.userId)
  }

  async #read(key: string): Promise<Viewer[]> {
    return withRedis(
      async () => {
        const stored = await redis.hgetall(`${redisPrefix}${key}`)
        return Object.values(stored).flatMap((value) => {
          try {
            return [JSON.parse(value) as Viewer]
          } catch {
            return []
          }
        })
      },
      async () => [...(this.#memory.get(key)?.values() ?? [])]
    )
  }

  #remember(key: string) {
    let viewers = this.#memory.get(key)
    if (!viewers) {
      if (this.#memory.size > 10_000) this.#memory.clear()
      viewers = new Map()
      this.#memory.set(key, viewers)
    }
    return viewers
  }
}

const inboxPresence = new InboxPresence()
export default inboxPresence
