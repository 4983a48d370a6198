import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { CustomerSource, CustomerStatus } from '#enums/field'

/**
 * A field-service customer (seed 003, MDM). Deleting one makes it inactive: it leaves the pickers
 * and keeps its jobs' history.
 */
export default class Customer extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare name: string

  /** E.164; unique per tenant. */
  @column()
  declare phone: string | null

  @column()
  declare address: string | null

  @column()
  declare notes: string | null

  @column()
  declare status: CustomerStatus

  @column()
  declare source: CustomerSource

  /** The language their messages go in; the tenant's when unknown. */
  @column()
  declare locale: string | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
