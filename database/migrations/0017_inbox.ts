import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The WhatsApp inbox (seed 004): the business's outlets (franchise id and outlet id, synced from
 * its POS or imported) and which contacts speak for which outlet; conversations, each carrying its
 * support ticket (category, status, assignee, SLA due times and breaches, reopen count, outcome);
 * every message in and out, with its media; canned replies; and which franchises or outlets a
 * member of staff may see. Tenants get a JSON column of inbox settings (categories, SLA policies).
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
      table.text('inbox_settings').nullable()
    })

    // A resolved conversation is rated too (CSAT): `conversation` is longer than the kinds before it.
    this.schema.alterTable('ratings', (table) => {
      table.string('subject_type', 16).notNullable().alter()
    })

    this.schema.createTable('outlets', (table) => {
      table.increments('id')
      tenantColumn(table)
      /** Franchise id (`fid`) and outlet id (`oid`) as the business's POS names them. */
      table.string('fid', 40).notNullable()
      table.string('oid', 40).notNullable()
      table.string('name', 160).notNullable()
      table.string('address', 500).nullable()
      /** E.164; the number a contact is matched by. */
      table.string('phone', 20).nullable()
      /** The outlet's subscription ends on this day (local). */
      table.date('expires_on').nullable()
      table.string('status', 16).notNullable().defaultTo('active')
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'fid', 'oid'])
      table.index(['tenant_id', 'phone'])
    })

    this.schema.createTable('contact_outlets', (table) => {
      table.increments('id')
      tenantColumn(table)
      table
        .integer('contact_id')
        .unsigned()
        .notNullable()
        .references('contacts.id')
        .onDelete('CASCADE')
      table
        .integer('outlet_id')
        .unsigned()
        .notNullable()
        .references('outlets.id')
        .onDelete('CASCADE')
      /** `phone` (matched by the number) or `agent` (picked by a member of staff). */
      table.string('source', 12).notNullable()
      table.integer('linked_by').unsigned().nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['contact_id', 'outlet_id'])
      table.index(['outlet_id'])
    })

    this.schema.createTable('user_scopes', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('fid', 40).notNullable()
      /** Null: every outlet of the franchise. */
      table.string('oid', 40).nullable()
      table.unique(['user_id', 'fid', 'oid'])
    })

    this.schema.createTable('conversations', (table) => {
      table.increments('id')
      tenantColumn(table)
      table
        .integer('contact_id')
        .unsigned()
        .notNullable()
        .references('contacts.id')
        .onDelete('CASCADE')
      /** `support` (carries a support ticket) or `queue` (taking a number by WhatsApp: no ticket). */
      table.string('kind', 12).notNullable().defaultTo('support')
      /** `open -> pending -> resolved -> closed`; a message on a resolved one reopens it. */
      table.string('status', 12).notNullable()
      table.string('category', 40).nullable()
      table.string('outcome', 40).nullable()
      table.integer('assignee_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.integer('outlet_id').unsigned().nullable().references('outlets.id').onDelete('SET NULL')
      /** Copied from the outlet when it is known: what a scoped agent is matched by. */
      table.string('fid', 40).nullable()
      table.string('oid', 40).nullable()
      table.integer('reopen_count').unsigned().notNullable().defaultTo(0)
      table.integer('unread_count').unsigned().notNullable().defaultTo(0)
      table.datetime('last_message_at', { precision: 3 }).notNullable()
      table.datetime('last_inbound_at', { precision: 3 }).nullable()
      /** The customer's first message waiting for an answer since (null: answered). */
      table.datetime('waiting_since', { precision: 3 }).nullable()
      table.datetime('first_response_due_at', { precision: 3 }).nullable()
      table.datetime('first_responded_at', { precision: 3 }).nullable()
      table.datetime('resolution_due_at', { precision: 3 }).nullable()
      /** Business time spent before the current pause (pending), in seconds, for the resolution clock. */
      table.integer('resolution_spent_seconds').unsigned().notNullable().defaultTo(0)
      table.boolean('first_response_breached').notNullable().defaultTo(false)
      table.boolean('resolution_breached').notNullable().defaultTo(false)
      table.datetime('resolved_at', { precision: 3 }).nullable()
      table.integer('resolved_by').unsigned().nullable()
      table.datetime('closed_at', { precision: 3 }).nullable()
      /** Bumped on every change: the thread's stale-reply check and the inbox's live version. */
      table.integer('version').unsigned().notNullable().defaultTo(1)
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['tenant_id', 'status', 'last_message_at'])
      table.index(['tenant_id', 'contact_id', 'status'])
      table.index(['tenant_id', 'assignee_id', 'status'])
      table.index(['tenant_id', 'fid', 'oid'])
    })

    this.schema.createTable('conversation_messages', (table) => {
      table.bigIncrements('id')
      tenantColumn(table)
      table
        .integer('conversation_id')
        .unsigned()
        .notNullable()
        .references('conversations.id')
        .onDelete('CASCADE')
      /** `in` (the customer's), `out` (ours, through the outbox) or `note` (staff only, never sent). */
      table.string('direction', 4).notNullable()
      /** text, image, document, audio, video, sticker, location, button, interactive, template, unsupported. */
      table.string('kind', 16).notNullable()
      table.text('body').nullable()
      /** WhatsApp's message id of an inbound message (`wamid...`): a message is stored once. */
      table.string('wa_message_id', 190).nullable()
      table.string('media_id', 190).nullable()
      table.string('media_path', 255).nullable()
      table.string('media_type', 100).nullable()
      table.integer('media_size').unsigned().nullable()
      table.string('media_sha256', 64).nullable()
      table.string('media_name', 255).nullable()
      /** Where the media stands: `pending` (to download), `stored`, `failed` (and why in body of the error). */
      table.string('media_status', 12).nullable()
      table.integer('author_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      /** The outbox row that carries an outgoing message. */
      table.integer('notification_id').unsigned().nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'wa_message_id'])
      table.index(['conversation_id', 'id'])
      table.index(['notification_id'])
    })

    this.schema.createTable('canned_replies', (table) => {
      table.increments('id')
      tenantColumn(table)
      /** Typed after `/` in the reply box. */
      table.string('shortcut', 40).notNullable()
      table.string('title', 120).notNullable()
      table.text('body').notNullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'shortcut'])
    })
  }

  async down() {
    for (const name of [
      'canned_replies',
      'conversation_messages',
      'conversations',
      'user_scopes',
      'contact_outlets',
      'outlets',
    ])
      this.schema.dropTable(name)
    this.schema.alterTable('tenants', (table) => table.dropColumn('inbox_settings'))
  }
}
