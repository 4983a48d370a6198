import type { HttpContext } from '@adonisjs/core/http'
import ApiKey from '#models/api_key'
import PlatformPolicy from '#policies/platform_policy'
import ApiKeys from '#services/platform/api_keys'
import { apiKeyValidator } from '#validators/platform'
import { actorOf } from '#controllers/scope'
import { inject } from '@adonisjs/core'

/** Admin: the tenant's REST API keys. A new key is shown once, right after it is created. */
@inject()
export default class ApiKeysController {
  constructor(protected apiKeys: ApiKeys) {}

  async index({ view, tenant, bouncer }: HttpContext) {
    await bouncer.with(PlatformPolicy).authorize('manageApiKeys')
    const apiKeys = await this.apiKeys.list(tenant.id)
    return view.render('pages/platform/admin/api_keys', { section: 'api', apiKeys })
  }

  async store(ctx: HttpContext) {
    const { name } = await ctx.request.validateUsing(apiKeyValidator)
    await ctx.bouncer.with(PlatformPolicy).authorize('manageApiKeys')
    const { apiKey, plainKey } = await this.apiKeys.create(ctx.tenant, name, actorOf(ctx))
    ctx.session.flash('newApiKey', { name: apiKey.name, key: plainKey })
    return ctx.response.redirect().toRoute('admin.api_keys.index')
  }

  async revoke(ctx: HttpContext) {
    const apiKey = await ApiKey.forTenant(ctx.tenant.id).where('id', ctx.params.id).firstOrFail()
    await ctx.bouncer.with(PlatformPolicy).authorize('manageApiKeys')
    await this.apiKeys.revoke(apiKey, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('api.keys.revoked', { name: apiKey.name }))
    return ctx.response.redirect().toRoute('admin.api_keys.index')
  }
}
