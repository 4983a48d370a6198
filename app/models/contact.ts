import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** Someone who wrote to the tenant on WhatsApp. Their last message opens a 24-hour window for free-form replies. */
export default class Contact extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  /** E.164. */
  @column()
  declare phone: string

  @column()
  declare displayName: string | null

  @dateTime()
  declare lastInboundAt: DateTime | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
