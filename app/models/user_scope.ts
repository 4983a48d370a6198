import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'

/**
 * A franchise (`oid` null: every outlet of it) or one outlet a member of staff works for. A user
 * with none sees every conversation; with some, only those of these franchises and outlets
 * (UserScopes).
 */
export default class UserScope extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare userId: number

  @column()
  declare fid: string

  @column()
  declare oid: string | null
}
