import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Runs the daily reset by hand: closes earlier days' open tickets of every due branch. */
export default class QueueDailyReset extends BaseCommand {
  static commandName = 'queue:daily-reset'
  static description =
    "Close earlier days' open tickets of every branch past midnight (what the cron does)"
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: DailyReset } = await import('#services/queue/daily_reset')
    const dailyReset = await this.app.container.make(DailyReset)
    const { default: QueueEngine } = await import('#services/queue/queue_engine')
    const engine = await this.app.container.make(QueueEngine)
    for (const branch of await dailyReset.dueBranches()) {
      const closed = await engine.closePreviousDays(branch)
      this.logger.info(`${branch.slug}: closed ${closed} ticket(s) of earlier days`)
    }
  }
}
