import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import type { ChannelKind } from '#enums/messaging'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** Someone who asked a tenant to stop messaging them on one channel. */
export default class OptOut extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare channel: ChannelKind

  @column()
  declare recipient: string

  /** link (the opt-out link in a message), stop_reply (STOP on WhatsApp), provider (the provider reported it). */
  @column()
  declare source: 'link' | 'stop_reply' | 'provider'

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
