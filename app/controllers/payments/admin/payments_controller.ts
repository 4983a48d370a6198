import type { HttpContext } from '@adonisjs/core/http'
import PaymentsPolicy from '#policies/payments_policy'
import PaymentAccounts from '#services/payments/payment_accounts'
import { gatewayName } from '#services/payments/payments'
import {
  midtransAccountValidator,
  paymentMessages,
  paymentProviderValidator,
  xenditAccountValidator,
} from '#validators/payments'
import { actorOf } from '#controllers/scope'
import type { PaymentProvider } from '#enums/booking'
import { inject } from '@adonisjs/core'

/**
 * Admin: the tenant's gateway accounts (Midtrans, Xendit) with their notification URLs, which one
 * takes prepayments, and the latest payments with what each notification did. Owners only;
 * secrets are write-only. The route only matches the two gateways.
 */
@inject()
export default class PaymentsController {
  constructor(protected paymentAccounts: PaymentAccounts) {}

  async index({ view, tenant, bouncer }: HttpContext) {
    await bouncer.with(PaymentsPolicy).authorize('manage')
    const [accounts, recent] = await Promise.all([
      this.paymentAccounts.overview(tenant.id),
      this.paymentAccounts.recent(tenant.id),
    ])
    return view.render('pages/payments/admin/payments', {
      section: 'payments',
      accounts,
      ...recent,
      chosen: tenant.booking.paymentProvider,
    })
  }

  async update(ctx: HttpContext) {
    const provider = ctx.params.provider as PaymentProvider
    await ctx.bouncer.with(PaymentsPolicy).authorize('manage')
    // Which card a failed form re-opens with its input (both forms share `is_active`).
    ctx.session.flash('paymentForm', provider)
    const stored = await this.paymentAccounts.storedSecrets(ctx.tenant.id, provider)
    const options = { meta: { stored }, messagesProvider: paymentMessages(ctx.i18n) }
    const data =
      provider === 'midtrans'
        ? await ctx.request.validateUsing(midtransAccountValidator, options)
        : await ctx.request.validateUsing(xenditAccountValidator, options)
    await this.paymentAccounts.save(ctx.tenant, provider, data, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('payments.saved', { gateway: gatewayName(provider) }))
    return ctx.response.redirect().toRoute('admin.payments.index')
  }

  async provider(ctx: HttpContext) {
    await ctx.bouncer.with(PaymentsPolicy).authorize('manage')
    const { provider } = await ctx.request.validateUsing(paymentProviderValidator, {
      messagesProvider: paymentMessages(ctx.i18n),
    })
    await this.paymentAccounts.chooseProvider(
      ctx.tenant,
      provider === 'none' ? null : provider,
      actorOf(ctx)
    )
    ctx.session.flash(
      'success',
      ctx.i18n.t(provider === 'none' ? 'payments.provider.saved_none' : 'payments.provider.saved', {
        gateway: provider === 'none' ? '' : gatewayName(provider),
      })
    )
    return ctx.response.redirect().toRoute('admin.payments.index')
  }
}
