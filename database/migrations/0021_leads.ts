import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Leads and onboarding (issue 15, seed 004 Sales Lead Flow): a prospect who wrote on WhatsApp,
 * filled the public form or was entered by sales, through `new -> qualified -> onboarding_booked
 * -> won / lost`, with its owner, notes, next step, the onboarding booking and where the WhatsApp
 * prompt for name, business and interest stands; `lead_events` is its append-only history.
 * Conversations keep why the router gave them to a team (`route_reason`); tenants get a JSON
 * column of lead settings (keywords, sales manager, public form, onboarding service).
 */
export default class extends BaseSchema {
  async up() {
    const tenantColumn = (table: any) =>
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')

    this.schema.alterTable('tenants', (table) => {
      table.text('lead_settings').nullable()
    })

    this.schema.alterTable('conversations', (table) => {
      /** Why the router chose the kind (`lead_keyword:harga`, `known_number`, `corrected`). */
      table.string('route_reason', 120).nullable()
    })

    this.schema.createTable('leads', (table) => {
      table.increments('id')
      tenantColumn(table)
      table
        .integer('contact_id')
        .unsigned()
        .nullable()
        .references('contacts.id')
        .onDelete('SET NULL')
      table
        .integer('conversation_id')
        .unsigned()
        .nullable()
        .references('conversations.id')
        .onDelete('SET NULL')
      table.string('name', 160).nullable()
      table.string('business', 160).nullable()
      /** E.164. */
      table.string('phone', 20).notNullable()
      table.string('email', 254).nullable()
      table.string('interest', 500).nullable()
      /** `whatsapp`, `manual` or `web_form`. */
      table.string('source', 12).notNullable()
      /** `new -> qualified -> onboarding_booked -> won / lost`. */
      table.string('status', 20).notNullable().defaultTo('new')
      table.integer('owner_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.text('notes').nullable()
      table.string('next_step', 255).nullable()
      table.datetime('next_step_at', { precision: 3 }).nullable()
      /** The onboarding booking (bookings.id, a UUID). */
      table.string('booking_id', 36).nullable().references('bookings.id').onDelete('SET NULL')
      table.string('lost_reason', 255).nullable()
      /** The WhatsApp prompt's next question (`name`, `business`, `interest`); null when done or none. */
      table.string('prompt_step', 12).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['tenant_id', 'status', 'updated_at'], 'leads_pipeline_index')
      table.index(['tenant_id', 'owner_id', 'status'], 'leads_owner_index')
      table.index(['tenant_id', 'phone'], 'leads_phone_index')
      table.index(['conversation_id'], 'leads_conversation_index')
    })

    this.schema.createTable('lead_events', (table) => {
      table.bigIncrements('id')
      tenantColumn(table)
      table.integer('lead_id').unsigned().notNullable().references('leads.id').onDelete('CASCADE')
      table.string('from_status', 20).nullable()
      table.string('to_status', 20).notNullable()
      table.integer('user_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.string('note', 500).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.index(['lead_id', 'id'], 'lead_events_lead_index')
    })
  }

  async down() {
    this.schema.dropTable('lead_events')
    this.schema.dropTable('leads')
    this.schema.alterTable('conversations', (table) => table.dropColumn('route_reason'))
    this.schema.alterTable('tenants', (table) => table.dropColumn('lead_settings'))
  }
}
