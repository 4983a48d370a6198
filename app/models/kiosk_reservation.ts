import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/**
 * Numbers set aside for one kiosk so that it can keep printing tickets while its network is
 * down: `first_number`..`last_number` of a service's day and cycle belong to this kiosk alone.
 */
export default class KioskReservation extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare deviceId: number

  @column()
  declare serviceId: number

  @column()
  declare serviceDate: string

  @column()
  declare cycle: number

  @column()
  declare firstNumber: number

  @column()
  declare lastNumber: number

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
