import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'
import PrivacySettingsStore, {
  parseAllowList,
  privacySettingsOf,
  type PrivacySettings,
} from '#services/privacy/privacy_settings'
import { RETENTION_KINDS } from '#services/privacy/personal_data_map'
import { actorOf } from '#controllers/scope'
import { privacySettingsValidator } from '#validators/privacy'

/** Retention days per kind of personal data and the staff pages' IP allow-list (owners and admins). */
@inject()
export default class PrivacySettingsController {
  constructor(protected store: PrivacySettingsStore) {}

  async edit(ctx: HttpContext) {
    const settings = await privacySettingsOf(ctx.tenant.id)
    return ctx.view.render('pages/privacy/settings', {
      section: 'privacy',
      settings,
      kinds: RETENTION_KINDS,
      allowList: settings.ipAllowList.join('\n'),
      currentIp: ctx.request.ip(),
    })
  }

  async update(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(privacySettingsValidator)
    const { valid, invalid } = parseAllowList(data.ip_allow_list ?? '')
    if (invalid.length)
      throw new DomainError('privacy_ip_invalid', { entries: invalid.slice(0, 3).join(', ') }, 422)
    const next: PrivacySettings = {
      retention: Object.fromEntries(
        RETENTION_KINDS.map((kind) => [kind, data.retention?.[kind] ?? null])
      ) as PrivacySettings['retention'],
      ipAllowList: valid,
    }
    await this.store.save(ctx.tenant.id, next, actorOf(ctx))
    if (ctx.request.accepts(['html', 'json']) === 'json') return next
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('privacy.settings.edit')
  }
}
