import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Computes renewals and takes the due reminder steps now (what the scheduler does every hour). */
export default class RenewalsRun extends BaseCommand {
  static commandName = 'renewals:run'
  static description = 'Compute renewals within the horizon and send the reminders that are due'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: RenewalService } = await import('#services/renewals/renewal_service')
    const { default: jobs } = await import('#support/jobs')
    const renewals = await this.app.container.make(RenewalService)
    const done = await renewals.run()
    await jobs.idle()
    this.logger.info(`${done.created} renewal(s) computed, ${done.reminded} step(s) taken`)
    await jobs.close()
  }
}
