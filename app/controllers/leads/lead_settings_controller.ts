import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Service from '#models/service'
import DomainError from '#exceptions/domain_error'
import LeadBoard from '#services/leads/lead_board'
import LeadSettingsStore from '#services/leads/lead_settings_store'
import { parseKeywords } from '#services/leads/lead_classifier'
import { leadSettingsValidator } from '#validators/leads'

/**
 * The lead settings (`/app/lead-settings`, inbox managers): the lead and support keywords that
 * classify an unknown number's first message, the sales manager new leads go to, the public
 * form, and the bookable service used for onboarding.
 */
@inject()
export default class LeadSettingsController {
  constructor(
    protected store: LeadSettingsStore,
    protected board: LeadBoard
  ) {}

  async edit(ctx: HttpContext) {
    return ctx.view.render('pages/leads/settings', {
      section: 'leads',
      settings: await this.store.get(ctx.tenant.id),
      owners: await this.board.owners(ctx.tenant.id),
      services: await Service.forTenant(ctx.tenant.id)
        .where('is_bookable', true)
        .orderBy('name')
        .select('id', 'name'),
    })
  }

  async update(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(leadSettingsValidator)
    const tenantId = ctx.tenant.id
    if (input.sales_manager_id) {
      const owners = await this.board.owners(tenantId)
      if (!owners.some((owner) => owner.id === input.sales_manager_id))
        throw new DomainError('lead_owner_unknown', {}, 422)
    }
    if (input.onboarding_service_id) {
      const service = await Service.forTenant(tenantId)
        .where('id', input.onboarding_service_id)
        .where('is_bookable', true)
        .first()
      if (!service) throw new DomainError('lead_service_unknown', {}, 422)
    }
    await this.store.save(
      tenantId,
      {
        whatsappLeads: input.whatsapp_leads ?? false,
        leadKeywords: parseKeywords(input.lead_keywords),
        supportKeywords: parseKeywords(input.support_keywords),
        salesManagerId: input.sales_manager_id ?? null,
        publicForm: input.public_form ?? false,
        onboardingServiceId: input.onboarding_service_id ?? null,
      },
      { by: ctx.auth.user!, ip: ctx.request.ip() }
    )
    ctx.session.flash('success', ctx.i18n.t('leads.settings.saved'))
    return ctx.response.redirect().toRoute('leads.settings.edit')
  }
}
