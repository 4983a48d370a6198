import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import type { PaymentProvider, PaymentStatus } from '#enums/booking'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A payment at a gateway: a booking's prepayment or an invoice's payment. */
export default class Payment extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare bookingId: string | null

  @column()
  declare invoiceId: number | null

  @column()
  declare provider: PaymentProvider

  /** Our order id at the gateway (Midtrans order_id, Xendit external_id). */
  @column()
  declare orderId: string

  /** The gateway's own id. */
  @column()
  declare externalId: string | null

  /** Minor units. */
  @column({ consume: (value: unknown) => Number(value) })
  declare amount: number

  @column()
  declare currency: string

  @column()
  declare status: PaymentStatus

  /** Where the customer pays (Midtrans Snap redirect_url, Xendit invoice_url). */
  @column()
  declare paymentUrl: string | null

  @dateTime()
  declare expiresAt: DateTime | null

  @dateTime()
  declare paidAt: DateTime | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
