import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Bookings: bookable resources (booth, room, chair, doctor) with weekly schedules, the services
 * each offers, slot counters that never overfill, bookings and their append-only history,
 * payments with every notification a gateway sent, and the tenant's gateway accounts.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('resources', (table) => {
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
      table.integer('position').notNullable().defaultTo(0)
      table.boolean('is_active').notNullable().defaultTo(true)
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['branch_id', 'name'])
    })

    /** When a resource takes bookings, per weekday (0 = Sunday); a missing weekday means closed. */
    this.schema.createTable('resource_schedules', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('resource_id')
        .unsigned()
        .notNullable()
        .references('resources.id')
        .onDelete('CASCADE')
      table.tinyint('weekday').notNullable()
      table.string('opens_at', 5).notNullable()
      table.string('closes_at', 5).notNullable()
      table.unique(['resource_id', 'weekday'])
    })

    /** Which services a resource offers. */
    this.schema.createTable('resource_services', (table) => {
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('resource_id')
        .unsigned()
        .notNullable()
        .references('resources.id')
        .onDelete('CASCADE')
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('services.id')
        .onDelete('CASCADE')
      table.primary(['resource_id', 'service_id'])
    })

    this.schema.alterTable('services', (table) => {
      table.boolean('is_bookable').notNullable().defaultTo(false)
      table.integer('duration_minutes').nullable()
      /** Minor units of the tenant's currency (sen): Rp 25.000 is 2500000. */
      table.bigInteger('price').notNullable().defaultTo(0)
      table.boolean('requires_prepayment').notNullable().defaultTo(false)
    })

    this.schema.alterTable('tenants', (table) => {
      table.text('booking_settings').nullable()
      table.string('currency', 3).notNullable().defaultTo('IDR')
    })

    /**
     * How many bookings hold one resource's slot. A booking takes a place with one conditional
     * UPDATE (`booked < quota`), so concurrent bookings of the last place cannot both succeed.
     */
    this.schema.createTable('resource_slots', (table) => {
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('resource_id')
        .unsigned()
        .notNullable()
        .references('resources.id')
        .onDelete('CASCADE')
      table.datetime('starts_at', { precision: 3 }).notNullable()
      table.integer('booked').notNullable().defaultTo(0)
      table.primary(['resource_id', 'starts_at'])
    })

    this.schema.createTable('bookings', (table) => {
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
        .integer('resource_id')
        .unsigned()
        .notNullable()
        .references('resources.id')
        .onDelete('CASCADE')
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('services.id')
        .onDelete('CASCADE')
      table.string('code', 12).notNullable()
      table.string('status', 20).notNullable()
      table.string('channel', 16).notNullable()
      table.datetime('starts_at', { precision: 3 }).notNullable()
      table.datetime('ends_at', { precision: 3 }).notNullable()
      /** The branch-local day and time of the start (YYYY-MM-DD, HH:mm). */
      table.string('service_date', 10).notNullable()
      table.string('local_time', 5).notNullable()
      table.string('customer_name', 120).notNullable()
      table.string('customer_phone', 20).nullable()
      table.string('customer_email', 190).nullable()
      table.string('locale', 5).nullable()
      table.string('note', 255).nullable()
      table.bigInteger('price').notNullable().defaultTo(0)
      table.string('currency', 3).notNullable()
      table.string('request_id', 64).nullable()
      table.datetime('pay_by', { precision: 3 }).nullable()
      table.datetime('paid_at', { precision: 3 }).nullable()
      table.datetime('arrived_at', { precision: 3 }).nullable()
      table.datetime('started_at', { precision: 3 }).nullable()
      table.datetime('session_ends_at', { precision: 3 }).nullable()
      table.datetime('finished_at', { precision: 3 }).nullable()
      table.datetime('cancelled_at', { precision: 3 }).nullable()
      table.string('cancel_reason', 255).nullable()
      table.uuid('ticket_id').nullable()
      table.datetime('reminded_day_at', { precision: 3 }).nullable()
      table.datetime('reminded_hour_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'request_id'])
      table.unique(['tenant_id', 'code'])
      table.index(['branch_id', 'service_date', 'status'])
      table.index(['resource_id', 'starts_at'])
      table.index(['status', 'starts_at'])
      table.index(['status', 'pay_by'])
    })

    /** Append-only history of every booking, overrides included (who, when, from, to, why). */
    this.schema.createTable('booking_events', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.uuid('booking_id').notNullable().references('bookings.id').onDelete('CASCADE')
      table.string('type', 24).notNullable()
      table.string('from_status', 20).nullable()
      table.string('to_status', 20).notNullable()
      table.integer('user_id').unsigned().nullable()
      table.string('request_id', 64).nullable()
      table.string('reason', 255).nullable()
      table.text('data').nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'request_id'])
      table.index(['booking_id'])
      table.index(['tenant_id', 'created_at'])
    })

    this.schema.alterTable('tickets', (table) => {
      table.uuid('booking_id').nullable()
      table.index(['booking_id'])
    })

    /** A tenant's account at a payment gateway; settings (keys, callback token) encrypted with APP_KEY. */
    this.schema.createTable('payment_accounts', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('provider', 16).notNullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      table.text('settings').notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'provider'])
    })

    this.schema.createTable('payments', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.uuid('booking_id').notNullable().references('bookings.id').onDelete('CASCADE')
      table.string('provider', 16).notNullable()
      /** Our order id at the gateway (Midtrans order_id, Xendit external_id). */
      table.string('order_id', 64).notNullable().unique()
      /** The gateway's own id (Midtrans transaction_id, Xendit invoice id). */
      table.string('external_id', 120).nullable()
      table.bigInteger('amount').notNullable()
      table.string('currency', 3).notNullable()
      table.string('status', 16).notNullable()
      table.string('payment_url', 500).nullable()
      table.datetime('expires_at', { precision: 3 }).nullable()
      table.datetime('paid_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['booking_id'])
    })

    /** Every notification a gateway sent, raw, once each (a repeat is recognised and changes nothing). */
    this.schema.createTable('payment_notifications', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.integer('payment_id').unsigned().nullable()
      table.string('provider', 16).notNullable()
      /** What makes two notifications the same one (a hash of the gateway's id and status). */
      table.string('dedupe_key', 128).notNullable()
      table.string('status', 32).notNullable()
      table.text('raw', 'mediumtext').notNullable()
      /** What processing it did: applied, ignored (stale or repeated), unknown_order... */
      table.string('outcome', 32).notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'provider', 'dedupe_key'])
      table.index(['payment_id'])
    })
  }

  async down() {
    this.schema.dropTable('payment_notifications')
    this.schema.dropTable('payments')
    this.schema.dropTable('payment_accounts')
    this.schema.alterTable('tickets', (table) => {
      table.dropIndex(['booking_id'])
      table.dropColumn('booking_id')
    })
    this.schema.dropTable('booking_events')
    this.schema.dropTable('bookings')
    this.schema.dropTable('resource_slots')
    this.schema.alterTable('tenants', (table) => {
      table.dropColumn('currency')
      table.dropColumn('booking_settings')
    })
    this.schema.alterTable('services', (table) => {
      table.dropColumn('requires_prepayment')
      table.dropColumn('price')
      table.dropColumn('duration_minutes')
      table.dropColumn('is_bookable')
    })
    this.schema.dropTable('resource_services')
    this.schema.dropTable('resource_schedules')
    this.schema.dropTable('resources')
  }
}
