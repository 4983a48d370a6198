import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'

const money = { consume: (value: unknown) => Number(value) }

/** One line of an invoice: quantity x unit price = amount (minor units). */
export default class InvoiceLine extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare invoiceId: number

  @column()
  declare position: number

  @column()
  declare description: string

  @column()
  declare quantity: number

  @column(money)
  declare unitPrice: number

  @column(money)
  declare amount: number
}
