import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'

/**
 * A rollup row of the queue's analytics (issue 16): a branch-local day at a branch, service,
 * counter and member of staff (0: none). Written by QueueStats (app/services/analytics/
 * queue_stats.ts), read by QueueAnalytics as sums.
 */
export default class QueueStat extends compose(BaseModel, TenantOwned) {
  static table = 'queue_stats'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare serviceId: number

  @column()
  declare counterId: number

  @column()
  declare userId: number

  /** `YYYY-MM-DD`, local. */
  @column()
  declare day: string

  @column()
  declare taken: number

  @column()
  declare served: number

  @column()
  declare noShow: number

  @column()
  declare cancelled: number

  /** Served within the service's SLA minutes of waiting. */
  @column()
  declare withinSla: number

  @column()
  declare waitCount: number

  /** Seconds. */
  @column({ consume: (value: unknown) => Number(value) })
  declare waitSum: number

  @column()
  declare waitMax: number

  @column()
  declare serviceCount: number

  /** Seconds. */
  @column({ consume: (value: unknown) => Number(value) })
  declare serviceSum: number
}
