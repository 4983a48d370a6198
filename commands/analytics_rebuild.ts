import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Empties the analytics rollups and counts every ticket event again (after an import, a restore, a fix). */
export default class AnalyticsRebuild extends BaseCommand {
  static commandName = 'analytics:rebuild'
  static description = 'Rebuild the analytics rollups (queue_stats) from the ticket events'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: QueueStats } = await import('#services/analytics/queue_stats')
    const started = performance.now()
    const counted = await new QueueStats().rebuild()
    this.logger.success(
      `Counted ${counted} ticket events into the rollups in ${Math.round(performance.now() - started)} ms`
    )
  }
}
