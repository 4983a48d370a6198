import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** A rollup row of the queue's analytics: a day's wait histogram at a branch and service (see QueueStat). */
export default class QueueStatWait extends compose(BaseModel, TenantOwned) {
  static table = 'queue_stats_waits'

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

  /** JSON text: counts of waits per minute (index = whole minutes, the last one "this long or more"). */
  @column()
  declare waitHist: string
}
