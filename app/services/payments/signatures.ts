import { createHash, timingSafeEqual } from 'node:crypto'
import { sameSecret } from '#support/secrets'

/** The fields of a Midtrans notification its signature covers, as received (strings). */
export interface MidtransSigned {
  order_id: string
  status_code: string
  gross_amount: string
  signature_key: string
}

/** SHA512(order_id + status_code + gross_amount + server_key), hex: Midtrans's `signature_key`. */
export function midtransSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string
) {
  return createHash('sha512')
    .update(`${orderId}${statusCode}${grossAmount}${serverKey}`, 'utf8')
    .digest('hex')
}

/**
 * Whether a Midtrans notification is signed with `serverKey`: the signature is computed over the
 * strings exactly as received (`"24145.00"` stays `"24145.00"`) and compared in constant time.
 */
export function validMidtransSignature(notification: MidtransSigned, serverKey: string) {
  if (!serverKey) return false
  const expected = Buffer.from(
    midtransSignature(
      notification.order_id,
      notification.status_code,
      notification.gross_amount,
      serverKey
    ),
    'hex'
  )
  if (!/^[0-9a-fA-F]{128}$/.test(notification.signature_key)) return false
  return timingSafeEqual(Buffer.from(notification.signature_key, 'hex'), expected)
}

/**
 * Whether a Xendit `x-callback-token` header equals the account's callback verification token, in
 * constant time whatever their lengths (both are hashed to 32 bytes first). An empty token never matches.
 */
export function validXenditToken(
  given: string | null | undefined,
  expected: string | null | undefined
) {
  return Boolean(given && expected) && sameSecret(given!, expected!)
}
