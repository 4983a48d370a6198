import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A number taken through the REST API with an `Idempotency-Key` keeps what its answer needs on the
 * ticket's own row: which request took it (`api_fingerprint`, the key itself is `request_id`)
 * and how many were ahead then (`ahead_at_take`). A repeat is answered from the row, as taken,
 * so the take writes no `api_idempotency` row: its transaction writes what the visitor's form
 * does (README, "Where the API's gap was").
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('tickets', (table) => {
      table.string('api_fingerprint', 64).nullable()
      table.integer('ahead_at_take').nullable()
    })
  }

  async down() {
    this.schema.alterTable('tickets', (table) => {
      table.dropColumn('api_fingerprint')
      table.dropColumn('ahead_at_take')
    })
  }
}
