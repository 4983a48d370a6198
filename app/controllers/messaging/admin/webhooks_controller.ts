import type { HttpContext } from '@adonisjs/core/http'
import MessagingPolicy from '#policies/messaging_policy'
import WebhookEndpoints from '#services/messaging/webhook_endpoints'
import {
  webhookDeliveriesValidator,
  webhookEndpointValidator,
  webhookMessages,
} from '#validators/messaging'
import { actorOf } from '#controllers/scope'
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from '#enums/messaging'
import { inject } from '@adonisjs/core'

/**
 * Admin: outgoing webhooks. Endpoints (URL, events, on/off), their secret (shown once, when it
 * is made), a delivery log per endpoint with retry and drop, and a test event.
 */
@inject()
export default class WebhooksController {
  constructor(protected webhookEndpoints: WebhookEndpoints) {}

  async index({ view, tenant, bouncer }: HttpContext) {
    await bouncer.with(MessagingPolicy).authorize('manage')
    const endpoints = await this.webhookEndpoints.list(tenant.id)
    return view.render('pages/messaging/admin/webhooks/index', { section: 'webhooks', endpoints })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(MessagingPolicy).authorize('manage')
    return view.render('pages/messaging/admin/webhooks/form', {
      section: 'webhooks',
      endpoint: null,
      events: WEBHOOK_EVENTS,
    })
  }

  async store(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(webhookEndpointValidator, {
      messagesProvider: webhookMessages(ctx.i18n),
    })
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    const { endpoint, secret } = await this.webhookEndpoints.create(
      ctx.tenant,
      {
        url: data.url,
        description: data.description,
        events: data.events,
        isActive: data.is_active ?? true,
      },
      actorOf(ctx)
    )
    ctx.session.flash('webhookSecret', { secret, message: ctx.i18n.t('webhooks.secret.created') })
    return ctx.response.redirect().toRoute('admin.webhooks.show', { id: endpoint.id })
  }

  /** The endpoint and its delivery log. */
  async show(ctx: HttpContext) {
    const endpoint = await this.webhookEndpoints.find(ctx.tenant.id, ctx.params.id)
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    const filters = await ctx.request.validateUsing(webhookDeliveriesValidator, {
      data: ctx.request.qs(),
      messagesProvider: webhookMessages(ctx.i18n),
    })
    const deliveries = await this.webhookEndpoints.deliveries(endpoint, filters)
    deliveries
      .baseUrl(ctx.request.url())
      .queryString(filters.status ? { status: filters.status } : {})
    return ctx.view.render('pages/messaging/admin/webhooks/show', {
      section: 'webhooks',
      endpoint,
      deliveries,
      filters,
      statuses: DELIVERY_STATUSES,
    })
  }

  async edit(ctx: HttpContext) {
    const endpoint = await this.webhookEndpoints.find(ctx.tenant.id, ctx.params.id)
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    return ctx.view.render('pages/messaging/admin/webhooks/form', {
      section: 'webhooks',
      endpoint,
      events: WEBHOOK_EVENTS,
    })
  }

  async update(ctx: HttpContext) {
    const endpoint = await this.webhookEndpoints.find(ctx.tenant.id, ctx.params.id)
    const data = await ctx.request.validateUsing(webhookEndpointValidator, {
      messagesProvider: webhookMessages(ctx.i18n),
    })
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    await this.webhookEndpoints.update(
      endpoint,
      {
        url: data.url,
        description: data.description,
        events: data.events,
        isActive: data.is_active ?? false,
      },
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('webhooks.flash.saved'))
    return ctx.response.redirect().toRoute('admin.webhooks.show', { id: endpoint.id })
  }

  async rotate(ctx: HttpContext) {
    const endpoint = await this.webhookEndpoints.find(ctx.tenant.id, ctx.params.id)
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    const secret = await this.webhookEndpoints.rotateSecret(endpoint, actorOf(ctx))
    ctx.session.flash('webhookSecret', { secret, message: ctx.i18n.t('webhooks.secret.rotated') })
    return ctx.response.redirect().toRoute('admin.webhooks.show', { id: endpoint.id })
  }

  async destroy(ctx: HttpContext) {
    const endpoint = await this.webhookEndpoints.find(ctx.tenant.id, ctx.params.id)
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    await this.webhookEndpoints.remove(endpoint, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('webhooks.flash.deleted', { url: endpoint.url }))
    return ctx.response.redirect().toRoute('admin.webhooks.index')
  }

  /** Sends `webhook.test` to this endpoint only. */
  async test(ctx: HttpContext) {
    const endpoint = await this.webhookEndpoints.find(ctx.tenant.id, ctx.params.id)
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    const eventId = await this.webhookEndpoints.sendTest(endpoint, actorOf(ctx))
    if (eventId) ctx.session.flash('success', ctx.i18n.t('webhooks.flash.test_sent'))
    else ctx.session.flash('error', ctx.i18n.t('webhooks.flash.test_inactive'))
    return ctx.response.redirect().toRoute('admin.webhooks.show', { id: endpoint.id })
  }

  async retry(ctx: HttpContext) {
    return this.#moveDelivery(ctx, 'retry')
  }

  async drop(ctx: HttpContext) {
    return this.#moveDelivery(ctx, 'drop')
  }

  async #moveDelivery(ctx: HttpContext, move: 'retry' | 'drop') {
    const endpoint = await this.webhookEndpoints.find(ctx.tenant.id, ctx.params.id)
    const delivery = await this.webhookEndpoints.findDelivery(endpoint, ctx.params.deliveryId)
    /** The log's filter and page, to go back to the same view. */
    const view = await ctx.request.validateUsing(webhookDeliveriesValidator, {
      messagesProvider: webhookMessages(ctx.i18n),
    })
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    const moved =
      move === 'retry'
        ? await this.webhookEndpoints.retryDelivery(delivery, actorOf(ctx))
        : await this.webhookEndpoints.dropDelivery(delivery, actorOf(ctx))
    if (moved)
      ctx.session.flash(
        'success',
        ctx.i18n.t(move === 'retry' ? 'webhooks.flash.retried' : 'webhooks.flash.dropped')
      )
    else ctx.session.flash('error', ctx.i18n.t('webhooks.flash.not_stuck'))
    return ctx.response.redirect().withQs(view).toRoute('admin.webhooks.show', { id: endpoint.id })
  }
}
