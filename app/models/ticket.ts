import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Branch from '#models/branch'
import Service from '#models/service'
import Counter from '#models/counter'
import { dateTime } from '#models/columns'
import {
  SYSTEM_CANCEL_REASONS,
  type Priority,
  type TicketChannel,
  type TicketStatus,
} from '#enums/ticket'
import { TenantOwned } from '#models/mixins/tenant_owned'

export default class Ticket extends compose(BaseModel, TenantOwned) {
  static selfAssignPrimaryKey = true

  /** A UUID: the visitor's link `/t/:id` is unguessable. */
  @column({ isPrimary: true })
  declare id: string

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  /** The queue the ticket is in now. */
  @column()
  declare serviceId: number

  /** The service whose numbering issued the number (a transfer changes serviceId, not this). */
  @column()
  declare originServiceId: number

  @column()
  declare counterId: number | null

  /** The branch-local day the ticket was taken on (YYYY-MM-DD). */
  @column()
  declare serviceDate: string

  @column()
  declare sequence: number

  /** The human number, e.g. `A001`. */
  @column()
  declare number: string

  @column()
  declare status: TicketStatus

  @column()
  declare channel: TicketChannel

  @column()
  declare priority: Priority

  @column()
  declare areaId: number | null

  /** Set when the ticket was transferred to one counter: only that counter calls it. */
  @column()
  declare targetCounterId: number | null

  /** The kiosk that printed it, if any. */
  @column()
  declare deviceId: number | null

  /** Optional, and only if the visitor gave them (PII: may be anonymized later). */
  @column()
  declare customerName: string | null

  /** E.164, e.g. +6281234567890. */
  @column()
  declare customerPhone: string | null

  /** Staff's note on the visit. */
  @column()
  declare note: string | null

  /** The language the visitor used to take the number: their messages are in it. */
  @column()
  declare locale: string | null

  /** The booking this appointment ticket belongs to. */
  @column()
  declare bookingId: string | null

  /** When the visitor was told "N numbers to go" (once per ticket). */
  @dateTime()
  declare nearNotifiedAt: DateTime | null

  /** Comma-separated tags staff put on the visit. */
  @column()
  declare tags: string | null

  @column()
  declare transferCount: number

  @column()
  declare requeueCount: number

  @column()
  declare requestId: string | null

  /** Which API request took the number (IdempotentRequests.fingerprint), with `requestId` its key. */
  @column()
  declare apiFingerprint: string | null

  /** How many were ahead when the number was taken, kept for an API take's repeat. */
  @column()
  declare aheadAtTake: number | null

  @column()
  declare cancelReason: string | null

  /** The branch-local hour the ticket was taken in (0-23), for reports. */
  @column()
  declare localHour: number

  @column()
  declare waitSeconds: number | null

  @column()
  declare serviceSeconds: number | null

  @column()
  declare recallCount: number

  /** When the ticket joined the queue: the order in which it is called. */
  @dateTime()
  declare queuedAt: DateTime

  @dateTime()
  declare calledAt: DateTime | null

  @dateTime()
  declare servingAt: DateTime | null

  @dateTime()
  declare completedAt: DateTime | null

  @dateTime()
  declare cancelledAt: DateTime | null

  @belongsTo(() => Branch)
  declare branch: BelongsTo<typeof Branch>

  @belongsTo(() => Service)
  declare service: BelongsTo<typeof Service>

  @belongsTo(() => Counter)
  declare counter: BelongsTo<typeof Counter>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get tagList() {
    return (this.tags ?? '')
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean)
  }

  /** Closed by the daily or a manual reset rather than by staff with their own words. */
  get isSystemCancel() {
    return (SYSTEM_CANCEL_REASONS as readonly string[]).includes(this.cancelReason ?? '')
  }
}
