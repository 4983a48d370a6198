import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Personal data (issue 15, PDPA in Malaysia, UU PDP in Indonesia). `consents` is the history of a
 * person's opt-ins and withdrawals per channel (phone or email, the source and who recorded it);
 * tenants get a JSON column of privacy settings (retention days per kind of data, the staff pages'
 * IP allow-list). The roots of the retention kinds get `anonymized_at`: set when the row's personal
 * data was erased or aged out, so the nightly job never reads a row twice; the rows themselves stay
 * (counts for analytics keep working).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('tenants', (table) => {
      table.text('privacy_settings').nullable()
    })

    this.schema.createTable('consents', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      /** whatsapp, sms or email. */
      table.string('channel', 16).notNullable()
      /** E.164, or the email address (lower case): one of them. */
      table.string('phone', 20).nullable()
      table.string('email', 254).nullable()
      /** `granted` or `withdrawn`. */
      table.string('status', 12).notNullable()
      /** whatsapp_inbound, whatsapp_stop, whatsapp_start, ticket_form, booking_form, lead_form, staff. */
      table.string('source', 24).notNullable()
      table.integer('user_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.datetime('at', { precision: 3 }).notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.index(['tenant_id', 'phone', 'channel', 'id'], 'consents_phone_index')
      table.index(['tenant_id', 'email', 'channel', 'id'], 'consents_email_index')
    })

    const roots: [string, string][] = [
      ['contacts', 'updated_at'],
      ['conversations', 'last_message_at'],
      ['tickets', 'created_at'],
      ['bookings', 'created_at'],
      ['notifications', 'created_at'],
      ['ratings', 'created_at'],
    ]
    for (const [name, moment] of roots) {
      this.schema.alterTable(name, (table) => {
        table.datetime('anonymized_at', { precision: 3 }).nullable()
        table.index(['tenant_id', 'anonymized_at', moment], `${name}_retention_index`)
      })
    }
  }

  async down() {
    for (const name of [
      'ratings',
      'notifications',
      'bookings',
      'tickets',
      'conversations',
      'contacts',
    ]) {
      this.schema.alterTable(name, (table) => {
        table.dropIndex([], `${name}_retention_index`)
        table.dropColumn('anonymized_at')
      })
    }
    this.schema.dropTable('consents')
    this.schema.alterTable('tenants', (table) => table.dropColumn('privacy_settings'))
  }
}
