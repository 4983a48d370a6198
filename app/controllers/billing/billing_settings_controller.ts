import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import Configuration from '#services/platform/configuration'
import DomainError from '#exceptions/domain_error'
import { billingSettingsValidator } from '#validators/billing'
import { actorOf } from '#controllers/scope'
import {
  TAX_MODES,
  validNumberFormat,
  type BillingSettings,
} from '#models/settings/billing_settings'

/**
 * Admin: how the business bills (tax mode and rate, prices with or without tax, the number format,
 * payment terms, the letterhead and payment instructions) and asks for ratings (on or off, the
 * delay, how long a link lasts, what counts as low). Tenant-wide; audited.
 */
@inject()
export default class BillingSettingsController {
  constructor(protected configuration: Configuration) {}

  async edit({ view, tenant }: HttpContext) {
    return view.render('pages/billing/admin/settings', {
      section: 'billing_settings',
      settings: tenant.billing,
      taxModes: TAX_MODES,
    })
  }

  async update(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(billingSettingsValidator)
    if (!validNumberFormat(data.number_format))
      throw new DomainError('invoice_number_format_invalid', {}, 422)
    const tenant = await Tenant.findOrFail(ctx.tenant.id)
    const next: BillingSettings = {
      taxMode: data.tax_mode,
      taxRateBp: Math.round(data.tax_rate * 100),
      pricesIncludeTax: data.prices_include_tax ?? false,
      numberFormat: data.number_format,
      paymentTermsDays: data.payment_terms_days,
      legalName: data.legal_name ?? '',
      address: data.address ?? '',
      taxId: data.tax_id ?? '',
      paymentInstructions: data.payment_instructions ?? '',
      ratingsEnabled: data.ratings_enabled ?? false,
      ratingDelayMinutes: data.rating_delay_minutes,
      ratingExpiryDays: data.rating_expiry_days,
      lowRatingThreshold: data.low_rating_threshold,
    }
    await this.configuration.update(
      tenant,
      { billingSettings: JSON.stringify(next) },
      { subject: 'tenant', tenantId: tenant.id },
      actorOf(ctx),
      { action: 'billing_settings_updated' }
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.billing.settings')
  }
}
