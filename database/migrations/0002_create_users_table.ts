import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('users', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().nullable().references('tenants.id').onDelete('CASCADE')
      table
        .integer('branch_id')
        .unsigned()
        .nullable()
        .references('branches.id')
        .onDelete('SET NULL')
      table.string('full_name', 120).notNullable()
      table.string('email', 254).notNullable().unique()
      table.string('password', 255).notNullable()
      table.string('role', 20).notNullable()
      table.string('locale', 5).nullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      table.datetime('last_login_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['tenant_id', 'role'])
    })
  }

  async down() {
    this.schema.dropTable('users')
  }
}
