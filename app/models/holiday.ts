import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A day the branch is closed (YYYY-MM-DD, local), e.g. Idul Fitri. */
export default class Holiday extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare date: string

  @column()
  declare name: string
}
