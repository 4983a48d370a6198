import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Invoices and ratings (seed 003, modules FIN and FDB). An invoice bills a customer for a done
 * job, a finished booking or anything else: its lines, the tax as the tenant applies it, and its
 * life from draft to paid with an append-only history. Numbers are allocated per tenant and month
 * from a locked counter row, with the unique index behind it. A rating is one link per finished
 * ticket, booking or job, crediting the staff who served. Tenants get a JSON column of billing
 * and rating settings.
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
      table.text('billing_settings').nullable()
    })

    this.schema.createTable('invoices', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.integer('branch_id').unsigned().nullable()
      table.integer('customer_id').unsigned().nullable()
      /** What it bills, when it came from finished work: `job` or `booking`, and its id. */
      table.string('source_type', 10).nullable()
      table.string('source_id', 40).nullable()
      /** Given at approval (`INV/2026/12/0001`); kept when the invoice is void. */
      table.string('number', 40).nullable()
      /** The public link's secret (`/i/:token`). */
      table.string('token', 40).notNullable().unique()
      table.string('status', 20).notNullable()
      table.string('currency', 3).notNullable()
      /** How tax was applied: `ppn`, `sst` or `none`; the rate in basis points (1200 = 12%). */
      table.string('tax_mode', 4).notNullable()
      table.integer('tax_rate_bp').unsigned().notNullable()
      table.boolean('prices_include_tax').notNullable()
      /** Bill-to, as it was when the invoice was written. */
      table.string('bill_to_name', 120).notNullable()
      table.string('bill_to_phone', 20).nullable()
      table.string('bill_to_email', 254).nullable()
      table.string('bill_to_address', 500).nullable()
      table.string('locale', 5).nullable()
      table.text('notes').nullable()
      /** Minor units. */
      table.bigInteger('subtotal').notNullable()
      table.bigInteger('discount').notNullable()
      table.bigInteger('net').notNullable()
      table.bigInteger('tax_base').notNullable()
      table.bigInteger('tax').notNullable()
      table.bigInteger('total').notNullable()
      /** The total sales approved, with who and when; a change after approval clears them. */
      table.bigInteger('approved_total').nullable()
      table.integer('approved_by').unsigned().nullable()
      table.datetime('approved_at', { precision: 3 }).nullable()
      /** Local days, `YYYY-MM-DD`. */
      table.string('issued_on', 10).nullable()
      table.string('due_on', 10).nullable()
      table.datetime('sent_at', { precision: 3 }).nullable()
      table.string('paid_on', 10).nullable()
      table.datetime('paid_at', { precision: 3 }).nullable()
      table.string('payment_method', 30).nullable()
      table.string('payment_reference', 100).nullable()
      table.string('proof_path', 200).nullable()
      table.string('proof_mime', 60).nullable()
      table.integer('proof_size').unsigned().nullable()
      table.datetime('voided_at', { precision: 3 }).nullable()
      table.string('void_reason', 255).nullable()
      table.integer('created_by').unsigned().nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'number'])
      table.index(['tenant_id', 'status', 'created_at'])
      table.index(['tenant_id', 'customer_id'])
      table.index(['tenant_id', 'source_type', 'source_id'])
    })

    this.schema.createTable('invoice_lines', (table) => {
      table.increments('id')
      tenantColumn(table)
      table
        .integer('invoice_id')
        .unsigned()
        .notNullable()
        .references('invoices.id')
        .onDelete('CASCADE')
      table.smallint('position').unsigned().notNullable()
      table.string('description', 200).notNullable()
      table.integer('quantity').unsigned().notNullable()
      table.bigInteger('unit_price').notNullable()
      table.bigInteger('amount').notNullable()
      table.index(['invoice_id', 'position'])
    })

    this.schema.createTable('invoice_events', (table) => {
      table.increments('id')
      tenantColumn(table)
      table
        .integer('invoice_id')
        .unsigned()
        .notNullable()
        .references('invoices.id')
        .onDelete('CASCADE')
      table.string('type', 24).notNullable()
      table.string('from_status', 20).nullable()
      table.string('to_status', 20).notNullable()
      table.integer('user_id').unsigned().nullable()
      table.string('reason', 500).nullable()
      table.text('data').nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.index(['invoice_id', 'id'])
    })

    /** The next number of each tenant's period (`2026-12` for a monthly format). Locked to allocate. */
    this.schema.createTable('invoice_sequences', (table) => {
      tenantColumn(table)
      table.string('period', 10).notNullable()
      table.integer('last_value').unsigned().notNullable()
      table.primary(['tenant_id', 'period'])
    })

    this.schema.createTable('ratings', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.integer('branch_id').unsigned().nullable()
      /** What was rated: `ticket`, `booking` or `job`, and its id. */
      table.string('subject_type', 10).notNullable()
      table.string('subject_id', 40).notNullable()
      /** What the customer sees: the service's or job's name and the number or code. */
      table.string('label', 160).notNullable()
      table.integer('service_id').unsigned().nullable()
      table.string('token', 40).notNullable().unique()
      table.string('channel', 10).nullable()
      table.string('recipient', 254).nullable()
      table.string('locale', 5).notNullable()
      /** The link goes out after the tenant's delay; null once sent, or never when nobody can be reached. */
      table.datetime('send_after', { precision: 3 }).nullable()
      table.datetime('sent_at', { precision: 3 }).nullable()
      table.datetime('expires_at', { precision: 3 }).notNullable()
      table.tinyint('score').unsigned().nullable()
      table.string('comment', 1000).nullable()
      table.datetime('answered_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'subject_type', 'subject_id'])
      table.index(['tenant_id', 'answered_at'])
      table.index(['send_after'])
    })

    /** The staff a rating credits, as recorded when the work finished, with the part they played. */
    this.schema.createTable('rating_credits', (table) => {
      table.increments('id')
      tenantColumn(table)
      table
        .integer('rating_id')
        .unsigned()
        .notNullable()
        .references('ratings.id')
        .onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable()
      /** `operator`, `technician`, `cs` or `staff` (a booking's resource person). */
      table.string('part', 12).notNullable()
      table.unique(['rating_id', 'user_id', 'part'])
      table.index(['tenant_id', 'user_id'])
    })
  }

  async down() {
    for (const name of [
      'rating_credits',
      'ratings',
      'invoice_sequences',
      'invoice_events',
      'invoice_lines',
      'invoices',
    ])
      this.schema.dropTable(name)
    this.schema.alterTable('tenants', (table) => table.dropColumn('billing_settings'))
  }
}
