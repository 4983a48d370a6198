import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * POS sync and renewals (issue 15, seed 004 Renewal Flow). Each tenant may have one POS source:
 * an HTTP JSON endpoint pulled daily (URL, auth header with its value kept encrypted, a field
 * mapping by dot paths, the page parameter), and the secret its POS signs pushes to our webhook
 * with. `outlet_sync_runs` is the sync log (POS pull, CSV import, webhook push). `renewals` holds
 * one row per outlet per expiry date within the horizon, with where its cadence stands;
 * `renewal_attempts` every try (a reminder, a skipped one, a reply, a call or note logged by the
 * renewal team). Automatic steps carry `step_key`, unique per renewal: two servers running the
 * reminder pass at once send each step once. Tenants get a JSON column of renewal settings
 * (cadence, attempt cap, quiet hours, winback, horizon).
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
      table.text('renewal_settings').nullable()
    })

    this.schema.createTable('pos_sources', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.string('endpoint_url', 500).nullable()
      /** The header the POS wants its key in (`Authorization`, `X-Api-Key`); its value is in `secrets`. */
      table.string('auth_header', 80).nullable()
      /** Encrypted JSON with APP_KEY: `{ auth_value, webhook_secret }`. */
      table.text('secrets').nullable()
      /** JSON: dot paths of fid, oid, name, address, phone, expires_on, status, the rows list and the last page. */
      table.text('mapping').nullable()
      /** The query parameter that numbers the pages (`page`). */
      table.string('page_param', 40).notNullable().defaultTo('page')
      table.integer('timeout_seconds').unsigned().notNullable().defaultTo(30)
      /** Pulled by the daily sync (else the CSV import is the way in). */
      table.boolean('is_enabled').notNullable().defaultTo(false)
      table.datetime('last_synced_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id'])
    })

    this.schema.createTable('outlet_sync_runs', (table) => {
      table.increments('id')
      tenantColumn(table)
      /** `pos` (the daily or manual pull), `csv` (an import), `webhook` (a push by the POS). */
      table.string('source', 8).notNullable()
      /** `running`, `succeeded`, `partial` (some rows refused), `failed` (nothing could be read). */
      table.string('status', 12).notNullable()
      table.integer('user_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.integer('rows_count').unsigned().notNullable().defaultTo(0)
      table.integer('pages_count').unsigned().notNullable().defaultTo(0)
      table.integer('created_count').unsigned().notNullable().defaultTo(0)
      table.integer('updated_count').unsigned().notNullable().defaultTo(0)
      table.integer('expired_count').unsigned().notNullable().defaultTo(0)
      table.integer('unchanged_count').unsigned().notNullable().defaultTo(0)
      table.integer('error_count').unsigned().notNullable().defaultTo(0)
      /** JSON `[{ row, fid, oid, message }]`, the first 200. */
      table.text('errors').nullable()
      /** Why the run failed as a whole (timeout, HTTP status, not JSON). */
      table.string('message', 500).nullable()
      table.datetime('started_at', { precision: 3 }).notNullable()
      table.datetime('finished_at', { precision: 3 }).nullable()
      table.index(['tenant_id', 'id'])
    })

    this.schema.createTable('renewals', (table) => {
      table.increments('id')
      tenantColumn(table)
      table
        .integer('outlet_id')
        .unsigned()
        .notNullable()
        .references('outlets.id')
        .onDelete('CASCADE')
      table.string('fid', 40).notNullable()
      table.string('oid', 40).notNullable()
      /** The expiry date this renewal is for (the outlet's `expires_on` when it was computed). */
      table.date('expires_on').notNullable()
      /** `due -> reminding -> renewed | recovered | churned`; churned may still be recovered. */
      table.string('status', 12).notNullable()
      /** The next automatic step (`d-7`, `churn`, `winback-1`) and when it is due; null: none left. */
      table.string('next_step', 16).nullable()
      table.datetime('next_step_at', { precision: 3 }).nullable()
      /** Reminders sent (the cap counts these). */
      table.integer('reminders_sent').unsigned().notNullable().defaultTo(0)
      /** The date the subscription was paid until, when it was. */
      table.date('paid_until').nullable()
      table.datetime('renewed_at', { precision: 3 }).nullable()
      table.datetime('churned_at', { precision: 3 }).nullable()
      table.datetime('replied_at', { precision: 3 }).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['outlet_id', 'expires_on'])
      table.index(['tenant_id', 'status', 'expires_on'], 'renewals_board_index')
      table.index(['next_step_at'], 'renewals_due_index')
    })

    this.schema.createTable('renewal_attempts', (table) => {
      table.bigIncrements('id')
      tenantColumn(table)
      table
        .integer('renewal_id')
        .unsigned()
        .notNullable()
        .references('renewals.id')
        .onDelete('CASCADE')
      /** `d-14`, `d-7`, `d-1`, `d+3`, `winback-1`, `churn`, `reply`, `call`, `note`, `payment`. */
      table.string('step', 16).notNullable()
      /** The step of an automatic try (`d-7`, `d-7~quiet`); null for replies, calls and notes. */
      table.string('step_key', 24).nullable()
      table.string('channel', 12).nullable()
      table.string('template', 64).nullable()
      /** `sent`, `skipped_quiet_hours`, `skipped_paid`, `skipped_cap`, `failed`, `replied`, `logged`. */
      table.string('result', 24).notNullable()
      table.integer('notification_id').unsigned().nullable()
      table
        .integer('conversation_id')
        .unsigned()
        .nullable()
        .references('conversations.id')
        .onDelete('SET NULL')
      table.integer('user_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.text('note').nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['renewal_id', 'step_key'])
      table.index(['renewal_id', 'id'])
    })
  }

  async down() {
    for (const name of ['renewal_attempts', 'renewals', 'outlet_sync_runs', 'pos_sources'])
      this.schema.dropTable(name)
    this.schema.alterTable('tenants', (table) => table.dropColumn('renewal_settings'))
  }
}
