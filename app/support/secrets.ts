import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** A secret, unguessable, URL-safe token (device links, verify tokens): 18 random bytes. */
export function urlToken() {
  return randomBytes(18).toString('base64url')
}

/** Letters and digits that cannot be mistaken for one another when read out. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A short code to read out or type (`BK7Q3XM`): the prefix and five random readable characters. */
export function readableCode(prefix: string) {
  let code = prefix
  for (let index = 0; index < 5; index++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}

/** Compares two secrets in constant time, whatever their lengths (both are hashed to 32 bytes first). */
export function sameSecret(given: string, expected: string) {
  const a = createHash('sha256').update(given, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b)
}

/**
 * Whether a request may read the operator endpoints' details (`/metrics`, the checks of `/healthz`):
 * with METRICS_TOKEN set, only with `Authorization: Bearer <token>`; without one, only outside
 * production (a production server never shows its internals to anyone who asks).
 */
export function operatorAccess(
  authorization: string | undefined,
  setting: { token: string | undefined; production: boolean }
) {
  if (setting.token) return sameSecret(authorization ?? '', `Bearer ${setting.token}`)
  return !setting.production
}
