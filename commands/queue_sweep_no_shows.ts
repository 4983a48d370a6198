import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Runs the no-show sweep by hand: late called visitors become no-shows (or are requeued), per service. */
export default class QueueSweepNoShows extends BaseCommand {
  static commandName = 'queue:sweep-no-shows'
  static description =
    'Mark called visitors not started within their service grace period as no-shows (what the cron does)'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: NoShowSweep } = await import('#services/queue/no_show_sweep')
    const noShowSweep = await this.app.container.make(NoShowSweep)
    const { default: Branch } = await import('#models/branch')
    const { default: QueueEngine } = await import('#services/queue/queue_engine')
    const engine = await this.app.container.make(QueueEngine)
    for (const branchId of await noShowSweep.dueBranchIds()) {
      const branch = await Branch.findOrFail(branchId)
      this.logger.info(`${branch.slug}: ${await engine.sweepNoShows(branch)} late visitor(s) swept`)
    }
  }
}
