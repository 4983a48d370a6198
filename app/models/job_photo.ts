import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A photo of the work a technician took; the file is on the uploads disk. */
export default class JobPhoto extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare jobId: number

  @column()
  declare userId: number | null

  @column({ serializeAs: null })
  declare fileKey: string

  @column()
  declare mime: string

  @column()
  declare size: number

  @column()
  declare caption: string | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
