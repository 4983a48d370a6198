import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, scope } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A tenant's REST API key. Only its SHA-256 is stored; the key itself is shown once. */
export default class ApiKey extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare name: string

  /** The first characters of the key, to recognise it in lists (`lk_3f9a…`). */
  @column()
  declare prefix: string

  @column({ serializeAs: null })
  declare tokenHash: string

  @column()
  declare createdBy: number | null

  @dateTime()
  declare lastUsedAt: DateTime | null

  @dateTime()
  declare revokedAt: DateTime | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  static active = scope((query) => {
    query.whereNull('revoked_at')
  })
}
