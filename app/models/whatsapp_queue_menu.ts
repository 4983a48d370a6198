import type { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime, json } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/**
 * The services a branch last offered to a phone in the tenant's WhatsApp chat (`ANTRI <branch>`),
 * numbered 1, 2, ... in `offered`: a tap or a typed number picks one while the menu is open.
 * One row per tenant and phone, overwritten by the next menu.
 */
export default class WhatsappQueueMenu extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  /** E.164. */
  @column()
  declare phone: string

  @column()
  declare branchId: number

  /** Service ids, in the order they were numbered. */
  @json()
  declare offered: number[]

  /** The language the chat is answered in. */
  @column()
  declare locale: string

  @dateTime()
  declare expiresAt: DateTime

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
