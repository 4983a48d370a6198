import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Branch from '#models/branch'
import Customer from '#models/customer'
import JobAssignment from '#models/job_assignment'
import User from '#models/user'
import { dateTime } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { JobPriority, JobStatus } from '#enums/field'

/** A visit job (seed 003, PJV): technicians claim its places from the open pool. */
export default class Job extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare branchId: number

  @column()
  declare customerId: number

  @column()
  declare code: string

  @column()
  declare title: string

  @column()
  declare description: string | null

  @column()
  declare address: string

  /** Branch-local days, `YYYY-MM-DD`. */
  @column()
  declare plannedStart: string

  @column()
  declare plannedEnd: string

  /** How many technicians the visit needs. */
  @column()
  declare quota: number

  /** Active claims; `quota - claimed` places are left in the pool. */
  @column()
  declare claimed: number

  @column()
  declare priority: JobPriority

  @column()
  declare status: JobStatus

  @column()
  declare createdBy: number | null

  @column()
  declare requestId: string | null

  @dateTime()
  declare startedAt: DateTime | null

  @dateTime()
  declare doneAt: DateTime | null

  @dateTime()
  declare cancelledAt: DateTime | null

  @column()
  declare cancelReason: string | null

  @belongsTo(() => Branch)
  declare branch: BelongsTo<typeof Branch>

  @belongsTo(() => Customer)
  declare customer: BelongsTo<typeof Customer>

  @belongsTo(() => User, { foreignKey: 'createdBy' })
  declare creator: BelongsTo<typeof User>

  @hasMany(() => JobAssignment)
  declare assignments: HasMany<typeof JobAssignment>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** Places still to claim. */
  get placesLeft() {
    return Math.max(0, this.quota - this.claimed)
  }
}
