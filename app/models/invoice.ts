import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import InvoiceLine from '#models/invoice_line'
import { boolean, dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { TaxMode } from '#models/settings/billing_settings'
import type { InvoiceSource, InvoiceStatus, PaymentMethod } from '#enums/billing'

const money = { consume: (value: unknown) => (value === null ? null : Number(value)) }

/** An invoice (seed 003, FIN): a customer's bill, approved by sales, numbered, sent and paid. */
export default class Invoice extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number | null

  @column()
  declare customerId: number | null

  @column()
  declare sourceType: InvoiceSource | null

  @column()
  declare sourceId: string | null

  @column()
  declare number: string | null

  @column({ serializeAs: null })
  declare token: string

  @column()
  declare status: InvoiceStatus

  @column()
  declare currency: string

  @column()
  declare taxMode: TaxMode

  @column()
  declare taxRateBp: number

  @boolean()
  declare pricesIncludeTax: boolean

  @column()
  declare billToName: string

  @column()
  declare billToPhone: string | null

  @column()
  declare billToEmail: string | null

  @column()
  declare billToAddress: string | null

  @column()
  declare locale: string | null

  @column()
  declare notes: string | null

  @column(money)
  declare subtotal: number

  @column(money)
  declare discount: number

  @column(money)
  declare net: number

  @column(money)
  declare taxBase: number

  @column(money)
  declare tax: number

  @column(money)
  declare total: number

  @column(money)
  declare approvedTotal: number | null

  @column()
  declare approvedBy: number | null

  @dateTime()
  declare approvedAt: DateTime | null

  @column()
  declare issuedOn: string | null

  @column()
  declare dueOn: string | null

  @dateTime()
  declare sentAt: DateTime | null

  @column()
  declare paidOn: string | null

  @dateTime()
  declare paidAt: DateTime | null

  @column()
  declare paymentMethod: PaymentMethod | null

  @column()
  declare paymentReference: string | null

  @column({ serializeAs: null })
  declare proofPath: string | null

  @column()
  declare proofMime: string | null

  @column()
  declare proofSize: number | null

  @dateTime()
  declare voidedAt: DateTime | null

  @column()
  declare voidReason: string | null

  @column()
  declare createdBy: number | null

  @hasMany(() => InvoiceLine, { onQuery: (query) => query.orderBy('position') })
  declare lines: HasMany<typeof InvoiceLine>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** The number, or a placeholder naming the draft until approval numbers it. */
  get label() {
    return this.number ?? `#${this.id}`
  }
}
