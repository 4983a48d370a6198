import { Settings } from 'luxon'
import type { ApplicationService } from '@adonisjs/core/types'
import { HttpContext } from '@adonisjs/core/http'
import { Htmx } from '#http/htmx'

/**
 * Application-wide setup: every moment is computed in UTC (branch time zones are applied
 * explicitly), each request gets a small typed htmx helper, the servers' caches forget rows
 * that change (app/services/platform/cache_invalidation.ts), and a stopping server answers the
 * live screens' waiting polls at once.
 */
export default class AppProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    Settings.defaultZone = 'utc'
    Settings.throwOnInvalid = false
  }

  async boot() {
    HttpContext.getter(
      'htmx',
      function (this: HttpContext) {
        return new Htmx(this)
      },
      true
    )
    const { forgetCachesOnChange } = await import('#services/platform/cache_invalidation')
    forgetCachesOnChange()
    // Before the HTTP server waits for the requests in flight to end: the held long polls end now.
    const { default: liveVersion } = await import('#support/live_version')
    this.app.terminating(() => liveVersion.releaseAll())
  }

  /**
   * Links are made from route names everywhere (support/urls.ts), also outside the web server:
   * ace commands and job workers write messages with links too, so the routes are committed
   * here in every environment (the web server's own commit then has nothing left to do).
   * Several server copies (bin/cluster.ts) can only share live versions and limits through Redis.
   * A web server gives memory back once it is quiet after a burst (app/support/idle_memory.ts).
   */
  async ready() {
    const router = await this.app.container.make('router')
    router.commit()
    if (this.app.getEnvironment() === 'web') {
      const { watchIdleMemory } = await import('#support/idle_memory')
      watchIdleMemory()
    }
    // Registered now, after the HTTP server's own hook: once the requests in flight are answered,
    // the job workers finish their jobs, and only then do the providers close the database and
    // Redis (a delivery cut off by a closed database would leave its row "sending").
    const { default: jobs } = await import('#support/jobs')
    this.app.terminating(() => jobs.close())
    const { default: cluster } = await import('node:cluster')
    const { redisEnabled } = await import('#config/redis')
    if (cluster.isWorker && !redisEnabled) {
      const { default: logger } = await import('@adonisjs/core/services/logger')
      logger.warn(
        'running as one of several server copies without REDIS_HOST: live screens and rate limits will not be shared'
      )
    }
  }

  /** In case the app stops without terminating hooks (closing twice is harmless). */
  async shutdown() {
    const { default: jobs } = await import('#support/jobs')
    await jobs.close()
  }
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    htmx: Htmx
  }
}
