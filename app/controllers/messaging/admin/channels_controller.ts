import type { HttpContext } from '@adonisjs/core/http'
import MessagingPolicy from '#policies/messaging_policy'
import MessagingChannels, { type ConfigurableChannel } from '#services/messaging/messaging_channels'
import { countryOfTimezone } from '#support/phone'
import {
  channelMessages,
  emailChannelValidator,
  smsChannelValidator,
  testEmailValidator,
  testPhoneValidator,
  whatsappChannelValidator,
} from '#validators/messaging'
import { actorOf } from '#controllers/scope'
import { inject } from '@adonisjs/core'

/**
 * Admin: the tenant's accounts at WhatsApp, an SMS gateway and an SMTP server, and a test
 * message through each. Secrets are write-only. The route only matches the three kinds.
 */
@inject()
export default class ChannelsController {
  constructor(protected messagingChannels: MessagingChannels) {}

  async index({ view, tenant, bouncer }: HttpContext) {
    await bouncer.with(MessagingPolicy).authorize('manage')
    const channels = await this.messagingChannels.overview(tenant.id)
    return view.render('pages/messaging/admin/channels', { section: 'messaging', channels })
  }

  async update(ctx: HttpContext) {
    const kind = ctx.params.kind as ConfigurableChannel
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    // Which card a failed form re-opens with its input (the three forms share `is_active`).
    ctx.session.flash('channelForm', `${kind}:settings`)
    const stored = await this.messagingChannels.storedSecrets(ctx.tenant.id, kind)
    const options = {
      meta: { stored, country: countryOfTimezone(ctx.branch.timezone) },
      messagesProvider: channelMessages(ctx.i18n),
    }
    const data =
      kind === 'whatsapp'
        ? await ctx.request.validateUsing(whatsappChannelValidator, options)
        : kind === 'sms'
          ? await ctx.request.validateUsing(smsChannelValidator, options)
          : await ctx.request.validateUsing(emailChannelValidator, options)
    await this.messagingChannels.save(ctx.tenant, kind, data, actorOf(ctx))
    ctx.session.flash(
      'success',
      ctx.i18n.t('channels.saved', { channel: ctx.i18n.t(`messaging.channel.${kind}`) })
    )
    return ctx.response.redirect().toRoute('admin.messaging.channels.index')
  }

  async test(ctx: HttpContext) {
    const kind = ctx.params.kind as ConfigurableChannel
    await ctx.bouncer.with(MessagingPolicy).authorize('manage')
    ctx.session.flash('channelForm', `${kind}:test`)
    const messagesProvider = channelMessages(ctx.i18n)
    const { recipient } =
      kind === 'email'
        ? await ctx.request.validateUsing(testEmailValidator, { messagesProvider })
        : await ctx.request.validateUsing(testPhoneValidator, {
            meta: { country: countryOfTimezone(ctx.branch.timezone) },
            messagesProvider,
          })
    const result = await this.messagingChannels.sendTest(
      ctx.tenant,
      kind,
      recipient,
      ctx.i18n.locale
    )
    if (result.outcome === 'queued')
      ctx.session.flash('success', ctx.i18n.t('channels.test.queued', { recipient }))
    else ctx.session.flash('error', ctx.i18n.t(`channels.test.${result.outcome}`, { recipient }))
    return ctx.response.redirect().toRoute('admin.messaging.channels.index')
  }
}
