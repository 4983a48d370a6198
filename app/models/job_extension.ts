import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Job from '#models/job'
import User from '#models/user'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { ExtensionStatus } from '#enums/field'

/** A technician's request for more days on a job ("Tambah Hari"), and CS's decision. */
export default class JobExtension extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare jobId: number

  @column()
  declare technicianId: number

  @column()
  declare days: number

  @column()
  declare reason: string

  @column()
  declare status: ExtensionStatus

  @column()
  declare decidedBy: number | null

  @dateTime()
  declare decidedAt: DateTime | null

  @column()
  declare decisionNote: string | null

  @column()
  declare previousEnd: string | null

  @column()
  declare newEnd: string | null

  @belongsTo(() => Job)
  declare job: BelongsTo<typeof Job>

  @belongsTo(() => User, { foreignKey: 'technicianId' })
  declare technician: BelongsTo<typeof User>

  @belongsTo(() => User, { foreignKey: 'decidedBy' })
  declare decider: BelongsTo<typeof User>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
