import type { HttpContext } from '@adonisjs/core/http'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import BranchRecordPolicy from '#policies/branch_record_policy'
import type { BranchRecord } from '#policies/base_policy'

/**
 * A branch record (service, counter, device) of the logged-in user's tenant that they may manage.
 * Another tenant's record answers 404; one outside the user's branch scope answers 403.
 */
export async function findManaged<Model extends LucidModel>(model: Model, ctx: HttpContext, id: unknown) {
  const record = (await model
    .query()
    .where('tenant_id', ctx.tenant.id)
    .where('id', Number(id) || 0)
    .firstOrFail()) as InstanceType<Model> & BranchRecord
  await ctx.bouncer.with(BranchRecordPolicy).authorize('manage', record)
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
