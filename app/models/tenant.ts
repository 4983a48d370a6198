import { DateTime } from 'luxon'
import { BaseModel, afterSave, column } from '@adonisjs/lucid/orm'
import { apiKeyCache } from '#support/api_key_cache'
import { boolean, dateTime } from '#models/columns'
import { parseQueueSettings, type QueueSettings } from '#models/settings/queue_settings'
import { parseMessagingSettings, type MessagingSettings } from '#models/settings/messaging_settings'
import { parseFieldSettings, type FieldSettings } from '#models/settings/field_settings'
import { parseBookingSettings, type BookingSettings } from '#models/settings/booking_settings'
import { parseBillingSettings, type BillingSettings } from '#models/settings/billing_settings'
import { parseInboxSettings, type InboxSettings } from '#models/settings/inbox_settings'

export default class Tenant extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare slug: string

  @column()
  declare locale: string

  @column()
  declare brandColor: string

  @boolean()
  declare isActive: boolean

  /** Every member of staff logs in with a second factor (TOTP); those without one set it up first. */
  @boolean()
  declare requireTwoFactor: boolean

  /** The logo, base64 (kept in the database so that every server can serve it). */
  @column({ serializeAs: null })
  declare logoData: string | null

  @column()
  declare logoMime: string | null

  @column({ serializeAs: null })
  declare queueSettings: string | null

  @column({ serializeAs: null })
  declare messagingSettings: string | null

  @column({ serializeAs: null })
  declare bookingSettings: string | null

  @column({ serializeAs: null })
  declare fieldSettings: string | null

  @column({ serializeAs: null })
  declare billingSettings: string | null

  @column({ serializeAs: null })
  declare inboxSettings: string | null

  /** ISO 4217: IDR, MYR. Prices are kept in its minor units. */
  @column()
  declare currency: string

  /** How this tenant takes bookings, with defaults filled in. */
  get booking(): BookingSettings {
    return parseBookingSettings(this.bookingSettings)
  }

  /** How this tenant messages its visitors, with defaults filled in. */
  get messaging(): MessagingSettings {
    return parseMessagingSettings(this.messagingSettings)
  }

  /** How this tenant's field service works (registration format, working hours), with defaults filled in. */
  get field(): FieldSettings {
    return parseFieldSettings(this.fieldSettings)
  }

  /** How this tenant bills (tax, numbering, letterhead) and asks for ratings, with defaults filled in. */
  get billing(): BillingSettings {
    return parseBillingSettings(this.billingSettings, this.currency)
  }

  /** How this tenant's WhatsApp inbox works (categories, SLA targets, CSAT), with defaults filled in. */
  get inbox(): InboxSettings {
    return parseInboxSettings(this.inboxSettings)
  }

  /** How this tenant's queues are ordered and shown, with defaults filled in. */
  get queue(): QueueSettings {
    return parseQueueSettings(this.queueSettings)
  }

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** API requests of this server see the change at once (their keys' tenants are remembered). */
  @afterSave()
  static forgetRememberedKeys() {
    apiKeyCache.forget()
  }
}
