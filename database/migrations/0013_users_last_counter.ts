import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The counter an operator last sat down at: their console opens on it again next time. No foreign
 * key: SQLite adds one only by copying the users table, and the console checks the counter (same
 * tenant, active, in the operator's branches) every time it reads this.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.integer('last_counter_id').unsigned().nullable()
    })
  }

  async down() {
    this.schema.alterTable('users', (table) => {
      table.dropColumn('last_counter_id')
    })
  }
}
