import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany, manyToMany } from '@adonisjs/lucid/orm'
import type { HasMany, ManyToMany } from '@adonisjs/lucid/types/relations'
import ResourceSchedule from '#models/resource_schedule'
import Service from '#models/service'
import { boolean, dateTime } from '#models/columns'
import type { ResourceKind } from '#enums/booking'
import { TenantOwned } from '#models/mixins/tenant_owned'
import { Positioned } from '#models/mixins/positioned'

/** Something customers book a time at: a photo booth, a room, a salon chair, a doctor. */
export default class Resource extends compose(BaseModel, TenantOwned, Positioned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare kind: ResourceKind

  @column()
  declare name: string

  @column()
  declare position: number

  @boolean()
  declare isActive: boolean

  @hasMany(() => ResourceSchedule)
  declare schedules: HasMany<typeof ResourceSchedule>

  @manyToMany(() => Service, { pivotTable: 'resource_services', pivotColumns: ['tenant_id'] })
  declare services: ManyToMany<typeof Service>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
