import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Writes a year of a busy branch's queue (app/services/analytics/demo_history.ts) and rebuilds the rollups. */
export default class DemoHistoryCommand extends BaseCommand {
  static commandName = 'demo:history'
  static description = 'Write a year of tickets for a branch (analytics demos, bench:analytics)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'How many tickets (default 100000)' })
  declare tickets?: number

  @flags.string({ description: "The branch's slug (default sehat-sentosa, the demo clinic)" })
  declare branch?: string

  async run() {
    const { default: Branch } = await import('#models/branch')
    const { default: DemoHistory } = await import('#services/analytics/demo_history')
    const { default: QueueStats } = await import('#services/analytics/queue_stats')
    const tickets = this.tickets ?? 100_000
    if (!Number.isInteger(tickets) || tickets < 1 || tickets > 5_000_000) {
      this.logger.error('--tickets must be a whole number from 1 to 5000000')
      this.exitCode = 1
      return
    }
    const branch = await Branch.findBy('slug', this.branch ?? 'sehat-sentosa')
    if (!branch) {
      this.logger.error(
        `No branch with the slug "${this.branch ?? 'sehat-sentosa'}" (run the demo seeder first)`
      )
      this.exitCode = 1
      return
    }
    let started = performance.now()
    let shown = 0
    const written = await new DemoHistory().write(branch, tickets, (count) => {
      if (count - shown >= 100_000) {
        shown = count
        this.logger.info(`${count} tickets written`)
      }
    })
    this.logger.success(
      `Wrote ${written} tickets in ${Math.round((performance.now() - started) / 1000)} s`
    )
    started = performance.now()
    const counted = await new QueueStats().rebuild()
    this.logger.success(
      `Rebuilt the analytics rollups from ${counted} events in ${Math.round((performance.now() - started) / 1000)} s`
    )
  }
}
