import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A configuration change or administrative action. Append-only. */
export default class AuditLog extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number | null

  @column()
  declare branchId: number | null

  @column()
  declare userId: number | null

  /** What happened, e.g. `service.updated`, `queue.reset`. */
  @column()
  declare action: string

  @column()
  declare subjectType: string | null

  @column()
  declare subjectId: string | null

  /** JSON: the fields that changed (before/after) or the action's parameters. */
  @column({
    prepare: (value: unknown) =>
      value === null || value === undefined ? null : JSON.stringify(value),
    consume: (value: string | null) => (value ? JSON.parse(value) : null),
  })
  declare changes: Record<string, unknown> | null

  @column()
  declare ip: string | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
