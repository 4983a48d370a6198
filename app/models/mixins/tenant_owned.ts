import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import type { BaseModel } from '@adonisjs/lucid/orm'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type {
  LucidModel,
  ModelAdapterOptions,
  ModelQueryBuilderContract,
} from '@adonisjs/lucid/types/model'

/** A tenant, or its id. */
export type TenantRef = number | { id: number }

function tenantIdOf(tenant: TenantRef) {
  return typeof tenant === 'number' ? tenant : tenant.id
}

/**
 * Tenancy, structurally: every model with a `tenant_id` column is composed with this mixin
 * (`compose(BaseModel, TenantOwned)`), and its queries for a request start from
 * `Model.forTenant(tenant)`: another tenant's rows are never in reach, and
 * `Model.findForTenantOrFail(tenant, id)` answers another tenant's id as it answers an unknown one
 * (404). tests/unit/architecture.spec.ts fails for a model with `tenant_id` that lacks it.
 */
export function TenantOwned<Model extends NormalizeConstructor<typeof BaseModel>>(
  superclass: Model
) {
  class TenantOwnedModel extends superclass {
    /** Marks the model as scoped by tenant (checked by the architecture test). */
    static readonly tenantOwned = true

    /** A query of the tenant's rows only (in a transaction with `{ client: trx }`). */
    static forTenant<T extends LucidModel>(
      this: T,
      tenant: TenantRef,
      options?: ModelAdapterOptions
    ): ModelQueryBuilderContract<T, InstanceType<T>> {
      return this.query(options).where(`${this.table}.tenant_id`, tenantIdOf(tenant))
    }

    /** The tenant's row with this primary key; another tenant's (or none) throws E_ROW_NOT_FOUND (404). */
    static findForTenantOrFail<T extends LucidModel>(
      this: T,
      tenant: TenantRef,
      id: string | number,
      options?: ModelAdapterOptions
    ): Promise<InstanceType<T>> {
      return this.query(options)
        .where(`${this.table}.tenant_id`, tenantIdOf(tenant))
        .where(`${this.table}.${this.primaryKey}`, id)
        .firstOrFail()
    }
  }
  return TenantOwnedModel
}

/**
 * The tenant's rows of `table` through `client`: `forTenant`'s scope for code that walks tables by
 * name, where no model is at hand (the privacy module's export, erasure and retention go through
 * some twenty tables, `consents` among them, which has no model).
 */
export function tenantRows(client: QueryClientContract, table: string, tenant: TenantRef) {
  return client.from(table).where(`${table}.tenant_id`, tenantIdOf(tenant))
}
