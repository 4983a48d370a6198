import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The omnichannel queue: areas, richer services and tickets (priorities, holds, transfers,
 * no-shows), opening hours and holidays, counter presence, kiosks and display modes, API keys.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('areas', (table) => {
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
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['branch_id', 'name'])
    })

    this.schema.alterTable('services', (table) => {
      table.integer('area_id').unsigned().nullable()
      table.string('name_en', 80).nullable()
      table.string('name_ms', 80).nullable()
      table.integer('sla_minutes').notNullable().defaultTo(15)
      table.string('opens_at', 5).nullable()
      table.string('closes_at', 5).nullable()
      table.integer('daily_capacity').nullable()
      table.string('default_priority', 16).notNullable().defaultTo('regular')
      table.string('number_format', 32).notNullable().defaultTo('{code}{n:3}')
      table.integer('no_show_after_minutes').nullable()
      table.string('no_show_action', 16).notNullable().defaultTo('no_show')
      table.integer('max_wait_minutes').nullable()
    })

    this.schema.alterTable('counters', (table) => {
      table.integer('area_id').unsigned().nullable()
      table.string('presence', 16).notNullable().defaultTo('offline')
      table.datetime('presence_at', { precision: 3 }).nullable()
    })

    this.schema.alterTable('tickets', (table) => {
      table.string('priority', 16).notNullable().defaultTo('regular')
      table.integer('area_id').unsigned().nullable()
      table.integer('target_counter_id').unsigned().nullable()
      table.integer('device_id').unsigned().nullable()
      table.string('customer_name', 120).nullable()
      table.string('customer_phone', 20).nullable()
      table.string('note', 255).nullable()
      table.string('tags', 255).nullable()
      table.datetime('serving_at', { precision: 3 }).nullable()
      table.integer('transfer_count').notNullable().defaultTo(0)
      table.integer('requeue_count').notNullable().defaultTo(0)
      table.index(['target_counter_id', 'status'])
      table.index(['branch_id', 'status', 'called_at'])
      table.integer('origin_service_id').unsigned().nullable()
    })

    /**
     * A transferred ticket keeps its number in another service's queue, so numbers are unique
     * per service whose sequence issued them (origin), not per current service.
     */
    this.schema.raw('UPDATE tickets SET origin_service_id = service_id')
    this.schema.alterTable('tickets', (table) => {
      table.dropUnique(['service_id', 'service_date', 'cycle', 'sequence'])
      table.unique(['origin_service_id', 'service_date', 'cycle', 'sequence'])
    })

    this.schema.alterTable('ticket_events', (table) => {
      table.text('data').nullable()
    })

    this.schema.alterTable('tenants', (table) => {
      table.text('logo_data', 'mediumtext').nullable()
      table.string('logo_mime', 40).nullable()
      table.text('queue_settings').nullable()
    })

    /** Opening hours per weekday (0 = Sunday); a missing weekday means closed. */
    this.schema.createTable('branch_hours', (table) => {
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
      table.tinyint('weekday').notNullable()
      table.string('opens_at', 5).notNullable()
      table.string('closes_at', 5).notNullable()
      table.unique(['branch_id', 'weekday'])
    })

    this.schema.createTable('holidays', (table) => {
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
      table.string('date', 10).notNullable()
      table.string('name', 120).notNullable()
      table.unique(['branch_id', 'date'])
    })

    this.schema.alterTable('devices', (table) => {
      table.string('mode', 16).notNullable().defaultTo('lobby')
      table.integer('area_id').unsigned().nullable()
      table.string('service_ids', 255).nullable()
      table.integer('recent_count').notNullable().defaultTo(6)
      table.boolean('show_next_up').notNullable().defaultTo(false)
      table.integer('paper_width').notNullable().defaultTo(80)
    })

    /** Numbers a kiosk holds for printing while its network is down (offline issuing). */
    this.schema.createTable('kiosk_reservations', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('device_id')
        .unsigned()
        .notNullable()
        .references('devices.id')
        .onDelete('CASCADE')
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('services.id')
        .onDelete('CASCADE')
      table.string('service_date', 10).notNullable()
      table.integer('cycle').notNullable()
      table.integer('first_number').notNullable()
      table.integer('last_number').notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.index(['device_id', 'service_date'])
    })

    /** Keys for the REST API: only a hash is kept; the key is shown once. */
    this.schema.createTable('api_keys', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('name', 80).notNullable()
      table.string('prefix', 16).notNullable()
      table.string('token_hash', 64).notNullable().unique()
      table.integer('created_by').unsigned().nullable()
      table.datetime('last_used_at', { precision: 3 }).nullable()
      table.datetime('revoked_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['tenant_id'])
    })

    /** First answers to API requests sent with an Idempotency-Key, replayed on repeats. */
    this.schema.createTable('api_idempotency', (table) => {
      table.bigIncrements('id')
      table
        .integer('api_key_id')
        .unsigned()
        .notNullable()
        .references('api_keys.id')
        .onDelete('CASCADE')
      table.string('idempotency_key', 128).notNullable()
      table.string('fingerprint', 64).notNullable()
      table.integer('status').notNullable()
      table.text('body', 'mediumtext').notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['api_key_id', 'idempotency_key'])
    })
  }

  async down() {
    this.schema.dropTable('api_idempotency')
    this.schema.dropTable('api_keys')
    this.schema.dropTable('kiosk_reservations')
    this.schema.dropTable('holidays')
    this.schema.dropTable('branch_hours')
    this.schema.dropTable('areas')
  }
}
