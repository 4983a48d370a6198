import { configProvider } from '@adonisjs/core'
import { defineConfig, stores } from '@adonisjs/limiter'
import type { LimiterConsumptionOptions } from '@adonisjs/limiter/types'
import { redisEnabled } from '#config/redis'

/**
 * Rate-limit counters live where every server can see them: Redis when it is configured,
 * the database otherwise. While Redis is down, limits are counted in each server's memory
 * (app/services/fallback_limiter_store.ts). Limits themselves are defined in start/limiter.ts.
 */
const limiterConfig = defineConfig({
  default: redisEnabled ? 'redis' : 'database',
  stores: {
    redis: configProvider.create(async (app) => {
      const shared = await stores
        .redis({ connectionName: 'main', rejectIfRedisNotReady: true })
        .resolver(app)
      const local = stores.memory({})
      const { default: FallbackLimiterStore } = await import('#support/fallback_limiter_store')
      return (options: LimiterConsumptionOptions) =>
        new FallbackLimiterStore(shared(options), local(options))
    }),
    database: stores.database({ tableName: 'rate_limits' }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
