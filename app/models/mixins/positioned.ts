import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import type { BaseModel } from '@adonisjs/lucid/orm'
import type {
  LucidModel,
  ModelAdapterOptions,
  ModelQueryBuilderContract,
} from '@adonisjs/lucid/types/model'

/**
 * A branch's records kept in an order its admins choose (a `position` column): areas, services,
 * counters, resources. `Service.ofBranch(branch.id)` lists them in that order.
 */
export function Positioned<Model extends NormalizeConstructor<typeof BaseModel>>(
  superclass: Model
) {
  class PositionedModel extends superclass {
    /** The branch's rows in their order (in a transaction with `{ client: trx }`). */
    static ofBranch<T extends LucidModel>(
      this: T,
      branchId: number,
      options?: ModelAdapterOptions
    ): ModelQueryBuilderContract<T, InstanceType<T>> {
      return this.query(options)
        .where(`${this.table}.branch_id`, branchId)
        .orderBy(`${this.table}.position`)
        .orderBy(`${this.table}.id`)
    }
  }
  return PositionedModel
}
