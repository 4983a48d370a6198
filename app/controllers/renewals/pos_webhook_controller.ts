import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import { parseDay } from '#services/inbox/outlet_directory'
import PosSync, { PosWebhookRefused } from '#services/renewals/pos_sync'
import RenewalService from '#services/renewals/renewal_service'
import { posPaymentValidator } from '#validators/renewals'

/**
 * `POST /webhooks/pos/:slug`: what a tenant's POS pushes. No session and no CSRF token: each
 * request proves itself with `X-Loket-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body
 * with the tenant's webhook secret (set on the renewals' settings page), checked before the body
 * is read as JSON (as the WhatsApp webhook does). Events: `outlet.updated` (one outlet in the
 * POS feed's shape, upserted) and `payment.received` (`fid`, `oid`, `paid_until`: the outlet's
 * renewal is renewed, or recovered after its expiry date). 401 for a bad signature, 422 for an
 * event or a row it cannot take.
 */
@inject()
export default class PosWebhookController {
  constructor(
    protected posSync: PosSync,
    protected renewals: RenewalService
  ) {}

  async receive({ request, response, params, logger }: HttpContext) {
    const tenant = await Tenant.query()
      .where('slug', String(params.slug))
      .where('is_active', true)
      .first()
    if (!tenant) return response.notFound({ error: 'Unknown tenant' })
    const source = await this.posSync.source(tenant.id)
    // The body parser kept the body as text, decoded from UTF-8: encoding it again gives back the exact bytes.
    const raw = request.raw()
    const signature = request.header('x-loket-signature')
    if (
      raw === null ||
      !this.posSync.validSignature(
        Buffer.from(raw, 'utf8'),
        signature,
        source?.secrets.webhook_secret
      )
    ) {
      logger.warn({ tenant: tenant.slug, signed: Boolean(signature) }, 'POS webhook refused')
      return response.unauthorized({ error: 'Invalid signature' })
    }
    let payload: any
    try {
      payload = JSON.parse(raw)
    } catch {
      return response.badRequest({ error: 'Malformed JSON' })
    }
    try {
      if (payload?.event === 'outlet.updated') {
        const outlet = await this.posSync.pushOutlet(tenant, payload.data)
        const closed = await this.renewals.settleOutlet(tenant.id, outlet.id)
        return response.ok({
          ok: true,
          outlet: { id: outlet.id, fid: outlet.fid, oid: outlet.oid, expires_on: outlet.expiresOn },
          renewals: closed.map((renewal) => ({ id: renewal.id, status: renewal.status })),
        })
      }
      if (payload?.event === 'payment.received') {
        const data = await posPaymentValidator.validate(payload.data ?? {})
        const { outlet, closed, moved } = await this.renewals.recordPayment(tenant.id, {
          fid: data.fid,
          oid: data.oid,
          paidUntil: parseDay(data.paid_until)!,
        })
        await this.posSync.logPush(tenant.id, moved)
        return response.ok({
          ok: true,
          outlet: { id: outlet.id, fid: outlet.fid, oid: outlet.oid, expires_on: outlet.expiresOn },
          renewals: closed.map((renewal) => ({ id: renewal.id, status: renewal.status })),
        })
      }
      return response.unprocessableEntity({ error: 'Unknown event' })
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR)
        return response.unprocessableEntity({ error: 'Invalid data', messages: error.messages })
      if (error instanceof PosWebhookRefused)
        return response.unprocessableEntity({ error: error.key, message: error.detail })
      if (error instanceof DomainError)
        return response.unprocessableEntity({ error: error.key, params: error.params })
      throw error
    }
  }
}
