import Tenant from '#models/tenant'
import Branch from '#models/branch'
import User from '#models/user'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import { withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'

export interface NewTenant {
  name: string
  slug: string
  locale: string
  branchName: string
  branchSlug: string
  timezone: string
  ownerName: string
  ownerEmail: string
  ownerPassword: string
}

/** Platform staff open a tenant: the tenant, its first branch and its first owner, all or nothing. */
@inject()
export default class TenantOnboarding {
  constructor(protected auditTrail: AuditTrail) {}

  /** Every tenant on this Loket, by name, with its branches. */
  async overview() {
    const tenants = await Tenant.query().orderBy('name')
    const branches = await Branch.query().orderBy('id')
    return tenants.map((tenant) => ({
      tenant,
      branches: branches.filter((branch) => branch.tenantId === tenant.id),
    }))
  }

  async open(data: NewTenant, actor: Actor) {
    return withTransaction(async (trx) => {
      const tenant = await Tenant.create(
        { name: data.name, slug: data.slug, locale: data.locale, isActive: true },
        { client: trx }
      )
      const branch = await Branch.create(
        {
          tenantId: tenant.id,
          name: data.branchName,
          slug: data.branchSlug,
          timezone: data.timezone,
        },
        { client: trx }
      )
      const owner = await User.create(
        {
          tenantId: tenant.id,
          branchId: null,
          fullName: data.ownerName,
          email: data.ownerEmail,
          password: data.ownerPassword,
          role: 'owner',
          isActive: true,
        },
        { client: trx }
      )
      await this.auditTrail.record(
        {
          action: 'tenant.created',
          tenantId: tenant.id,
          branchId: branch.id,
          subject: { type: 'tenant', id: tenant.id },
          changes: {
            name: data.name,
            slug: data.slug,
            branch: data.branchSlug,
            owner: data.ownerEmail,
          },
        },
        actor,
        trx
      )
      return { tenant, branch, owner }
    })
  }
}
