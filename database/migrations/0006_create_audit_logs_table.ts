import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /** Append-only record of configuration changes and administrative actions. */
    this.schema.createTable('audit_logs', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().nullable().references('tenants.id').onDelete('CASCADE')
      table.integer('branch_id').unsigned().nullable()
      table.integer('user_id').unsigned().nullable()
      table.string('action', 48).notNullable()
      table.string('subject_type', 32).nullable()
      table.string('subject_id', 64).nullable()
      table.text('changes').nullable()
      table.string('ip', 45).nullable()
      table.datetime('created_at', { precision: 3 }).notNullable()
      table.index(['tenant_id', 'created_at'])
      table.index(['tenant_id', 'action'])
    })
  }

  async down() {
    this.schema.dropTable('audit_logs')
  }
}
