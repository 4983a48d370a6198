import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Anonymizes personal data past each tenant's retention days (what the scheduler does every night). */
export default class PrivacyRetention extends BaseCommand {
  static commandName = 'privacy:retention'
  static description =
    "Anonymize personal data older than each tenant's retention days (tickets, bookings, conversations, notifications, ratings, leads)"
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Only this tenant (its id)' })
  declare tenant?: number

  @flags.number({ description: 'Rows per transaction (default 200)' })
  declare batch?: number

  async run() {
    const { default: Retention } = await import('#services/privacy/retention')
    const retention = await this.app.container.make(Retention)
    const report = await retention.run({ tenantId: this.tenant, batch: this.batch })
    const tenants = Object.entries(report)
    for (const [tenantId, tables] of tenants) {
      const rows = Object.entries(tables)
        .map(([table, count]) => `${table} ${count}`)
        .join(', ')
      this.logger.info(`tenant ${tenantId}: ${rows}`)
    }
    this.logger.info(`${tenants.length} tenant(s) had personal data past its retention`)
  }
}
