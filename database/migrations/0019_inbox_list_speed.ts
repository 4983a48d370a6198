import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The inbox list over a busy support desk (issue 14, measured at 100,000 conversations): breached
 * tickets first is a stored flag (`sla_breached`, either clock breached) so the list reads one
 * index in order instead of sorting every open conversation; the tab counts and the SLA sweeper
 * read their own indexes; the thread's side panel finds a contact's bookings and ratings by phone;
 * on MySQL, names and message text are searched through FULLTEXT indexes
 * (words and word prefixes) instead of scanning every row.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('conversations', (table) => {
      table.boolean('sla_breached').notNullable().defaultTo(false)
    })
    this.defer(async (client) => {
      await client
        .from('conversations')
        .where('first_response_breached', true)
        .orWhere('resolution_breached', true)
        .update({ sla_breached: true })
    })
    this.schema.alterTable('conversations', (table) => {
      table.index(
        ['tenant_id', 'kind', 'status', 'sla_breached', 'last_message_at', 'id'],
        'conversations_list_index'
      )
      table.index(['tenant_id', 'kind', 'status', 'unread_count'], 'conversations_counts_index')
      // Searching an outlet id alone (the franchise's has its index already).
      table.index(['tenant_id', 'oid'], 'conversations_oid_index')
      table.index(
        ['status', 'first_response_breached', 'first_response_due_at'],
        'conversations_first_response_due_index'
      )
      table.index(
        ['status', 'resolution_breached', 'resolution_due_at'],
        'conversations_resolution_due_index'
      )
    })
    // The thread's side panel: the contact's bookings and ratings, by phone.
    this.schema.alterTable('bookings', (table) => {
      table.index(['tenant_id', 'customer_phone'], 'bookings_phone_index')
    })
    this.schema.alterTable('ratings', (table) => {
      table.index(['tenant_id', 'recipient'], 'ratings_recipient_index')
    })
    if (this.db.dialect.name === 'mysql') {
      this.schema.raw(
        'ALTER TABLE contacts ADD FULLTEXT INDEX contacts_name_fulltext (display_name)'
      )
      this.schema.raw(
        'ALTER TABLE conversation_messages ADD FULLTEXT INDEX conversation_messages_body_fulltext (body)'
      )
    }
  }

  async down() {
    if (this.db.dialect.name === 'mysql') {
      this.schema.raw(
        'ALTER TABLE conversation_messages DROP INDEX conversation_messages_body_fulltext'
      )
      this.schema.raw('ALTER TABLE contacts DROP INDEX contacts_name_fulltext')
    }
    this.schema.alterTable('ratings', (table) => {
      table.dropIndex([], 'ratings_recipient_index')
    })
    this.schema.alterTable('bookings', (table) => {
      table.dropIndex([], 'bookings_phone_index')
    })
    this.schema.alterTable('conversations', (table) => {
      table.dropIndex([], 'conversations_oid_index')
      table.dropIndex([], 'conversations_resolution_due_index')
      table.dropIndex([], 'conversations_first_response_due_index')
      table.dropIndex([], 'conversations_counts_index')
      table.dropIndex([], 'conversations_list_index')
      table.dropColumn('sla_breached')
    })
  }
}
