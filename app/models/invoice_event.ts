import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { dateTime, json } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { InvoiceEventType, InvoiceStatus } from '#enums/billing'

/** One step of an invoice's life, shown on its page and in the audit log. Append-only. */
export default class InvoiceEvent extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare invoiceId: number

  @column()
  declare type: InvoiceEventType

  @column()
  declare fromStatus: InvoiceStatus | null

  @column()
  declare toStatus: InvoiceStatus

  @column()
  declare userId: number | null

  @column()
  declare reason: string | null

  @json()
  declare data: Record<string, unknown> | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
