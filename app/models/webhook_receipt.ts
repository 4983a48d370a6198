import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/**
 * An inbound webhook item already handled (a WhatsApp message or status, a payment
 * notification). The unique (tenant, provider, external id) makes a provider's retry a no-op.
 */
export default class WebhookReceipt extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare provider: string

  @column()
  declare externalId: string

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
