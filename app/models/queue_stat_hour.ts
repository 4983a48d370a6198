import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A rollup row of the queue's analytics: an hour of a day at a branch and service (see QueueStat). */
export default class QueueStatHour extends compose(BaseModel, TenantOwned) {
  static table = 'queue_stats_hours'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare serviceId: number

  /** `YYYY-MM-DD`, local. */
  @column()
  declare day: string

  @column()
  declare hour: number

  /** The day's weekday, 0 = Sunday. */
  @column()
  declare weekday: number

  @column()
  declare taken: number

  @column()
  declare served: number
}
