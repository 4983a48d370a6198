import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Branch from '#models/branch'
import Resource from '#models/resource'
import { boolean, dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import clock from '#support/clock'

/** TV displays, kiosks, and booths (a device at a bookable resource that follows its sessions). */
export const DEVICE_KINDS = ['display', 'kiosk', 'booth'] as const
export type DeviceKind = (typeof DEVICE_KINDS)[number]

/** What a display shows: the whole branch, one area, or chosen services. */
export const DISPLAY_MODES = ['lobby', 'area', 'service'] as const
export type DisplayMode = (typeof DISPLAY_MODES)[number]

/** A TV display, kiosk or booth registered by an admin, reached by its secret token URL. */
export default class Device extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare kind: DeviceKind

  @column()
  declare name: string

  @column()
  declare token: string

  @dateTime()
  declare lastSeenAt: DateTime | null

  @column()
  declare mode: DisplayMode

  @column()
  declare areaId: number | null

  /** For `service` mode: the services shown, comma-separated ids. */
  @column()
  declare serviceIds: string | null

  /** How many recent calls a display lists. */
  @column()
  declare recentCount: number

  @boolean()
  declare showNextUp: boolean

  /** Kiosk printer paper width in mm: 58 or 80. */
  @column()
  declare paperWidth: number

  /** For a booth: the resource it stands at. */
  @column()
  declare resourceId: number | null

  @belongsTo(() => Resource)
  declare resource: BelongsTo<typeof Resource>

  get serviceIdList() {
    return (this.serviceIds ?? '')
      .split(',')
      .map(Number)
      .filter((id) => Number.isInteger(id) && id > 0)
  }

  @belongsTo(() => Branch)
  declare branch: BelongsTo<typeof Branch>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** The kiosk behind a secret token; anything else is a 404. */
  static findKioskOrFail(token: string) {
    return this.query().where('token', token).where('kind', 'kiosk').firstOrFail()
  }

  /** Remembers when the device was last heard from (the admin's device list shows it). */
  async markSeen() {
    this.lastSeenAt = clock.now()
    await this.save()
  }
}
