import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Two-factor login (issue 16): a staff member's TOTP secret (encrypted with the app key), when it
 * was turned on, the last 30-second step used (a code is good once), and the recovery codes'
 * sha256 digests (each good once); a tenant may require it of all its staff.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.text('two_factor_secret').nullable()
      table.datetime('two_factor_enabled_at', { precision: 3 }).nullable()
      table.bigInteger('two_factor_last_step').nullable()
      /** JSON array of sha256 hex digests of the unused recovery codes. */
      table.text('two_factor_recovery_codes').nullable()
    })
    this.schema.alterTable('tenants', (table) => {
      table.boolean('require_two_factor').notNullable().defaultTo(false)
    })
  }

  async down() {
    this.schema.alterTable('tenants', (table) => table.dropColumn('require_two_factor'))
    this.schema.alterTable('users', (table) => {
      table.dropColumn('two_factor_recovery_codes')
      table.dropColumn('two_factor_last_step')
      table.dropColumn('two_factor_enabled_at')
      table.dropColumn('two_factor_secret')
    })
  }
}
