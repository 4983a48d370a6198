import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import User from '#models/user'
import type { AttemptResult } from '#enums/renewals'

/**
 * One try on a renewal and its result: a reminder sent (with its outbox row), skipped (quiet
 * hours, paid, the cap) or failed; the merchant's reply; a call or note the renewal team logged.
 * Automatic tries carry `stepKey`, unique per renewal, so that a step happens once.
 */
export default class RenewalAttempt extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare renewalId: number

  @column()
  declare step: string

  @column()
  declare stepKey: string | null

  @column()
  declare channel: string | null

  @column()
  declare template: string | null

  @column()
  declare result: AttemptResult

  @column()
  declare notificationId: number | null

  @column()
  declare conversationId: number | null

  @column()
  declare userId: number | null

  @column()
  declare note: string | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}
