import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Branch from '#models/branch'
import Resource from '#models/resource'
import Service from '#models/service'
import { dateTime } from '#models/columns'
import type { BookingChannel, BookingStatus } from '#enums/booking'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A customer's time at a resource: a doctor's slot, a salon chair, a photo booth session. */
export default class Booking extends compose(BaseModel, TenantOwned) {
  static selfAssignPrimaryKey = true

  /** A UUID: the customer's link `/booking/:id` is unguessable. */
  @column({ isPrimary: true })
  declare id: string

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare resourceId: number

  @column()
  declare serviceId: number

  /** Short code to read out or type at the desk (`BK7Q3XM`). */
  @column()
  declare code: string

  @column()
  declare status: BookingStatus

  @column()
  declare channel: BookingChannel

  @dateTime()
  declare startsAt: DateTime

  @dateTime()
  declare endsAt: DateTime

  /** The branch-local day and time of the start. */
  @column()
  declare serviceDate: string

  @column()
  declare localTime: string

  @column()
  declare customerName: string

  /** E.164. */
  @column()
  declare customerPhone: string | null

  @column()
  declare customerEmail: string | null

  @column()
  declare locale: string | null

  @column()
  declare note: string | null

  /** Minor units of `currency`. */
  @column({ consume: (value: unknown) => Number(value) })
  declare price: number

  @column()
  declare currency: string

  @column()
  declare requestId: string | null

  /** An unpaid booking is released at this moment. */
  @dateTime()
  declare payBy: DateTime | null

  @dateTime()
  declare paidAt: DateTime | null

  @dateTime()
  declare arrivedAt: DateTime | null

  @dateTime()
  declare startedAt: DateTime | null

  /** When the started session should end (start + the tenant's session length). */
  @dateTime()
  declare sessionEndsAt: DateTime | null

  @dateTime()
  declare finishedAt: DateTime | null

  @dateTime()
  declare cancelledAt: DateTime | null

  @column()
  declare cancelReason: string | null

  /** The queue ticket the booking joined the walk-in queue with. */
  @column()
  declare ticketId: string | null

  @dateTime()
  declare remindedDayAt: DateTime | null

  @dateTime()
  declare remindedHourAt: DateTime | null

  @belongsTo(() => Branch)
  declare branch: BelongsTo<typeof Branch>

  @belongsTo(() => Resource)
  declare resource: BelongsTo<typeof Resource>

  @belongsTo(() => Service)
  declare service: BelongsTo<typeof Service>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
