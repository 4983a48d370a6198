import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import Contact from '#models/contact'
import User from '#models/user'
import type { ContactOutletSource } from '#enums/inbox'

/**
 * A contact speaks for an outlet: matched by the phone number (`phone`) or picked by a member of
 * staff (`agent`), and remembered. A contact and an outlet are linked once (unique index).
 */
export default class ContactOutlet extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare contactId: number

  @column()
  declare outletId: number

  @column()
  declare source: ContactOutletSource

  /** Who picked it (null when matched by phone). */
  @column()
  declare linkedBy: number | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => Contact)
  declare contact: BelongsTo<typeof Contact>

  @belongsTo(() => User, { foreignKey: 'linkedBy' })
  declare linker: BelongsTo<typeof User>
}
