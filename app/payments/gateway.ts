import type { DateTime } from 'luxon'
import DomainError from '#exceptions/domain_error'
import { DeliveryError } from '#services/outbox'
import { providerRequest, type ProviderResponse } from '#channels/http'
import type { PaymentProvider } from '#enums/booking'

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

export interface PaymentGateway {
  readonly provider: PaymentProvider
  /** The currencies its payment pages take. */
  readonly currencies: readonly string[]
  createLink(request: LinkRequest): Promise<PaymentLink>
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

/** One request to a gateway; a request that never got an answer is `unavailable`. */
export async function gatewayRequest(provider: PaymentProvider, name: string, url: string, init: RequestInit): Promise<ProviderResponse> {
  try {
    return await providerRequest(name, url, init)
  } catch (error) {
    if (error instanceof DeliveryError) throw new PaymentGatewayError(provider, 'unavailable', error.message)
    throw error
  }
}

/** `Authorization: Basic base64(key + ':')`, how both gateways take their secret key. */
export function basicAuth(key: string) {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`
}

/** Whether an HTTP answer means "try again later" (rate limit, the gateway's own trouble). */
export function temporary(status: number) {
  return status === 429 || status >= 500
}
