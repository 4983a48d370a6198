import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { MessageDirection, MessageKind } from '#enums/inbox'

/**
 * One message of a conversation: the customer's (stored once per WhatsApp message id, its media
 * downloaded and kept through drive), ours (carried by an outbox row, whose status it shows), or a
 * staff note that is never sent.
 */
export default class ConversationMessage extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true, consume: (value: unknown) => Number(value) })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare conversationId: number

  @column()
  declare direction: MessageDirection

  @column()
  declare kind: MessageKind

  @column()
  declare body: string | null

  @column()
  declare waMessageId: string | null

  @column({ serializeAs: null })
  declare mediaId: string | null

  @column({ serializeAs: null })
  declare mediaPath: string | null

  @column()
  declare mediaType: string | null

  @column()
  declare mediaSize: number | null

  @column({ columnName: 'media_sha256' })
  declare mediaSha256: string | null

  @column()
  declare mediaName: string | null

  /** `pending` (to download), `stored` or `failed`. */
  @column()
  declare mediaStatus: 'pending' | 'stored' | 'failed' | null

  @column()
  declare authorId: number | null

  @column()
  declare notificationId: number | null

  @dateTime()
  declare createdAt: DateTime

  @belongsTo(() => User, { foreignKey: 'authorId' })
  declare author: BelongsTo<typeof User>
}
