import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ipAllowed, privacySettingsOf } from '#services/privacy/privacy_settings'

/**
 * A tenant's optional IP allow-list for its staff pages (set on /app/privacy/settings): when the
 * list is not empty, a request from an address outside it gets the 403 page in the user's
 * language. The address is `request.ip()`, which believes X-Forwarded-For only from the proxies
 * the app trusts (TRUSTED_PROXIES). Runs after the staff middleware (it needs the tenant).
 */
export default class IpAllowListMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.tenant) return next()
    const settings = await privacySettingsOf(ctx.tenant)
    const ip = ctx.request.ip()
    if (ipAllowed(settings.ipAllowList, ip)) return next()

    const message = ctx.i18n.t('errors.privacy_ip_not_allowed', { ip })
    if (ctx.request.accepts(['html', 'json']) === 'json')
      return ctx.response.status(403).json({ error: { code: 'E_PRIVACY_IP_NOT_ALLOWED', message } })
    return ctx.response.status(403).send(
      await ctx.view.render('pages/errors/status', {
        status: 403,
        title: ctx.i18n.t('errors.forbidden_title'),
        message,
        i18n: ctx.i18n,
      })
    )
  }
}
