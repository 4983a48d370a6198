import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Branch from '#models/branch'
import { boolean, dateTime } from '#models/columns'
import type { NoShowAction, Priority } from '#enums/ticket'
import { TenantOwned } from '#models/mixins/tenant_owned'
import { Positioned } from '#models/mixins/positioned'

export default class Service extends compose(BaseModel, TenantOwned, Positioned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  /** The ticket prefix, e.g. `A` for A001. */
  @column()
  declare code: string

  @column()
  declare name: string

  /** Name in English and Malay; `name` is the tenant's own language (Indonesian by default). */
  @column()
  declare nameEn: string | null

  @column()
  declare nameMs: string | null

  @column()
  declare description: string | null

  @column()
  declare areaId: number | null

  /** Target wait in minutes ("80% served within X min"). */
  @column()
  declare slaMinutes: number

  /** Own hours inside the branch's hours (HH:mm), if narrower. */
  @column()
  declare opensAt: string | null

  @column()
  declare closesAt: string | null

  /** The most tickets a day; null = no limit. */
  @column()
  declare dailyCapacity: number | null

  @column()
  declare defaultPriority: Priority

  /** How numbers look: `{code}` the prefix, `{n}` the number, `{n:3}` zero-padded to 3 digits. */
  @column()
  declare numberFormat: string

  /** A called visitor who has not been started after this many minutes is a no-show (or requeued); null = never. */
  @column()
  declare noShowAfterMinutes: number | null

  @column()
  declare noShowAction: NoShowAction

  /** Anti-starvation limit in minutes; null = the tenant's. */
  @column()
  declare maxWaitMinutes: number | null

  /** Customers can book a time for it (at the resources that offer it). */
  @boolean()
  declare isBookable: boolean

  /** A booking's length; defaults to the tenant's slot length. */
  @column()
  declare durationMinutes: number | null

  /** Minor units of the tenant's currency. */
  @column({ consume: (value: unknown) => Number(value ?? 0) })
  declare price: number

  /** Bookings must be paid first (when the price is above zero). */
  @boolean()
  declare requiresPrepayment: boolean

  /** Visitors get "N numbers to go" when this many are ahead of them; null sends none. */
  @column()
  declare notifyAhead: number | null

  @column()
  declare position: number

  @boolean()
  declare isActive: boolean

  @belongsTo(() => Branch)
  declare branch: BelongsTo<typeof Branch>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** The human number of the n-th ticket of a day: `{code}{n:3}` with `A` and 7 -> `A007`. */
  formatNumber(sequence: number) {
    return formatTicketNumber(this.numberFormat ?? '{code}{n:3}', this.code, sequence)
  }

  /** The service's name in `locale`, falling back to its own name. */
  nameIn(locale: string) {
    if (locale === 'en') return this.nameEn || this.name
    if (locale === 'ms') return this.nameMs || this.name
    return this.name
  }
}

/** `{code}{n:3}` + `A` + 7 -> `A007`; `{code}-{n}` + `B` + 12 -> `B-12`. */
export function formatTicketNumber(format: string, code: string, sequence: number) {
  return format
    .replaceAll('{code}', code)
    .replace(/\{n(?::(\d))?\}/g, (_, width: string | undefined) =>
      String(sequence).padStart(Number(width ?? 0), '0')
    )
}
