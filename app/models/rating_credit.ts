import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { RatingPart } from '#enums/billing'

/** A member of staff a rating credits, and the part they played in the work. */
export default class RatingCredit extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare ratingId: number

  @column()
  declare userId: number

  @column()
  declare part: RatingPart
}
