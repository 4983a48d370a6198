import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Field service (seed 003, modules MDM, PJV and EKD): the tenant's customers, visit jobs with a
 * technician quota, the technicians' claims on them, the jobs' append-only history, the work's
 * photos, the technicians' daily attendance and their requests for more days. Staff get an
 * optional phone number (technicians hear of returned places and decided extensions on it), and
 * tenants a JSON column of field settings (registration format, working hours).
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

    this.schema.alterTable('users', (table) => {
      table.string('phone', 20).nullable()
    })
    this.schema.alterTable('tenants', (table) => {
      table.text('field_settings').nullable()
    })

    this.schema.createTable('customers', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.string('name', 120).notNullable()
      /** E.164; one customer per phone number and tenant. */
      table.string('phone', 20).nullable()
      table.string('address', 500).nullable()
      table.text('notes').nullable()
      table.string('status', 10).notNullable().defaultTo('active')
      table.string('source', 10).notNullable()
      table.string('locale', 5).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'phone'])
      table.index(['tenant_id', 'status', 'name'])
    })

    this.schema.createTable('jobs', (table) => {
      table.increments('id')
      tenantColumn(table)
      table
        .integer('branch_id')
        .unsigned()
        .notNullable()
        .references('branches.id')
        .onDelete('CASCADE')
      table
        .integer('customer_id')
        .unsigned()
        .notNullable()
        .references('customers.id')
        .onDelete('CASCADE')
      /** Short code to read out on the phone (`JV7Q3XM`). */
      table.string('code', 12).notNullable()
      table.string('title', 120).notNullable()
      table.text('description').nullable()
      table.string('address', 500).notNullable()
      /** Branch-local days, `YYYY-MM-DD`. */
      table.string('planned_start', 10).notNullable()
      table.string('planned_end', 10).notNullable()
      table.tinyint('quota').unsigned().notNullable()
      /** Active (not released) claims: the pool shows `quota - claimed` places left. */
      table.tinyint('claimed').unsigned().notNullable().defaultTo(0)
      table.string('priority', 10).notNullable().defaultTo('normal')
      table.string('status', 16).notNullable()
      table.integer('created_by').unsigned().nullable()
      table.string('request_id', 64).nullable()
      table.datetime('started_at', { precision: 3 }).nullable()
      table.datetime('done_at', { precision: 3 }).nullable()
      table.datetime('cancelled_at', { precision: 3 }).nullable()
      table.string('cancel_reason', 255).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'code'])
      table.unique(['tenant_id', 'request_id'])
      table.index(['tenant_id', 'status', 'planned_start'])
      table.index(['branch_id', 'status', 'planned_start'])
      table.index(['customer_id'])
    })

    this.schema.createTable('job_assignments', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.integer('job_id').unsigned().notNullable().references('jobs.id').onDelete('CASCADE')
      table
        .integer('technician_id')
        .unsigned()
        .notNullable()
        .references('users.id')
        .onDelete('CASCADE')
      table.datetime('claimed_at', { precision: 3 }).notNullable()
      table.datetime('started_at', { precision: 3 }).nullable()
      table.datetime('done_at', { precision: 3 }).nullable()
      /** A released claim no longer counts: the technician gave it back, or CS returned it. */
      table.datetime('released_at', { precision: 3 }).nullable()
      table.string('release_reason', 255).nullable()
      table.integer('released_by').unsigned().nullable()
      table.boolean('emergency').notNullable().defaultTo(false)
      table.index(['job_id', 'released_at'])
      table.index(['technician_id', 'released_at'])
    })

    this.schema.createTable('job_events', (table) => {
      table.bigIncrements('id')
      tenantColumn(table)
      table.integer('job_id').unsigned().notNullable().references('jobs.id').onDelete('CASCADE')
      table.string('type', 24).notNullable()
      table.string('from_status', 16).nullable()
      table.string('to_status', 16).notNullable()
      table.integer('user_id').unsigned().nullable()
      table.string('request_id', 64).nullable()
      table.text('reason').nullable()
      table.text('data').nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.unique(['tenant_id', 'request_id'])
      table.index(['job_id'])
      table.index(['tenant_id', 'created_at'])
    })

    this.schema.createTable('job_photos', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.integer('job_id').unsigned().notNullable().references('jobs.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().nullable()
      /** The file's key on the uploads disk (@adonisjs/drive). */
      table.string('file_key', 255).notNullable()
      table.string('mime', 40).notNullable()
      table.integer('size').unsigned().notNullable()
      table.string('caption', 255).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.index(['job_id'])
    })

    this.schema.createTable('attendances', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.integer('branch_id').unsigned().notNullable()
      /** The technician's branch-local day. */
      table.string('work_date', 10).notNullable()
      table.datetime('checked_in_at', { precision: 3 }).notNullable()
      table.datetime('checked_out_at', { precision: 3 }).nullable()
      /** Minutes after the tenant's start time (and grace) the check-in came; 0 is on time. */
      table.integer('late_minutes').unsigned().notNullable().defaultTo(0)
      /** Only when the technician's browser gave it. */
      table.decimal('in_latitude', 9, 6).nullable()
      table.decimal('in_longitude', 9, 6).nullable()
      table.decimal('out_latitude', 9, 6).nullable()
      table.decimal('out_longitude', 9, 6).nullable()
      table.unique(['user_id', 'work_date'])
      table.index(['tenant_id', 'work_date'])
    })

    this.schema.createTable('job_extensions', (table) => {
      table.increments('id')
      tenantColumn(table)
      table.integer('job_id').unsigned().notNullable().references('jobs.id').onDelete('CASCADE')
      table
        .integer('technician_id')
        .unsigned()
        .notNullable()
        .references('users.id')
        .onDelete('CASCADE')
      table.tinyint('days').unsigned().notNullable()
      table.string('reason', 500).notNullable()
      table.string('status', 10).notNullable()
      table.integer('decided_by').unsigned().nullable()
      table.datetime('decided_at', { precision: 3 }).nullable()
      table.string('decision_note', 255).nullable()
      /** The planned end before and after an approval. */
      table.string('previous_end', 10).nullable()
      table.string('new_end', 10).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.datetime('updated_at', { precision: 3 }).notNullable()
      table.index(['job_id', 'status'])
      table.index(['tenant_id', 'status'])
    })
  }

  async down() {
    for (const name of [
      'job_extensions',
      'attendances',
      'job_photos',
      'job_events',
      'job_assignments',
      'jobs',
      'customers',
    ])
      this.schema.dropTable(name)
    this.schema.alterTable('tenants', (table) => table.dropColumn('field_settings'))
    this.schema.alterTable('users', (table) => table.dropColumn('phone'))
  }
}
