import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import Tenant from '#models/tenant'
import { readOptOutLink } from '#services/messaging/notifications'
import OptOuts from '#services/messaging/opt_outs'
import { useVisitorLocale } from '#middleware/locale_middleware'
import { inject } from '@adonisjs/core'

/**
 * `/o/:token`: the link at the end of every message. Opening it asks first (link previews in
 * chat apps open links too); the button stops the tenant's messages on that channel, and
 * another one undoes it.
 */
@inject()
export default class OptOutsController {
  constructor(protected optOuts: OptOuts) {}

  async show(ctx: HttpContext) {
    const { claim, tenant } = await this.#read(ctx)
    const optedOut = await this.optOuts.has(claim.tenantId, claim.channel, claim.recipient)
    return ctx.view.render('pages/messaging/opt_out', {
      claim,
      tenant,
      optedOut,
      token: ctx.params.token,
    })
  }

  async store(ctx: HttpContext) {
    const { claim } = await this.#read(ctx)
    await this.optOuts.add(claim.tenantId, claim.channel, claim.recipient, 'link')
    return ctx.response.redirect().toRoute('opt_out.show', { token: ctx.params.token })
  }

  async destroy(ctx: HttpContext) {
    const { claim } = await this.#read(ctx)
    await this.optOuts.remove(claim.tenantId, claim.channel, claim.recipient)
    ctx.session.flash(
      'success',
      ctx.i18n.t('messaging.optout.resubscribed', {
        channel: ctx.i18n.t(`messaging.channel.${claim.channel}`),
        tenant: (await Tenant.findOrFail(claim.tenantId)).name,
      })
    )
    return ctx.response.redirect().toRoute('opt_out.show', { token: ctx.params.token })
  }

  async #read(ctx: HttpContext) {
    useVisitorLocale(ctx)
    const claim = readOptOutLink(String(ctx.params.token))
    const tenant = claim ? await Tenant.find(claim.tenantId) : null
    if (!claim || !tenant) throw new errors.E_ROW_NOT_FOUND()
    return { claim, tenant }
  }
}
