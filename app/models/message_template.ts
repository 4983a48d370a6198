import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import type { MessageEvent } from '#enums/messaging'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A tenant's own wording of one message in one language (the defaults are in app/services/default_templates.ts). */
export default class MessageTemplate extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare event: MessageEvent

  @column()
  declare locale: string

  /** Email subject. */
  @column()
  declare subject: string | null

  @column()
  declare body: string

  /** Name of the approved WhatsApp template sent outside the 24-hour window. */
  @column()
  declare whatsappTemplate: string | null

  @column()
  declare updatedBy: number | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
