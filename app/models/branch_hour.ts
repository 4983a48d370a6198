import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A branch's opening hours on one weekday (0 = Sunday ... 6 = Saturday), local time HH:mm. */
export default class BranchHour extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare weekday: number

  @column()
  declare opensAt: string

  @column()
  declare closesAt: string
}
