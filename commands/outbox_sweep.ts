import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Dispatches outbox rows whose job was lost (what the scheduler does every 15 seconds). */
export default class OutboxSweep extends BaseCommand {
  static commandName = 'outbox:sweep'
  static description =
    'Send again the messages and webhook calls whose delivery job was lost (Redis or a worker was down)'
  static options: CommandOptions = { startApp: true }

  @flags.number({
    description: 'Dispatch rows this many seconds past their attempt time (default 30)',
  })
  declare overdue?: number

  async run() {
    const { default: Outbox } = await import('#services/messaging/outbox')
    const outbox = await this.app.container.make(Outbox)
    const { default: jobs } = await import('#support/jobs')
    const dispatched = await outbox.sweep({ overdueMs: (this.overdue ?? 30) * 1000 })
    await jobs.idle()
    this.logger.info(`${dispatched} outbox row(s) dispatched`)
    await jobs.close()
  }
}
