import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Tenant from '#models/tenant'
import { dateTime } from '#models/columns'
import clock from '#support/clock'
import { timeZone } from '#support/time_zones'
import { TenantOwned } from '#models/mixins/tenant_owned'

export const BRANCH_TIMEZONES = [
  'Asia/Jakarta',
  'Asia/Makassar',
  'Asia/Jayapura',
  'Asia/Kuala_Lumpur',
] as const

export default class Branch extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare name: string

  @column()
  declare slug: string

  @column()
  declare timezone: string

  @column()
  declare address: string | null

  /** The local day the daily reset last closed (YYYY-MM-DD). */
  @column()
  declare lastResetDate: string | null

  @belongsTo(() => Tenant)
  declare tenant: BelongsTo<typeof Tenant>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** The branch's current local time. */
  localNow() {
    return clock.now().setZone(timeZone(this.timezone))
  }

  /** Today's date in the branch's time zone (YYYY-MM-DD): the day tickets are numbered in. */
  today() {
    return this.localNow().toISODate()!
  }
}
