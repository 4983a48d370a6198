import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Staff sessions that the server can end. The session cookie names one of these rows; logging out,
 * "log out of all devices", deactivating a user and changing their password, role or branch delete
 * rows, and a cookie whose row is gone no longer logs anyone in, on any server.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('user_sessions', (table) => {
      table.string('id', 43).primary()
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('ip', 45).nullable()
      table.string('user_agent', 255).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('last_seen_at', { precision: 3 }).notNullable()
      table.index(['user_id'])
      table.index(['last_seen_at'])
    })
  }

  async down() {
    this.schema.dropTable('user_sessions')
  }
}
