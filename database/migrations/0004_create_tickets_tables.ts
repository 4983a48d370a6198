import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /**
     * The last number handed out per service per local day. `cycle` grows when an admin
     * resets today's queue: numbering restarts at 1 and never repeats within a cycle.
     */
    this.schema.createTable('ticket_sequences', (table) => {
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('services.id')
        .onDelete('CASCADE')
      table.string('service_date', 10).notNullable()
      table.integer('cycle').notNullable().defaultTo(1)
      table.integer('last_number').notNullable().defaultTo(0)
      table.primary(['service_id', 'service_date'])
    })

    this.schema.createTable('tickets', (table) => {
      table.uuid('id').primary()
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
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('services.id')
        .onDelete('CASCADE')
      table
        .integer('counter_id')
        .unsigned()
        .nullable()
        .references('counters.id')
        .onDelete('SET NULL')
      table.string('service_date', 10).notNullable()
      table.integer('cycle').notNullable().defaultTo(1)
      table.integer('sequence').notNullable()
      table.string('number', 16).notNullable()
      table.string('status', 16).notNullable()
      table.string('channel', 16).notNullable()
      table.string('request_id', 64).nullable()
      table.string('cancel_reason', 255).nullable()
      table.tinyint('local_hour').notNullable()
      table.integer('wait_seconds').nullable()
      table.integer('service_seconds').nullable()
      table.integer('recall_count').notNullable().defaultTo(0)
      table.datetime('queued_at', { precision: 3 }).notNullable()
      table.datetime('called_at', { precision: 3 }).nullable()
      table.datetime('completed_at', { precision: 3 }).nullable()
      table.datetime('cancelled_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['service_id', 'service_date', 'cycle', 'sequence'])
      table.unique(['tenant_id', 'request_id'])
      table.index(['service_id', 'service_date', 'status', 'queued_at'], 'tickets_waiting_index')
      table.index(['branch_id', 'service_date', 'status'])
      table.index(['counter_id', 'service_date', 'status'])
    })

    /** Append-only history of every ticket: nothing updates or deletes these rows. */
    this.schema.createTable('ticket_events', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.integer('branch_id').unsigned().notNullable()
      table.uuid('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE')
      table.string('type', 24).notNullable()
      table.string('from_status', 16).nullable()
      table.string('to_status', 16).notNullable()
      table.integer('counter_id').unsigned().nullable()
      table.integer('user_id').unsigned().nullable()
      table.string('request_id', 64).nullable()
      table.string('note', 255).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'request_id'])
      table.index(['ticket_id'])
      table.index(['branch_id', 'created_at'])
      table.index(['tenant_id', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable('ticket_events')
    this.schema.dropTable('tickets')
    this.schema.dropTable('ticket_sequences')
  }
}
