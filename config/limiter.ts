import { defineConfig, stores } from '@adonisjs/limiter'
import { redisEnabled } from '#config/redis'

/**
 * Rate-limit counters live where every server can see them: Redis when it is configured,
 * the database otherwise. Limits themselves are defined in start/limiter.ts.
 */
const limiterConfig = defineConfig({
  default: redisEnabled ? 'redis' : 'database',
  stores: {
    redis: stores.redis({ connectionName: 'main' }),
    database: stores.database({ tableName: 'rate_limits' }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
