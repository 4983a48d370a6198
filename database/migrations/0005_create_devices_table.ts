import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /** TV displays (and later kiosks), reached through a secret token URL. */
    this.schema.createTable('devices', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('branch_id')
        .unsigned()
        .notNullable()
        .references('branches.id')
        .onDelete('CASCADE')
      table.string('kind', 16).notNullable()
      table.string('name', 80).notNullable()
      table.string('token', 64).notNullable().unique()
      table.datetime('last_seen_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['tenant_id'])
    })
  }

  async down() {
    this.schema.dropTable('devices')
  }
}
