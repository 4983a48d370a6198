import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Pulls a tenant's POS feed now (what the scheduler does every day for enabled sources). */
export default class PosSyncCommand extends BaseCommand {
  static commandName = 'pos:sync'
  static description =
    "Sync a tenant's outlets from its POS now (all enabled sources without --tenant)"
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'The tenant slug' })
  declare tenant?: string

  async run() {
    const { default: PosSync } = await import('#services/renewals/pos_sync')
    const { default: Tenant } = await import('#models/tenant')
    const posSync = await this.app.container.make(PosSync)
    if (!this.tenant) {
      const runs = await posSync.syncAll()
      this.logger.info(`${runs} POS source(s) synced`)
      return
    }
    const tenant = await Tenant.findBy('slug', this.tenant)
    if (!tenant) {
      this.logger.error(`No tenant with slug ${this.tenant}`)
      this.exitCode = 1
      return
    }
    const run = await posSync.pull(tenant)
    const line = `${run.status}: ${run.rowsCount} row(s) in ${run.pagesCount} page(s), ${run.createdCount} new, ${run.updatedCount} updated, ${run.expiredCount} expired, ${run.unchangedCount} unchanged, ${run.errorCount} error(s)`
    if (run.status === 'failed') {
      this.logger.error(`${line}. ${run.message ?? ''}`)
      this.exitCode = 1
    } else this.logger.info(line)
  }
}
