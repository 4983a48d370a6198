import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { boolean, dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A technician's claim on one place of a job; released claims stay as history. */
export default class JobAssignment extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare jobId: number

  @column()
  declare technicianId: number

  @dateTime()
  declare claimedAt: DateTime

  @dateTime()
  declare startedAt: DateTime | null

  @dateTime()
  declare doneAt: DateTime | null

  @dateTime()
  declare releasedAt: DateTime | null

  @column()
  declare releaseReason: string | null

  @column()
  declare releasedBy: number | null

  /** Returned to the pool by CS (the technician was absent), not given back by the technician. */
  @boolean()
  declare emergency: boolean

  @belongsTo(() => User, { foreignKey: 'technicianId' })
  declare technician: BelongsTo<typeof User>

  get isActive() {
    return this.releasedAt === null
  }
}
