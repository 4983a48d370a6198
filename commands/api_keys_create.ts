import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Creates a REST API key for a tenant and prints it (once: only its hash is kept). */
export default class ApiKeysCreate extends BaseCommand {
  static commandName = 'api-keys:create'
  static description = 'Create a REST API key for a tenant and print it once'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: "The tenant's slug, e.g. sehat-sentosa" })
  declare tenantSlug: string

  @flags.string({ description: 'What the key is for, e.g. "Booking website" (required)' })
  declare name?: string

  async run() {
    const { default: Tenant } = await import('#models/tenant')
    const { default: ApiKeys } = await import('#services/platform/api_keys')
    const apiKeys = await this.app.container.make(ApiKeys)
    const name = this.name?.trim() ?? ''
    if (name.length < 2 || name.length > 80) {
      this.logger.error('--name=<label> is required: 2 to 80 characters saying what the key is for')
      this.exitCode = 1
      return
    }
    const tenant = await Tenant.findBy('slug', this.tenantSlug)
    if (!tenant) {
      this.logger.error(`No tenant with the slug "${this.tenantSlug}"`)
      this.exitCode = 1
      return
    }
    const { apiKey, plainKey } = await apiKeys.create(tenant, name, { user: null })
    this.logger.success(
      `API key "${apiKey.name}" created for ${tenant.name}. It is shown only now; keep it safe:`
    )
    this.logger.log(plainKey)
  }
}
