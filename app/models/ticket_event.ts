import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Ticket from '#models/ticket'
import User from '#models/user'
import Counter from '#models/counter'
import { dateTime } from '#models/columns'
import type { TicketEventType, TicketStatus } from '#enums/ticket'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** One step in a ticket's life. Append-only: rows are inserted, never updated or deleted. */
export default class TicketEvent extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare ticketId: string

  @column()
  declare type: TicketEventType

  @column()
  declare fromStatus: TicketStatus | null

  @column()
  declare toStatus: TicketStatus

  @column()
  declare counterId: number | null

  @column()
  declare userId: number | null

  @column()
  declare requestId: string | null

  @column()
  declare note: string | null

  /** JSON details of the step, e.g. a transfer's origin and destination. */
  @column({ consume: (value: string | null) => (value ? JSON.parse(value) : null) })
  declare data: Record<string, unknown> | null

  @belongsTo(() => Ticket)
  declare ticket: BelongsTo<typeof Ticket>

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Counter)
  declare counter: BelongsTo<typeof Counter>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
