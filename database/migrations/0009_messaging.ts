import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The messaging backbone: per-tenant channels (credentials encrypted), templates, the outbox of
 * messages (`notifications`), opt-outs, WhatsApp contacts (the 24-hour window), receipts of
 * inbound webhooks (each processed once), and outgoing webhooks with their delivery log.
 *
 * `notifications` and `webhook_deliveries` share the delivery columns (status, attempts,
 * next_attempt_at, locked_until, last_error, sent_at) that app/services/outbox.ts works on.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('messaging_channels', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('kind', 16).notNullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      /** JSON, encrypted with APP_KEY: tokens, passwords and addresses of the provider account. */
      table.text('settings').notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'kind'])
    })

    /** A tenant's own wording of a message; the defaults live in resources/lang/<locale>/messages.json. */
    this.schema.createTable('message_templates', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('event', 40).notNullable()
      table.string('locale', 5).notNullable()
      table.string('subject', 200).nullable()
      table.text('body').notNullable()
      /** The approved WhatsApp template sent outside the 24-hour window. */
      table.string('whatsapp_template', 120).nullable()
      table.integer('updated_by').unsigned().nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'event', 'locale'])
    })

    /** The outbox: written in the transaction of the change that causes it, delivered by workers. */
    this.schema.createTable('notifications', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.integer('branch_id').unsigned().nullable()
      table.string('event', 40).notNullable()
      table.string('channel', 16).notNullable()
      table.string('recipient', 190).notNullable()
      table.string('locale', 5).notNullable()
      table.text('variables').notNullable()
      table.string('subject', 200).nullable()
      table.text('body').notNullable()
      table.string('subject_type', 24).nullable()
      table.string('subject_id', 64).nullable()
      /** "Never twice": one message per (tenant, key), e.g. `ticket:<id>:called:1`. */
      table.string('dedupe_key', 120).nullable()
      table.string('status', 16).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.datetime('next_attempt_at', { precision: 3 }).nullable()
      table.datetime('locked_until', { precision: 3 }).nullable()
      table.string('last_error', 500).nullable()
      table.string('provider_message_id', 190).nullable()
      /** What the provider last said of it: sent, delivered, read, failed. */
      table.string('provider_status', 16).nullable()
      table.datetime('sent_at', { precision: 3 }).nullable()
      table.datetime('delivered_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'dedupe_key'])
      table.index(['status', 'next_attempt_at'])
      table.index(['tenant_id', 'created_at'])
      table.index(['provider_message_id'])
    })

    this.schema.createTable('opt_outs', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('channel', 16).notNullable()
      table.string('recipient', 190).notNullable()
      /** link (the opt-out link in a message), stop_reply (STOP on WhatsApp), provider (the provider refused). */
      table.string('source', 16).notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'channel', 'recipient'])
    })

    /** People who wrote to the tenant on WhatsApp: their last message opens a 24-hour window. */
    this.schema.createTable('contacts', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('phone', 20).notNullable()
      table.string('display_name', 120).nullable()
      table.datetime('last_inbound_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'phone'])
    })

    /** Inbound webhook items already handled (WhatsApp message and status ids, payment notifications). */
    this.schema.createTable('webhook_receipts', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('provider', 24).notNullable()
      table.string('external_id', 190).notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'provider', 'external_id'])
    })

    this.schema.createTable('webhook_endpoints', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('url', 500).notNullable()
      table.string('description', 120).nullable()
      /** Encrypted with APP_KEY. */
      table.text('secret').notNullable()
      /** JSON array of event names. */
      table.text('events').notNullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['tenant_id'])
    })

    this.schema.createTable('webhook_deliveries', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('endpoint_id')
        .unsigned()
        .notNullable()
        .references('webhook_endpoints.id')
        .onDelete('CASCADE')
      table.string('event', 40).notNullable()
      /** The event's id: the same for every endpoint that receives it (receivers deduplicate on it). */
      table.uuid('event_id').notNullable()
      table.text('payload', 'mediumtext').notNullable()
      table.string('status', 16).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.datetime('next_attempt_at', { precision: 3 }).nullable()
      table.datetime('locked_until', { precision: 3 }).nullable()
      table.string('last_error', 500).nullable()
      table.integer('response_status').nullable()
      table.string('response_excerpt', 500).nullable()
      table.integer('duration_ms').nullable()
      table.datetime('sent_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['endpoint_id', 'event_id'])
      table.index(['status', 'next_attempt_at'])
      table.index(['tenant_id', 'created_at'])
    })

    this.schema.alterTable('tenants', (table) => {
      table.text('messaging_settings').nullable()
    })

    this.schema.alterTable('services', (table) => {
      /** Send "N numbers to go" when N visitors are ahead; null: never. */
      table.integer('notify_ahead').nullable().defaultTo(3)
    })

    this.schema.alterTable('tickets', (table) => {
      /** The language the visitor used when taking the number (their messages use it). */
      table.string('locale', 5).nullable()
      table.datetime('near_notified_at', { precision: 3 }).nullable()
    })
  }

  async down() {
    this.schema.alterTable('tickets', (table) => {
      table.dropColumn('near_notified_at')
      table.dropColumn('locale')
    })
    this.schema.alterTable('services', (table) => table.dropColumn('notify_ahead'))
    this.schema.alterTable('tenants', (table) => table.dropColumn('messaging_settings'))
    this.schema.dropTable('webhook_deliveries')
    this.schema.dropTable('webhook_endpoints')
    this.schema.dropTable('webhook_receipts')
    this.schema.dropTable('contacts')
    this.schema.dropTable('opt_outs')
    this.schema.dropTable('notifications')
    this.schema.dropTable('message_templates')
    this.schema.dropTable('messaging_channels')
  }
}
