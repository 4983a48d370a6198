import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, beforeSave, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Contact from '#models/contact'
import ConversationMessage from '#models/conversation_message'
import User from '#models/user'
import { boolean, dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { ConversationKind, ConversationStatus } from '#enums/inbox'

/**
 * A WhatsApp conversation with a contact, carrying its support ticket (seed 004): category,
 * status, assignee, the outlet it is about, the SLA due times and breaches, and how often it
 * reopened. `version` moves on every change: a reply composed on an older version is stale.
 */
export default class Conversation extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare contactId: number

  @column()
  declare kind: ConversationKind

  @column()
  declare status: ConversationStatus

  @column()
  declare category: string | null

  /** Why the router gave it to its team (`lead_keyword:harga`, `renewal_reminding:F1/O2`), shown on the thread. */
  @column()
  declare routeReason: string | null

  @column()
  declare outcome: string | null

  @column()
  declare assigneeId: number | null

  @column()
  declare outletId: number | null

  @column()
  declare fid: string | null

  @column()
  declare oid: string | null

  @column()
  declare reopenCount: number

  @column()
  declare unreadCount: number

  @dateTime()
  declare lastMessageAt: DateTime

  @dateTime()
  declare lastInboundAt: DateTime | null

  @dateTime()
  declare waitingSince: DateTime | null

  @dateTime()
  declare firstResponseDueAt: DateTime | null

  @dateTime()
  declare firstRespondedAt: DateTime | null

  @dateTime()
  declare resolutionDueAt: DateTime | null

  @column()
  declare resolutionSpentSeconds: number

  @boolean()
  declare firstResponseBreached: boolean

  @boolean()
  declare resolutionBreached: boolean

  /** Either clock breached: what the inbox sorts by (kept by `keepSlaBreached`, never set by hand). */
  @boolean()
  declare slaBreached: boolean

  @dateTime()
  declare resolvedAt: DateTime | null

  @column()
  declare resolvedBy: number | null

  @dateTime()
  declare closedAt: DateTime | null

  @column()
  declare version: number

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @beforeSave()
  static keepSlaBreached(conversation: Conversation) {
    conversation.slaBreached = Boolean(
      conversation.firstResponseBreached || conversation.resolutionBreached
    )
  }

  @belongsTo(() => Contact)
  declare contact: BelongsTo<typeof Contact>

  @belongsTo(() => User, { foreignKey: 'assigneeId' })
  declare assignee: BelongsTo<typeof User>

  @hasMany(() => ConversationMessage)
  declare messages: HasMany<typeof ConversationMessage>
}
