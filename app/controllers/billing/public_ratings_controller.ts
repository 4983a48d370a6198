import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Service from '#models/service'
import Tenant from '#models/tenant'
import RatingService, { isOpen } from '#services/billing/rating_service'
import clock from '#support/clock'
import { ratingAnswerValidator } from '#validators/billing'
import { useVisitorLocale } from '#middleware/locale_middleware'

/**
 * The customer's rating page `/r/:token` (no login, phone-first): five big stars and an optional
 * comment, in their language; one answer per link (a second visit or answer shows the first, with
 * thanks); an expired link says so.
 */
@inject()
export default class PublicRatingsController {
  constructor(protected ratings: RatingService) {}

  async show(ctx: HttpContext) {
    return this.#page(ctx, String(ctx.params.token))
  }

  async answer(ctx: HttpContext) {
    const found = await this.ratings.find(String(ctx.params.token))
    const tenant = await Tenant.findOrFail(found.tenantId)
    useVisitorLocale(ctx, found.locale ?? tenant.locale)
    const { score, comment } = await ctx.request.validateUsing(ratingAnswerValidator)
    await this.ratings.answer(found.token, score, comment ?? null)
    return ctx.response.redirect().toRoute('rating.public', { token: found.token })
  }

  async #page(ctx: HttpContext, token: string) {
    const rating = await this.ratings.find(token)
    const tenant = await Tenant.findOrFail(rating.tenantId)
    useVisitorLocale(ctx, rating.locale ?? tenant.locale)
    const service = rating.serviceId ? await Service.find(rating.serviceId) : null
    return ctx.view.render('pages/billing/public_rating', {
      rating,
      tenant,
      serviceName: service?.nameIn(ctx.i18n.locale) ?? null,
      open: isOpen(rating, clock.now()),
    })
  }
}
