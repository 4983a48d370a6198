import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Booth devices: a device of kind `booth` is linked to the resource (photo booth, room, chair)
 * it stands at, and polls that resource's current and next session (`/booth/:token/status`).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('devices', (table) => {
      table
        .integer('resource_id')
        .unsigned()
        .nullable()
        .references('resources.id')
        .onDelete('SET NULL')
      table.index(['resource_id'])
    })
  }

  async down() {
    this.schema.alterTable('devices', (table) => {
      table.dropForeign(['resource_id'])
      table.dropIndex(['resource_id'])
      table.dropColumn('resource_id')
    })
  }
}
