import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { dateTime, json } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import User from '#models/user'
import type { SyncSource, SyncStatus } from '#enums/renewals'

/** A row a sync could not apply: its place in the feed (page row or CSV line), its ids, why. */
export interface SyncRowError {
  row: number
  fid: string | null
  oid: string | null
  message: string
}

/** One run of the outlet sync (the sync log): a POS pull, a CSV import or a webhook push. */
export default class OutletSyncRun extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare source: SyncSource

  @column()
  declare status: SyncStatus

  @column()
  declare userId: number | null

  @column()
  declare rowsCount: number

  @column()
  declare pagesCount: number

  @column()
  declare createdCount: number

  @column()
  declare updatedCount: number

  @column()
  declare expiredCount: number

  @column()
  declare unchangedCount: number

  @column()
  declare errorCount: number

  @json()
  declare errors: SyncRowError[] | null

  @column()
  declare message: string | null

  @dateTime()
  declare startedAt: DateTime

  @dateTime()
  declare finishedAt: DateTime | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}
