import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { calendarDay, dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import ContactOutlet from '#models/contact_outlet'
import type { OutletStatus } from '#enums/inbox'

/**
 * What a franchise id or an outlet id may be (as the business's POS names them): 1 to 40
 * characters, no spaces, no `/` (a user's scope is written `fid/oid`), no control characters.
 */
export const OUTLET_ID_PATTERN = /^[^\s/\p{C}]{1,40}$/u

/**
 * One of the business's outlets (seed 004): a franchise's shop, known by its franchise id (`fid`)
 * and outlet id (`oid`), unique per tenant. Contacts who write on WhatsApp are matched to outlets
 * by phone (or picked by an agent) through contact_outlets; a conversation copies the outlet's
 * fid/oid, which is what a scoped agent is matched by.
 */
export default class Outlet extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare fid: string

  @column()
  declare oid: string

  @column()
  declare name: string

  @column()
  declare address: string | null

  /** E.164; the number contacts are matched by. */
  @column()
  declare phone: string | null

  /** The last day of the outlet's subscription (local), `YYYY-MM-DD`. */
  @calendarDay()
  declare expiresOn: string | null

  @column()
  declare status: OutletStatus

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** The contacts who speak for this outlet. */
  @hasMany(() => ContactOutlet)
  declare links: HasMany<typeof ContactOutlet>
}
