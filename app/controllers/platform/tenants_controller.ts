import type { HttpContext } from '@adonisjs/core/http'
import { BRANCH_TIMEZONES } from '#models/branch'
import TenantOnboarding from '#services/platform/tenant_onboarding'
import { tenantValidator } from '#validators/platform'
import { inject } from '@adonisjs/core'

/** Platform staff: the tenants on this Loket, and opening a new one with its first owner. */
@inject()
export default class TenantsController {
  constructor(protected tenantOnboarding: TenantOnboarding) {}

  async index({ view }: HttpContext) {
    return view.render('pages/platform/tenants/index', {
      section: 'platform',
      tenants: await this.tenantOnboarding.overview(),
    })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/platform/tenants/create', {
      section: 'platform',
      timezones: BRANCH_TIMEZONES,
    })
  }

  async store({ request, response, session, auth, i18n }: HttpContext) {
    const data = await request.validateUsing(tenantValidator)
    const { tenant } = await this.tenantOnboarding.open(
      {
        name: data.name,
        slug: data.slug,
        locale: data.locale,
        branchName: data.branch_name,
        branchSlug: data.branch_slug,
        timezone: data.timezone,
        ownerName: data.owner_name,
        ownerEmail: data.owner_email,
        ownerPassword: data.owner_password,
      },
      { user: auth.user!, ip: request.ip() }
    )
    session.flash('success', i18n.t('ui.platform.created', { name: tenant.name }))
    return response.redirect().toRoute('platform.tenants.index')
  }
}
