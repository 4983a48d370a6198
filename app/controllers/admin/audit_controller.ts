import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import AuditQuery from '#services/audit_query'
import { auditFilterValidator } from '#validators/admin'

/** Admin: the audit log (configuration changes and ticket actions), filterable. */
export default class AuditController {
  async index({ request, view, tenant, branch }: HttpContext) {
    const filters = await request.validateUsing(auditFilterValidator, { data: request.qs() })
    const { rows, next } = await AuditQuery.page(tenant.id, branch.timezone, {
      kind: filters.kind,
      userId: filters.user_id,
      from: filters.from,
      to: filters.to,
      before: filters.before,
    })
    const users = await User.query().where('tenant_id', tenant.id).orderBy('full_name')
    const olderUrl = next ? `?${new URLSearchParams(pageQuery({ ...filters, before: next })).toString()}` : null
    return view.render('pages/admin/audit', { section: 'audit', rows, olderUrl, filters, users })
  }
}

/** The filters as query-string pairs, without the empty ones. */
function pageQuery(filters: Record<string, string | number | undefined>) {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]): [string, string] => [key, String(value)])
}
