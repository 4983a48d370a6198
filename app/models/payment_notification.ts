import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import type { PaymentProvider } from '#enums/booking'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A notification a gateway sent, stored raw, once, with what processing it did. */
export default class PaymentNotification extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare paymentId: number | null

  @column()
  declare provider: PaymentProvider

  @column()
  declare dedupeKey: string

  /** The gateway's status word (settlement, capture, PAID, EXPIRED...). */
  @column()
  declare status: string

  @column()
  declare raw: string

  /** applied | ignored | unknown_order | amount_mismatch */
  @column()
  declare outcome: string

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
