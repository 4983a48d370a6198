import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'
import PersonalData, { identifierOf, personOf } from '#services/privacy/personal_data'
import consentLedger from '#services/privacy/consent_ledger'
import { PERSONAL_DATA } from '#services/privacy/personal_data_map'
import { actorOf } from '#controllers/scope'
import { countryOfTimezone } from '#support/phone'
import {
  privacyConsentValidator,
  privacyEraseValidator,
  privacyQueryValidator,
} from '#validators/privacy'

/**
 * A person's data (owners and admins, /app/privacy): find them by phone or email within the
 * tenant, see where their data is, export it (JSON, printable page), record their consent, and
 * erase it after typing the phone or email again. Another tenant's people are never found.
 */
@inject()
export default class PrivacyController {
  constructor(protected personalData: PersonalData) {}

  async index(ctx: HttpContext) {
    const q = String(ctx.request.input('q', '') ?? '').trim()
    if (!q) return ctx.view.render('pages/privacy/index', { section: 'privacy', q })
    const person = this.#person(ctx, q)
    const { counts, total } = await this.personalData.find(ctx.tenant.id, person)
    const consents = await consentLedger.history(ctx.tenant.id, person)
    return ctx.view.render('pages/privacy/index', {
      section: 'privacy',
      q,
      identifier: identifierOf(person),
      total,
      tables: PERSONAL_DATA.map((entry) => entry.table).filter((table) => counts[table] > 0),
      counts,
      consents,
    })
  }

  async exportJson(ctx: HttpContext) {
    const { q } = await privacyQueryValidator.validate(ctx.request.qs())
    const data = await this.personalData.export(ctx.tenant.id, this.#person(ctx, q))
    ctx.response.header('cache-control', 'no-store')
    ctx.response.header('content-disposition', 'attachment; filename="personal-data.json"')
    return ctx.response.json(data)
  }

  async exportHtml(ctx: HttpContext) {
    const { q } = await privacyQueryValidator.validate(ctx.request.qs())
    const data = await this.personalData.export(ctx.tenant.id, this.#person(ctx, q))
    ctx.response.header('cache-control', 'no-store')
    return ctx.view.render('pages/privacy/export', { data, tenant: ctx.tenant })
  }

  async erase(ctx: HttpContext) {
    const { q, confirm } = await ctx.request.validateUsing(privacyEraseValidator)
    const person = this.#person(ctx, q)
    const again = personOf(confirm, countryOfTimezone(ctx.branch.timezone))
    if (!again || identifierOf(again) !== identifierOf(person))
      throw new DomainError('privacy_confirm_mismatch', {}, 422)
    const { counts } = await this.personalData.erase(ctx.tenant.id, person, actorOf(ctx))
    const rows = Object.values(counts).reduce((sum, count) => sum + count, 0)
    if (ctx.request.accepts(['html', 'json']) === 'json') return { erased: counts, rows }
    ctx.session.flash('success', ctx.i18n.t('privacy.erased', { rows }))
    return ctx.response.redirect().toRoute('privacy.index')
  }

  async consent(ctx: HttpContext) {
    const { q, channel, status } = await ctx.request.validateUsing(privacyConsentValidator)
    const person = this.#person(ctx, q)
    await consentLedger.record({
      tenantId: ctx.tenant.id,
      channel,
      phone: person.phone,
      email: person.email,
      status,
      source: 'staff',
      userId: ctx.auth.user!.id,
    })
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('privacy.index', {}, { qs: { q } })
  }

  #person(ctx: HttpContext, q: string) {
    const person = personOf(q, countryOfTimezone(ctx.branch.timezone))
    if (!person) throw new DomainError('privacy_identifier_invalid', {}, 422)
    return person
  }
}
