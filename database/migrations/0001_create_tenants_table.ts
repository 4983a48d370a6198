import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('tenants', (table) => {
      table.increments('id')
      table.string('name', 120).notNullable()
      table.string('slug', 60).notNullable().unique()
      table.string('locale', 5).notNullable().defaultTo('id')
      table.string('brand_color', 7).notNullable().defaultTo('#0f766e')
      table.boolean('is_active').notNullable().defaultTo(true)
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
    })

    this.schema.createTable('branches', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('name', 120).notNullable()
      table.string('slug', 60).notNullable().unique()
      table.string('timezone', 40).notNullable().defaultTo('Asia/Jakarta')
      table.string('address', 255).nullable()
      table.string('last_reset_date', 10).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['tenant_id'])
    })
  }

  async down() {
    this.schema.dropTable('branches')
    this.schema.dropTable('tenants')
  }
}
