import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import Configuration from '#services/platform/configuration'
import { actorOf } from '#controllers/scope'
import { inboxSettingsValidator } from '#validators/conversations'
import {
  formatCategories,
  formatTemplates,
  parseCategories,
  parseTemplates,
} from '#services/inbox/inbox_settings_form'
import type { InboxSettings } from '#models/settings/inbox_settings'

/**
 * The inbox's set-up (owners, admins, supervisors): the ticket categories with their own SLA
 * targets, the default first-response and resolution targets (business minutes), how long a
 * resolved ticket reopens, CSAT on resolve, round-robin assignment, and the approved WhatsApp
 * templates agents may send outside the 24-hour window. Tenant-wide; audited.
 */
@inject()
export default class InboxSettingsController {
  constructor(protected configuration: Configuration) {}

  async edit({ view, tenant }: HttpContext) {
    const settings = tenant.inbox
    return view.render('pages/inbox/settings', {
      section: 'inbox',
      settings,
      categories: formatCategories(settings),
      templates: formatTemplates(settings),
    })
  }

  async update(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(inboxSettingsValidator)
    const { categories, targets } = parseCategories(data.categories)
    const next: InboxSettings = {
      categories,
      categoryTargets: targets,
      firstResponseMinutes: data.first_response_minutes,
      resolutionMinutes: data.resolution_minutes,
      reopenDays: data.reopen_days,
      csatEnabled: data.csat_enabled ?? false,
      autoAssign: data.auto_assign ?? false,
      templates: parseTemplates(data.templates ?? ''),
    }
    const tenant = await Tenant.findOrFail(ctx.tenant.id)
    await this.configuration.update(
      tenant,
      { inboxSettings: JSON.stringify(next) },
      { subject: 'tenant', tenantId: tenant.id },
      actorOf(ctx),
      { action: 'inbox_settings_updated' }
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('inbox.settings.edit')
  }
}
