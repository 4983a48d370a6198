import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { boolean, dateTime, encryptedJson } from '#models/columns'
import type { PaymentProvider } from '#enums/booking'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A tenant's account at a payment gateway; its keys are encrypted with APP_KEY and never serialized. */
export default class PaymentAccount extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare provider: PaymentProvider

  @boolean()
  declare isActive: boolean

  @encryptedJson()
  declare settings: Record<string, any>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
