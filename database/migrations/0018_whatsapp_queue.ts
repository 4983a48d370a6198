import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Taking a number by WhatsApp (issue 14): the services last offered to a phone in a tenant's chat
 * (one row per tenant and phone, kept and overwritten: the row is also what serializes that phone's
 * queue commands), and an index to find a phone's tickets of the day (its BATAL, its held number).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('whatsapp_queue_menus', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      /** E.164. */
      table.string('phone', 20).notNullable()
      table
        .integer('branch_id')
        .unsigned()
        .notNullable()
        .references('branches.id')
        .onDelete('CASCADE')
      /** JSON array of the service ids offered, in the order they were numbered (1, 2, ...). */
      table.text('offered').notNullable()
      /** The language the chat is answered in. */
      table.string('locale', 5).notNullable()
      /** The menu answers taps and typed numbers until then; taking a number closes it at once. */
      table.datetime('expires_at', { precision: 3 }).notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'phone'])
    })

    this.schema.alterTable('tickets', (table) => {
      table.index(['tenant_id', 'customer_phone', 'service_date'], 'tickets_phone_index')
    })
  }

  async down() {
    this.schema.alterTable('tickets', (table) => {
      table.dropIndex(['tenant_id', 'customer_phone', 'service_date'], 'tickets_phone_index')
    })
    this.schema.dropTable('whatsapp_queue_menus')
  }
}
