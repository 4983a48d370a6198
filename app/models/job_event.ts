import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { dateTime, json } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { JobEventType, JobStatus } from '#enums/field'

/** One step of a job's life, shown on its page. Append-only. */
export default class JobEvent extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare jobId: number

  @column()
  declare type: JobEventType

  @column()
  declare fromStatus: JobStatus | null

  @column()
  declare toStatus: JobStatus

  @column()
  declare userId: number | null

  @column()
  declare requestId: string | null

  @column()
  declare reason: string | null

  @json()
  declare data: Record<string, unknown> | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
