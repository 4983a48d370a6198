import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('services', (table) => {
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
      table.string('code', 3).notNullable()
      table.string('name', 80).notNullable()
      table.string('description', 255).nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.boolean('is_active').notNullable().defaultTo(true)
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['branch_id', 'code'])
      table.index(['tenant_id'])
    })

    this.schema.createTable('counters', (table) => {
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
      table.string('name', 60).notNullable()
      table.integer('position').notNullable().defaultTo(0)
      table.boolean('is_active').notNullable().defaultTo(true)
      table.integer('operator_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['branch_id', 'name'])
      table.index(['tenant_id'])
    })

    this.schema.createTable('counter_services', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('counter_id')
        .unsigned()
        .notNullable()
        .references('counters.id')
        .onDelete('CASCADE')
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('services.id')
        .onDelete('CASCADE')
      table.integer('rank').notNullable().defaultTo(1)
      table.unique(['counter_id', 'service_id'])
      table.index(['service_id'])
    })
  }

  async down() {
    this.schema.dropTable('counter_services')
    this.schema.dropTable('counters')
    this.schema.dropTable('services')
  }
}
