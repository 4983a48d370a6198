import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * An invoice can be paid through the tenant's gateway (issue 13): a payment belongs to a booking
 * or to an invoice, so its booking becomes optional and it gains an invoice.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('payments', (table) => {
      table.uuid('booking_id').nullable().alter()
      table
        .integer('invoice_id')
        .unsigned()
        .nullable()
        .references('invoices.id')
        .onDelete('CASCADE')
      table.index(['invoice_id'])
    })
  }

  async down() {
    this.schema.alterTable('payments', (table) => {
      table.dropForeign(['invoice_id'])
      table.dropIndex(['invoice_id'])
      table.dropColumn('invoice_id')
    })
  }
}
