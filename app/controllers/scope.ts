import type { HttpContext } from '@adonisjs/core/http'
import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import BranchRecordPolicy from '#policies/branch_record_policy'
import type { BranchRecord } from '#policies/base_policy'
import type { TenantRef } from '#models/mixins/tenant_owned'

/** A model composed with TenantOwned (app/models/mixins/tenant_owned.ts). */
type TenantOwnedModel = LucidModel & {
  forTenant<T extends LucidModel>(
    this: T,
    tenant: TenantRef
  ): ModelQueryBuilderContract<T, InstanceType<T>>
}

/**
 * The one way a staff request finds a record by id: the user's tenant's (another tenant's, or none,
 * answers 404), then authorized on its branch with BranchRecordPolicy (outside the user's branch
 * scope: 403). `operate` is staff work (call, check in), `manage` a change an admin makes.
 * `extend` adds to the query (preloads, a narrower filter).
 */
export async function findStaffRecord<Model extends TenantOwnedModel>(
  ctx: HttpContext,
  model: Model,
  id: unknown,
  options: {
    ability?: 'operate' | 'manage'
    extend?: (query: ModelQueryBuilderContract<Model, InstanceType<Model>>) => unknown
  } = {}
) {
  const query = model
    .forTenant(ctx.tenant)
    .where(`${model.table}.${model.primaryKey}`, String(id ?? ''))
  options.extend?.(query)
  const record = (await query.firstOrFail()) as InstanceType<Model> & BranchRecord
  await ctx.bouncer.with(BranchRecordPolicy).authorize(options.ability ?? 'manage', record)
  return record
}

/** Who is acting, for the audit log. */
export function actorOf(ctx: HttpContext) {
  return { user: ctx.auth.user!, ip: ctx.request.ip() }
}

/** Where a configuration change happens, for the audit log. */
export function scopeOf(ctx: HttpContext, subject: string, branchId = ctx.branch.id) {
  return { subject, tenantId: ctx.tenant.id, branchId }
}

/** The query string without its empty fields (a filter form sends `status=` for "all"). */
export function filledQuery(ctx: HttpContext) {
  return Object.fromEntries(
    Object.entries(ctx.request.qs()).filter(([, value]) => value !== '' && value !== undefined)
  )
}
