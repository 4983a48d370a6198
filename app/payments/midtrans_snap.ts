import env from '#start/env'
import clock from '#services/clock'
import { PaymentGatewayError, basicAuth, gatewayRequest, temporary, toWholeUnits, type LinkRequest, type PaymentGateway, type PaymentLink } from '#payments/gateway'

export const MIDTRANS_SANDBOX_URL = 'https://app.sandbox.midtrans.com'
export const MIDTRANS_PRODUCTION_URL = 'https://app.midtrans.com'

/** A tenant's Midtrans account (stored encrypted on payment_accounts). */
export interface MidtransSettings {
  /** Signs notifications and authenticates API calls: `SB-Mid-server-...` in the sandbox. */
  server_key: string
  /** Public: only Snap's JavaScript popup uses it (Loket redirects to the Snap page). */
  client_key?: string | null
  /** Live money at app.midtrans.com instead of the sandbox. */
  is_production?: boolean
}

/**
 * Where Snap lives: MIDTRANS_SNAP_URL when set (tests point it at their fake), otherwise the
 * sandbox or, for an account marked production, the live Snap. Read on every request.
 */
export function midtransSnapUrl(production: boolean) {
  return (env.get('MIDTRANS_SNAP_URL') || (production ? MIDTRANS_PRODUCTION_URL : MIDTRANS_SANDBOX_URL)).replace(/\/+$/, '')
}

/**
 * Midtrans Snap: `POST {base}/snap/v1/transactions` with HTTP Basic auth `server_key:` makes a
 * payment page (`redirect_url`) that accepts every method the merchant enabled for `gross_amount`
 * whole rupiah until the expiry. Errors come as `{"error_messages": [...]}`.
 */
export default class MidtransSnap implements PaymentGateway {
  readonly provider = 'midtrans' as const
  readonly currencies = ['IDR'] as const

  constructor(private settings: MidtransSettings) {}

  async createLink(request: LinkRequest): Promise<PaymentLink> {
    const gross = toWholeUnits(request.amount, request.currency)
    const customer: Record<string, string> = { first_name: request.customer.name.slice(0, 255) }
    if (request.customer.phone) customer.phone = request.customer.phone
    if (request.customer.email) customer.email = request.customer.email
    const body = {
      transaction_details: { order_id: request.orderId, gross_amount: gross },
      item_details: [{ id: request.item.id.slice(0, 50), price: gross, quantity: 1, name: request.item.name.slice(0, 50) }],
      customer_details: customer,
      expiry: { unit: 'minute', duration: request.minutes },
      callbacks: { finish: request.returnUrl },
    }
    const startedAt = clock.now()
    const answer = await gatewayRequest('midtrans', 'Midtrans', `${midtransSnapUrl(Boolean(this.settings.is_production))}/snap/v1/transactions`, {
      method: 'POST',
      headers: { 'authorization': basicAuth(this.settings.server_key), 'content-type': 'application/json', 'accept': 'application/json' },
      body: JSON.stringify(body),
    })
    if (answer.status >= 200 && answer.status < 300) {
      const url = answer.json?.redirect_url
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
        throw new PaymentGatewayError('midtrans', 'unavailable', `Midtrans: answer ${answer.status} without a redirect_url`, answer.status)
      }
      return { url, externalId: null, expiresAt: startedAt.plus({ minutes: request.minutes }) }
    }
    const messages = Array.isArray(answer.json?.error_messages) ? answer.json.error_messages.join('; ') : answer.text.slice(0, 200)
    throw new PaymentGatewayError('midtrans', temporary(answer.status) ? 'unavailable' : 'refused', `Midtrans: ${messages || `HTTP ${answer.status}`}`, answer.status)
  }
}
