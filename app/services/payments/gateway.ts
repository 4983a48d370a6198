import type { DateTime } from 'luxon'
import DomainError from '#exceptions/domain_error'
import { DeliveryError } from '#services/messaging/outbox'
import { providerRequest, type ProviderResponse } from '#channels/http'
import type { PaymentProvider } from '#enums/booking'
import type { GatewayVerdict } from '#services/payments/payment_state'

/** What a gateway needs to make a payment page for one booking. */
export interface LinkRequest {
  /** Our order id at the gateway (Midtrans order_id, Xendit external_id): unique per attempt. */
  orderId: string
  /** Minor units (sen): Rp 25.000 is 2500000. */
  amount: number
  currency: string
  description: string
  item: { id: string; name: string }
  customer: { name: string; phone: string | null; email: string | null }
  /** How long the page stays payable, in whole minutes (at least 1). */
  minutes: number
  /** Where the customer's browser goes back to (the booking page). */
  returnUrl: string
}

/** The payment page a gateway made. */
export interface PaymentLink {
  url: string
  /** The gateway's own id, when it gives one at once (a Xendit invoice id; Midtrans only tells it in notifications). */
  externalId: string | null
  expiresAt: DateTime
}

/** What the gateway itself says of a payment, asked through its API. */
export interface GatewayStatus {
  verdict: GatewayVerdict
  /** The gateway's status word (`settlement`, `PAID`). */
  status: string
  /** The amount it reports, in minor units; null when missing. */
  amount: number | null
  currency: string | null
  externalId: string | null
}

export interface PaymentGateway {
  readonly provider: PaymentProvider
  /** The currencies its payment pages take. */
  readonly currencies: readonly string[]
  createLink(request: LinkRequest): Promise<PaymentLink>
  /**
   * The payment as the gateway knows it now (null when it knows no such payment): a notification
   * saying money arrived is believed only once this agrees.
   */
  status(reference: { orderId: string; externalId: string | null }): Promise<GatewayStatus | null>
}

/**
 * A gateway did not make the payment page. `unavailable`: no answer, a timeout, a rate limit or the
 * gateway's own trouble (5xx), so trying again later can work. `refused`: the gateway answered no
 * (wrong keys, a request it does not accept), which needs an owner to fix the account.
 */
export class PaymentGatewayError extends Error {
  constructor(
    public provider: PaymentProvider,
    public kind: 'unavailable' | 'refused',
    message: string,
    public httpStatus: number | null = null
  ) {
    super(message)
  }
}

/**
 * Minor units as the whole units the gateways take (Rp 25.000 = 2500000 sen -> 25000). Amounts that
 * are not whole rupiah (or ringgit) are refused rather than rounded: the customer would pay another
 * amount than the booking's.
 */
export function toWholeUnits(minor: number, currency: string) {
  if (!Number.isSafeInteger(minor) || minor <= 0 || minor % 100 !== 0) {
    throw new DomainError('payment_amount_not_whole', { amount: minor / 100, currency }, 422)
  }
  return minor / 100
}

/** `"250000.00"` (rupiah, as Midtrans writes amounts) in minor units; null when it is not an amount. */
export function minorUnits(amount: unknown) {
  if (typeof amount !== 'string') return null
  const match = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(amount)
  if (!match) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

/**
 * One request to a gateway, authenticated as both gateways want it (`Authorization: Basic
 * base64(key + ':')`): a GET, or a POST of `body` as JSON. A request that never got an answer is
 * `unavailable`.
 */
export async function gatewayRequest(
  provider: PaymentProvider,
  url: string,
  request: { key: string; body?: unknown }
): Promise<ProviderResponse> {
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${request.key}:`).toString('base64')}`,
    accept: 'application/json',
  }
  if (request.body !== undefined) headers['content-type'] = 'application/json'
  const init = {
    method: request.body === undefined ? 'GET' : 'POST',
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  }
  try {
    return await providerRequest(PROVIDER_NAMES[provider], url, init)
  } catch (error) {
    if (error instanceof DeliveryError)
      throw new PaymentGatewayError(provider, 'unavailable', error.message)
    throw error
  }
}

const PROVIDER_NAMES: Record<PaymentProvider, string> = { midtrans: 'Midtrans', xendit: 'Xendit' }

/** Whether an HTTP answer means "try again later" (rate limit, the gateway's own trouble). */
export function temporary(status: number) {
  return status === 429 || status >= 500
}
