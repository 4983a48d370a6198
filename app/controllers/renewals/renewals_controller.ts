import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Renewal from '#models/renewal'
import RenewalAttempt from '#models/renewal_attempt'
import RenewalService from '#services/renewals/renewal_service'
import { renewalBoardValidator, renewalLogValidator, renewalMessages } from '#validators/renewals'
import { filledQuery } from '#controllers/scope'
import { RENEWAL_TABS } from '#enums/renewals'

/**
 * The renewal board (owners, admins, supervisors and the renewal team, the route group's
 * `renewals` ability): tabs due this week, overdue, recovered and churned with their counts, the
 * recovery rate and winback conversion per month, and a renewal's page with every try and a form
 * to log a call or a note. Another tenant's renewal answers 404.
 */
@inject()
export default class RenewalsController {
  constructor(protected renewals: RenewalService) {}

  async index(ctx: HttpContext) {
    const filter = await renewalBoardValidator.validate(filledQuery(ctx), {
      messagesProvider: renewalMessages(ctx.i18n),
    })
    const tab = filter.tab ?? 'due'
    const today = ctx.branch.today()
    const page = await this.renewals.page(ctx.tenant.id, tab, today, filter.page ?? 1)
    page.baseUrl(ctx.request.url())
    page.queryString({ tab })
    return ctx.view.render('pages/renewals/index', {
      section: 'renewals',
      tab,
      tabs: RENEWAL_TABS,
      counts: await this.renewals.counts(ctx.tenant.id, today),
      figures: await this.renewals.figures(ctx.tenant.id, ctx.branch.timezone),
      page,
      today,
    })
  }

  async show(ctx: HttpContext) {
    const renewal = await Renewal.forTenant(ctx.tenant.id)
      .where('id', ctx.params.id)
      .preload('outlet')
      .firstOrFail()
    const attempts = await RenewalAttempt.forTenant(ctx.tenant.id)
      .where('renewal_id', renewal.id)
      .preload('user')
      .orderBy('id', 'desc')
    return ctx.view.render('pages/renewals/show', {
      section: 'renewals',
      renewal,
      attempts,
      today: ctx.branch.today(),
    })
  }

  async log(ctx: HttpContext) {
    const renewal = await Renewal.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    const { kind, note } = await ctx.request.validateUsing(renewalLogValidator, {
      messagesProvider: renewalMessages(ctx.i18n),
    })
    const attempt = await this.renewals.logManual(renewal, ctx.auth.user!, kind, note)
    if (ctx.request.accepts(['html', 'json']) === 'json')
      return ctx.response.created({ attempt: attempt.serialize() })
    ctx.session.flash('success', ctx.i18n.t(`renewals.flash.logged_${kind}`))
    return ctx.response.redirect().toRoute('renewals.show', { id: renewal.id })
  }
}
