import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import Configuration from '#services/platform/configuration'
import { fieldSettingsValidator } from '#validators/field'
import { actorOf } from '#controllers/scope'
import { REGISTRATION_SEPARATORS, type FieldSettings } from '#models/settings/field_settings'

/**
 * Admin: the WhatsApp self-registration format (`DAFTAR#Nama#Alamat`) and the technicians'
 * working day (start time, grace before a check-in is late). Tenant-wide; audited.
 */
@inject()
export default class FieldSettingsController {
  constructor(protected configuration: Configuration) {}

  async edit({ view, tenant }: HttpContext) {
    return view.render('pages/field/admin/settings', {
      section: 'field_settings',
      settings: tenant.field,
      separators: REGISTRATION_SEPARATORS,
    })
  }

  async update(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(fieldSettingsValidator)
    const tenant = await Tenant.findOrFail(ctx.tenant.id)
    const next: FieldSettings = {
      registrationKeyword: data.registration_keyword.toUpperCase(),
      registrationSeparator: data.registration_separator,
      workStartsAt: data.work_starts_at,
      lateGraceMinutes: data.late_grace_minutes,
    }
    await this.configuration.update(
      tenant,
      { fieldSettings: JSON.stringify(next) },
      { subject: 'tenant', tenantId: tenant.id },
      actorOf(ctx),
      { action: 'field_settings_updated' }
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.field.settings')
  }
}
