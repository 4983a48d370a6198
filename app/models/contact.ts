import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'

/** Someone who wrote to the tenant on WhatsApp. Their last message opens a 24-hour window for free-form replies. */
export default class Contact extends BaseModel {
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
