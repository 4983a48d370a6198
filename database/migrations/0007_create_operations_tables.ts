import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /** Rate-limit counters for @adonisjs/limiter when Redis is not configured. */
    this.schema.createTable('rate_limits', (table) => {
      table.string('key', 255).notNullable().primary()
      table.integer('points', 9).notNullable().defaultTo(0)
      table.bigint('expire').unsigned()
    })

    /**
     * One row per run of a scheduled job (name + run key, e.g. "daily-reset" / "12:2026-11-22").
     * The unique key is the guard that lets N servers run each job once.
     */
    this.schema.createTable('scheduled_runs', (table) => {
      table.increments('id')
      table.string('name', 48).notNullable()
      table.string('run_key', 64).notNullable()
      table.datetime('started_at', { precision: 3 }).notNullable()
      table.datetime('finished_at', { precision: 3 }).nullable()
      table.unique(['name', 'run_key'])
    })
  }

  async down() {
    this.schema.dropTable('scheduled_runs')
    this.schema.dropTable('rate_limits')
  }
}
