import env from '#start/env'
import clock from '#support/clock'
import {
  PaymentGatewayError,
  gatewayRequest,
  minorUnits,
  temporary,
  toWholeUnits,
  type GatewayStatus,
  type LinkRequest,
  type PaymentGateway,
  type PaymentLink,
} from '#services/payments/gateway'
import { midtransVerdict } from '#services/payments/payment_state'

const MIDTRANS_SANDBOX_URL = 'https://app.sandbox.midtrans.com'
const MIDTRANS_PRODUCTION_URL = 'https://app.midtrans.com'
/** The Core API, where a transaction's status is read. */
const MIDTRANS_API_SANDBOX_URL = 'https://api.sandbox.midtrans.com'
const MIDTRANS_API_PRODUCTION_URL = 'https://api.midtrans.com'

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
function midtransSnapUrl(production: boolean) {
  return (
    env.get('MIDTRANS_SNAP_URL') || (production ? MIDTRANS_PRODUCTION_URL : MIDTRANS_SANDBOX_URL)
  ).replace(/\/+$/, '')
}

/** Where the Core API lives: MIDTRANS_API_URL when set (tests point it at their fake), else the sandbox or production. */
function midtransApiUrl(production: boolean) {
  return (
    env.get('MIDTRANS_API_URL') ||
    (production ? MIDTRANS_API_PRODUCTION_URL : MIDTRANS_API_SANDBOX_URL)
  ).replace(/\/+$/, '')
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
      item_details: [
        {
          id: request.item.id.slice(0, 50),
          price: gross,
          quantity: 1,
          name: request.item.name.slice(0, 50),
        },
      ],
      customer_details: customer,
      expiry: { unit: 'minute', duration: request.minutes },
      callbacks: { finish: request.returnUrl },
    }
    const startedAt = clock.now()
    const url = `${midtransSnapUrl(Boolean(this.settings.is_production))}/snap/v1/transactions`
    const answer = await gatewayRequest('midtrans', url, { key: this.settings.server_key, body })
    if (answer.status >= 200 && answer.status < 300) {
      const redirectUrl = answer.json?.redirect_url
      if (typeof redirectUrl !== 'string' || !/^https?:\/\//.test(redirectUrl)) {
        throw new PaymentGatewayError(
          'midtrans',
          'unavailable',
          `Midtrans: answer ${answer.status} without a redirect_url`,
          answer.status
        )
      }
      return {
        url: redirectUrl,
        externalId: null,
        expiresAt: startedAt.plus({ minutes: request.minutes }),
      }
    }
    const messages = Array.isArray(answer.json?.error_messages)
      ? answer.json.error_messages.join('; ')
      : answer.text.slice(0, 200)
    throw new PaymentGatewayError(
      'midtrans',
      temporary(answer.status) ? 'unavailable' : 'refused',
      `Midtrans: ${messages || `HTTP ${answer.status}`}`,
      answer.status
    )
  }

  /**
   * `GET {api}/v2/{order_id}/status` with the same Basic auth: the transaction as Midtrans knows
   * it, in the notification's own fields. An unknown order answers `"status_code": "404"`.
   */
  async status(reference: { orderId: string }): Promise<GatewayStatus | null> {
    const url = `${midtransApiUrl(Boolean(this.settings.is_production))}/v2/${encodeURIComponent(reference.orderId)}/status`
    const answer = await gatewayRequest('midtrans', url, { key: this.settings.server_key })
    const body = answer.json ?? {}
    if (answer.status === 404 || body.status_code === '404') return null
    if (
      answer.status < 200 ||
      answer.status >= 300 ||
      typeof body.transaction_status !== 'string'
    ) {
      const message =
        typeof body.status_message === 'string' ? body.status_message : answer.text.slice(0, 200)
      throw new PaymentGatewayError(
        'midtrans',
        temporary(answer.status) ? 'unavailable' : 'refused',
        `Midtrans status: ${message || `HTTP ${answer.status}`}`,
        answer.status
      )
    }
    return {
      verdict: midtransVerdict(
        body.transaction_status,
        typeof body.fraud_status === 'string' ? body.fraud_status : null
      ),
      status: body.transaction_status,
      amount: minorUnits(body.gross_amount),
      currency: typeof body.currency === 'string' ? body.currency : null,
      externalId: typeof body.transaction_id === 'string' ? body.transaction_id : null,
    }
  }
}
