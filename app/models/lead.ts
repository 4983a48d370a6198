import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Booking from '#models/booking'
import User from '#models/user'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { LeadSource, LeadStatus, PromptStep } from '#enums/lead'

/**
 * A prospect for sales (seed 004): who they are (name, business, phone, email, interest), where
 * they came from, where they stand in the pipeline, who owns them, the notes and next step, the
 * onboarding booking, and for a WhatsApp lead the prompt's next question.
 */
export default class Lead extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare contactId: number | null

  @column()
  declare conversationId: number | null

  @column()
  declare name: string | null

  @column()
  declare business: string | null

  @column()
  declare phone: string

  @column()
  declare email: string | null

  @column()
  declare interest: string | null

  @column()
  declare source: LeadSource

  @column()
  declare status: LeadStatus

  @column()
  declare ownerId: number | null

  @column()
  declare notes: string | null

  @column()
  declare nextStep: string | null

  @dateTime()
  declare nextStepAt: DateTime | null

  @column()
  declare bookingId: string | null

  @column()
  declare lostReason: string | null

  @column()
  declare promptStep: PromptStep | null

  @belongsTo(() => User, { foreignKey: 'ownerId' })
  declare owner: BelongsTo<typeof User>

  @belongsTo(() => Booking)
  declare booking: BelongsTo<typeof Booking>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
