import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import RatingCredit from '#models/rating_credit'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { RatingSubject } from '#enums/billing'
import type { ChannelKind } from '#enums/messaging'

/** A rating link of one finished ticket, booking or job (seed 003, FDB): answered once. */
export default class Rating extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number | null

  @column()
  declare subjectType: RatingSubject

  @column()
  declare subjectId: string

  @column()
  declare label: string

  @column()
  declare serviceId: number | null

  @column({ serializeAs: null })
  declare token: string

  @column()
  declare channel: ChannelKind | null

  @column({ serializeAs: null })
  declare recipient: string | null

  @column()
  declare locale: string

  @dateTime()
  declare sendAfter: DateTime | null

  @dateTime()
  declare sentAt: DateTime | null

  @dateTime()
  declare expiresAt: DateTime

  @column()
  declare score: number | null

  @column()
  declare comment: string | null

  @dateTime()
  declare answeredAt: DateTime | null

  @hasMany(() => RatingCredit)
  declare credits: HasMany<typeof RatingCredit>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
