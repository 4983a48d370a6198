import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** When a resource takes bookings on one weekday (0 = Sunday), local HH:mm. */
export default class ResourceSchedule extends compose(BaseModel, TenantOwned) {
  static table = 'resource_schedules'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare resourceId: number

  @column()
  declare weekday: number

  @column()
  declare opensAt: string

  @column()
  declare closesAt: string
}
