import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import { calendarDay, dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import Outlet from '#models/outlet'
import RenewalAttempt from '#models/renewal_attempt'
import type { RenewalStatus } from '#enums/renewals'

/**
 * An outlet's renewal for one expiry date (seed 004 Renewal Flow): computed when the expiry date
 * comes within the tenant's horizon, reminded on its cadence, and closed as renewed or recovered
 * by a payment (the POS webhook or a later expiry date from the sync), or churned when the
 * reminders ran out; churned ones get the winback cadence.
 */
export default class Renewal extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare outletId: number

  @column()
  declare fid: string

  @column()
  declare oid: string

  @calendarDay()
  declare expiresOn: string

  @column()
  declare status: RenewalStatus

  @column()
  declare nextStep: string | null

  @dateTime()
  declare nextStepAt: DateTime | null

  @column()
  declare remindersSent: number

  @calendarDay()
  declare paidUntil: string | null

  @dateTime()
  declare renewedAt: DateTime | null

  @dateTime()
  declare churnedAt: DateTime | null

  @dateTime()
  declare repliedAt: DateTime | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Outlet)
  declare outlet: BelongsTo<typeof Outlet>

  @hasMany(() => RenewalAttempt)
  declare attempts: HasMany<typeof RenewalAttempt>
}
