import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

const coordinate = () =>
  column({ consume: (value: unknown) => (value === null ? null : Number(value)) })

/** A technician's working day: when they checked in and out, and (only if given) where. */
export default class Attendance extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare userId: number

  @column()
  declare branchId: number

  @column()
  declare workDate: string

  @dateTime()
  declare checkedInAt: DateTime

  @dateTime()
  declare checkedOutAt: DateTime | null

  @column()
  declare lateMinutes: number

  @coordinate()
  declare inLatitude: number | null

  @coordinate()
  declare inLongitude: number | null

  @coordinate()
  declare outLatitude: number | null

  @coordinate()
  declare outLongitude: number | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}
