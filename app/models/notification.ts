import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import type { ChannelKind, DeliveryStatus, MessageEvent } from '#enums/messaging'
import { TenantOwned } from '#models/mixins/tenant_owned'

/**
 * A message in the outbox: written in the transaction of the change that causes it, rendered
 * from the tenant's template, delivered by a worker (app/jobs/deliver_notification_job.ts).
 */
export default class Notification extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number | null

  @column()
  declare event: MessageEvent

  @column()
  declare channel: ChannelKind

  /** E.164 phone number, or an email address. */
  @column()
  declare recipient: string

  @column()
  declare locale: string

  @column({
    prepare: (value: Record<string, string>) => JSON.stringify(value),
    consume: (value: string) => JSON.parse(value),
  })
  declare variables: Record<string, string>

  @column()
  declare subject: string | null

  @column()
  declare body: string

  @column()
  declare subjectType: string | null

  @column()
  declare subjectId: string | null

  @column()
  declare dedupeKey: string | null

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
  declare providerMessageId: string | null

  @column()
  declare providerStatus: string | null

  @dateTime()
  declare sentAt: DateTime | null

  @dateTime()
  declare deliveredAt: DateTime | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
