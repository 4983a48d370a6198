import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import LeadService from '#services/leads/lead_service'
import LeadSettingsStore from '#services/leads/lead_settings_store'
import { useVisitorLocale } from '#middleware/locale_middleware'
import { publicLeadValidator } from '#validators/leads'

/**
 * The tenant's public lead form `/lead/:slug` (no login), a second channel beside WhatsApp: name,
 * business, phone, email and interest, in the visitor's language. Off unless the tenant turns it
 * on (404). A filled honeypot field is refused (422) and nothing is kept; the submit is rate
 * limited per client like the other public forms (429).
 */
@inject()
export default class PublicLeadsController {
  constructor(
    protected leads: LeadService,
    protected settings: LeadSettingsStore
  ) {}

  async show(ctx: HttpContext) {
    const tenant = await this.#tenant(ctx)
    return ctx.view.render('pages/leads/public', { tenant })
  }

  async store(ctx: HttpContext) {
    const tenant = await this.#tenant(ctx)
    const input = await ctx.request.validateUsing(publicLeadValidator)
    // People never see the honeypot; a script filling every field does.
    if (input.website) throw new DomainError('lead_form_rejected', {}, 422)
    await this.leads.create(
      tenant.id,
      {
        name: input.name,
        business: input.business ?? null,
        phone: input.phone,
        email: input.email ?? null,
        interest: input.interest ?? null,
      },
      'web_form',
      null
    )
    return ctx.response.redirect().toRoute('lead.public.thanks', { slug: tenant.slug })
  }

  async thanks(ctx: HttpContext) {
    const tenant = await this.#tenant(ctx)
    return ctx.view.render('pages/leads/public_thanks', { tenant })
  }

  /** The active tenant of the link whose form is on, in the visitor's language; 404 otherwise. */
  async #tenant(ctx: HttpContext) {
    const tenant = await Tenant.query()
      .where('slug', String(ctx.params.slug))
      .where('is_active', true)
      .firstOrFail()
    useVisitorLocale(ctx, tenant.locale)
    // A form the tenant has not turned on is not there (the 404 page).
    if (!(await this.settings.get(tenant.id)).publicForm) throw new errors.E_ROW_NOT_FOUND()
    return tenant
  }
}
