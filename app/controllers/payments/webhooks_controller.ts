import type { HttpContext } from '@adonisjs/core/http'
import Payments from '#services/payments/payments'
import { inject } from '@adonisjs/core'

/**
 * `/webhooks/payments/{midtrans,xendit}/:tenant`: what the gateways tell a tenant about its
 * payments. No session and no CSRF token: Midtrans signs each notification (signature_key),
 * Xendit sends the account's callback token. The body is read as the bytes received.
 */
@inject()
export default class PaymentWebhooksController {
  constructor(protected payments: Payments) {}

  async midtrans({ request, response, params }: HttpContext) {
    const answer = await this.payments.handleMidtrans(String(params.tenant), request.raw())
    return response.status(answer.status).json(answer.body)
  }

  async xendit({ request, response, params }: HttpContext) {
    const answer = await this.payments.handleXendit(
      String(params.tenant),
      request.header('x-callback-token'),
      request.raw()
    )
    return response.status(answer.status).json(answer.body)
  }
}
