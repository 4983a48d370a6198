import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, manyToMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, ManyToMany } from '@adonisjs/lucid/types/relations'
import Branch from '#models/branch'
import Service from '#models/service'
import User from '#models/user'
import { boolean, dateTime } from '#models/columns'
import type { Presence } from '#enums/counter'
import { TenantOwned } from '#models/mixins/tenant_owned'
import { Positioned } from '#models/mixins/positioned'

export default class Counter extends compose(BaseModel, TenantOwned, Positioned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare name: string

  @column()
  declare position: number

  @boolean()
  declare isActive: boolean

  /** The operator working at this counter now, if any. */
  @column()
  declare operatorId: number | null

  @column()
  declare areaId: number | null

  @column()
  declare presence: Presence

  @dateTime()
  declare presenceAt: DateTime | null

  @belongsTo(() => Branch)
  declare branch: BelongsTo<typeof Branch>

  @belongsTo(() => User, { foreignKey: 'operatorId' })
  declare operator: BelongsTo<typeof User>

  @manyToMany(() => Service, {
    pivotTable: 'counter_services',
    pivotColumns: ['rank', 'tenant_id'],
  })
  declare services: ManyToMany<typeof Service>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
