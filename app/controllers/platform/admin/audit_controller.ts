import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import AuditQuery from '#services/platform/audit_query'
import { auditFilterValidator } from '#validators/platform'
import { inject } from '@adonisjs/core'

/**
 * Admin: the audit log (configuration changes and ticket actions), filterable. An admin limited to
 * one branch reads that branch's entries and its staff only.
 */
@inject()
export default class AuditController {
  constructor(protected auditQuery: AuditQuery) {}

  async index({ request, view, tenant, branch, auth, i18n }: HttpContext) {
    const filters = await request.validateUsing(auditFilterValidator, { data: request.qs() })
    const scope = auth.user!.branchId
    const { rows, next } = await this.auditQuery.page(
      tenant.id,
      branch.timezone,
      {
        branchId: scope,
        kind: filters.kind,
        userId: filters.user_id,
        from: filters.from,
        to: filters.to,
        before: filters.before,
      },
      i18n
    )
    const users = await User.forTenant(tenant.id)
      .if(scope !== null, (query) => query.where('branch_id', scope!))
      .orderBy('full_name')
    const olderUrl = next
      ? `?${new URLSearchParams(pageQuery({ ...filters, before: next })).toString()}`
      : null
    return view.render('pages/platform/admin/audit', {
      section: 'audit',
      rows,
      olderUrl,
      filters,
      users,
    })
  }
}

/** The filters as query-string pairs, without the empty ones. */
function pageQuery(filters: Record<string, string | number | undefined>) {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]): [string, string] => [key, String(value)])
}
