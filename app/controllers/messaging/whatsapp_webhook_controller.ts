import type { HttpContext } from '@adonisjs/core/http'
import WhatsappInbound, { validSignature } from '#services/messaging/whatsapp_inbound'
import { inject } from '@adonisjs/core'

/**
 * `/webhooks/whatsapp/:tenant`: what Meta sends to a tenant's WhatsApp number. No session and no
 * CSRF token: the handshake proves itself with the verify token, every POST with its signature
 * over the raw body bytes (the app secret), checked before the body is read as JSON.
 */
@inject()
export default class WhatsappWebhookController {
  constructor(protected whatsappInbound: WhatsappInbound) {}

  async verify({ request, response, params }: HttpContext) {
    const channel = await this.whatsappInbound.channelFor(String(params.tenant))
    if (!channel) return response.notFound('Unknown tenant')
    const challenge = this.whatsappInbound.handshake(channel.settings, request.qs())
    if (challenge === null) return response.forbidden('Verification failed')
    return response.header('content-type', 'text/plain; charset=utf-8').ok(challenge)
  }

  async receive({ request, response, params, logger }: HttpContext) {
    const channel = await this.whatsappInbound.channelFor(String(params.tenant))
    if (!channel) return response.notFound('Unknown tenant')
    // The body parser kept the body as text, decoded from UTF-8: encoding it again gives back the exact bytes.
    const raw = request.raw()
    const signature = request.header('x-hub-signature-256')
    if (
      raw === null ||
      !validSignature(Buffer.from(raw, 'utf8'), signature, channel.settings.app_secret)
    ) {
      logger.warn(
        { tenant: channel.tenant.slug, signed: Boolean(signature) },
        'whatsapp webhook refused: bad or missing signature'
      )
      return response.unauthorized('Invalid signature')
    }
    let payload: unknown
    try {
      payload = JSON.parse(raw)
    } catch {
      return response.badRequest('Malformed JSON')
    }
    const report = await this.whatsappInbound.receive(channel, payload)
    logger.debug({ tenant: channel.tenant.slug, ...report }, 'whatsapp webhook handled')
    return response.ok('EVENT_RECEIVED')
  }
}
