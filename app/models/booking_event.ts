import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { dateTime, json } from '#models/columns'
import type { BookingEventType, BookingStatus } from '#enums/booking'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** One step of a booking's life. Append-only; an override keeps who, when, from, to and why. */
export default class BookingEvent extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare bookingId: string

  @column()
  declare type: BookingEventType

  @column()
  declare fromStatus: BookingStatus | null

  @column()
  declare toStatus: BookingStatus

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
