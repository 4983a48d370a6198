import { DateTime } from 'luxon'
import env from '#start/env'
import clock from '#support/clock'
import {
  PaymentGatewayError,
  gatewayRequest,
  temporary,
  toWholeUnits,
  type GatewayStatus,
  type LinkRequest,
  type PaymentGateway,
  type PaymentLink,
} from '#services/payments/gateway'
import { xenditVerdict } from '#services/payments/payment_state'

const XENDIT_DEFAULT_API_URL = 'https://api.xendit.co'

/** A tenant's Xendit account (stored encrypted on payment_accounts). */
export interface XenditSettings {
  /** `xnd_development_...` or `xnd_production_...`: authenticates API calls. */
  secret_key: string
  /** The dashboard's callback verification token: every callback carries it in `x-callback-token`. */
  callback_token: string
}

/** XENDIT_API_URL (tests point it at their fake), read on every request. */
function xenditApiUrl() {
  return (env.get('XENDIT_API_URL') || XENDIT_DEFAULT_API_URL).replace(/\/+$/, '')
}

/**
 * Xendit Invoices: `POST {base}/v2/invoices` with HTTP Basic auth `secret_key:` makes a hosted
 * invoice page (`invoice_url`) for `amount` whole units, payable for `invoice_duration` seconds.
 * Errors come as `{"error_code", "message"}`.
 */
export default class XenditInvoices implements PaymentGateway {
  readonly provider = 'xendit' as const
  /** Xendit invoices in the countries Loket serves. */
  readonly currencies = ['IDR', 'MYR'] as const

  constructor(private settings: XenditSettings) {}

  async createLink(request: LinkRequest): Promise<PaymentLink> {
    const amount = toWholeUnits(request.amount, request.currency)
    const customer: Record<string, string> = { given_names: request.customer.name.slice(0, 255) }
    if (request.customer.phone) customer.mobile_number = request.customer.phone
    if (request.customer.email) customer.email = request.customer.email
    const body = {
      external_id: request.orderId,
      amount,
      description: request.description.slice(0, 255),
      invoice_duration: request.minutes * 60,
      currency: request.currency,
      customer,
      items: [{ name: request.item.name.slice(0, 255), quantity: 1, price: amount }],
      success_redirect_url: request.returnUrl,
      failure_redirect_url: request.returnUrl,
    }
    const startedAt = clock.now()
    const answer = await gatewayRequest('xendit', `${xenditApiUrl()}/v2/invoices`, {
      key: this.settings.secret_key,
      body,
    })
    if (answer.status >= 200 && answer.status < 300) {
      const { id, invoice_url: url, expiry_date: expiry } = answer.json ?? {}
      if (typeof id !== 'string' || typeof url !== 'string' || !/^https?:\/\//.test(url)) {
        throw new PaymentGatewayError(
          'xendit',
          'unavailable',
          `Xendit: answer ${answer.status} without an invoice id and url`,
          answer.status
        )
      }
      const expiresAt =
        typeof expiry === 'string' ? DateTime.fromISO(expiry, { zone: 'utc' }) : null
      return {
        url,
        externalId: id,
        expiresAt: expiresAt?.isValid ? expiresAt : startedAt.plus({ minutes: request.minutes }),
      }
    }
    throw xenditError(answer)
  }

  /** `GET {base}/v2/invoices/{invoice id}`: the invoice as Xendit knows it (404 when it knows none). */
  async status(reference: { externalId: string | null }): Promise<GatewayStatus | null> {
    if (!reference.externalId) return null
    const url = `${xenditApiUrl()}/v2/invoices/${encodeURIComponent(reference.externalId)}`
    const answer = await gatewayRequest('xendit', url, { key: this.settings.secret_key })
    if (answer.status === 404) return null
    const body = answer.json ?? {}
    if (answer.status < 200 || answer.status >= 300 || typeof body.status !== 'string')
      throw xenditError(answer)
    const verdict = xenditVerdict(body.status)
    const amount =
      verdict === 'paid' && typeof body.paid_amount === 'number' ? body.paid_amount : body.amount
    return {
      verdict,
      status: body.status,
      amount:
        typeof amount === 'number' && Number.isFinite(amount) ? Math.round(amount * 100) : null,
      currency: typeof body.currency === 'string' ? body.currency : null,
      externalId: typeof body.id === 'string' ? body.id : reference.externalId,
    }
  }
}

function xenditError(answer: { status: number; json: any; text: string }) {
  const code =
    typeof answer.json?.error_code === 'string' ? answer.json.error_code : `HTTP ${answer.status}`
  const message =
    typeof answer.json?.message === 'string' ? answer.json.message : answer.text.slice(0, 200)
  return new PaymentGatewayError(
    'xendit',
    temporary(answer.status) ? 'unavailable' : 'refused',
    `Xendit: ${code} ${message}`.trim(),
    answer.status
  )
}
