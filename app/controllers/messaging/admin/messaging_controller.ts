import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import MessagingPolicy from '#policies/messaging_policy'
import MessagingAdmin from '#services/messaging/messaging_admin'
import Outbox from '#services/messaging/outbox'
import AuditTrail from '#services/platform/audit_trail'
import {
  EVENT_VARIABLES,
  MESSAGE_LOCALES,
  WHATSAPP_PARAMETERS,
} from '#services/messaging/message_templates'
import {
  messagingSettingsValidator,
  outboxFilterValidator,
  outboxSelectionValidator,
  templatePreviewValidator,
  templateValidator,
} from '#validators/messaging'
import { actorOf } from '#controllers/scope'
import {
  CHANNEL_KINDS,
  DELIVERY_STATUSES,
  MESSAGE_EVENTS,
  PHONE_CHANNELS,
  VISITOR_EVENTS,
} from '#enums/messaging'
import { inject } from '@adonisjs/core'

/** Admin: the outbox (every message, its status and attempts), the visitor-messaging settings and the templates. */
@inject()
export default class MessagingController {
  constructor(
    protected auditTrail: AuditTrail,
    protected messagingAdmin: MessagingAdmin,
    protected outboxRows: Outbox
  ) {}

  async outbox({ request, view, tenant, bouncer }: HttpContext) {
    await bouncer.with(MessagingPolicy).authorize('manage')
    const filters = await request.validateUsing(outboxFilterValidator, { data: request.qs() })
    const { rows, next, counts } = await this.messagingAdmin.outbox(tenant.id, filters)
    const olderUrl = next
      ? `?${new URLSearchParams(query({ ...filters, before: next })).toString()}`
      : null
    return view.render('pages/messaging/admin/outbox', {
      section: 'messaging',
      rows,
      counts,
      filters,
      olderUrl,
      statuses: DELIVERY_STATUSES,
      channels: CHANNEL_KINDS,
      events: MESSAGE_EVENTS,
    })
  }

  async retry(ctx: HttpContext) {
    return this.#move(ctx, 'retry')
  }

  async drop(ctx: HttpContext) {
    return this.#move(ctx, 'drop')
  }

  async templates({ view, tenant, bouncer }: HttpContext) {
    await bouncer.with(MessagingPolicy).authorize('manage')
    const templates = await this.messagingAdmin.templates(tenant.id)
    return view.render('pages/messaging/admin/templates', {
      section: 'messaging',
      templates,
      settings: tenant.messaging,
      phoneChannels: PHONE_CHANNELS,
      visitorEvents: VISITOR_EVENTS,
      locales: MESSAGE_LOCALES,
    })
  }

  async updateSettings(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(messagingSettingsValidator)
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    await this.messagingAdmin.saveSettings(
      ctx.tenant,
      {
        visitorChannel: data.visitor_channel === 'none' ? null : data.visitor_channel,
        events: data.events ?? {},
      },
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.messaging.templates')
  }

  async editTemplate({ params, view, tenant, branch, bouncer }: HttpContext) {
    const target = templateOf(params)
    await bouncer.with(MessagingPolicy).authorize('manage')
    const template = await this.messagingAdmin.template(tenant.id, target.event, target.locale)
    return view.render('pages/messaging/admin/template_edit', {
      section: 'messaging',
      target,
      template,
      variables: EVENT_VARIABLES[target.event].map((name) => `{{${name}}}`),
      whatsappParameters: WHATSAPP_PARAMETERS[target.event]
        .map((name, index) => `{{${index + 1}}} = {{${name}}}`)
        .join(', '),
      preview: this.messagingAdmin.preview(tenant, branch.name, template),
    })
  }

  async updateTemplate(ctx: HttpContext) {
    const target = templateOf(ctx.params)
    const data = await ctx.request.validateUsing(templateValidator, {
      meta: { event: target.event },
    })
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    await this.messagingAdmin.saveTemplate(
      ctx.tenant,
      target,
      { subject: data.subject, body: data.body, whatsappTemplate: data.whatsapp_template },
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('messaging.templates.saved'))
    return ctx.response.redirect().toRoute('admin.messaging.templates')
  }

  async resetTemplate(ctx: HttpContext) {
    const target = templateOf(ctx.params)
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    await this.messagingAdmin.resetTemplate(ctx.tenant, target, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('messaging.templates.reset_done'))
    return ctx.response.redirect().toRoute('admin.messaging.templates.edit', target)
  }

  /** htmx: the preview under the editor, re-rendered as the admin types. */
  async preview({ request, view, tenant, branch, bouncer }: HttpContext) {
    const text = await request.validateUsing(templatePreviewValidator)
    await bouncer.with(MessagingPolicy).authorize('manage')
    return view.render('partials/messaging/preview', {
      preview: this.messagingAdmin.preview(tenant, branch.name, text),
    })
  }

  async #move(ctx: HttpContext, action: 'retry' | 'drop') {
    const { ids } = await ctx.request.validateUsing(outboxSelectionValidator)
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    const moved =
      action === 'retry'
        ? await this.outboxRows.retry('notifications', ctx.tenant.id, ids)
        : await this.outboxRows.drop('notifications', ctx.tenant.id, ids)
    if (moved > 0) {
      await this.auditTrail.record(
        {
          action: `outbox.${action === 'retry' ? 'retried' : 'dropped'}`,
          tenantId: ctx.tenant.id,
          changes: { ids, moved },
        },
        actorOf(ctx)
      )
    }
    ctx.session.flash(
      'success',
      ctx.i18n.t(`messaging.outbox.${action === 'retry' ? 'retried' : 'dropped'}`, { count: moved })
    )
    return ctx.response.redirect().back()
  }
}

/** The template named by the URL; an unknown event or language is a page that does not exist. */
function templateOf(params: Record<string, string>) {
  const event = MESSAGE_EVENTS.find((candidate) => candidate === params.event)
  const locale = MESSAGE_LOCALES.find((candidate) => candidate === params.locale)
  if (!event || !locale) throw new errors.E_ROW_NOT_FOUND()
  return { event, locale }
}

/** The filters as query-string pairs, without the empty ones. */
function query(filters: Record<string, string | number | undefined>) {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]): [string, string] => [key, String(value)])
}
