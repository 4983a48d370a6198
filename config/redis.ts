import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import { InferConnections } from '@adonisjs/redis/types'

/** Redis is optional: it is used only when REDIS_HOST is set (see app/services/runtime.ts). */
export const redisEnabled = Boolean(env.get('REDIS_HOST'))

export const redisConnection = {
  host: env.get('REDIS_HOST', '127.0.0.1'),
  port: env.get('REDIS_PORT', 6379),
  password: env.get('REDIS_PASSWORD') || undefined,
}

export const redisPrefix = env.get('REDIS_PREFIX', 'loket:')

const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      ...redisConnection,
      db: 0,
      keyPrefix: '',
      maxRetriesPerRequest: 2,
      /** Commands issued in the same tick share one write: fewer round trips under load. */
      enableAutoPipelining: true,
      retryStrategy(times) {
        return Math.min(times * 200, 5000)
      },
    },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
