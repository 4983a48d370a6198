import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { LeadStatus } from '#enums/lead'

/** One step of a lead's pipeline: from, to, who, when and why. Append-only. */
export default class LeadEvent extends compose(BaseModel, TenantOwned) {
  static table = 'lead_events'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare leadId: number

  @column()
  declare fromStatus: LeadStatus | null

  @column()
  declare toStatus: LeadStatus

  @column()
  declare userId: number | null

  @column()
  declare note: string | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @dateTime()
  declare createdAt: DateTime
}
