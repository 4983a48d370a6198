import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import WebhookEndpoint from '#models/webhook_endpoint'
import { dateTime } from '#models/columns'
import type { DeliveryStatus } from '#enums/messaging'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** One event sent (or to be sent) to one webhook endpoint: the outbox row and its delivery log. */
export default class WebhookDelivery extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare endpointId: number

  @column()
  declare event: string

  @column()
  declare eventId: string

  /** The JSON body exactly as it is sent and signed. */
  @column()
  declare payload: string

  @column()
  declare status: DeliveryStatus

  @column()
  declare attempts: number

  @dateTime()
  declare nextAttemptAt: DateTime | null

  @dateTime()
  declare lockedUntil: DateTime | null

  @column()
  declare lastError: string | null

  @column()
  declare responseStatus: number | null

  @column()
  declare responseExcerpt: string | null

  @column()
  declare durationMs: number | null

  @dateTime()
  declare sentAt: DateTime | null

  @belongsTo(() => WebhookEndpoint, { foreignKey: 'endpointId' })
  declare endpoint: BelongsTo<typeof WebhookEndpoint>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
