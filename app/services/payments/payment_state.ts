import type { PaymentStatus } from '#enums/booking'

/** What a gateway's status word means for a payment. */
export type GatewayVerdict = 'paid' | 'pending' | 'failed' | 'expired' | 'refunded' | 'unknown'

/**
 * Midtrans `transaction_status` (and `fraud_status` for card captures): `settlement`, or `capture`
 * accepted by fraud detection, is money received; `capture` under `challenge` waits for the
 * merchant's review; `pending` and `authorize` wait; `deny` waits too, because the customer may pay
 * again on the same page; `cancel` and `failure` end it, `expire` ends it unpaid; `refund`,
 * `partial_refund`, `chargeback` and `partial_chargeback` take paid money back.
 */
export function midtransVerdict(
  transactionStatus: string,
  fraudStatus: string | null | undefined
): GatewayVerdict {
  switch (transactionStatus) {
    case 'settlement':
      return 'paid'
    case 'capture':
      return fraudStatus === 'accept' ? 'paid' : 'pending'
    case 'pending':
    case 'authorize':
    case 'deny':
      return 'pending'
    case 'cancel':
    case 'failure':
      return 'failed'
    case 'expire':
      return 'expired'
    case 'refund':
    case 'partial_refund':
    case 'chargeback':
    case 'partial_chargeback':
      return 'refunded'
    default:
      return 'unknown'
  }
}

/**
 * Whether a Midtrans `status_code` fits its `transaction_status`: money received is always `200`
 * and a payment still waiting (`pending`, a challenged capture) is `201`. Other statuses come with
 * several codes (a cancel is 200 or 202, an expiry 407 or 202) and move no money: any code is taken.
 */
export function midtransCodeAgrees(
  verdict: GatewayVerdict,
  transactionStatus: string,
  statusCode: unknown
) {
  if (verdict === 'paid') return statusCode === '200'
  if (transactionStatus === 'pending' || transactionStatus === 'capture')
    return statusCode === '201'
  return true
}

/** Xendit invoice callbacks: `PAID` (or `SETTLED`, when the money reached the balance) and `EXPIRED`. */
export function xenditVerdict(status: string): GatewayVerdict {
  switch (status) {
    case 'PAID':
    case 'SETTLED':
      return 'paid'
    case 'EXPIRED':
      return 'expired'
    case 'PENDING':
      return 'pending'
    default:
      return 'unknown'
  }
}

/**
 * How far a payment has come: a payment only ever moves up. Money received outranks a failure or
 * an expiry (a late settlement is still money the customer paid); a refund comes only after it.
 */
const RANK: Record<PaymentStatus, number> = {
  pending: 0,
  failed: 1,
  expired: 1,
  paid: 2,
  refunded: 3,
}

/**
 * The payment's next status for what the gateway said, or null when it changes nothing: a status
 * that waits, one that is not new, or a stale one arriving after a later one (`pending` after
 * `settlement`, `expire` after `settlement`). A refund applies only to a paid payment.
 */
export function nextPaymentStatus(
  current: PaymentStatus,
  verdict: GatewayVerdict
): PaymentStatus | null {
  if (verdict === 'pending' || verdict === 'unknown') return null
  if (verdict === 'refunded') return current === 'paid' ? 'refunded' : null
  return RANK[verdict] > RANK[current] ? verdict : null
}

/**
 * What processing a notification did, kept on its row: `applied` (the payment moved), `waiting`
 * (nothing to do yet: pending, a challenged capture, a denied card), `ignored` (stale or not a
 * change), `refunded`, `unknown_order` (no payment of this tenant has the order id), and those an
 * owner must look at: `amount_mismatch` (nothing applied), `paid_after_expiry` (money for a booking
 * that expired or was cancelled meanwhile: refund it) and `paid_twice` (another payment had already
 * paid the booking: refund one).
 */
const NOTIFICATION_OUTCOMES = [
  'applied',
  'waiting',
  'ignored',
  'refunded',
  'unknown_order',
  'amount_mismatch',
  'paid_after_expiry',
  'paid_twice',
] as const
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number]

/** Outcomes shown highlighted on the admin page. */
export const ATTENTION_OUTCOMES: readonly NotificationOutcome[] = [
  'amount_mismatch',
  'paid_after_expiry',
  'paid_twice',
]
