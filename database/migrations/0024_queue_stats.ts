import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Analytics rollups (issue 16), kept current from the ticket events (a cursor remembers the last
 * event counted) and rebuilt from them by `node ace analytics:rebuild`. Three grains, each as
 * small as the pages that read it need, so that a year of a busy branch sums in milliseconds:
 * - `queue_stats`: a local day per branch, service, counter and member of staff (KPIs, the daily
 *   series, breakdowns);
 * - `queue_stats_hours`: an hour per branch and service (the weekday x hour heat map, throughput);
 * - `queue_stats_waits`: a wait histogram (one bucket a minute) per branch, service and day, which
 *   gives the median and 90th percentile without reading a ticket.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('queue_stats', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.integer('branch_id').unsigned().notNullable()
      table.integer('service_id').unsigned().notNullable()
      /** 0: none (tickets taken, not yet at a counter). */
      table.integer('counter_id').unsigned().notNullable().defaultTo(0)
      table.integer('user_id').unsigned().notNullable().defaultTo(0)
      /** The branch-local day the ticket was taken. */
      table.string('day', 10).notNullable()
      table.integer('taken').notNullable().defaultTo(0)
      table.integer('served').notNullable().defaultTo(0)
      table.integer('no_show').notNullable().defaultTo(0)
      table.integer('cancelled').notNullable().defaultTo(0)
      /** Served within the service's SLA minutes of waiting. */
      table.integer('within_sla').notNullable().defaultTo(0)
      table.integer('wait_count').notNullable().defaultTo(0)
      table.bigInteger('wait_sum').notNullable().defaultTo(0)
      table.integer('wait_max').notNullable().defaultTo(0)
      table.integer('service_count').notNullable().defaultTo(0)
      table.bigInteger('service_sum').notNullable().defaultTo(0)
      table.unique(['branch_id', 'service_id', 'counter_id', 'user_id', 'day'], {
        indexName: 'queue_stats_key',
      })
      table.index(['tenant_id', 'day'])
    })
    this.schema.createTable('queue_stats_hours', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.integer('branch_id').unsigned().notNullable()
      table.integer('service_id').unsigned().notNullable()
      table.string('day', 10).notNullable()
      table.tinyint('hour').notNullable()
      /** The day's weekday, 0 = Sunday. */
      table.tinyint('weekday').notNullable()
      table.integer('taken').notNullable().defaultTo(0)
      table.integer('served').notNullable().defaultTo(0)
      table.unique(['branch_id', 'service_id', 'day', 'hour'], {
        indexName: 'queue_stats_hours_key',
      })
      table.index(['tenant_id', 'day'])
    })
    this.schema.createTable('queue_stats_waits', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.integer('branch_id').unsigned().notNullable()
      table.integer('service_id').unsigned().notNullable()
      table.string('day', 10).notNullable()
      /** JSON: counts of waits per minute (index = whole minutes, the last one "this long or more"). */
      table.text('wait_hist').notNullable()
      table.unique(['branch_id', 'service_id', 'day'], { indexName: 'queue_stats_waits_key' })
      table.index(['tenant_id', 'day'])
    })
    this.schema.createTable('analytics_cursors', (table) => {
      table.string('name', 40).primary()
      table.bigInteger('last_id').notNullable().defaultTo(0)
      table.datetime('updated_at', { precision: 3 }).notNullable()
    })
  }

  async down() {
    this.schema.dropTable('analytics_cursors')
    this.schema.dropTable('queue_stats_waits')
    this.schema.dropTable('queue_stats_hours')
    this.schema.dropTable('queue_stats')
  }
}
