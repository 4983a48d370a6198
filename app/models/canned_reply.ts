import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A saved answer agents insert by typing `/shortcut`; `{{name}}` and `{{outlet}}` are filled in. */
export default class CannedReply extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare shortcut: string

  @column()
  declare title: string

  @column()
  declare body: string

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
