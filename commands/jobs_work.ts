import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { STOP_SIGNALS, stopProcess } from '#support/stop_signals'

/**
 * A dedicated job worker: processes Bull jobs from Redis until stopped (STOP_SIGNALS: SIGTERM, SIGINT or SIGHUP).
 * Run it next to web servers started with WORKERS_ENABLED=false.
 */
export default class JobsWork extends BaseCommand {
  static commandName = 'jobs:work'
  static description = 'Process background jobs from Redis (Bull) until stopped'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    const { redisEnabled } = await import('#config/redis')
    if (!redisEnabled) {
      this.logger.error(
        'jobs:work needs Redis (REDIS_HOST): without it, each web server runs its jobs in process'
      )
      process.exitCode = 1
      await this.terminate()
      return
    }
    const { default: jobs } = await import('#support/jobs')
    for (const signal of STOP_SIGNALS)
      process.once(signal, () => stopProcess(signal, () => this.terminate()))
    jobs.startWorkers()
    this.logger.info('processing jobs; stop with Ctrl+C')
  }
}
